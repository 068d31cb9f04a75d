// SPDX-License-Identifier: GPL-3.0-or-later
// Scale-out (issue 18, docs/scale-out.md step 2): a member taking a partition over starts where
// the group's store says (KafkaEventSource::setStartOffsetLookup), not where Kafka's committed
// offset is; partitions the store does not know start as before; a store that cannot answer
// stops the source instead of letting it read from the wrong place.
#include "kafka_test_support.h"

#include <QTest>
#include <map>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr int kPartitions = 4;
constexpr std::size_t kEvents = 8'000;

// The transaction ids one exact-mode read handed out, per partition, in offset order.
using TransactionsByPartition = std::map<std::int32_t, std::vector<std::string>>;

TransactionsByPartition readTransactions(KafkaEventSource& source, std::size_t expected,
                                         std::chrono::milliseconds timeout = 90s) {
    TransactionsByPartition read;
    std::size_t count = 0;
    test::collect(
        source, [&](const EventBatch&) { return count >= expected; }, timeout,
        [&](const EventBatch& batch) {
            if (!batch.partition || batch.transactions.empty()) {
                return;
            }
            for (const Transaction& t : batch.transactions) {
                read[*batch.partition].push_back(toString(t.transaction_id));
                ++count;
            }
        });
    return read;
}

} // namespace

class TestStartOffsets : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    std::size_t transactions_ = 0;
    TransactionsByPartition everything_;

    KafkaSettings settings(const std::string& group) const {
        KafkaSettings settings = test::settingsFor(*kafka_, group);
        settings.exact_group = true;
        return settings;
    }

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.partitions = kPartitions, .topics = test::eventTopics()});
        const EventBatch generated = test::generate(kEvents, 31);
        transactions_ = generated.transactions.size();
        KafkaSettings publish = test::settingsFor(*kafka_, "unused");
        KafkaProducer producer(publish);
        EventPublisher publisher(producer, test::encoder(), publish.topics);
        QVERIFY(publisher.publish(generated));
        QVERIFY(producer.flush(60s));

        KafkaEventSource source(settings("everything"), test::catalog());
        source.start();
        everything_ = readTransactions(source, transactions_);
        source.stop();
        QCOMPARE(everything_.size(), std::size_t{kPartitions});
        for (const auto& [partition, ids] : everything_) {
            QVERIFY2(ids.size() > 20,
                     qPrintable(QString("partition %1 holds %2 transactions: too few for this test")
                                    .arg(partition)
                                    .arg(ids.size())));
        }
    }

    void aStoredStartOffsetIsWhereThePartitionIsRead() {
        const std::string topic = KafkaTopics{}.transactions;
        // Partition 1 resumes at offset 7, partition 2 at 20; the others are not in the store.
        const std::map<std::int32_t, std::int64_t> stored{{1, 7}, {2, 20}};
        std::size_t expected = 0;
        for (const auto& [partition, ids] : everything_) {
            const auto it = stored.find(partition);
            expected += ids.size() - static_cast<std::size_t>(it == stored.end() ? 0 : it->second);
        }
        KafkaEventSource source(settings("taken-over"), test::catalog());
        source.setStartOffsetLookup([&](const std::string& asked_topic,
                                        std::int32_t partition) -> std::optional<std::int64_t> {
            const auto it = stored.find(partition);
            if (asked_topic != topic || it == stored.end()) {
                return std::nullopt;
            }
            return it->second;
        });
        source.start();
        TransactionsByPartition read = readTransactions(source, expected);
        // Nothing more than that comes (an offset ignored would bring the skipped ones).
        for (auto& [partition, ids] : readTransactions(source, 1, 1500ms)) {
            read[partition].insert(read[partition].end(), ids.begin(), ids.end());
        }
        source.stop();
        for (const auto& [partition, ids] : everything_) {
            const auto it = stored.find(partition);
            const std::size_t skip = it == stored.end() ? 0 : static_cast<std::size_t>(it->second);
            const std::vector<std::string> tail(ids.begin() + static_cast<std::ptrdiff_t>(skip),
                                                ids.end());
            QVERIFY2(read[partition] == tail,
                     qPrintable(QString("partition %1: %2 transactions read, %3 expected")
                                    .arg(partition)
                                    .arg(read[partition].size())
                                    .arg(tail.size())));
        }
        // Three topics of four partitions; two partitions came from the store.
        QCOMPARE(source.status().partitions_started_from_lookup, std::uint64_t{2});
        QVERIFY(!source.status().start_offset_failed);
    }

    void aStoreThatCannotAnswerStopsTheSource() {
        KafkaEventSource source(settings("store-down"), test::catalog());
        source.setStartOffsetLookup(
            [](const std::string&, std::int32_t) -> std::optional<std::int64_t> {
                throw std::runtime_error("connection to PostgreSQL refused");
            });
        source.start();
        std::size_t events = 0;
        QVERIFY(test::waitUntil(
            [&] {
                while (auto batch = source.next(10ms)) {
                    events += batch->size();
                }
                return source.finished();
            },
            60s));
        QCOMPARE(events, std::size_t{0});
        const KafkaSourceStatus status = source.status();
        QVERIFY(status.start_offset_failed);
        QVERIFY2(status.last_error.find("connection to PostgreSQL refused") != std::string::npos,
                 status.last_error.c_str());
        QVERIFY2(status.last_error.find("start offset of ") != std::string::npos,
                 status.last_error.c_str());
        source.close();
    }
};

QTEST_GUILESS_MAIN(TestStartOffsets)
#include "tst_start_offsets.moc"
