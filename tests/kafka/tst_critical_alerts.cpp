// SPDX-License-Identifier: GPL-3.0-or-later
// Critical alerts reach the alerts topic: a generated stream with anomalies runs through a stream
// engine whose rows go to a memory sink and to the CriticalAlertSink (a real producer on the
// embedded broker). kcat, an independent client, then reads the alerts topic: every critical
// alert the pipeline raised is there exactly once, as JSON with the documented fields, keyed by
// its subject; nothing below critical is.
#include "kafka_test_support.h"
#include "pipeline/kafka/critical_alert_sink.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/memory_sink.h"
#include "pipeline/product_table.h"
#include "pipeline/row_sink.h"
#include "pipeline/stream_engine.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <map>
#include <set>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kEvents = 60'000;
constexpr std::size_t kSliceEvents = 4'096;

} // namespace

class TestCriticalAlerts : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 4, .topics = test::eventTopics()});
    }

    void everyCriticalAlertIsPublishedOnce() {
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        KafkaProducer producer(settings);
        AlertPublisher alerts(producer, settings.topics.alerts);
        CriticalAlertSink alert_sink(alerts);
        MemorySink memory;
        FanOutSink sinks;
        sinks.add(memory);
        sinks.add(alert_sink);

        SimulatorConfig simulator_config;
        simulator_config.seed = 99;
        simulator_config.anomaly_rate = 0.2; // plenty of high-value and high-quantity orders
        ShopSimulator simulator(test::catalog(), simulator_config, test::kStart);
        simulator.setShopRate(40);
        StreamEngine engine(
            PipelineConfig{},
            std::make_shared<const ProductTable>(productTableFrom(test::catalog())),
            [] { return test::kStart; }, sinks);
        for (std::size_t done = 0; done < kEvents;) {
            EventBatch slice;
            slice.first_sequence = done;
            simulator.generate(std::min(kSliceEvents, kEvents - done), slice);
            done += slice.size();
            engine.process(std::move(slice));
        }
        engine.flush();
        QVERIFY(producer.flush(60s));
        QCOMPARE(producer.status().failed, std::uint64_t{0});

        // What the pipeline raised as critical: the last version of each alert, by id.
        std::map<std::uint64_t, AlertRow> critical;
        std::size_t below_critical = 0;
        for (const AlertRow& alert : memory.rows().alerts) {
            if (alert.severity == Severity::Critical) {
                critical.try_emplace(alert.alert_id, alert);
            } else {
                ++below_critical;
            }
        }
        QVERIFY2(critical.size() >= 20, qPrintable(QString::number(critical.size())));
        QVERIFY(below_critical > 0); // the filter is exercised
        QCOMPARE(alert_sink.published(), std::uint64_t{critical.size()});

        const test::KcatResult read =
            test::runKcat({"-C", "-b", QString::fromStdString(kafka_->bootstrapServers()), "-t",
                           QString::fromStdString(settings.topics.alerts), "-o", "beginning", "-e",
                           "-q", "-f", "%k\t%s\n"});
        QVERIFY2(read.exit_code == 0, read.err.constData());
        std::set<std::uint64_t> seen;
        for (const QByteArray& line : read.out.split('\n')) {
            if (line.isEmpty()) {
                continue;
            }
            const qsizetype tab = line.indexOf('\t');
            QVERIFY2(tab > 0, line.constData());
            const QByteArray key = line.left(tab);
            QJsonParseError error{};
            const QJsonObject json = QJsonDocument::fromJson(line.mid(tab + 1), &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            const auto id = static_cast<std::uint64_t>(json["alert_id"].toInteger());
            QVERIFY2(seen.insert(id).second, "published twice");
            const auto found = critical.find(id);
            QVERIFY2(found != critical.end(), line.constData());
            const AlertRow& alert = found->second;
            QCOMPARE(json["severity"].toString(), QStringLiteral("critical"));
            QCOMPARE(json["kind"].toString(), QString::fromLatin1(alertKindName(alert.kind)));
            QCOMPARE(json["subject"].toString().toStdString(), alert.subject);
            QCOMPARE(key.toStdString(), alert.subject);
            QCOMPARE(json["first_seen"].toString().toStdString(),
                     formatIsoTimestamp(alert.first_seen));
            QVERIFY(!json["title"].toString().isEmpty());
            QVERIFY(!json["message"].toString().isEmpty());
            QVERIFY(json["occurrences"].toInteger() >= 1);
            QVERIFY(json["last_seen"].toString().endsWith('Z'));
        }
        QCOMPARE(seen.size(), critical.size());
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestCriticalAlerts)
#include "tst_critical_alerts.moc"
