// SPDX-License-Identifier: GPL-3.0-or-later
// Generated events published to the embedded broker come back from the consumer source as the
// same events (as multisets per stream: partitions interleave users), with contiguous stream
// sequences, every delivery acknowledged, duplicates dropped and lag readable.
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"

#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

class TestRoundTrip : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 32, .topics = test::eventTopics()});
        QVERIFY(!kafka_->bootstrapServers().empty());
    }

    void publishedEventsComeBackUnchanged() {
        const EventBatch generated = test::generate(30'000, 11);
        KafkaSettings settings = test::settingsFor(*kafka_, "round-trip");
        {
            KafkaProducer producer(settings);
            EventPublisher publisher(producer, test::encoder(), settings.topics);
            QVERIFY(publisher.publish(generated));
            QVERIFY(producer.flush(60s));
            const DeliveryStatus delivery = producer.status();
            QCOMPARE(delivery.queued, std::uint64_t{generated.size()});
            QCOMPARE(delivery.delivered, std::uint64_t{generated.size()});
            QCOMPARE(delivery.failed, std::uint64_t{0});
            QCOMPARE(delivery.in_flight, std::uint64_t{0});
            QVERIFY(delivery.last_error.empty());
        }

        KafkaEventSource source(settings, test::catalog());
        source.start();
        std::uint64_t expected_sequence = 0;
        bool contiguous = true;
        const EventBatch consumed = test::collect(
            source, test::atLeast(generated.size()), 90s, [&](const EventBatch& batch) {
                contiguous = contiguous && batch.first_sequence == expected_sequence;
                expected_sequence = batch.first_sequence + batch.size();
            });
        QCOMPARE(consumed.size(), generated.size());
        QVERIFY(contiguous);
        QCOMPARE(consumed.transactions.size(), generated.transactions.size());
        QCOMPARE(consumed.carts.size(), generated.carts.size());
        QCOMPARE(consumed.views.size(), generated.views.size());
        QVERIFY(test::sameEvents(consumed, generated));

        // One user's events keep their order within a stream (same key, same partition).
        const auto userOrder = [](const std::vector<CartEvent>& events, UserId user) {
            std::vector<Uuid> ids;
            for (const auto& e : events) {
                if (e.user == user) {
                    ids.push_back(e.event_id);
                }
            }
            return ids;
        };
        for (UserId user = 0; user < 50; ++user) {
            QCOMPARE(userOrder(consumed.carts, user), userOrder(generated.carts, user));
        }

        const KafkaSourceStatus status = source.status();
        QCOMPARE(status.messages, std::uint64_t{generated.size()});
        QCOMPARE(status.accepted, std::uint64_t{generated.size()});
        QCOMPARE(status.dead_letters, std::uint64_t{0});
        QCOMPARE(status.duplicates, std::uint64_t{0});
        QCOMPARE(status.assigned_partitions, std::size_t{96});

        // Lag is readable from this thread and drains to zero once everything is read.
        QVERIFY(test::waitUntil(
            [&] {
                const auto lag = source.lag();
                if (lag.size() != 96) {
                    return false;
                }
                std::int64_t total = 0;
                for (const auto& p : lag) {
                    total += p.lag;
                }
                return total == 0;
            },
            30s)); // lag figures are refreshed from the broker in the background: slow under load

        // The same events published again (a producer replaying its output) are dropped.
        {
            KafkaProducer producer(settings);
            EventPublisher publisher(producer, test::encoder(), settings.topics);
            EventBatch again;
            again.transactions = generated.transactions;
            again.carts.assign(generated.carts.begin(), generated.carts.begin() + 100);
            QVERIFY(publisher.publish(again));
            QVERIFY(producer.flush(45s));
        }
        const std::uint64_t replayed = generated.transactions.size() + 100;
        QVERIFY(test::waitUntil([&] { return source.status().duplicates == replayed; }, 45s));
        QVERIFY(!source.next(200ms)); // nothing new reached the pipeline
        QCOMPARE(source.status().accepted, std::uint64_t{generated.size()});
        source.stop();
        QVERIFY(source.finished());
    }

    void refusedMessagesAreCountedWithTheirError() {
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        settings.properties.emplace_back("message.max.bytes", "2000");
        KafkaProducer producer(settings);
        QVERIFY(!producer.produce("alerts", "k", std::string(5'000, 'x')));
        QVERIFY(producer.produce("alerts", "k", "{}"));
        QVERIFY(producer.flush(45s));
        const DeliveryStatus status = producer.status();
        QCOMPARE(status.failed, std::uint64_t{1});
        QCOMPARE(status.delivered, std::uint64_t{1});
        QVERIFY2(status.last_error.find("alerts") != std::string::npos, status.last_error.c_str());
        QVERIFY(status.last_error.find('\n') == std::string::npos);
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestRoundTrip)
#include "tst_round_trip.moc"
