// SPDX-License-Identifier: GPL-3.0-or-later
// Which new alerts raise a desktop notification: critical ones only, none of a muted kind, a
// burst summed up in one notice; the new-alert filter that feeds it (and the webhook); and the
// notification and API key settings, stored and checked.
#include "models/alert_notifications.h"
#include "models/app_settings.h"
#include "pipeline/new_alert_filter.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace gm;

namespace {

AlertRow alert(std::uint64_t id, AlertKind kind, Severity severity) {
    AlertRow row;
    row.alert_id = id;
    row.kind = kind;
    row.severity = severity;
    row.subject = "subject " + std::to_string(id);
    row.title = "title " + std::to_string(id);
    row.message = "message " + std::to_string(id);
    return row;
}

std::vector<const AlertRow*> pointers(const std::vector<AlertRow>& rows) {
    std::vector<const AlertRow*> out;
    for (const AlertRow& row : rows) {
        out.push_back(&row);
    }
    return out;
}

} // namespace

class AlertNotificationsTest : public QObject {
    Q_OBJECT
private slots:
    void onlyCriticalAlertsNotify() {
        const std::vector<AlertRow> rows = {alert(1, AlertKind::HighValue, Severity::Critical),
                                            alert(2, AlertKind::HighValue, Severity::High),
                                            alert(3, AlertKind::LowStock, Severity::Medium),
                                            alert(4, AlertKind::LowStock, Severity::Critical)};
        const std::vector<DesktopNotice> notices = desktopNotices(pointers(rows), {});
        QCOMPARE(notices.size(), std::size_t{2});
        QCOMPARE(notices[0].title, QString("title 1"));
        QCOMPARE(notices[0].message, QString("subject 1: message 1"));
        QCOMPARE(notices[1].title, QString("title 4"));
    }

    void mutedKindsNeverNotify() {
        const std::vector<AlertRow> rows = {alert(1, AlertKind::HighValue, Severity::Critical),
                                            alert(2, AlertKind::LowStock, Severity::Critical),
                                            alert(3, AlertKind::Restock, Severity::Critical)};
        const std::vector<DesktopNotice> notices =
            desktopNotices(pointers(rows), {"high_value", "restock"});
        QCOMPARE(notices.size(), std::size_t{1});
        QCOMPARE(notices[0].title, QString("title 2"));
        QStringList every_kind;
        for (const AlertKindChoice& choice : alertKindChoices()) {
            every_kind << choice.name;
        }
        QCOMPARE(every_kind.size(), 6);
        QVERIFY(desktopNotices(pointers(rows), every_kind).empty());
    }

    void aBurstBecomesOneNotice() {
        std::vector<AlertRow> rows;
        for (std::uint64_t id = 1; id <= 7; ++id) {
            rows.push_back(alert(id, AlertKind::SuspiciousPattern, Severity::Critical));
        }
        rows.push_back(alert(8, AlertKind::SuspiciousPattern, Severity::Low));
        const std::vector<DesktopNotice> notices = desktopNotices(pointers(rows), {});
        QCOMPARE(notices.size(), std::size_t{1});
        QCOMPARE(notices[0].title, QString("7 critical alerts"));
        QVERIFY(notices[0].message.startsWith("title 1; title 2; title 3"));
        rows.resize(kMaxDesktopNoticesAtOnce);
        QCOMPARE(desktopNotices(pointers(rows), {}).size(), kMaxDesktopNoticesAtOnce);
    }

    void theFilterPassesEachAlertOnce() {
        NewAlertFilter filter(3);
        std::vector<AlertRow> first = {alert(1, AlertKind::HighValue, Severity::Critical),
                                       alert(2, AlertKind::HighValue, Severity::Critical)};
        QCOMPARE(filter.newAlerts(first).size(), std::size_t{2});
        // Alert 2 again (its occurrences changed), and 3 new.
        std::vector<AlertRow> second = {alert(2, AlertKind::HighValue, Severity::Critical),
                                        alert(3, AlertKind::HighValue, Severity::Critical)};
        const auto fresh = filter.newAlerts(second);
        QCOMPARE(fresh.size(), std::size_t{1});
        QCOMPARE(fresh[0]->alert_id, 3u);
        // It remembers the newest three ids: 1 is forgotten once 4 arrives.
        std::vector<AlertRow> third = {alert(4, AlertKind::HighValue, Severity::Critical),
                                       alert(1, AlertKind::HighValue, Severity::Critical)};
        QCOMPARE(filter.newAlerts(third).size(), std::size_t{2});
        filter.clear();
        QCOMPARE(filter.newAlerts(third).size(), std::size_t{2});
    }

    void settingsAreStoredAndChecked() {
        QTemporaryDir directory;
        QSettings store(directory.filePath("s.ini"), QSettings::IniFormat);
        AppSettings settings;
        settings.webhook_url = "http://127.0.0.1:9000/hook";
        settings.muted_alert_kinds = {"low_stock", "restock"};
        settings.api_keys = {"key-one-0123456789abcdef", "key-two-0123456789abcdef"};
        QVERIFY(!notificationSettingsProblem(settings));
        settings.save(store);
        const AppSettings loaded = AppSettings::load(store);
        QCOMPARE(loaded.webhook_url, settings.webhook_url);
        QCOMPARE(loaded.muted_alert_kinds, settings.muted_alert_kinds);
        QCOMPARE(loaded.api_keys, settings.api_keys);

        AppSettings bad_url = settings;
        bad_url.webhook_url = "hooks.example.com";
        QVERIFY(notificationSettingsProblem(bad_url)->startsWith("Webhook URL: "));
        AppSettings short_key = settings;
        short_key.api_keys << "short";
        const QString problem = *notificationSettingsProblem(short_key);
        QVERIFY2(problem.startsWith("API keys: key 3: ") && !problem.contains("short"),
                 qPrintable(problem)); // names the key by number, never shows it
    }
};

QTEST_GUILESS_MAIN(AlertNotificationsTest)
#include "tst_alert_notifications.moc"
