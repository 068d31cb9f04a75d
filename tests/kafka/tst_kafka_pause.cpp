// SPDX-License-Identifier: GPL-3.0-or-later
// The window's Pause with a Kafka source: the consumer's partitions are paused, so nothing is
// read while held although messages keep arriving; Resume reads on from the next unread offset,
// with nothing skipped and nothing read twice. Through Runtime as the window drives it, too.
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/runtime/runtime.h"

#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

class TestKafkaPause : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_; // a fresh one per test: topics hold only its events

    void publish(const KafkaSettings& settings, const EventBatch& events) {
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, test::encoder(), settings.topics);
        QVERIFY(publisher.publish(events));
        QVERIFY(producer.flush(60s));
        QCOMPARE(producer.status().delivered, std::uint64_t{events.size()});
    }

private slots:
    void init() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 8, .topics = test::eventTopics()});
        QVERIFY(!kafka_->bootstrapServers().empty());
    }

    void heldSourceReadsNothingUntilReleased() {
        const KafkaSettings settings = test::settingsFor(*kafka_, "pause-source");
        const EventBatch before = test::generate(4'000, 21);
        const EventBatch during = test::generate(4'000, 22); // other seed: other ids
        publish(settings, before);

        KafkaEventSource source(settings, test::catalog());
        source.start();
        const EventBatch first = test::collect(source, test::atLeast(before.size()), 90s);
        QCOMPARE(first.size(), before.size());

        source.hold(true);
        QVERIFY(source.held());
        QVERIFY(source.status().held);
        std::this_thread::sleep_for(300ms); // the consumer thread applies it within ~20 ms
        const std::uint64_t messages_at_pause = source.status().messages;
        publish(settings, during);
        // Three seconds with messages waiting: nothing is read, nothing handed out.
        const EventBatch while_held = test::collect(source, test::atLeast(1), 3s);
        QCOMPARE(while_held.size(), std::size_t{0});
        QCOMPARE(source.status().messages, messages_at_pause);

        source.hold(false);
        const EventBatch after = test::collect(source, test::atLeast(during.size()), 60s);
        QCOMPARE(after.size(), during.size());
        QVERIFY(test::sameEvents(after, during));
        // Nothing more comes: no message was read twice.
        QCOMPARE(test::collect(source, test::atLeast(1), 1s).size(), std::size_t{0});
        source.close();
    }

    void runtimePauseHoldsTheConsumerAndTheClock() {
        RuntimeOptions options;
        options.catalog = test::catalog().config();
        options.start_time = test::kStart;
        options.persist = false;
        options.kafka = test::settingsFor(*kafka_, "pause-runtime");
        options.kafka.consume = true;
        const EventBatch before = test::generate(3'000, 31);
        const EventBatch during = test::generate(3'000, 32);
        publish(options.kafka, before);

        Runtime runtime(options);
        QCOMPARE(runtime.prepare(), std::optional<std::string>());
        runtime.start();
        const auto processed = [&] { return runtime.pipeline().counters().figures().events; };
        QVERIFY(test::waitUntil([&] { return processed() >= before.size(); }, 90s));

        runtime.pause();
        QVERIFY(runtime.paused());
        QVERIFY(runtime.services().kafka_in->held);
        QVERIFY(runtime.clock().paused());
        const TimestampUs clock_at_pause = runtime.clock().now();
        std::this_thread::sleep_for(300ms);
        publish(options.kafka, during);
        std::this_thread::sleep_for(3s);
        QCOMPARE(processed(), std::uint64_t{before.size()});
        QCOMPARE(runtime.clock().now(), clock_at_pause);

        runtime.resume();
        QVERIFY(!runtime.paused());
        QVERIFY(!runtime.services().kafka_in->held);
        QVERIFY(test::waitUntil([&] { return processed() >= before.size() + during.size(); }, 60s));
        QCOMPARE(processed(), std::uint64_t{before.size() + during.size()});
        runtime.stop();
    }

    void cleanup() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestKafkaPause)
#include "tst_kafka_pause.moc"
