// SPDX-License-Identifier: GPL-3.0-or-later
// Widgets that must not mislead, each on its own: the sort arrow points the way the rows run,
// the page PDF leaves the export buttons out, the database banner speaks only when the writer
// is in trouble, and Help has the version report and the README's usage.
#include "ui/chart_export.h"
#include "ui/database_banner.h"
#include "ui/help_dialogs.h"
#include "ui/overview_page.h"
#include "ui/status_texts.h"
#include "ui/table_panel.h"

#include <QHeaderView>
#include <QStyleOptionHeader>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace gm;

namespace {

// The pixels of the sort arrow the style draws in a section (the right end of the section with
// and without the indicator, compared), counted in the upper and the lower half of their bounding
// box. A down-pointing triangle is wide on top.
struct ArrowInk {
    int top = 0;
    int bottom = 0;
};

ArrowInk arrowInk(QHeaderView& header, int section) {
    const QRect rect(header.sectionViewportPosition(section), 0, header.sectionSize(section),
                     header.height());
    const QImage with = header.viewport()->grab(rect).toImage();
    header.setSortIndicatorShown(false);
    const QImage without = header.viewport()->grab(rect).toImage();
    header.setSortIndicatorShown(true);
    QList<QPoint> ink;
    for (int y = 0; y < with.height(); ++y) {
        // Fusion draws the arrow at the section's right end; the centred title moves when it
        // goes, so only the right end is compared.
        for (int x = with.width() * 4 / 5; x < with.width(); ++x) {
            if (std::abs(qGray(with.pixel(x, y)) - qGray(without.pixel(x, y))) > 40) {
                ink << QPoint(x, y);
            }
        }
    }
    ArrowInk counts;
    if (ink.isEmpty()) {
        return counts;
    }
    int top = ink.first().y();
    int bottom = top;
    for (const QPoint& p : ink) {
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    const double middle = (top + bottom) / 2.0;
    for (const QPoint& p : ink) {
        if (p.y() < middle) {
            ++counts.top;
        } else if (p.y() > middle) {
            ++counts.bottom;
        }
    }
    return counts;
}

TableData numbers() {
    TableData table;
    table.columns = {{"Key", "key", ColumnKind::Text, FilterRole::Key},
                     {"Amount", "amount", ColumnKind::Integer, FilterRole::None}};
    for (const int value : {20, 5, 70, 35}) {
        table.rows.push_back({QString::number(value), QVariant::fromValue<qlonglong>(value)});
    }
    return table;
}

class PaintCounter : public QObject {
public:
    int paints = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            ++paints;
        }
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

class WindowWidgetsTest : public QObject {
    Q_OBJECT
private slots:
    void sortArrowPointsTheWayTheRowsRun() {
        TablePanel panel(QStringLiteral("Numbers"), QString());
        panel.setDefaultSort(1, Qt::DescendingOrder);
        panel.setTable(numbers());
        panel.resize(500, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QHeaderView& header = *panel.view()->horizontalHeader();
        RowFilterProxy& proxy = *panel.proxy();

        // Newest (largest) first: the values fall down the rows, and so does the arrow.
        QCOMPARE(header.sortIndicatorOrder(), Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 1).data(RowTableModel::SortRole).toLongLong(), 70);
        QCOMPARE(proxy.index(3, 1).data(RowTableModel::SortRole).toLongLong(), 5);
        ArrowInk ink = arrowInk(header, 1);
        QVERIFY2(ink.top > ink.bottom,
                 qPrintable(
                     QStringLiteral("descending: top %1, bottom %2").arg(ink.top).arg(ink.bottom)));

        panel.view()->sortByColumn(1, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 1).data(RowTableModel::SortRole).toLongLong(), 5);
        ink = arrowInk(header, 1);
        QVERIFY2(ink.bottom > ink.top,
                 qPrintable(
                     QStringLiteral("ascending: top %1, bottom %2").arg(ink.top).arg(ink.bottom)));
    }

    void pagePdfLeavesTheExportButtonsOut() {
        OverviewPage page;
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        PaintCounter buttons;
        PaintCounter others;
        int export_buttons = 0;
        for (QToolButton* button : page.findChildren<QToolButton*>()) {
            if (isExportButton(*button)) {
                button->installEventFilter(&buttons);
                ++export_buttons;
            }
        }
        for (QWidget* tile : page.findChildren<QFrame*>()) {
            tile->installEventFilter(&others);
        }
        QCOMPARE(export_buttons, 6); // PNG and SVG on three charts
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("overview.pdf"));
        QVERIFY(savePagePdf(page, page.title(), path));
        QVERIFY(QFileInfo(path).size() > 1000);
        QCOMPARE(buttons.paints, 0); // not drawn into the PDF
        QVERIFY(others.paints > 0);  // the rest of the page was
        for (QToolButton* button : page.findChildren<QToolButton*>()) {
            QVERIFY(button->isVisible()); // and back on screen afterwards
        }
    }

    void bannerSpeaksOnlyWhenTheDatabaseIsInTrouble() {
        QWidget window;
        auto* banner = new DatabaseBanner(&window);
        window.show();
        DesktopSession::Services services;
        banner->showServices(services);
        QVERIFY(!banner->isVisible()); // no database in use: nothing to say here

        services.writer = WriterStatus{};
        services.writer->state = WriterState::Connected;
        banner->showServices(services);
        QVERIFY(!banner->isVisible());
        QCOMPARE(databaseIndicator(services, RunState::Running),
                 QStringLiteral("Database: connected"));

        services.writer->state = WriterState::Retrying;
        services.writer->buffered_rows = 12'345;
        services.writer->last_error = "connection to server on socket failed: No such file";
        banner->showServices(services);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains("unreachable"));
        QVERIFY(banner->text().contains("12,345 rows"));
        QVERIFY(banner->text().contains("No such file"));
        QCOMPARE(databaseIndicator(services, RunState::Running),
                 QStringLiteral("Database: unreachable"));

        services.writer->state = WriterState::Connected;
        services.writer->rows_failed = 3;
        services.writer->last_error = "value too long for type character varying(10)";
        banner->showServices(services);
        QVERIFY(banner->isVisible());
        QVERIFY(banner->text().contains("refused 3 rows"));
        QVERIFY(banner->text().contains("value too long"));
    }

    void statusTextsSayBehindAndHideTheFlushWatermark() {
        QCOMPARE(processingStateText(RunState::Running, {1, 16}, 1000), QStringLiteral("Running"));
        QCOMPARE(processingStateText(RunState::Running, {12, 16}, 850'000),
                 QStringLiteral("Behind: 12 batches queued, processing 850,000 events/s"));
        QCOMPARE(processingStateText(RunState::Idle, {0, 0}, 0), QStringLiteral("Stopped"));
        QCOMPARE(watermarkText(kFlushWatermark), QStringLiteral("—"));
        QCOMPARE(watermarkText(kNoWatermark), QStringLiteral("—"));
        QCOMPARE(watermarkText(1'795'591'230'000'000), QStringLiteral("07:20:30 UTC"));
    }

    void helpHasTheVersionReportAndTheUsage() {
        const QString about = aboutText();
        QVERIFY(about.contains("GPL-3.0-or-later"));
        QVERIFY(about.contains("librdkafka"));
        QVERIFY(about.contains("libpqxx"));
        QVERIFY(about.contains(QString::fromLatin1(qVersion()))); // the running Qt
        const QString usage = usageMarkdown();
        QVERIFY(usage.startsWith("## Run and test"));
        QVERIFY(usage.contains("## Configuration"));
        QVERIFY(usage.contains("--rate"));
        QVERIFY(!usage.contains("## Architecture")); // only the usage sections
    }
};

QTEST_MAIN(WindowWidgetsTest)
#include "tst_window_widgets.moc"
