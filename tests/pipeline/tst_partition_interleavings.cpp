// SPDX-License-Identifier: GPL-3.0-or-later
// Exact mode (issue 18, docs/scale-out.md step 1): window state and watermarks per topic
// partition. The same per-partition event sequences, read in different interleavings and cut
// into different batches (one partition far ahead of the others among them), must give the same
// rows in every table whose rows depend on the data alone; and, on data without late events,
// the rows of the single-partition engine. A quiet partition holds windows back until the source
// says it is quiet; what it brings afterwards for windows already out is late.
#include "generator/catalog.h"
#include "partition_logs.h"
#include "pipeline/memory_sink.h"
#include "pipeline/product_table.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "table_compare.h"

#include <QTest>

using namespace gm;

namespace {

using test::Order;
constexpr TimestampUs kStart = test::kPartitionLogStart;

struct Run {
    RowBatch rows;
    PipelineFigures figures;
};

Run run(const std::vector<EventBatch>& batches, const std::shared_ptr<const ProductTable>& products,
        bool exact, std::size_t work_per_call = 4096) {
    PipelineConfig config;
    config.workers = 1;
    config.exact_partitions = exact;
    config.work_per_call = work_per_call;
    MemorySink sink;
    const TimestampUs now = kStart + 3 * kMicrosPerHour; // processing time: the same for all
    StreamEngine engine(
        config, products, [&] { return now; }, sink);
    for (const EventBatch& batch : batches) {
        engine.submit(batch);
        while (engine.busy()) {
            engine.step();
        }
    }
    engine.flush();
    return {sink.rows(), engine.counters().figures()};
}

// Stock on hand and alerts depend on the order of transactions across partitions (which no
// group can reproduce): docs/scale-out.md moves them to the finalizer in step 3.
bool dependsOnDataAlone(TableId table) {
    return table != TableId::LowStockAlerts && table != TableId::Alerts;
}

void compareTables(const RowBatch& expected, const RowBatch& actual, const char* what) {
    const std::string diff = test::diffTables(expected, actual, dependsOnDataAlone);
    QVERIFY2(diff.empty(), qPrintable(QString("%1, %2").arg(what, QString::fromStdString(diff))));
}

std::uint64_t lateEvents(const PipelineFigures& figures) {
    std::uint64_t late = 0;
    for (const JobFigures& job : figures.jobs) {
        late += job.late;
    }
    return late;
}

// Every table but the alerts has rows: a comparison of empty tables would prove nothing.
void verifyEveryTableHasRows(const RowBatch& rows) {
    for (int table = 0; table < kTableCount; ++table) {
        const auto id = static_cast<TableId>(table);
        if (dependsOnDataAlone(id)) {
            QVERIFY2(!test::canonicalLines(rows, id, false).empty(),
                     qPrintable(QString::fromUtf8(tableName(id)) + " has no rows"));
        }
    }
}

EventBatch statesOnly(std::vector<PartitionState> states, std::uint64_t sequence) {
    EventBatch batch;
    batch.first_sequence = sequence;
    batch.partitions = std::move(states);
    return batch;
}

Transaction sale(const Catalog& catalog, UserId user, TimestampUs time, std::uint64_t id) {
    Transaction tx;
    tx.transaction_id = makeUuidV4(id, 0x5A1E);
    tx.timestamp = time;
    tx.user = user;
    const Product& product = catalog.product(0);
    OrderLine& line = tx.products.emplace_back();
    line.product = 0;
    line.category = product.category;
    line.quantity = 1;
    line.price = product.price;
    tx.total_amount = product.price;
    return tx;
}

} // namespace

class TestPartitionInterleavings : public QObject {
    Q_OBJECT

private:
    const Catalog catalog_{CatalogConfig{.users = 900, .products = 300, .seed = 5}};
    const std::shared_ptr<const ProductTable> products_ =
        std::make_shared<const ProductTable>(productTableFrom(catalog_));

private slots:
    // Every interleaving gives the rows of the single-partition engine reading the shop in
    // generation order: no event is late in either, so the semantics agree.
    void interleavingsGiveTheSingleEngineRows() {
        const test::PartitionedShop data = test::partitionedShop(catalog_, 0);
        const Run reference = run(data.in_order, products_, false);
        QCOMPARE(lateEvents(reference.figures), std::uint64_t{0});
        verifyEveryTableHasRows(reference.rows);
        for (const Order order : {Order::RoundRobin, Order::OneFarAhead, Order::RandomBatches}) {
            const Run exact = run(test::interleave(data.logs, order, 7), products_, true);
            QCOMPARE(lateEvents(exact.figures), std::uint64_t{0});
            compareTables(reference.rows, exact.rows, "exact mode vs single partition");
            QCOMPARE(exact.figures.events, reference.figures.events);
        }
    }

    // The same engine, the same events: today's mode with one process-wide watermark makes the
    // events of the partitions behind late once one partition has run ahead. The guard that
    // the comparison above tests something.
    void singleWatermarkDependsOnTheInterleaving() {
        const test::PartitionedShop data = test::partitionedShop(catalog_, 0);
        const Run ahead = run(test::interleave(data.logs, Order::OneFarAhead, 7), products_, false);
        QVERIFY(lateEvents(ahead.figures) > 0);
    }

    // With late events in the partitions, rows and late counts are still those of the data:
    // lateness is judged against the partition's own watermark, event by event, so neither the
    // interleaving nor the batch boundaries (nor the engine's bounded steps) change them.
    void lateEventsDependOnThePartitionAlone() {
        const test::PartitionedShop data = test::partitionedShop(catalog_, 50);
        QVERIFY(data.late_copies > 100);
        const Run first = run(test::interleave(data.logs, Order::RoundRobin, 1), products_, true);
        verifyEveryTableHasRows(first.rows);
        const std::uint64_t late = lateEvents(first.figures);
        QVERIFY2(late > 0, "the shifted copies must be late for some job");
        const std::vector<std::pair<Order, unsigned>> others = {
            {Order::OneFarAhead, 1}, {Order::RandomBatches, 2}, {Order::RandomBatches, 3}};
        for (const auto& [order, seed] : others) {
            const Run other = run(test::interleave(data.logs, order, seed), products_, true);
            compareTables(first.rows, other.rows, "another interleaving");
            for (int job = 0; job < kJobCount; ++job) {
                QCOMPARE(other.figures.jobs[static_cast<std::size_t>(job)].late,
                         first.figures.jobs[static_cast<std::size_t>(job)].late);
            }
        }
        const Run stepped =
            run(test::interleave(data.logs, Order::RandomBatches, 2), products_, true, 64);
        compareTables(first.rows, stepped.rows, "bounded steps of 64");
    }

    // Partition 1 of the transactions topic is assigned but brings nothing: it holds every
    // window of the topic until the source says it is quiet. Then the windows close on the
    // other partition's watermark, and a sale it brings afterwards for a closed minute is late.
    void quietPartitionStopsHoldingWindowsBack() {
        PipelineConfig config;
        config.exact_partitions = true;
        MemorySink sink;
        const TimestampUs now = kStart + kMicrosPerHour;
        StreamEngine engine(
            config, products_, [&] { return now; }, sink);
        std::vector<PartitionState> states = {{EventKind::Transaction, 0, false},
                                              {EventKind::Transaction, 1, false}};
        EventBatch first;
        first.partition = 0;
        first.partitions = states;
        UserId user0 = 0;
        while (test::partitionOfUser(user0) != 0) {
            ++user0;
        }
        for (int minute = 0; minute < 10; ++minute) {
            first.transactions.push_back(
                sale(catalog_, user0, kStart + minute * kMicrosPerMinute, 100 + minute));
        }
        engine.process(first);
        QVERIFY2(sink.rows().sales_per_minute.empty(), "partition 1 holds the windows back");
        QCOMPARE(engine.watermarks()[static_cast<int>(JobId::Sales)], kNoWatermark);

        states[1].quiet = true;
        engine.process(statesOnly(states, 10));
        // Up to 09:00 - 30 s: minutes 00 to 07 are out, each with its one sale.
        const RowBatch rows = sink.rows();
        QCOMPARE(rows.sales_per_minute.size(), std::size_t{8});
        for (std::size_t i = 0; i < rows.sales_per_minute.size(); ++i) {
            QCOMPARE(rows.sales_per_minute[i].window_start,
                     kStart + static_cast<TimestampUs>(i) * kMicrosPerMinute);
            QCOMPARE(rows.sales_per_minute[i].total_transactions, std::uint64_t{1});
        }

        // The quiet partition wakes up with a sale for minute 03 (closed) and one for 08 (open).
        states[1].quiet = false;
        EventBatch late;
        late.first_sequence = 10;
        late.partition = 1;
        late.partitions = states;
        UserId user1 = 0;
        while (test::partitionOfUser(user1) != 1) {
            ++user1;
        }
        late.transactions.push_back(sale(catalog_, user1, kStart + 3 * kMicrosPerMinute, 200));
        late.transactions.push_back(sale(catalog_, user1, kStart + 8 * kMicrosPerMinute, 201));
        engine.process(late);
        QCOMPARE(engine.counters().figures().jobs[static_cast<int>(JobId::Sales)].late,
                 std::uint64_t{1});
        engine.flush();
        const RowBatch all = sink.rows();
        QCOMPARE(all.sales_per_minute.size(), std::size_t{10});
        QCOMPARE(all.sales_per_minute[8].window_start, kStart + 8 * kMicrosPerMinute);
        QCOMPARE(all.sales_per_minute[8].total_transactions, std::uint64_t{2});
        QCOMPARE(all.sales_per_minute[3].total_transactions, std::uint64_t{1});
    }
};

QTEST_GUILESS_MAIN(TestPartitionInterleavings)
#include "tst_partition_interleavings.moc"
