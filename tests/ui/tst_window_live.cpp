// SPDX-License-Identifier: GPL-3.0-or-later
// The window on live runs, checked for what would mislead an analyst: it fits 1024×700, the
// headline cards show full minutes ("so far" and "partial" said where they apply), alert ids
// read as ids, the status bar's simulated time is the System page's, acknowledgements reach
// PostgreSQL, a drill-down filter does not slip into the next run, watermarks after Stop are
// "—", and the database banner appears on every page when the server goes away.
#include "../db/db_test_support.h"
#include "ui/alerts_page.h"
#include "ui/anomalies_page.h"
#include "ui/control_bar.h"
#include "ui/database_banner.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/overview_page.h"
#include "ui/stat_tile.h"
#include "ui/system_page.h"
#include "ui/table_panel.h"

#include <QAbstractScrollArea>
#include <QComboBox>
#include <QListWidget>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;

namespace {

RunOptions busyShop() {
    RunOptions options;
    options.catalog.users = 3'000;
    options.catalog.products = 200;
    options.generator.rate = 15'000;
    options.generator.acceleration = 60; // a simulated minute a second
    options.simulator.anomaly_rate = 0.10;
    // 17 s into a minute, as a run started by hand would be: its first minute is partial.
    const TimestampUs now = wallClockNow();
    options.start_time = now - now % kMicrosPerMinute + 17 * kMicrosPerSecond;
    options.catalog.reference_time = options.start_time;
    // The suite's database already holds the x60 history of earlier runs, ahead of now: without
    // this the run would continue after it, on a minute boundary, and its first minute would be
    // whole (tests/db/tst_one_timeline covers continuing).
    options.overwrite_history = true;
    options.workers = 1;
    return options;
}

// Every visible widget lies inside the window (nothing wider than it, nothing cut off).
QStringList widgetsOutside(QWidget& window) {
    QStringList outside;
    const QRect bounds(QPoint(0, 0), window.size());
    for (QWidget* widget : window.findChildren<QWidget*>()) {
        if (!widget->isVisible() || widget->isWindow()) {
            continue;
        }
        // What lies inside a scroll area's viewport scrolls; the viewport is what must fit.
        bool scrolled = false;
        for (QWidget* p = widget->parentWidget(); p != nullptr && p != &window;
             p = p->parentWidget()) {
            const auto* area = qobject_cast<QAbstractScrollArea*>(p->parentWidget());
            scrolled = scrolled || (area != nullptr && area->viewport() == p);
        }
        if (scrolled) {
            continue;
        }
        const QRect rect(widget->mapTo(&window, QPoint(0, 0)), widget->size());
        if (!bounds.contains(rect)) {
            outside << QStringLiteral("%1 %2 at %3,%4 %5×%6")
                           .arg(QString::fromLatin1(widget->metaObject()->className()),
                                widget->objectName())
                           .arg(rect.x())
                           .arg(rect.y())
                           .arg(rect.width())
                           .arg(rect.height());
        }
    }
    return outside;
}

QRect inWindow(QWidget& window, QWidget& widget) {
    return {widget.mapTo(&window, QPoint(0, 0)), widget.size()};
}

void stopAndWait(DesktopSession& session) {
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 60'000);
}

} // namespace

class WindowLiveTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_window_live"));
        QSettings().clear();
    }

    void everyPageFits1024x700() {
        DesktopSession session(busyShop());
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(window.minimumSizeHint().width() <= 1024,
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(window.history().alerts.size() > 20, 30'000);
        for (int page = 0; page < MainWindow::PageCount; ++page) {
            window.showPage(page);
            window.refreshNow();
            QTest::qWait(150);
            QCOMPARE(window.size(), QSize(1024, 700));
            const QStringList outside = widgetsOutside(window);
            QVERIFY2(outside.isEmpty(), qPrintable(window.page(page)->title() + ": " +
                                                   outside.join(QStringLiteral("; "))));
            // The controls take their own rows above the pages, never over them.
            const QRect controls = inWindow(window, *window.controls());
            const QRect shown = inWindow(window, *window.page(page));
            QVERIFY(!controls.intersects(shown));
            QVERIFY(controls.bottom() < shown.top());
        }
        QVERIFY(window.controls()->twoRows()); // 1024 px: the mix controls wrap
        window.resize(1600, 900);
        QTRY_VERIFY(!window.controls()->twoRows());
        stopAndWait(session);
    }

    void liveRunShowsFullMinutesIdsAndOneClock() {
        RunOptions options = busyShop();
        options.raw_events = false; // the alert rows reach PostgreSQL sooner on a busy machine
        DesktopSession session(options);
        MainWindow window(session);
        window.resize(1280, 800);
        window.show();
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 20'000);

        // Headline cards: the run's first minute is marked partial while it is the newest full
        // minute; later minutes show their span; the open minute is only ever "so far".
        auto* overview = static_cast<OverviewPage*>(window.page(MainWindow::Overview));
        window.showPage(MainWindow::Overview);
        bool saw_partial = false;
        bool saw_full = false;
        bool saw_so_far = false;
        QElapsedTimer clock;
        clock.start();
        while (!(saw_partial && saw_full && saw_so_far) && clock.elapsed() < 40'000) {
            window.refreshNow();
            const auto points = window.history().revenue.points();
            const auto closed = std::count_if(points.begin(), points.end(),
                                              [](const SeriesPoint& p) { return !p.partial; });
            const QString note = overview->revenueTile()->note();
            if (closed == 0) {
                QCOMPARE(overview->revenueTile()->value(), QStringLiteral("—"));
            } else if (closed == 1) {
                QVERIFY2(note.contains("partial: the run started during this minute"),
                         qPrintable(note));
                saw_partial = true;
            } else {
                QVERIFY2(!note.contains("partial"), qPrintable(note));
                QVERIFY(note.contains(" – "));
                saw_full = true;
            }
            saw_so_far = saw_so_far || note.contains("so far this minute");
            QTest::qWait(40);
        }
        QVERIFY(saw_partial);
        QVERIFY(saw_full);
        QVERIFY(saw_so_far);

        // The status bar's simulated time is the one on the System page, read on the same tick.
        window.showPage(MainWindow::System);
        auto* system = static_cast<SystemPage*>(window.page(MainWindow::System));
        for (int i = 0; i < 5; ++i) {
            window.refreshNow();
            const QString status = window.statusTimeText();
            QVERIFY2(status.startsWith("Simulated time "), qPrintable(status));
            const QString time = status.mid(QStringLiteral("Simulated time ").size());
            QVERIFY2(system->generatorText().contains(time),
                     qPrintable(time + " not in " + system->generatorText()));
            QTest::qWait(120);
        }

        // Alert ids read as ids, after subject and title.
        window.showPage(MainWindow::Alerts);
        auto* alerts = static_cast<AlertsPage*>(window.page(MainWindow::Alerts));
        QTRY_VERIFY_WITH_TIMEOUT(alerts->table()->model()->rowCount() > 5, 20'000);
        RowTableModel& model = *alerts->table()->model();
        const int id = model.table().columnFor(FilterRole::Key);
        int subject = -1;
        int title = -1;
        for (int c = 0; c < model.columnCount(); ++c) {
            subject = model.table().columns[c].csv_name == "subject" ? c : subject;
            title = model.table().columns[c].csv_name == "title" ? c : title;
        }
        QVERIFY(id > subject && id > title && subject >= 0);
        const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString shown = model.index(r, id).data().toString();
            QVERIFY2(digits.match(shown).hasMatch(), qPrintable(shown));
        }
        QTableView& view = *alerts->table()->view();
        QVERIFY(view.columnWidth(subject) >= 100);

        // Acknowledging reaches PostgreSQL when the run persists there.
        if (const std::optional<AlertAcknowledger> acknowledger = session.alertAcknowledger()) {
            view.selectRow(0);
            const QVariantList row = alerts->table()->selectedRow();
            const QString alert_id = row[id].toString();
            QSignalSpy stored(alerts, &AlertsPage::acknowledgementsStored);
            alerts->acknowledgeSelected();
            QVERIFY(stored.wait(20'000));
            const auto result = stored.first().first().value<AlertAcknowledger::Result>();
            QVERIFY2(!result.error, result.error.value_or("").c_str());
            QCOMPARE(result.stored + result.pending, std::size_t{1});
            // The mark is stored at once; the alert's row is marked whenever the writer has
            // stored it (before or after), and the pipeline's upserts never clear it.
            pqxx::connection conn(""); // the PG* server the session writes to
            const auto state = [&] {
                pqxx::read_transaction txn(conn);
                const pqxx::result marks = txn.exec_params(
                    "SELECT count(*) FROM alert_acknowledgements WHERE alert_id = $1",
                    alert_id.toStdString());
                const pqxx::result row = txn.exec_params(
                    "SELECT acknowledged FROM alerts WHERE alert_id = $1", alert_id.toStdString());
                return QStringLiteral("marks %1, row %2")
                    .arg(marks[0][0].as<int>())
                    .arg(row.empty() ? QStringLiteral("not written yet")
                                     : (row[0][0].as<bool>() ? QStringLiteral("acknowledged")
                                                             : QStringLiteral("NOT acknowledged")));
            };
            QVERIFY2(state().startsWith("marks 1"), qPrintable(state()));
            QTRY_COMPARE_WITH_TIMEOUT(state(), QStringLiteral("marks 1, row acknowledged"), 90'000);
            QVERIFY(alerts->findChild<StatTile*>() != nullptr);
        } else if (test::databaseRequired()) {
            QFAIL("GLOBALMART_TEST_REQUIRE_DB=1 but the run does not persist");
        }

        // A drill-down filter belongs to its run: the next one starts unfiltered, and says so.
        auto* anomalies = static_cast<AnomaliesPage*>(window.page(MainWindow::Anomalies));
        anomalies->drillInto(window.history().revenue.points().front().window_start, "critical");
        QVERIFY(anomalies->highValue()->proxy()->hasTimeRange());
        stopAndWait(session);

        // After Stop the final flush has closed every window: watermarks are "—", not a date at
        // the end of time or a lag of -9,221,575,751,459 s.
        window.showPage(MainWindow::System);
        window.refreshNow();
        const QTableWidget& jobs = system->jobTable();
        for (int job = 0; job < jobs.rowCount(); ++job) {
            QCOMPARE(jobs.item(job, 6)->text(), QStringLiteral("—"));
            QCOMPARE(jobs.item(job, 7)->text(), QStringLiteral("—"));
        }
        QVERIFY(system->pipelineText().contains("Stopped"));

        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 20'000);
        QVERIFY(!anomalies->highValue()->proxy()->hasTimeRange());
        QCOMPARE(anomalies->highValue()->severityBox()->currentIndex(), 0);
        QVERIFY2(window.statusBar()->currentMessage().contains("filters cleared"),
                 qPrintable(window.statusBar()->currentMessage()));
        stopAndWait(session);
    }

    void bannerOnEveryPageWhenTheServerGoesAway() {
        test::ThrowawayCluster cluster;
        std::string reason;
        if (!cluster.start(reason)) {
            if (test::databaseRequired()) {
                QFAIL(reason.c_str());
            }
            QSKIP(reason.c_str());
        }
        RunOptions options = busyShop();
        options.generator.rate = 3'000;
        options.database_url = cluster.server->conninfo();
        DesktopSession session(options);
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 30'000);
        QTest::qWait(1500);
        QVERIFY(!window.databaseBanner()->isVisible());

        QCOMPARE(cluster.pgCtl({"stop", "-m", "immediate", "-w"}).exit_code, 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.databaseBanner()->isVisible(), 30'000);
        QVERIFY(window.databaseBanner()->text().contains("unreachable"));
        QVERIFY(window.databaseBanner()->text().contains("Reason:"));
        QCOMPARE(window.size(), QSize(1024, 700)); // the banner does not push the window taller
        for (int page = 0; page < MainWindow::PageCount; ++page) {
            window.showPage(page);
            window.refreshNow();
            QVERIFY(window.databaseBanner()->isVisible());
        }

        // Back again: the writer catches up and the banner goes.
        QCOMPARE(cluster.server->start(), EmbeddedPostgres::Outcome::Running);
        QTRY_VERIFY_WITH_TIMEOUT(!window.databaseBanner()->isVisible(), 30'000);
        stopAndWait(session);
    }
};

QTEST_MAIN(WindowLiveTest)
#include "tst_window_live.moc"
