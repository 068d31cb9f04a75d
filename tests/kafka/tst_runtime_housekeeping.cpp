// SPDX-License-Identifier: GPL-3.0-or-later
// The runtime commits a Kafka consumer's offsets on its own: nobody calls anything on it while
// it runs (as in the window, whose thread must not do this work), yet once windows close their
// events' offsets reach the broker, and a new member of the group resumes after them. And a
// consumer that has read everything closes the windows up to its newest event by itself.
#include "kafka_test_support.h"
#include "pipeline/batch_checks.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/runtime/runtime.h"

#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kEvents = 40'000;

} // namespace

class TestRuntimeHousekeeping : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    TimestampUs newest_ = 0; // the newest event time published

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 4, .topics = test::eventTopics()});
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, test::encoder(), settings.topics);
        // 10 events per simulated second: ~67 simulated minutes, so windows and the first
        // 30-minute cart sessions close while the rest stay open.
        SimulatorConfig config;
        config.seed = 11;
        ShopSimulator simulator(test::catalog(), config, test::kStart);
        simulator.setShopRate(10);
        EventBatch events;
        simulator.generate(kEvents, events);
        newest_ = maxEventTime(events, kNoWatermark);
        QVERIFY(publisher.publish(events));
        QVERIFY(producer.flush(60s));
    }

    void offsetsAreCommittedWithoutTheCallerPolling() {
        RuntimeOptions options;
        options.catalog = test::catalog().config();
        options.start_time = test::kStart;
        options.persist = false;
        options.kafka = test::settingsFor(*kafka_, "housekeeping");
        options.kafka.consume = true;
        {
            Runtime runtime(options);
            QCOMPARE(runtime.prepare(), std::optional<std::string>());
            runtime.start();
            QVERIFY(test::waitUntil(
                [&] { return runtime.pipeline().counters().figures().events >= kEvents; }, 60s));
            // Caught up and quiet, the watermark reaches the newest event (less the lateness)
            // without another message: the last windows close while the run goes on, not only
            // at Stop.
            const TimestampUs lateness = PipelineConfig{}.latenessOf(JobId::Sales);
            QVERIFY(test::waitUntil(
                [&] {
                    return runtime.pipeline().counters().figures().jobs[0].watermark ==
                           newest_ - lateness;
                },
                10s));
            // Events older than every open window and session are committed (the broker's answer
            // comes back through the consumer's own poll); those of the open ones are not.
            QVERIFY(test::waitUntil([&] { return runtime.services().kafka_in->commits > 0; }, 10s));
            // Per partition, as the System page shows it (refreshed twice a second).
            std::int64_t committed = 0;
            std::int64_t read = 0;
            QVERIFY(test::waitUntil(
                [&] {
                    committed = 0;
                    read = 0;
                    for (const PartitionLag& partition : runtime.services().kafka_lag) {
                        committed += std::max<std::int64_t>(partition.committed, 0);
                        read += partition.position;
                    }
                    return committed > 0;
                },
                5s));
            QVERIFY(committed < read);
            runtime.stop();
        }

        // A new member of the group starts after what was committed, not from the beginning.
        KafkaEventSource again(options.kafka, test::catalog());
        again.start();
        // Read until it has caught up with every partition. Joining takes the mock broker's
        // rebalance delay after a leave (session.timeout.ms - 1 s = 9 s here), and a join that
        // misses its round waits for the next ones: once, under CI load, 30 s were not enough,
        // so allow what tst_offsets allows for the same hand-over.
        const auto caught_up = [&](const EventBatch& so_far) {
            const std::vector<PartitionLag> partitions = again.lag();
            return !so_far.empty() && !partitions.empty() &&
                   std::all_of(partitions.begin(), partitions.end(), [](const PartitionLag& p) {
                       return p.high_watermark >= 0 && p.lag == 0;
                   });
        };
        const EventBatch replayed = test::collect(again, caught_up, 90s);
        again.close();
        QVERIFY2(replayed.size() > 0, "the new member read nothing: was it assigned partitions?");
        QVERIFY2(replayed.size() < kEvents, qPrintable(QString::number(replayed.size())));
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestRuntimeHousekeeping)
#include "tst_runtime_housekeeping.moc"
