// SPDX-License-Identifier: GPL-3.0-or-later
// Run ▸ Backfill history… against the real PostgreSQL tests/run.sh starts: the dialog generates
// the days asked for into the database (the raw tables hold exactly the events it reports, and
// they end now), refuses to write over stored history unless asked, stores what a cancelled
// backfill made, says where unwritten rows went when the server is unreachable, and offers the
// warehouse batch afterwards.
#include "../warehouse/known_warehouse.h"
#include "ui/backfill_dialog.h"
#include "ui/control_bar.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/warehouse_batch_run.h"
#include "ui/warehouse_page.h"

#include <QAction>
#include <QCheckBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>

using namespace gm;

namespace {

RunOptions shopWith(const std::string& conninfo) {
    RunOptions options;
    options.catalog.users = 200;
    options.catalog.products = 50;
    options.database_url = conninfo;
    return options;
}

std::int64_t count(const std::string& conninfo, const std::string& sql) {
    pqxx::connection connection(conninfo);
    pqxx::nontransaction work(connection);
    return work.exec1(sql)[0].as<std::int64_t>();
}

void fill(BackfillDialog& dialog, int days, int users, int products) {
    dialog.days()->setValue(days);
    dialog.users()->setValue(users);
    dialog.products()->setValue(products);
}

void waitUntilDone(BackfillDialog& dialog, int timeout_ms = 120'000) {
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.running(), timeout_ms);
    QVERIFY(dialog.result().has_value());
}

} // namespace

class BackfillDialogTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_backfill_dialog"));
        QSettings().clear();
    }

    // The way an analyst gets there: the empty Warehouse page's "Backfill history…", a day of
    // history, "Run warehouse batch", and the page shows the analysis; the control bar's
    // Warehouse batch button runs it again.
    void fromAnEmptyWarehouseToAnAnalysis() {
        test::ScratchDatabase database;
        DesktopSession session(shopWith(database.conninfo()));
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        window.showPage(MainWindow::Warehouse);
        auto* warehouse = static_cast<WarehousePage*>(window.page(MainWindow::Warehouse));
        QTRY_VERIFY_WITH_TIMEOUT(!warehouse->loading(), 30'000);
        QVERIFY(warehouse->showsEmptyState());
        QVERIFY(warehouse->emptyBackfillButton()->isVisible());
        QTest::mouseClick(warehouse->emptyBackfillButton(), Qt::LeftButton);
        auto* dialog = window.findChild<BackfillDialog*>();
        QVERIFY(dialog != nullptr);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->windowModality(), Qt::WindowModal);
        // The Run menu's action raises the same dialog rather than a second one.
        window.findChild<QAction*>(QStringLiteral("backfillHistory"))->trigger();
        QCOMPARE(window.findChildren<BackfillDialog*>().size(), 1);

        fill(*dialog, 1, 120, 30);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        waitUntilDone(*dialog);
        QVERIFY(!dialog->result()->refused);
        QSignalSpy finished(&warehouse->batchRun(), &WarehouseBatchRun::finished);
        QTest::mouseClick(dialog->runBatchButton(), Qt::LeftButton);
        QCOMPARE(window.currentPage(), int(MainWindow::Warehouse));
        QVERIFY(warehouse->batchRun().running());
        QVERIFY(finished.wait(180'000));
        QVERIFY2(finished.front()[0].toBool(), qPrintable(finished.front()[2].toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!warehouse->showsEmptyState() && !warehouse->loading(), 30'000);

        window.showPage(MainWindow::Overview);
        QSignalSpy again(&warehouse->batchRun(), &WarehouseBatchRun::finished);
        QTest::mouseClick(window.controls()->warehouseBatchButton(), Qt::LeftButton);
        QCOMPARE(window.currentPage(), int(MainWindow::Warehouse));
        QVERIFY(again.wait(180'000));
        QVERIFY(again.front()[0].toBool());
    }

    void backfillsTheDaysAskedForAndOffersTheBatch() {
        test::ScratchDatabase database;
        DesktopSession session(shopWith(database.conninfo()));
        BackfillDialog dialog(session);
        dialog.show();
        QVERIFY(dialog.startButton()->isEnabled());
        fill(dialog, 2, 150, 40);
        const TimestampUs before = wallClockNow();
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        QVERIFY(dialog.running());
        QVERIFY(!dialog.startButton()->isEnabled());
        QVERIFY(!dialog.days()->isEnabled());
        waitUntilDone(dialog);

        const BackfillResult& result = *dialog.result();
        QVERIFY2(!result.refused, result.refused ? result.refused->c_str() : "");
        QVERIFY(!result.cancelled);
        QVERIFY(result.persisted);
        QVERIFY2(result.losses.empty(), result.losses.empty() ? "" : result.losses[0].c_str());
        // 11 events per user and day: 2 days of 150 users (the limit may round one down).
        QVERIFY2(result.events >= 3'299 && result.events <= 3'300,
                 qPrintable(QString::number(result.events)));
        const std::string db = database.conninfo();
        QCOMPARE(count(db, "SELECT count(*) FROM transactions"),
                 static_cast<std::int64_t>(result.orders));
        QCOMPARE(count(db, "SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM "
                           "cart_events) + (SELECT count(*) FROM product_view_events)"),
                 static_cast<std::int64_t>(result.events));
        // The history spans the two days and ends now, not in the future.
        const std::int64_t first = count(db, "SELECT (extract(epoch FROM min(timestamp)) * 1e6)"
                                             "::bigint FROM product_view_events");
        const std::int64_t last = count(db, "SELECT (extract(epoch FROM max(timestamp)) * 1e6)"
                                            "::bigint FROM product_view_events");
        QVERIFY(first >= result.from && first < result.from + 3'600'000'000LL);
        QVERIFY(last <= wallClockNow() && last > before - 3'600'000'000LL);
        QVERIFY(result.from <= before - 2 * 86'400'000'000LL + 60'000'000LL);
        QVERIFY(count(db, "SELECT count(*) FROM sales_per_minute") > 0);
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        QVERIFY2(dialog.statusText().contains("Backfilled") &&
                     dialog.statusText().contains("Everything generated is in the database"),
                 qPrintable(dialog.statusText()));
        QVERIFY2(
            dialog.statusText().contains(
                QString("%1 events")
                    .arg(
                        QLocale(QLocale::English).toString(static_cast<qlonglong>(result.events)))),
            qPrintable(dialog.statusText()));

        QVERIFY(dialog.runBatchButton()->isVisible());
        if (const QString dir = qEnvironmentVariable("GM_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QVERIFY(dialog.grab().save(dir + "/backfill-dialog.png"));
        }
        QSignalSpy batch(&dialog, &BackfillDialog::runBatchRequested);
        QTest::mouseClick(dialog.runBatchButton(), Qt::LeftButton);
        QCOMPARE(batch.count(), 1);
    }

    // One timeline per database: a second backfill over the same days is refused with the
    // check box to tick, and replaces the stored windows once it is ticked.
    void storedHistoryIsOverwrittenOnlyWhenAsked() {
        test::ScratchDatabase database;
        DesktopSession session(shopWith(database.conninfo()));
        BackfillDialog dialog(session);
        fill(dialog, 1, 100, 30);
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        waitUntilDone(dialog);
        QVERIFY(!dialog.result()->refused);
        const std::int64_t orders = count(database.conninfo(), "SELECT count(*) FROM transactions");

        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        waitUntilDone(dialog);
        QVERIFY(dialog.result()->refused);
        QVERIFY2(dialog.statusText().startsWith("Not started") &&
                     dialog.statusText().contains("Write over the stored history"),
                 qPrintable(dialog.statusText()));
        QVERIFY(!dialog.runBatchButton()->isVisible());
        QCOMPARE(count(database.conninfo(), "SELECT count(*) FROM transactions"), orders);

        dialog.overwrite()->setChecked(true);
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        waitUntilDone(dialog);
        QVERIFY2(!dialog.result()->refused,
                 dialog.result()->refused ? dialog.result()->refused->c_str() : "");
        QVERIFY(dialog.result()->events > 0);
    }

    // Cancel ends the history where it has come; what was generated is still written.
    void cancelledBackfillStoresWhatItMade() {
        test::ScratchDatabase database;
        DesktopSession session(shopWith(database.conninfo()));
        BackfillDialog dialog(session);
        dialog.show();
        fill(dialog, 60, 20'000, 500); // 13.2M events: far more than the test waits for
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().startsWith("Simulated"), 60'000);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        waitUntilDone(dialog);
        const BackfillResult& result = *dialog.result();
        QVERIFY(result.cancelled);
        QVERIFY(result.events > 0 && result.events < 13'200'000);
        QVERIFY(result.reached < wallClockNow() - 86'400'000'000LL);
        QVERIFY2(result.losses.empty(), result.losses.empty() ? "" : result.losses[0].c_str());
        QCOMPARE(count(database.conninfo(),
                       "SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM "
                       "cart_events) + (SELECT count(*) FROM product_view_events)"),
                 static_cast<std::int64_t>(result.events));
        QVERIFY2(dialog.statusText().startsWith("Cancelled; stored"),
                 qPrintable(dialog.statusText()));
    }

    // Nothing lost, nothing hidden: with the server unreachable the rows wait; "Leave the rest
    // in the spill file" ends the backfill and the dialog says how many rows are where.
    void unreachableDatabaseLeavesRowsSpilledAndSaysSo() {
        QTemporaryDir home;
        qputenv("XDG_DATA_HOME", home.path().toLocal8Bit()); // the spill directory
        DesktopSession session(shopWith("postgresql://gm@127.0.0.1:1/globalmart"));
        BackfillDialog dialog(session);
        dialog.show();
        fill(dialog, 1, 100, 30);
        QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.statusText().startsWith("Writing to PostgreSQL"), 60'000);
        QCOMPARE(dialog.cancelButton()->text(), QString("Leave the rest in the spill file"));
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        waitUntilDone(dialog, 60'000);
        const BackfillResult& result = *dialog.result();
        QVERIFY(!result.refused);
        QVERIFY(!result.losses.empty());
        QVERIFY2(dialog.statusText().contains("Not everything is in the database") &&
                     dialog.statusText().contains(home.path() + "/globalmart/spill/"),
                 qPrintable(dialog.statusText()));
        qunsetenv("XDG_DATA_HOME");
    }

    // Settings ▸ database URI moves the Warehouse page to that database without a restart.
    void warehousePageFollowsTheDatabaseInSettings() {
        test::ScratchDatabase analysed;
        test::migrateRealtime(analysed.conninfo());
        {
            test::RawEvents raw(analysed.conninfo());
            test::insertKnownShop(raw);
        }
        const auto report = test::runWarehouse(analysed.conninfo(), test::kKnownAnalysisDate);
        QVERIFY2(report.ok(), test::failureText(report).c_str());
        test::ScratchDatabase empty;
        AppSettings settings;
        settings.database_uri = QString::fromStdString(analysed.conninfo());
        {
            QSettings store;
            settings.save(store);
        }
        RunOptions options = shopWith(analysed.conninfo());
        options.database_url.reset(); // as if no --db was given: Settings decide
        DesktopSession session(options);
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        window.showPage(MainWindow::Warehouse);
        auto* warehouse = static_cast<WarehousePage*>(window.page(MainWindow::Warehouse));
        QTRY_VERIFY_WITH_TIMEOUT(warehouse->loadsCompleted() > 0 && !warehouse->loading(), 30'000);
        QVERIFY2(!warehouse->showsEmptyState(), qPrintable(warehouse->loadError()));
        QCOMPARE(warehouse->view().analysis_date, std::string(test::kKnownAnalysisDate));

        settings.database_uri = QString::fromStdString(empty.conninfo());
        const int loads = warehouse->loadsCompleted();
        window.applySettings(settings);
        QTRY_VERIFY_WITH_TIMEOUT(warehouse->loadsCompleted() > loads && !warehouse->loading(),
                                 30'000);
        QVERIFY2(warehouse->loadError().isEmpty(), qPrintable(warehouse->loadError()));
        QVERIFY(warehouse->showsEmptyState());
        QSettings().clear();
    }

    void unavailableWithoutDatabaseOrWhileRunning() {
        RunOptions options = shopWith("dbname=unused");
        options.persist = false;
        DesktopSession memory_only(options);
        BackfillDialog dialog(memory_only);
        QVERIFY(!dialog.startButton()->isEnabled());
        QVERIFY2(dialog.statusText().contains("--no-db"), qPrintable(dialog.statusText()));

        test::ScratchDatabase database;
        RunOptions live = shopWith(database.conninfo());
        live.generator.rate = 500;
        DesktopSession session(live);
        BackfillDialog while_running(session);
        QVERIFY(while_running.startButton()->isEnabled());
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 30'000);
        QVERIFY(!while_running.startButton()->isEnabled());
        QVERIFY2(while_running.statusText().contains("Stop the live run first"),
                 qPrintable(while_running.statusText()));
        session.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 30'000);
        QVERIFY(while_running.startButton()->isEnabled());
    }
};

QTEST_MAIN(BackfillDialogTest)
#include "tst_backfill_dialog.moc"
