// SPDX-License-Identifier: GPL-3.0-or-later
// The window and the HTTP API on one run: a rate set over HTTP moves the rate controls, and an
// acknowledgement made over HTTP shows on the Alerts page (the database stores it either way).
#include "../db/db_test_support.h"
#include "../http/http_test_client.h"
#include "app/http/http_service.h"
#include "models/alert_notifications.h"
#include "ui/alerts_page.h"
#include "ui/control_bar.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/table_panel.h"

#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include <algorithm>

using namespace gm;

namespace {

RunOptions shop(bool persist) {
    RunOptions options;
    options.catalog.users = 2'000;
    options.catalog.products = 150;
    options.generator.rate = 5'000;
    options.generator.acceleration = 120;
    options.simulator.anomaly_rate = 0.2;
    const TimestampUs now = wallClockNow();
    options.start_time = now;
    options.catalog.reference_time = options.start_time;
    options.overwrite_history = persist; // the suite's database holds earlier runs' history
    options.persist = persist;
    options.workers = 1;
    return options;
}

void stopAndWait(DesktopSession& session) {
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 60'000);
}

} // namespace

class WindowHttpTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_window_http"));
        QSettings().clear();
    }

    void rateSetOverHttpMovesTheRateControls() {
        RunSlot slot;
        DesktopSession session(shop(false));
        session.publishRunsTo(&slot);
        MainWindow window(session);
        HttpService service(slot, HttpServiceOptions{});
        QVERIFY(!service.start());
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 30'000);
        QCOMPARE(window.controls()->rate(), 5'000.0);

        QNetworkAccessManager manager;
        const QString base = QString::fromStdString(service.url());
        const test::Answer answer =
            test::request(manager, "POST", QUrl(base + "/api/v1/run/rate?events_per_second=4321"));
        QCOMPARE(answer.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(window.controls()->rate(), 4'321.0, 10'000);
        QCOMPARE(window.controls()->rateBox()->value(), 4'321.0);
        QCOMPARE(session.options().generator.rate, 4'321.0);
        QTRY_COMPARE_WITH_TIMEOUT(
            QJsonDocument::fromJson(test::request(manager, "GET", QUrl(base + "/api/v1/run")).body)
                .object()
                .value("rate")
                .toDouble(),
            4'321.0, 10'000);
        stopAndWait(session);
    }

    // Offscreen there is no system tray; the window's decision is its desktopNotice signal.
    void criticalAlertsRaiseDesktopNoticesUnlessMuted() {
        for (const bool muted : {false, true}) {
            QStringList kinds;
            if (muted) {
                for (const AlertKindChoice& choice : alertKindChoices()) {
                    kinds << choice.name;
                }
            }
            QSettings().setValue(QStringLiteral("notifications/muted_kinds"), kinds);
            RunOptions options = shop(false);
            options.simulator.anomaly_rate = 0.5;
            DesktopSession session(options);
            MainWindow window(session);
            QSignalSpy notices(&window, &MainWindow::desktopNotice);
            session.start();
            QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 30'000);
            const auto critical = [&] {
                window.refreshNow();
                const auto rows = window.history().alerts.rows();
                return std::count_if(rows.begin(), rows.end(), [](const AlertRow& row) {
                    return row.severity == Severity::Critical;
                });
            };
            QTRY_VERIFY_WITH_TIMEOUT(critical() >= 2, 60'000);
            window.refreshNow();
            if (muted) {
                QCOMPARE(notices.count(), 0);
            } else {
                QVERIFY(notices.count() >= 1);
                const QString title = notices.first().first().toString();
                QVERIFY2(!title.isEmpty(), qPrintable(title));
            }
            stopAndWait(session);
        }
        QSettings().remove(QStringLiteral("notifications/muted_kinds"));
    }

    void acknowledgementOverHttpShowsOnTheAlertsPage() {
        GM_REQUIRE_SERVER();
        RunSlot slot;
        DesktopSession session(shop(true));
        session.publishRunsTo(&slot);
        MainWindow window(session);
        HttpService service(slot, HttpServiceOptions{});
        QVERIFY(!service.start());
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 60'000);
        QVERIFY(session.alertAcknowledger().has_value());

        window.showPage(MainWindow::Alerts);
        auto* alerts = static_cast<AlertsPage*>(window.page(MainWindow::Alerts));
        QTRY_VERIFY_WITH_TIMEOUT(alerts->table()->model()->rowCount() > 0, 60'000);
        RowTableModel& model = *alerts->table()->model();
        const int id_column = model.table().columnFor(FilterRole::Key);
        int acknowledged_column = -1;
        for (int c = 0; c < model.columnCount(); ++c) {
            if (model.table().columns[c].csv_name == "acknowledged") {
                acknowledged_column = c;
            }
        }
        QVERIFY(id_column >= 0 && acknowledged_column >= 0);
        const QString alert_id = model.index(0, id_column).data().toString();
        QCOMPARE(model.index(0, acknowledged_column).data(RowTableModel::SortRole).toBool(), false);

        QNetworkAccessManager manager;
        const test::Answer answer = test::request(
            manager, "POST",
            QUrl(QString::fromStdString(service.url()) + "/api/v1/alerts/" + alert_id + "/ack"));
        QVERIFY2(answer.status == 200, answer.body.constData());
        // The page shows it without anyone touching the window.
        const auto shownAcknowledged = [&] {
            for (int r = 0; r < model.rowCount(); ++r) {
                if (model.index(r, id_column).data().toString() == alert_id) {
                    return model.index(r, acknowledged_column)
                        .data(RowTableModel::SortRole)
                        .toBool();
                }
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(shownAcknowledged(), 10'000);
        QVERIFY(window.history().isAcknowledged(alert_id.toULongLong()));
        stopAndWait(session);
    }
};

QTEST_MAIN(WindowHttpTest)
#include "tst_window_http.moc"
