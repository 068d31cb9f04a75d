// SPDX-License-Identifier: GPL-3.0-or-later
// Exact mode (issue 18, docs/scale-out.md step 1): window state and watermarks per topic
// partition. The same per-partition event sequences, read in different interleavings and cut
// into different batches (one partition far ahead of the others among them), must give the same
// rows in every table whose rows depend on the data alone; and, on data without late events,
// the rows of the single-partition engine. A quiet partition holds windows back until the source
// says it is quiet; what it brings afterwards for windows already out is late.
#include "generator/catalog.h"
#include "generator/simulator.h"
#include "pipeline/memory_sink.h"
#include "pipeline/product_table.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "table_compare.h"

#include <QTest>
#include <array>
#include <random>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'767'225'600'000'000; // 2026-01-01T00:00:00Z
constexpr int kPartitions = 4;
constexpr int kTopics = kEventKindCount;

// Events of one topic partition, in offset order.
struct PartitionLog {
    EventKind topic = EventKind::Transaction;
    std::int32_t partition = 0;
    EventBatch events; // only the topic's vector is filled
    std::size_t size() const { return events.size(); }
};

// Like our publisher: a user's events of one topic go to one partition.
std::int32_t partitionOf(UserId user) {
    return static_cast<std::int32_t>((static_cast<std::uint64_t>(user) * 0x9E3779B97F4A7C15ULL) >>
                                     61) %
           kPartitions;
}

// The shop's events in generation order (one batch per generate call) and the same events split
// into partition logs. With `late_every` > 0, every late_every-th event of a partition is
// followed by a copy two minutes older (a new id): late against that partition's watermark.
struct Data {
    std::vector<EventBatch> in_order;
    std::vector<PartitionLog> logs; // topic-major: logs[topic * kPartitions + partition]
    std::size_t late_copies = 0;
};

template <typename Event> void shiftBack(Event& event, std::uint64_t salt) {
    event.timestamp -= 2 * kMicrosPerMinute;
    if constexpr (requires { event.transaction_id; }) {
        event.transaction_id = makeUuidV4(salt, 0x1A7E);
    } else {
        event.event_id = makeUuidV4(salt, 0x1A7E);
    }
}

Data shopData(const Catalog& catalog, int late_every) {
    Data data;
    ShopSimulator simulator(catalog, SimulatorConfig{.seed = 21}, kStart);
    simulator.setShopRate(30);
    for (int i = 0; i < 24; ++i) {
        EventBatch batch;
        simulator.generate(1'500, batch);
        data.in_order.push_back(std::move(batch));
    }
    for (int topic = 0; topic < kTopics; ++topic) {
        for (int partition = 0; partition < kPartitions; ++partition) {
            data.logs.push_back({static_cast<EventKind>(topic), partition, {}});
        }
    }
    std::array<std::uint64_t, kTopics * kPartitions> counts{};
    auto append = [&](EventKind topic, const auto& event, auto member) {
        const auto index = static_cast<std::size_t>(static_cast<int>(topic) * kPartitions +
                                                    partitionOf(event.user));
        auto& into = data.logs[index].events.*member;
        into.push_back(event);
        if (late_every > 0 && ++counts[index] % static_cast<std::uint64_t>(late_every) == 0) {
            auto copy = event;
            shiftBack(copy, ++data.late_copies);
            into.push_back(std::move(copy));
        }
    };
    for (const EventBatch& batch : data.in_order) {
        for (const auto& event : batch.views) {
            append(EventKind::ProductView, event, &EventBatch::views);
        }
        for (const auto& event : batch.carts) {
            append(EventKind::Cart, event, &EventBatch::carts);
        }
        for (const auto& tx : batch.transactions) {
            append(EventKind::Transaction, tx, &EventBatch::transactions);
        }
    }
    return data;
}

std::vector<PartitionState> allPartitions() {
    std::vector<PartitionState> states;
    for (int topic = 0; topic < kTopics; ++topic) {
        for (int partition = 0; partition < kPartitions; ++partition) {
            states.push_back({static_cast<EventKind>(topic), partition, false});
        }
    }
    return states;
}

// Events [from, from + count) of a partition log as one batch of that partition.
EventBatch slice(const PartitionLog& log, std::size_t from, std::size_t count) {
    EventBatch batch;
    batch.partition = log.partition;
    auto take = [&](const auto& events, auto& into) {
        const std::size_t end = std::min(events.size(), from + count);
        if (from < end) {
            into.assign(events.begin() + static_cast<std::ptrdiff_t>(from),
                        events.begin() + static_cast<std::ptrdiff_t>(end));
        }
    };
    take(log.events.views, batch.views);
    take(log.events.carts, batch.carts);
    take(log.events.transactions, batch.transactions);
    return batch;
}

enum class Order {
    RoundRobin,    // every partition a batch of 100 in turn
    OneFarAhead,   // partition 0 of every topic read to its end first, then the rest by turns
    RandomBatches, // a random partition, a random batch size (1 to 700), seeded
};

// The batches one interleaving of the logs makes; the first carries the assignment.
std::vector<EventBatch> interleave(const std::vector<PartitionLog>& logs, Order order,
                                   unsigned seed) {
    std::vector<EventBatch> batches;
    std::vector<std::size_t> read(logs.size(), 0);
    std::mt19937 random(seed);
    auto next = [&](std::size_t log, std::size_t count) {
        batches.push_back(slice(logs[log], read[log], count));
        read[log] += count;
    };
    auto left = [&](std::size_t log) { return read[log] < logs[log].size(); };
    if (order == Order::OneFarAhead) {
        for (std::size_t log = 0; log < logs.size(); ++log) {
            while (logs[log].partition == 0 && left(log)) {
                next(log, 333);
            }
        }
    }
    bool any = true;
    while (any) {
        any = false;
        if (order == Order::RandomBatches) {
            std::vector<std::size_t> open;
            for (std::size_t log = 0; log < logs.size(); ++log) {
                if (left(log)) {
                    open.push_back(log);
                }
            }
            if (!open.empty()) {
                any = true;
                next(open[random() % open.size()], 1 + random() % 700);
            }
            continue;
        }
        for (std::size_t log = 0; log < logs.size(); ++log) {
            if (left(log)) {
                any = true;
                next(log, 100);
            }
        }
    }
    std::uint64_t sequence = 0;
    for (EventBatch& batch : batches) {
        batch.first_sequence = sequence;
        sequence += batch.size();
    }
    batches.front().partitions = allPartitions();
    return batches;
}

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
    for (int table = 0; table < kTableCount; ++table) {
        const auto id = static_cast<TableId>(table);
        if (!dependsOnDataAlone(id)) {
            continue;
        }
        const auto e = test::canonicalLines(expected, id, true);
        const auto a = test::canonicalLines(actual, id, true);
        const std::string diff = test::diffLines(e, a);
        QVERIFY2(diff.empty(), qPrintable(QString("%1, %2:\n%3")
                                              .arg(what, QString::fromUtf8(tableName(id)),
                                                   QString::fromStdString(diff))));
    }
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
        const Data data = shopData(catalog_, 0);
        const Run reference = run(data.in_order, products_, false);
        QCOMPARE(lateEvents(reference.figures), std::uint64_t{0});
        verifyEveryTableHasRows(reference.rows);
        for (const Order order : {Order::RoundRobin, Order::OneFarAhead, Order::RandomBatches}) {
            const Run exact = run(interleave(data.logs, order, 7), products_, true);
            QCOMPARE(lateEvents(exact.figures), std::uint64_t{0});
            compareTables(reference.rows, exact.rows, "exact mode vs single partition");
            QCOMPARE(exact.figures.events, reference.figures.events);
        }
    }

    // The same engine, the same events: today's mode with one process-wide watermark makes the
    // events of the partitions behind late once one partition has run ahead. The guard that
    // the comparison above tests something.
    void singleWatermarkDependsOnTheInterleaving() {
        const Data data = shopData(catalog_, 0);
        const Run ahead = run(interleave(data.logs, Order::OneFarAhead, 7), products_, false);
        QVERIFY(lateEvents(ahead.figures) > 0);
    }

    // With late events in the partitions, rows and late counts are still those of the data:
    // lateness is judged against the partition's own watermark, event by event, so neither the
    // interleaving nor the batch boundaries (nor the engine's bounded steps) change them.
    void lateEventsDependOnThePartitionAlone() {
        const Data data = shopData(catalog_, 50);
        QVERIFY(data.late_copies > 100);
        const Run first = run(interleave(data.logs, Order::RoundRobin, 1), products_, true);
        verifyEveryTableHasRows(first.rows);
        const std::uint64_t late = lateEvents(first.figures);
        QVERIFY2(late > 0, "the shifted copies must be late for some job");
        const std::vector<std::pair<Order, unsigned>> others = {
            {Order::OneFarAhead, 1}, {Order::RandomBatches, 2}, {Order::RandomBatches, 3}};
        for (const auto& [order, seed] : others) {
            const Run other = run(interleave(data.logs, order, seed), products_, true);
            compareTables(first.rows, other.rows, "another interleaving");
            for (int job = 0; job < kJobCount; ++job) {
                QCOMPARE(other.figures.jobs[static_cast<std::size_t>(job)].late,
                         first.figures.jobs[static_cast<std::size_t>(job)].late);
            }
        }
        const Run stepped =
            run(interleave(data.logs, Order::RandomBatches, 2), products_, true, 64);
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
        while (partitionOf(user0) != 0) {
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
        while (partitionOf(user1) != 1) {
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
