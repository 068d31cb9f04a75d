// SPDX-License-Identifier: GPL-3.0-or-later
// The Warehouse page on the known small shop (tests/warehouse/known_warehouse.h) with the real
// PostgreSQL: the figures it shows are worked out here from the raw rows; Run now with progress
// and cancel; CSV export of a table. Offscreen, 1024x700.
#include "../warehouse/known_warehouse.h"
#include "models/csv.h"
#include "models/human_format.h"
#include "models/row_table_model.h"
#include "ui/batch_scheduler.h"
#include "ui/chart_export.h"
#include "ui/chart_panel.h"
#include "ui/csv_export_job.h"
#include "ui/heat_grid_chart.h"
#include "ui/period_chart.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"
#include "ui/warehouse_page.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace gm;

namespace {

double number(pqxx::connection& connection, const std::string& sql) {
    return std::stod(test::valueOf(connection, sql));
}

struct ShopDatabase {
    test::ScratchDatabase db;
    std::unique_ptr<test::RawEvents> raw;
    ShopDatabase() {
        test::migrateRealtime(db.conninfo());
        raw = std::make_unique<test::RawEvents>(db.conninfo());
        test::insertKnownShop(*raw);
    }
    WarehouseBatchRun::ConninfoSource source() const {
        return [conninfo = db.conninfo()] { return conninfo; };
    }
};

void loadOnce(WarehousePage& page) {
    const int before = page.loadsCompleted();
    page.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(page.loadsCompleted() > before && !page.loading(), 30'000);
}

} // namespace

class TestWarehousePage : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void showsTheKnownWarehouse();
    void emptyWarehouseRunsNowWithProgress();
    void runsIntoASeparateWarehouseDatabase();
    void cancelStopsTheRun();
    void failureIsReportedInOneLine();
    void schedulerFiresSkipsAndSurvivesFailure();
    void everyChartAndTableExports();
    void revenueAxisReadsInThousandsOrMillions();
};

void TestWarehousePage::showsTheKnownWarehouse() {
    ShopDatabase shop;
    QVERIFY(test::runWarehouse(shop.db.conninfo(), "2027-03-09").ok());
    const auto report = test::runWarehouse(shop.db.conninfo(), test::kKnownAnalysisDate);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    auto& conn = shop.raw->connection();

    WarehousePage page(shop.source(), shop.source(), QStringLiteral("globalmart --run-batch"));
    page.resize(1024, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    loadOnce(page);
    QVERIFY2(page.loadError().isEmpty(), qPrintable(page.loadError()));
    QVERIFY(!page.showsEmptyState());
    QCOMPARE(page.dateEdit()->date(), QDate(2027, 3, 10)); // the newest analysed date

    // A tile: revenue of the analysis day from the raw order lines, and its change.
    const double revenue = number(
        conn, "SELECT sum(i.quantity * i.unit_price) FROM transactions t JOIN transaction_items "
              "i USING (transaction_id) WHERE t.\"timestamp\"::date = '2027-03-10'");
    const double before = number(
        conn, "SELECT sum(i.quantity * i.unit_price) FROM transactions t JOIN transaction_items "
              "i USING (transaction_id) WHERE t.\"timestamp\"::date = '2027-03-09'");
    QCOMPARE(page.tile(0)->value(), dollars(revenue));
    QCOMPARE(page.tile(0)->value(), QStringLiteral("$560.00"));
    QCOMPARE(page.tile(0)->note(),
             QStringLiteral("%1 %2 vs 2027-03-09")
                 .arg(revenue >= before ? "▲" : "▼")
                 .arg(percentText(std::abs(100 * (revenue - before) / before))));

    // Every heat-map cell: customers per (recency score, frequency score), scored here from the
    // raw orders with the documented rule least(5, 1 + floor(5 * percent_rank())).
    const auto cells = test::rowsOf(
        conn, "WITH c AS (SELECT user_id, date '2027-03-10' - max(\"timestamp\")::date AS r, "
              "count(*) AS f FROM transactions GROUP BY user_id), s AS (SELECT least(5, 1 + "
              "floor(5 * percent_rank() OVER (ORDER BY r DESC)))::int AS rs, least(5, 1 + floor(5 "
              "* percent_rank() OVER (ORDER BY f)))::int AS fs FROM c) SELECT rs, fs, count(*) "
              "FROM s GROUP BY 1, 2 ORDER BY 1, 2");
    QVERIFY(!cells.empty());
    int filled = 0;
    for (int column = 0; column < 5; ++column) {
        for (int row = 0; row < 5; ++row) {
            filled += page.heatMap()->cellText(column, row).isEmpty() ? 0 : 1;
        }
    }
    QCOMPARE(filled, static_cast<int>(cells.size()));
    for (const std::string& cell : cells) {
        const QStringList parts = QString::fromStdString(cell).split('|');
        const int r = parts[0].toInt();
        const int f = parts[1].toInt();
        QCOMPARE(page.heatMap()->cellText(f - 1, 5 - r), parts[2]);
    }

    // Click the first expected cell: its customers are listed.
    {
        const QStringList parts = QString::fromStdString(cells.front()).split('|');
        const int r = parts[0].toInt();
        const int f = parts[1].toInt();
        page.findChild<QTabWidget*>()->setCurrentIndex(1);
        QTest::qWait(50);
        QSignalSpy loaded(&page, &WarehousePage::cellCustomersLoaded);
        QTest::mouseClick(page.heatMap()->chartView()->viewport(), Qt::LeftButton, {},
                          page.heatMap()->cellCenter(f - 1, 5 - r));
        QVERIFY(loaded.wait(20'000));
        QCOMPARE(page.cellCustomersTable()->model()->rowCount(), parts[2].toInt());
        QCOMPARE(page.statusLabel()->text(),
                 QStringLiteral("R%1 F%2: %3 of %3 customers listed, highest spending first")
                     .arg(r)
                     .arg(f)
                     .arg(parts[2]));
    }

    // A cohort cell: January's customers ordering again one month later, from the raw orders.
    const double january = number(
        conn, "SELECT count(*) FROM (SELECT user_id FROM transactions GROUP BY user_id HAVING "
              "to_char(min(\"timestamp\"), 'YYYY-MM') = '2027-01') j");
    const double january_in_february = number(
        conn, "SELECT count(DISTINCT user_id) FROM transactions WHERE to_char(\"timestamp\", "
              "'YYYY-MM') = '2027-02' AND user_id IN (SELECT user_id FROM transactions GROUP BY "
              "user_id HAVING to_char(min(\"timestamp\"), 'YYYY-MM') = '2027-01')");
    QCOMPARE(page.cohortChart()->cellText(1, 0),
             QString::number(100.0 * january_in_february / january, 'f', 0) + "%");
    QCOMPARE(page.cohortChart()->cellText(1, 0), QStringLiteral("50%"));
    QVERIFY(page.cohortChart()->cellText(2, 2).isEmpty()); // the triangle: March has month 0 only

    // A trend point: March's revenue (all categories) and its growth over February.
    page.periodBox()->setCurrentIndex(page.periodBox()->findData("monthly"));
    const auto& periods = page.trendChart()->periods();
    QVERIFY(!periods.empty());
    QCOMPARE(periods.back().label, QStringLiteral("2027-03"));
    const double march = number(
        conn, "SELECT sum(i.quantity * i.unit_price) FROM transactions t JOIN transaction_items "
              "i USING (transaction_id) WHERE to_char(t.\"timestamp\", 'YYYY-MM') = '2027-03'");
    const double february = number(
        conn, "SELECT sum(i.quantity * i.unit_price) FROM transactions t JOIN transaction_items "
              "i USING (transaction_id) WHERE to_char(t.\"timestamp\", 'YYYY-MM') = '2027-02'");
    QCOMPARE(periods.back().revenue, march);
    QCOMPARE(*periods.back().growth_pct, std::round(10000 * (march - february) / february) / 100);
    page.categoryBox()->setCurrentIndex(page.categoryBox()->findData("Smartphones"));
    QCOMPARE(page.trendChart()->periods().back().revenue, 1000.0); // two phones in March

    // Products: filter by category and tier, search; CSV export of what is shown.
    TablePanel* products = page.productTable();
    QCOMPARE(products->proxy()->rowCount(), 3);
    page.productCategoryBox()->setCurrentIndex(page.productCategoryBox()->findData("Cookware"));
    QCOMPARE(products->proxy()->rowCount(), 1);
    page.productCategoryBox()->setCurrentIndex(0);
    page.productTierBox()->setCurrentIndex(page.productTierBox()->findData("Top Seller"));
    QCOMPARE(products->proxy()->rowCount(), 3);
    products->searchBox()->setText(QStringLiteral("Alpha"));
    QCOMPARE(products->proxy()->rowCount(), 1);

    QTemporaryDir dir;
    const QString path = dir.filePath("products.csv");
    QFutureWatcher<QString> watcher;
    watcher.setFuture(
        startCsvExport(path, csvFromModel(*products->proxy(), RowTableModel::ExportRole)));
    watcher.waitForFinished();
    QCOMPARE(watcher.result(), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines =
        QString::fromUtf8(file.readAll()).split(QRegularExpression("\r?\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[0].startsWith("overall_rank,product_id,product_name,category,performance_tier"),
             qPrintable(lines[0]));
    const double phone_revenue = number(conn, "SELECT sum(quantity * unit_price) FROM "
                                              "transaction_items WHERE product_id = "
                                              "'PROD_00000001'");
    QVERIFY2(lines[1].startsWith(QStringLiteral("1,PROD_00000001,Alpha Phone,Smartphones,Top "
                                                "Seller,3,3,%1,")
                                     .arg(phone_revenue, 0, 'f', 2)),
             qPrintable(lines[1]));

    // Another analysed date: the page reads that date's figures.
    page.dateEdit()->setDate(QDate(2027, 3, 9));
    QTRY_VERIFY_WITH_TIMEOUT(!page.loading() && page.view().analysis_date == "2027-03-09", 30'000);
    QCOMPARE(page.tile(0)->value(), dollars(before));
}

void TestWarehousePage::emptyWarehouseRunsNowWithProgress() {
    ShopDatabase shop;
    WarehousePage page(shop.source(), shop.source(), QStringLiteral("globalmart --run-batch"));
    page.resize(1024, 700);
    page.show();
    loadOnce(page);
    QVERIFY(page.showsEmptyState());
    QVERIFY(page.emptyRunButton()->isVisible());
    QVERIFY(page.findChildren<QLabel*>().size() > 0);
    bool explains = false;
    for (QLabel* label : page.findChildren<QLabel*>()) {
        explains = explains || (label->isVisible() && label->text().contains("--run-batch"));
    }
    QVERIFY(explains);

    page.dateEdit()->setDate(QDate(2027, 3, 10));
    QTRY_VERIFY_WITH_TIMEOUT(!page.loading(), 30'000);
    QSignalSpy steps(&page.batchRun(), &WarehouseBatchRun::stepFinished);
    QSignalSpy finished(&page.batchRun(), &WarehouseBatchRun::finished);
    QTest::mouseClick(page.emptyRunButton(), Qt::LeftButton);
    QVERIFY(page.progressBar()->isVisible());
    QVERIFY(page.cancelButton()->isVisible());
    QVERIFY(!page.runButton()->isEnabled());
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.front()[0].toBool(), true);
    warehouse::BatchOptions planned;
    QCOMPARE(steps.size(), static_cast<qsizetype>(warehouse::plannedSteps(planned).size()));
    QCOMPARE(steps.back()[0].toInt(), steps.back()[1].toInt()); // done == total at the end
    QCOMPARE(page.progressBar()->maximum(), steps.back()[1].toInt());
    QVERIFY(!page.progressBar()->isVisible());
    QVERIFY(page.statusLabel()->text().contains("2027-03-10 done"));
    // The page refreshes itself: the figures of the new analysis.
    QTRY_VERIFY_WITH_TIMEOUT(!page.showsEmptyState() && !page.loading(), 30'000);
    QCOMPARE(page.tile(0)->value(), QStringLiteral("$560.00"));
    QVERIFY(page.runButton()->isEnabled());
}

// --warehouse-db: the page's batch loads the other database from the events database, and the
// page reads its figures there; the events database gets no warehouse facts.
void TestWarehousePage::runsIntoASeparateWarehouseDatabase() {
    ShopDatabase shop;
    test::ScratchDatabase warehouse_db;
    WarehousePage page(
        shop.source(), [conninfo = warehouse_db.conninfo()] { return conninfo; },
        QStringLiteral("globalmart --run-batch"));
    page.show();
    loadOnce(page);
    QVERIFY(page.showsEmptyState());
    page.dateEdit()->setDate(QDate(2027, 3, 10));
    QTRY_VERIFY_WITH_TIMEOUT(!page.loading(), 30'000);
    QSignalSpy finished(&page.batchRun(), &WarehouseBatchRun::finished);
    QTest::mouseClick(page.emptyRunButton(), Qt::LeftButton);
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.front()[0].toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(!page.showsEmptyState() && !page.loading(), 30'000);
    QCOMPARE(page.tile(0)->value(), QStringLiteral("$560.00"));
    pqxx::connection warehouse_connection(warehouse_db.conninfo());
    QVERIFY(number(warehouse_connection, "SELECT count(*) FROM warehouse.fact_sales") > 0);
    QCOMPARE(test::valueOf(shop.raw->connection(),
                           "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                           "'warehouse' AND table_name = 'fact_sales'"),
             std::string("0"));
}

void TestWarehousePage::cancelStopsTheRun() {
    ShopDatabase shop;
    WarehousePage page(shop.source(), shop.source(), QStringLiteral("globalmart --run-batch"));
    page.show();
    loadOnce(page);
    page.dateEdit()->setDate(QDate(2027, 3, 10));
    QTRY_VERIFY_WITH_TIMEOUT(!page.loading(), 30'000);
    QSignalSpy steps(&page.batchRun(), &WarehouseBatchRun::stepFinished);
    QSignalSpy finished(&page.batchRun(), &WarehouseBatchRun::finished);
    // Cancel as soon as the first step reports.
    connect(&page.batchRun(), &WarehouseBatchRun::stepFinished, &page, [&page] {
        if (page.cancelButton()->isEnabled()) {
            QTest::mouseClick(page.cancelButton(), Qt::LeftButton);
        }
    });
    QTest::mouseClick(page.runButton(), Qt::LeftButton);
    QVERIFY(finished.wait(120'000));
    QCOMPARE(finished.front()[0].toBool(), false);
    QCOMPARE(finished.front()[1].toBool(), true);
    warehouse::BatchOptions planned;
    QVERIFY(steps.size() >= 1);
    QVERIFY(steps.size() < static_cast<qsizetype>(warehouse::plannedSteps(planned).size()));
    QVERIFY2(page.statusLabel()->text().contains("cancelled after"),
             qPrintable(page.statusLabel()->text()));
    // What ran is in the history; the rest did not run.
    QTRY_VERIFY_WITH_TIMEOUT(!page.loading() && page.loadsCompleted() >= 3, 30'000);
    QCOMPARE(static_cast<qsizetype>(page.view().batch_runs.size()), steps.size());
    QVERIFY(page.runButton()->isEnabled());
}

void TestWarehousePage::failureIsReportedInOneLine() {
    const auto nowhere = []() -> std::string { throw std::runtime_error("no database here"); };
    WarehousePage page(nowhere, nowhere, QStringLiteral("globalmart --run-batch"));
    page.show();
    loadOnce(page);
    QCOMPARE(page.loadError(), QStringLiteral("no database here"));
    QSignalSpy finished(&page.batchRun(), &WarehouseBatchRun::finished);
    QTest::mouseClick(page.emptyRunButton(), Qt::LeftButton);
    QVERIFY(finished.wait(30'000));
    QCOMPARE(finished.front()[0].toBool(), false);
    QCOMPARE(page.statusLabel()->text(), QStringLiteral("Batch could not run: no database here"));
}

void TestWarehousePage::schedulerFiresSkipsAndSurvivesFailure() {
    ShopDatabase shop;
    WarehousePage page(shop.source(), shop.source(), QStringLiteral("globalmart --run-batch"));
    page.show();
    BatchScheduler& scheduler = page.scheduler();
    QVERIFY(!scheduler.nextRun());
    QVERIFY(!page.scheduleLabel()->isVisible());

    scheduler.setSchedule({BatchScheduleMode::EveryMinutes, 10, 0});
    QVERIFY(scheduler.nextRun());
    const QDateTime first = *scheduler.nextRun();
    QVERIFY(page.scheduleLabel()->isVisible());
    QVERIFY2(page.scheduleLabel()->text().contains(first.toString("yyyy-MM-dd HH:mm")),
             qPrintable(page.scheduleLabel()->text()));

    QSignalSpy finished(&page.batchRun(), &WarehouseBatchRun::finished);
    scheduler.check(first.addSecs(-1)); // not yet
    QCOMPARE(scheduler.started(), 0);
    scheduler.check(first);
    QCOMPARE(scheduler.started(), 1);
    QVERIFY(page.batchRun().running());
    QCOMPARE(*scheduler.nextRun(), first.addSecs(600));
    // Due again while the first run is still going: skipped, not queued.
    scheduler.check(first.addSecs(600));
    QCOMPARE(scheduler.skipped(), 1);
    QCOMPARE(scheduler.started(), 1);
    QVERIFY(page.statusLabel()->text().contains("skipped"));
    QVERIFY(finished.wait(120'000));
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1); // one run, not two
    QCOMPARE(scheduler.started(), 1);

    // A failing run leaves the plan alone: the next due time starts the next run.
    const auto gone = []() -> std::string { throw std::runtime_error("server gone"); };
    WarehousePage broken(gone, gone, QStringLiteral("globalmart --run-batch"));
    QSignalSpy broken_finished(&broken.batchRun(), &WarehouseBatchRun::finished);
    broken.scheduler().setSchedule({BatchScheduleMode::DailyUtc, 60, 3 * 60});
    const QDateTime due = *broken.scheduler().nextRun();
    QCOMPARE(due.time(), QTime(3, 0));
    broken.scheduler().check(due);
    QVERIFY(broken_finished.wait(30'000));
    QCOMPARE(broken_finished.front()[0].toBool(), false);
    QCOMPARE(*broken.scheduler().nextRun(), due.addDays(1));
    broken.scheduler().check(due.addDays(1));
    QVERIFY(broken_finished.wait(30'000));
    QCOMPARE(broken.scheduler().started(), 2);
    broken.scheduler().setSchedule({});
    QVERIFY(!broken.scheduler().nextRun());
}

QTEST_MAIN(TestWarehousePage)
#include "tst_warehouse_page.moc"

// Every chart of every tab as PNG and SVG, every table as CSV with all its rows, and the page as
// PDF: the export paths the window's buttons take.
void TestWarehousePage::everyChartAndTableExports() {
    ShopDatabase shop;
    const auto report = test::runWarehouse(shop.db.conninfo(), test::kKnownAnalysisDate);
    QVERIFY2(report.ok(), test::failureText(report).c_str());
    WarehousePage page(shop.source(), shop.source(), QStringLiteral("globalmart --run-batch"));
    page.resize(1024, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.dateEdit()->setDate(QDate::fromString(test::kKnownAnalysisDate, Qt::ISODate));
    loadOnce(page);
    QVERIFY(!page.showsEmptyState());

    QTemporaryDir dir;
    const QList<ChartPanel*> charts = page.charts();
    QVERIFY2(charts.size() >= 5, qPrintable(QString::number(charts.size())));
    int index = 0;
    for (ChartPanel* chart : charts) {
        const QString base = dir.filePath(QStringLiteral("chart%1").arg(index++));
        QVERIFY2(saveChartPng(*chart, base + ".png", QSize(800, 450)), qPrintable(chart->title()));
        const QImage image(base + ".png");
        QCOMPARE(image.size(), QSize(800, 450));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 9) {
            for (int x = 0; x < image.width(); x += 9) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY2(colours.size() > 5, qPrintable(chart->title())); // not a blank image
        QVERIFY2(saveChartSvg(*chart, base + ".svg", QSize(800, 450)), qPrintable(chart->title()));
        QFile svg(base + ".svg");
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
    }

    const QList<TablePanel*> tables = page.tables();
    QVERIFY2(tables.size() >= 4, qPrintable(QString::number(tables.size())));
    for (TablePanel* table : tables) {
        const CsvTable csv = csvFromModel(*table->proxy(), RowTableModel::ExportRole);
        QCOMPARE(static_cast<int>(csv.rows.size()), table->proxy()->rowCount());
        const QString path = dir.filePath(table->title() + QStringLiteral(".csv"));
        QFutureWatcher<QString> watcher;
        watcher.setFuture(startCsvExport(path, csv));
        watcher.waitForFinished();
        QCOMPARE(watcher.result(), QString());
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QList<QStringList> written = parseCsv(file.readAll());
        QCOMPARE(written.size(), csv.rows.size() + 1);
        QCOMPARE(written.front(), csv.header);
    }

    const QString pdf = dir.filePath(QStringLiteral("page.pdf"));
    QVERIFY(savePagePdf(page, page.title(), pdf));
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("%PDF"));
}

// An axis of "1000000"s is unreadable: big revenue is shown in thousands or millions of dollars,
// and the tooltip's figures stay exact.
void TestWarehousePage::revenueAxisReadsInThousandsOrMillions() {
    PeriodChart chart(QStringLiteral("Revenue"), QStringLiteral("none"));
    chart.setPeriods({{QStringLiteral("2027-01"), 800.0, 3, std::nullopt},
                      {QStringLiteral("2027-02"), 1200.0, 4, 50.0}});
    QCOMPARE(chart.revenueAxisTitle(), QStringLiteral("Revenue ($)"));
    QCOMPARE(chart.barHeight(1), 1200.0);
    chart.setPeriods({{QStringLiteral("2027-01"), 45'000.0, 30, std::nullopt}});
    QCOMPARE(chart.revenueAxisTitle(), QStringLiteral("Revenue ($K)"));
    QCOMPARE(chart.barHeight(0), 45.0);
    chart.setPeriods({{QStringLiteral("2027-01"), 1'500'000.0, 900, std::nullopt},
                      {QStringLiteral("2027-02"), 3'250'000.0, 2000, 116.7}});
    QCOMPARE(chart.revenueAxisTitle(), QStringLiteral("Revenue ($M)"));
    QCOMPARE(chart.barHeight(1), 3.25);
    QCOMPARE(chart.periods()[1].revenue, 3'250'000.0);
}
