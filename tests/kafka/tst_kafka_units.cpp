// SPDX-License-Identifier: GPL-3.0-or-later
// The Kafka pieces that need no broker: option parsing, which offsets may be committed, the
// dedup horizon and the dead-letter queue's bounds.
#include "pipeline/kafka/dead_letters.h"
#include "pipeline/kafka/dedup_horizon.h"
#include "pipeline/kafka/kafka_conf.h"
#include "pipeline/kafka/offset_tracker.h"

#include <QTest>

using namespace gm;

class TestKafkaUnits : public QObject {
    Q_OBJECT

private slots:
    void optionsApply() {
        KafkaSettings s;
        QVERIFY(!applyKafkaOption(s, "source", "kafka"));
        QVERIFY(s.consume);
        QVERIFY(!applyKafkaOption(s, "brokers", "127.0.0.1:9092"));
        QVERIFY(!applyKafkaOption(s, "X", "security.protocol=plaintext"));
        QVERIFY(!applyKafkaOption(s, "X", "client.id=a=b"));
        QCOMPARE(s.properties.size(), std::size_t{2});
        QCOMPARE(s.properties[1].second, std::string("a=b"));
        QVERIFY(!applyKafkaOption(s, "topics", "original"));
        QCOMPARE(s.topics.transactions, std::string("transactions-topic"));
        QCOMPARE(s.topics.kindOf("cart-events-topic"), std::optional(EventKind::Cart));
        QVERIFY(!applyKafkaOption(s, "topics", "t,c,v"));
        QCOMPARE(s.topics.product_views, std::string("v"));
        QCOMPARE(s.topics.alerts, std::string("alerts-topic")); // untouched without a 4th name
        QVERIFY(!applyKafkaOption(s, "compression", "zstd"));
        QVERIFY(!applyKafkaOption(s, "publish", ""));
        QVERIFY(s.publish);
        QVERIFY(!validateKafkaSettings(s));
    }

    void optionErrorsNameTheOption_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("source") << "source"
                                << "file"
                                << "--source:";
        QTest::newRow("X no equals") << "X"
                                     << "linger.ms"
                                     << "-X:";
        QTest::newRow("X unknown key") << "X"
                                       << "no.such.property=1"
                                       << "no.such.property";
        QTest::newRow("X bad value") << "X"
                                     << "linger.ms=soon"
                                     << "linger.ms";
        QTest::newRow("topics") << "topics"
                                << "a,b"
                                << "--topics:";
        QTest::newRow("compression") << "compression"
                                     << "brotli"
                                     << "--compression:";
        QTest::newRow("linger") << "linger-ms"
                                << "-1"
                                << "--linger-ms:";
        QTest::newRow("partitions") << "topic-partitions"
                                    << "0"
                                    << "--topic-partitions:";
        QTest::newRow("unknown") << "kafka-magic"
                                 << "1"
                                 << "kafka-magic";
    }
    void optionErrorsNameTheOption() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        KafkaSettings s;
        const auto error = applyKafkaOption(s, key.toStdString(), value.toStdString());
        QVERIFY(error);
        QVERIFY2(error->find(expected.toStdString()) != std::string::npos, error->c_str());
        QVERIFY(error->find('\n') == std::string::npos);
    }

    void sourceNeedsABroker() {
        KafkaSettings s;
        s.consume = true;
        QVERIFY(validateKafkaSettings(s));
        s.embedded = true;
        QVERIFY(!validateKafkaSettings(s));
        s.embedded = false;
        s.properties.emplace_back("bootstrap.servers", "host:1");
        QVERIFY(!validateKafkaSettings(s));
    }

    void exactGroupNeedsAKafkaSource() {
        KafkaSettings s;
        s.embedded = true;
        QVERIFY(!applyKafkaOption(s, "exact-group", ""));
        QVERIFY(s.exact_group);
        const auto error = validateKafkaSettings(s);
        QVERIFY(error && error->find("--exact-group") != std::string::npos);
        QVERIFY(!applyKafkaOption(s, "source", "kafka"));
        QVERIFY(!validateKafkaSettings(s));
    }

    void confFailsOnBadPassthrough() {
        KafkaSettings s;
        s.properties.emplace_back("fetch.wait.max.ms", "never");
        std::string error;
        QVERIFY(!makeKafkaConf(s, KafkaRole::Consumer, error));
        QVERIFY2(error.find("fetch.wait.max.ms") != std::string::npos, error.c_str());
    }

    void trackerReleasesInOrder() {
        OffsetTracker tracker;
        const TopicPartition a{"transactions", 0};
        const TopicPartition b{"cart-events", 3};
        tracker.record(0, 10, {{a, {100, 109}}, {b, {5, 7}}});
        tracker.record(10, 10, {{a, {110, 111}}}); // only dead letters / duplicates
        tracker.record(10, 25, {{a, {112, 130}}});
        QVERIFY(tracker.release(5).empty()); // the first batch is not wholly durable yet
        auto first = tracker.release(10);
        QCOMPARE(first.size(), std::size_t{2});
        QCOMPARE(first[a], std::int64_t{112}); // the empty stretch went with it
        QCOMPARE(first[b], std::int64_t{8});
        QCOMPARE(tracker.heldRanges(), std::size_t{1});
        QVERIFY(tracker.release(24).empty());
        auto second = tracker.release(25);
        QCOMPARE(second.size(), std::size_t{1});
        QCOMPARE(second[a], std::int64_t{131});
        QVERIFY(tracker.release(1000).empty()); // nothing moved: nothing to commit
    }

    void trackerHoldsOnlyPartitionsWithOpenEvents() {
        // A backlog read: one batch holds partition a's events far ahead of partition b's.
        OffsetTracker tracker;
        const TopicPartition a{"t", 0};
        const TopicPartition b{"t", 1};
        tracker.record(0, 10, {{a, {0, 4, 5'000}}, {b, {0, 4, 100}}});
        tracker.record(10, 20, {{a, {5, 9, 6'000}}, {b, {5, 9, 200}}});
        // Everything processed; windows from event time 1,000 on still open.
        auto released = tracker.release(20, 1'000);
        QCOMPARE(released.size(), std::size_t{1});
        QCOMPARE(released[b], std::int64_t{10}); // b is done; a is still in open windows
        QVERIFY(tracker.release(20, 5'500).contains(a));
        QCOMPARE(tracker.released()[a], std::int64_t{5}); // a's second range is still open
        QCOMPARE(tracker.release(20).at(a), std::int64_t{10});
    }

    void trackerForgetsRevokedPartitions() {
        OffsetTracker tracker;
        const TopicPartition a{"t", 0};
        const TopicPartition b{"t", 1};
        tracker.record(0, 4, {{a, {0, 1}}, {b, {0, 1}}});
        tracker.forget(b);
        const auto released = tracker.release(4);
        QCOMPARE(released.size(), std::size_t{1});
        QVERIFY(released.contains(a));
    }

    void dedupForgetsTheOldest() {
        DedupHorizon horizon(4); // remembers the last 2 to 4 ids
        const auto id = [](std::uint64_t n) { return Uuid{n, n * 7}; };
        QVERIFY(horizon.insert(id(1)));
        QVERIFY(horizon.insert(id(2)));
        QVERIFY(!horizon.insert(id(1)));
        QVERIFY(horizon.insert(id(3)));
        QVERIFY(horizon.insert(id(4)));
        QVERIFY(!horizon.insert(id(2))); // still within the horizon
        QVERIFY(horizon.insert(id(5)));  // the generation of 1 and 2 is forgotten
        QVERIFY(horizon.size() <= horizon.capacity());
        QVERIFY(horizon.insert(id(1)));
        QVERIFY(!horizon.insert(id(4)));
        QVERIFY(!horizon.insert(id(5)));
        QVERIFY(horizon.insert(Uuid{}));
        QVERIFY(!horizon.insert(Uuid{}));
    }

    void dedupHoldsManyIds() {
        DedupHorizon horizon(100'000);
        for (std::uint64_t n = 1; n <= 50'000; ++n) {
            QVERIFY(horizon.insert(Uuid{n * 0x9E3779B97F4A7C15ULL, n}));
        }
        for (std::uint64_t n = 1; n <= 50'000; ++n) {
            QVERIFY(!horizon.insert(Uuid{n * 0x9E3779B97F4A7C15ULL, n}));
        }
    }

    // The Kafka source prefetches each id's slots before inserting it; at the default size the
    // tables are on huge-page-aligned memory. Neither may change what is remembered, across
    // generation swaps included.
    void dedupPrefetchChangesNothing() {
        DedupHorizon horizon(KafkaSettings{}.dedup_horizon);
        const auto id = [](std::uint64_t n) { return Uuid{n * 0x9E3779B97F4A7C15ULL, ~n}; };
        const std::uint64_t generation = horizon.capacity() / 2;
        horizon.prefetch(id(1)); // before the tables exist
        for (std::uint64_t n = 1; n <= 2 * generation; ++n) {
            horizon.prefetch(id(n));
            QVERIFY(horizon.insert(id(n)));
            if (n % 1000 == 0) {
                horizon.prefetch(id(n - 500));
                QVERIFY(!horizon.insert(id(n - 500)));
            }
        }
        // The first generation was forgotten when the third began; the second is remembered.
        horizon.prefetch(id(2 * generation + 1));
        QVERIFY(horizon.insert(id(2 * generation + 1)));
        QVERIFY(horizon.insert(id(1)));
        QVERIFY(!horizon.insert(id(generation + 1)));
        QVERIFY(horizon.size() <= horizon.capacity());
    }

    void deadLettersAreBounded() {
        DeadLetterQueue queue(2, 8);
        for (int i = 0; i < 3; ++i) {
            DeadLetter letter;
            letter.reason = i == 0 ? RejectReason::EmptyPayload : RejectReason::MalformedJson;
            letter.payload = "0123456789abcdef";
            queue.push(std::move(letter));
        }
        QCOMPARE(queue.total(), std::uint64_t{3});
        QCOMPARE(queue.dropped(), std::uint64_t{1});
        QCOMPARE(queue.count(RejectReason::MalformedJson), std::uint64_t{2});
        const auto letters = queue.take();
        QCOMPARE(letters.size(), std::size_t{2});
        QCOMPARE(letters[0].payload, std::string("01234567"));
        QCOMPARE(letters[0].payload_bytes, std::size_t{16});
    }
};

QTEST_GUILESS_MAIN(TestKafkaUnits)
#include "tst_kafka_units.moc"
