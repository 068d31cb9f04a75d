// SPDX-License-Identifier: GPL-3.0-or-later
// The alert webhook against loopback receivers (QTcpServer): every new alert posted once, in
// order, as JSON with a Slack-compatible "text"; a failing receiver retried with growing
// backoff until it recovers; a dead one never blocks the caller and every alert is counted
// (sent, failed, dropped by the queue bound, abandoned at stop), also in /metrics; and a real
// run's alerts, each exactly once.
#include "app/http/alert_notice.h"
#include "app/http/api_handler.h"
#include "app/http/webhook_notifier.h"
#include "pipeline/runtime/run_options.h"
#include "pipeline/runtime/runtime.h"
#include "webhook_receiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <mutex>
#include <set>

using namespace gm;
using gm::test::WebhookReceiver;

namespace {

AlertRow alert(std::uint64_t id, Severity severity = Severity::Critical,
               std::uint64_t occurrences = 1) {
    AlertRow row;
    row.alert_id = id;
    row.kind = AlertKind::HighValue;
    row.severity = severity;
    row.subject = "user " + std::to_string(id);
    row.title = "High-value transaction";
    row.message = "$" + std::to_string(5000 + id) + " in one \"order\"";
    row.first_seen = 1'795'591'230'000'000;
    row.last_seen = row.first_seen;
    row.occurrences = occurrences;
    return row;
}

QJsonObject json(const QByteArray& body) {
    return QJsonDocument::fromJson(body).object();
}

// alert_id is a string: 63-bit ids do not survive a JSON number in JavaScript (2^53).
std::uint64_t idOf(const QByteArray& body) {
    const QJsonValue id = json(body).value("alert").toObject().value("alert_id");
    return id.isString() ? id.toString().toULongLong() : 0;
}

WebhookOptions fastOptions(const QString& url) {
    WebhookOptions options;
    options.url = url.toStdString();
    options.first_backoff = std::chrono::milliseconds(40);
    options.max_backoff = std::chrono::milliseconds(1'000);
    options.request_timeout = std::chrono::milliseconds(3'000);
    return options;
}

double sample(const std::string& text, const std::string& line_start) {
    const auto at = text.find("\n" + line_start + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + line_start.size() + 2));
}

} // namespace

class WebhookTest : public QObject {
    Q_OBJECT

private slots:
    void urlsAreValidated() {
        QVERIFY(!webhookUrlProblem("http://127.0.0.1:9000/hook"));
        QVERIFY(!webhookUrlProblem("https://hooks.slack.com/services/T000/B000/XXXX"));
        QVERIFY(webhookUrlProblem("hooks.example.com/x"));
        QVERIFY(webhookUrlProblem("ftp://hooks.example.com/x"));
        QVERIFY(webhookUrlProblem("http:///x"));
        QVERIFY(webhookUrlProblem(""));
    }

    void alertIdsAboveTwoToThe53AreStringsWithEveryDigit() {
        // 2^63 - 25: as a JSON number a JavaScript client (a double) would read ...776.
        const std::uint64_t id = 9'223'372'036'854'775'783ULL;
        const QJsonValue posted = json(QByteArray::fromStdString(alertWebhookJson(alert(id))))
                                      .value("alert")
                                      .toObject()
                                      .value("alert_id");
        QVERIFY(posted.isString());
        QCOMPARE(posted.toString(), QString("9223372036854775783"));
    }

    void eachNewAlertIsPostedOnceInOrder() {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        WebhookNotifier notifier(fastOptions(receiver.url()));
        notifier.start();
        notifier.offer({alert(7), alert(3, Severity::Medium)});
        // Alert 7 again (a new occurrence changes the row, it is not a new alert), and 11.
        notifier.offer({alert(7, Severity::Critical, 2), alert(11, Severity::High)});
        QTRY_COMPARE_WITH_TIMEOUT(receiver.accepted.size(), std::size_t{3}, 10'000);
        QCOMPARE(idOf(receiver.accepted[0]), 7u);
        QCOMPARE(idOf(receiver.accepted[1]), 3u);
        QCOMPARE(idOf(receiver.accepted[2]), 11u);
        QCOMPARE(receiver.last_content_type, QByteArray("application/json"));
        const QJsonObject first = json(receiver.accepted[0]);
        QCOMPARE(first.value("text").toString(),
                 QString("[critical] High-value transaction: $5007 in one \"order\""));
        const QJsonObject fields = first.value("alert").toObject();
        QCOMPARE(fields.value("kind").toString(), QString("high_value"));
        QCOMPARE(fields.value("severity").toString(), QString("critical"));
        QCOMPARE(fields.value("subject").toString(), QString("user 7"));
        QCOMPARE(fields.value("first_seen").toString(), QString("2026-11-25T07:20:30.000000Z"));
        QCOMPARE(fields.value("occurrences").toInt(), 1);
        QCOMPARE(json(receiver.accepted[1]).value("text").toString().left(9), QString("[medium] "));

        QTRY_COMPARE_WITH_TIMEOUT(notifier.figures().sent, 3u, 5'000);
        const WebhookFigures figures = notifier.figures();
        QCOMPARE(figures.offered, 3u);
        QCOMPARE(figures.failed + figures.dropped + figures.retries + figures.queued, 0u);
        QCOMPARE(receiver.requests, 3);
    }

    void aFailingReceiverIsRetriedWithBackoffUntilItRecovers() {
        WebhookReceiver receiver(3); // three 500 answers, then 200
        QVERIFY(receiver.listen());
        WebhookNotifier notifier(fastOptions(receiver.url()));
        notifier.start();
        notifier.offer({alert(1), alert(2)});
        QTRY_COMPARE_WITH_TIMEOUT(receiver.accepted.size(), std::size_t{2}, 15'000);
        // Alert 1 failed three times and then went through; alert 2 after it, first time.
        QCOMPARE(idOf(receiver.accepted[0]), 1u);
        QCOMPARE(idOf(receiver.accepted[1]), 2u);
        QCOMPARE(receiver.requests, 5);
        QTRY_COMPARE_WITH_TIMEOUT(notifier.figures().sent, 2u, 5'000);
        const WebhookFigures figures = notifier.figures();
        QCOMPARE(figures.retries, 3u);
        QCOMPARE(figures.failed, 0u);
        // Exponential backoff: 40, 80, 160 ms at least between the attempts.
        const auto& t = receiver.request_times;
        QVERIFY2(
            t[1] - t[0] >= 40 && t[2] - t[1] >= 80 && t[3] - t[2] >= 160,
            qPrintable(QString("%1 %2 %3").arg(t[1] - t[0]).arg(t[2] - t[1]).arg(t[3] - t[2])));
    }

    void aDeadWebhookCountsEveryAlertAndNeverBlocks() {
        QString dead_url;
        {
            WebhookReceiver closed; // a port nothing listens on any more
            QVERIFY(closed.listen());
            dead_url = closed.url();
        }
        WebhookOptions options = fastOptions(dead_url);
        options.queue_capacity = 3;
        options.max_attempts = 2;
        options.first_backoff = std::chrono::milliseconds(10);
        WebhookNotifier notifier(options);
        notifier.start();
        std::vector<AlertRow> rows;
        for (std::uint64_t id = 1; id <= 10; ++id) {
            rows.push_back(alert(id));
        }
        notifier.offer(rows); // takes a mutex and queues: the network is the worker's business
        QCOMPARE(notifier.figures().offered, 10u);
        QCOMPARE(notifier.figures().dropped, 7u); // the queue holds three
        QTRY_COMPARE_WITH_TIMEOUT(notifier.figures().failed, 3u, 15'000);
        const WebhookFigures figures = notifier.figures();
        QCOMPARE(figures.sent, 0u);
        QCOMPARE(figures.retries, 3u); // one per alert: two attempts each
        QCOMPARE(figures.queued, 0u);
        QCOMPARE(figures.sent + figures.failed + figures.dropped + figures.abandoned, 10u);

        // The counts in /metrics.
        RunSlot slot;
        ApiHandler handler(slot, {}, &notifier);
        const std::string metrics = handler.handle({"GET", "/metrics", {}, {}, {}}).body;
        QCOMPARE(sample(metrics, "globalmart_webhook_alerts_total{outcome=\"failed\"}"), 3.0);
        QCOMPARE(sample(metrics, "globalmart_webhook_alerts_total{outcome=\"dropped\"}"), 7.0);
        QCOMPARE(sample(metrics, "globalmart_webhook_alerts_total{outcome=\"sent\"}"), 0.0);
        QCOMPARE(sample(metrics, "globalmart_webhook_retries_total"), 3.0);
        QCOMPARE(sample(metrics, "globalmart_webhook_queued_alerts"), 0.0);
    }

    void alertsStillQueuedAtStopAreCountedAbandoned() {
        WebhookReceiver receiver(1'000); // fails every time
        QVERIFY(receiver.listen());
        WebhookOptions options = fastOptions(receiver.url());
        options.first_backoff = std::chrono::milliseconds(60'000);
        WebhookNotifier notifier(options);
        notifier.start();
        notifier.offer({alert(1), alert(2), alert(3)});
        QTRY_COMPARE_WITH_TIMEOUT(notifier.figures().retries, 1u, 10'000);
        notifier.stop();
        const WebhookFigures figures = notifier.figures();
        QCOMPARE(figures.abandoned, 3u);
        QCOMPARE(figures.queued, 0u);
        QCOMPARE(figures.sent + figures.failed + figures.dropped, 0u);
    }

    void aRunPostsEveryAlertItRaisesOnce() {
        WebhookReceiver receiver;
        QVERIFY(receiver.listen());
        WebhookNotifier notifier(fastOptions(receiver.url()));
        notifier.start();
        std::mutex mutex;
        std::set<std::uint64_t> emitted; // alert ids of every alert row the run emitted

        RuntimeOptions options;
        options.persist = false;
        options.catalog.users = 2'000;
        options.catalog.products = 150;
        options.generator.rate = 20'000;
        options.generator.acceleration = 600;
        options.generator.max_speed = true;
        options.generator.event_limit = 40'000;
        options.simulator.anomaly_rate = 0.2;
        options.start_time = 1'795'591'230'000'000;
        options.catalog.reference_time = options.start_time;
        options.pipeline.workers = 1;
        options.row_observer = [&](const RowBatch& rows) {
            {
                std::lock_guard lock(mutex);
                for (const AlertRow& row : rows.alerts) {
                    emitted.insert(row.alert_id);
                }
            }
            notifier.offer(rows.alerts);
        };
        Runtime run(options);
        QVERIFY(!run.prepare());
        run.start();
        QTRY_VERIFY_WITH_TIMEOUT(run.finished(), 120'000);
        run.stop();
        const std::uint64_t raised = run.pipeline().counters().figures().alerts_raised;
        QVERIFY(raised > 5);
        QCOMPARE(emitted.size(), raised);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.accepted.size(), emitted.size(), 60'000);
        std::set<std::uint64_t> posted;
        for (const QByteArray& body : receiver.accepted) {
            QVERIFY(posted.insert(idOf(body)).second); // once each
        }
        QCOMPARE(posted, emitted);
        QTRY_COMPARE_WITH_TIMEOUT(notifier.figures().sent, raised, 5'000);
        QCOMPARE(notifier.figures().offered, raised);
    }
};

QTEST_GUILESS_MAIN(WebhookTest)
#include "tst_webhook.moc"
