// SPDX-License-Identifier: GPL-3.0-or-later
// The broker goes away in the middle of a stream and comes back: producer and consumer keep
// running, reconnect by themselves, and every event arrives exactly once.
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"

#include <QTest>
#include <atomic>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

class TestBrokerOutage : public QObject {
    Q_OBJECT

private slots:
    void brokerLossAndReturn() {
        EmbeddedKafka kafka(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 8, .topics = test::eventTopics()});
        const EventBatch generated = test::generate(20'000, 31);
        KafkaSettings settings = test::settingsFor(kafka, "outage");
        settings.properties.emplace_back("log_level", "2"); // connection-refused noise

        KafkaEventSource source(settings, test::catalog());
        source.start();
        QVERIFY(test::waitUntil([&] { return source.status().assigned_partitions == 24; }, 45s));

        KafkaProducer producer(settings);
        EventPublisher publisher(producer, test::encoder(), settings.topics);
        std::atomic<bool> published{false};
        // Publish in slices while the broker goes down and up.
        std::thread writer([&] {
            const std::size_t slices = 40;
            for (std::size_t i = 0; i < slices; ++i) {
                EventBatch slice;
                const auto cut = [&](const auto& all, auto& into) {
                    const std::size_t from = all.size() * i / slices;
                    const std::size_t to = all.size() * (i + 1) / slices;
                    into.assign(all.begin() + static_cast<std::ptrdiff_t>(from),
                                all.begin() + static_cast<std::ptrdiff_t>(to));
                };
                cut(generated.views, slice.views);
                cut(generated.carts, slice.carts);
                cut(generated.transactions, slice.transactions);
                publisher.publish(slice);
                std::this_thread::sleep_for(100ms);
            }
            published = true;
        });

        EventBatch consumed = test::collect(source, test::atLeast(generated.size() / 4), 60s);
        kafka.setBrokerDown(-1);
        test::append(consumed, test::collect(
                                   source, [](const EventBatch&) { return false; }, 3s));
        kafka.setBrokerUp(-1);
        test::append(consumed, test::collect(
                                   source,
                                   [&](const EventBatch& more) {
                                       return consumed.size() + more.size() >= generated.size();
                                   },
                                   45s));
        writer.join();
        QVERIFY(published);
        QVERIFY(producer.flush(60s));
        const DeliveryStatus delivery = producer.status();
        QCOMPARE(delivery.failed, std::uint64_t{0});
        QCOMPARE(delivery.delivered, std::uint64_t{generated.size()});

        // Stragglers would be duplicates: give them a moment to show up.
        test::append(consumed, test::collect(source, test::atLeast(1), 1s));
        QCOMPARE(consumed.size(), generated.size());
        QVERIFY(test::sameEvents(consumed, generated));
        qInfo("consumer errors during the outage: %llu, last: %s",
              static_cast<unsigned long long>(source.status().consumer_errors),
              source.status().last_error.c_str());
        source.stop();
    }
};

QTEST_GUILESS_MAIN(TestBrokerOutage)
#include "tst_broker_outage.moc"
