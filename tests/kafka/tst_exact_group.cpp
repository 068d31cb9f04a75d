// SPDX-License-Identifier: GPL-3.0-or-later
// --exact-group over the embedded broker (issue 18, docs/scale-out.md step 1). A seeded stream
// published to multi-partition topics and read twice in exact mode, by consumers that cut and
// interleave the partitions differently, gives identical rows, and the rows of the engine fed
// the stream in generation order. A partition with nothing to read holds windows back only until
// the source finds it quiet (read to the high watermark, idle for idle_partition_ms).
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "table_compare.h"

#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kEvents = 60'000;
constexpr std::uint64_t kSeed = 4242;

std::uint64_t late(const PipelineFigures& figures) {
    std::uint64_t total = 0;
    for (const JobFigures& job : figures.jobs) {
        total += job.late;
    }
    return total;
}

// Stock on hand and alerts follow the order of transactions across partitions: step 3 of
// docs/scale-out.md. Every other table depends on the data alone.
bool dependsOnDataAlone(TableId table) {
    return table != TableId::LowStockAlerts && table != TableId::Alerts;
}

std::string differences(const RowBatch& expected, const RowBatch& actual) {
    std::string failures;
    for (int i = 0; i < kTableCount; ++i) {
        const auto table = static_cast<TableId>(i);
        if (!dependsOnDataAlone(table)) {
            continue;
        }
        const std::string diff = test::diffLines(test::canonicalLines(expected, table, true),
                                                 test::canonicalLines(actual, table, true));
        if (!diff.empty()) {
            failures += std::string(tableName(table)) + ": " + diff;
        }
    }
    return failures;
}

KafkaTopics quietTopics() {
    return KafkaTopics{"quiet-transactions", "quiet-carts", "quiet-views", "quiet-alerts"};
}

} // namespace

class TestExactGroup : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    std::shared_ptr<const ProductTable> products_;
    RowBatch in_order_rows_;

    std::unique_ptr<StreamEngine> makeEngine(bool exact, MemorySink& sink) const {
        PipelineConfig config;
        config.workers = 1;
        config.exact_partitions = exact;
        return std::make_unique<StreamEngine>(
            config, products_, [] { return test::kStart; }, sink);
    }

    struct Read {
        RowBatch rows;
        PipelineFigures figures;
        std::size_t batches = 0;
    };

    // Reads the whole stream in exact mode in a new group, `max_batch` events a batch at most.
    Read readExactly(const std::string& group, std::size_t max_batch) {
        MemorySink sink;
        const auto engine = makeEngine(true, sink);
        KafkaSettings settings = test::settingsFor(*kafka_, group);
        settings.exact_group = true;
        settings.max_batch = max_batch;
        KafkaEventSource source(settings, test::catalog());
        source.start();
        Read read;
        std::size_t received = 0;
        bool one_partition_each = true;
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        while (received < kEvents && std::chrono::steady_clock::now() < deadline) {
            if (auto batch = source.next(50ms)) {
                if (!batch->empty()) {
                    ++read.batches;
                    const int kinds = int(!batch->views.empty()) + int(!batch->carts.empty()) +
                                      int(!batch->transactions.empty());
                    one_partition_each = one_partition_each && batch->partition && kinds == 1;
                }
                received += batch->size();
                engine->process(std::move(*batch));
            }
        }
        source.stop();
        engine->flush();
        [&] {
            QCOMPARE(received, kEvents);
            QVERIFY2(one_partition_each, "every batch holds events of one partition");
        }();
        read.rows = sink.take();
        read.figures = engine->counters().figures();
        return read;
    }

    // Transactions of one user (one partition of the quiet topics), one a minute from minute
    // `first`; `pick` chooses other generated transactions (other ids) for the same minutes.
    static EventBatch salesOfOneUser(int minutes, int first = 0, int pick = 0) {
        EventBatch generated = test::generate(2'000, 77);
        EventBatch sales;
        for (int minute = 0; minute < minutes; ++minute) {
            Transaction tx =
                generated.transactions.at(static_cast<std::size_t>(pick + minute + first));
            tx.user = generated.transactions.front().user;
            tx.timestamp = test::kStart + (first + minute) * kMicrosPerMinute;
            sales.transactions.push_back(std::move(tx));
        }
        return sales;
    }

    void publishQuiet(const EventBatch& batch) {
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        settings.topics = quietTopics();
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, test::encoder(), settings.topics);
        QVERIFY(publisher.publish(batch));
        QVERIFY(producer.flush(30s));
    }

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 6, .topics = test::eventTopics()});
        QVERIFY(!kafka_->bootstrapServers().empty());
        for (const std::string& topic : test::eventTopics(quietTopics())) {
            QVERIFY(kafka_->createTopic(topic, 3));
        }
        products_ = std::make_shared<const ProductTable>(productTableFrom(test::catalog()));

        const std::vector<EventBatch> slices = test::generateSlices(kEvents, kSeed);
        MemorySink sink;
        const auto engine = makeEngine(false, sink);
        for (const EventBatch& slice : slices) {
            engine->process(slice);
        }
        engine->flush();
        QCOMPARE(late(engine->counters().figures()), std::uint64_t{0});
        in_order_rows_ = sink.take();
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            if (dependsOnDataAlone(table)) {
                QVERIFY2(!test::canonicalLines(in_order_rows_, table, false).empty(),
                         std::string(tableName(table)).c_str());
            }
        }

        QCOMPARE(test::publishAll(*kafka_, slices).delivered, std::uint64_t{kEvents});
    }

    // Two reads that cut the partitions into batches of different sizes (so they interleave
    // differently): the same rows, the same late counts (none), and the rows of the engine
    // that read the stream in generation order with its single watermark.
    void twoReadsGiveIdenticalRows() {
        const Read first = readExactly("exact-a", 4'096);
        const Read second = readExactly("exact-b", 97);
        QVERIFY2(second.batches > first.batches, "the second read cuts smaller batches");
        QCOMPARE(late(first.figures), std::uint64_t{0});
        QCOMPARE(late(second.figures), std::uint64_t{0});
        const std::string between = differences(first.rows, second.rows);
        QVERIFY2(between.empty(), between.c_str());
        const std::string against_in_order = differences(in_order_rows_, first.rows);
        QVERIFY2(against_in_order.empty(), against_in_order.c_str());
    }

    // Ten minutes of sales, all in one partition of a 3-partition topic; the other partitions
    // (and the other topics') are empty. With a long idle time they hold every window; with a
    // short one the source reports them quiet and the minutes behind the watermark close
    // without a flush. A sale for a closed minute coming later is late.
    void quietPartitionsStopHoldingWindowsBack() {
        publishQuiet(salesOfOneUser(10));
        auto readQuietTopics = [&](const std::string& group, int idle_ms, StreamEngine& engine,
                                   std::chrono::milliseconds for_at_least,
                                   const std::function<bool()>& until) {
            KafkaSettings settings = test::settingsFor(*kafka_, group);
            settings.topics = quietTopics();
            settings.exact_group = true;
            settings.idle_partition_ms = idle_ms;
            auto source = std::make_unique<KafkaEventSource>(settings, test::catalog());
            source->start();
            const auto start = std::chrono::steady_clock::now();
            while (std::chrono::steady_clock::now() - start < 60s) {
                if (auto batch = source->next(50ms)) {
                    engine.process(std::move(*batch));
                }
                if (std::chrono::steady_clock::now() - start >= for_at_least && until()) {
                    break;
                }
            }
            return source;
        };

        {
            MemorySink sink;
            const auto engine = makeEngine(true, sink);
            std::uint64_t events = 0;
            auto source = readQuietTopics("quiet-long", 3'600'000, *engine, 3s, [&] {
                events = engine->counters().figures().events;
                return events == 10;
            });
            QCOMPARE(events, std::uint64_t{10});
            QVERIFY2(sink.rows().sales_per_minute.empty(),
                     "empty partitions that are not quiet yet hold the windows");
        }

        MemorySink sink;
        const auto engine = makeEngine(true, sink);
        auto source = readQuietTopics("quiet-short", 100, *engine, 0s,
                                      [&] { return sink.rows().sales_per_minute.size() >= 9; });
        // Every partition is quiet: the newest sale less 30 s closes the windows of the sales
        // of minutes 00-08 (test::kStart is 40 s past a minute).
        const RowBatch rows = sink.rows();
        std::string state =
            "events read: " + std::to_string(engine->counters().figures().events) + "; partitions:";
        for (const PartitionLag& lag : source->lag()) {
            state += " " + lag.topic + "/" + std::to_string(lag.partition) + " at " +
                     std::to_string(lag.position) + " of " + std::to_string(lag.high_watermark);
        }
        QVERIFY2(rows.sales_per_minute.size() == 9, state.c_str());
        for (std::size_t i = 0; i < rows.sales_per_minute.size(); ++i) {
            QCOMPARE(rows.sales_per_minute[i].total_transactions, std::uint64_t{1});
        }

        // The partition wakes up with a sale for minute 03, long closed: late, not a new row.
        publishQuiet(salesOfOneUser(1, 3, 20));
        QVERIFY(test::waitUntil(
            [&] {
                if (auto batch = source->next(50ms)) {
                    engine->process(std::move(*batch));
                }
                return engine->counters().figures().jobs[static_cast<int>(JobId::Sales)].late == 1;
            },
            20s));
        source->stop();
        engine->flush();
        const RowBatch all = sink.rows();
        QCOMPARE(all.sales_per_minute.size(), std::size_t{10});
        QCOMPARE(all.sales_per_minute[3].total_transactions, std::uint64_t{1});
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestExactGroup)
#include "tst_exact_group.moc"
