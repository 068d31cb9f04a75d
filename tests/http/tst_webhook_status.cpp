// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook's counts outside /metrics: the window's System page shows what became of the
// alerts so far (fed by the real notifier startWebhook() wires to the run's options), and the
// exit path's summary counts what was still queued as unsent.
#include "app/http/http_launch.h"
#include "ui/system_page.h"
#include "webhook_receiver.h"

#include <QTest>

using namespace gm;
using gm::test::WebhookReceiver;

namespace {

AlertRow alert(std::uint64_t id) {
    AlertRow row;
    row.alert_id = id;
    row.kind = AlertKind::HighValue;
    row.severity = Severity::Critical;
    row.subject = "user " + std::to_string(id);
    row.title = "High-value transaction";
    row.message = "$" + std::to_string(5000 + id);
    row.first_seen = 1'795'591'230'000'000;
    row.last_seen = row.first_seen;
    row.occurrences = 1;
    return row;
}

QString storageShown(SystemPage& page, const RunOptions& options) {
    const SnapshotHistory history;
    PageContext context{history,
                        nullptr,
                        std::nullopt,
                        nullptr,
                        RunState::Running,
                        PipelineConfig{},
                        options,
                        {0, 0},
                        0,
                        0,
                        0,
                        true,
                        {}};
    page.showData(context);
    return page.storageText();
}

} // namespace

class WebhookStatusTest : public QObject {
    Q_OBJECT

private slots:
    void systemPageShowsTheCountsAndExitCountsTheUnsent() {
        WebhookReceiver receiver(1); // one 500 answer, then 200s
        QVERIFY(receiver.listen());
        RunOptions options;
        SystemPage page;
        page.resize(1024, 700);
        QVERIFY(!storageShown(page, options).contains("webhook")); // no webhook, no line

        options.webhook_url = receiver.url().toStdString();
        const std::unique_ptr<WebhookNotifier> webhook = startWebhook(options);
        QVERIFY(webhook != nullptr);
        QVERIFY(options.webhook_status);
        RowBatch rows;
        rows.alerts = {alert(1), alert(2), alert(3)};
        options.row_observer(rows); // as the pipeline thread does
        QTRY_COMPARE_WITH_TIMEOUT(receiver.accepted.size(), std::size_t{3}, 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(webhook->figures().sent, std::uint64_t{3}, 5'000);
        const QString shown = storageShown(page, options);
        QVERIFY2(shown.contains("Alert webhook:</b> 3 sent, 0 failed, 1 retries, 0 dropped "
                                "(queue full), 0 queued, 0 abandoned"),
                 qPrintable(shown));

        // The receiver goes away: two new alerts wait in the queue when the program exits.
        receiver.close();
        rows.alerts = {alert(4), alert(5)};
        options.row_observer(rows);
        QTRY_COMPARE_WITH_TIMEOUT(webhook->figures().queued, std::uint64_t{2}, 5'000);
        QVERIFY(storageShown(page, options).contains(", 2 queued, 0 abandoned"));
        const std::string summary = finishWebhook(*webhook, std::chrono::milliseconds(200));
        QVERIFY2(summary.starts_with("webhook: 3 alerts sent, 0 failed, ") &&
                     summary.ends_with(" 0 dropped (queue full), 2 unsent at stop"),
                 summary.c_str());
        QCOMPARE(webhook->figures().abandoned, std::uint64_t{2});
        QVERIFY(storageShown(page, options).contains(", 0 queued, 2 abandoned"));
    }
};

QTEST_MAIN(WebhookStatusTest)
#include "tst_webhook_status.moc"
