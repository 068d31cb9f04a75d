// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 19: no engine call may take long whatever the input. A big batch is ingested in chunks
// and a mass expiry is closed and emitted in slices (StreamEngine::submit/step, at most
// config.work_per_call events, sessions or cells per call). Slicing must change nothing but the
// number of calls: every table's rows, in order, and every counter are those of whole calls,
// for 1 and 3 workers, and a stop in the middle of a slice loses nothing.
#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/simulator.h"
#include "pipeline/event_source.h"
#include "pipeline/memory_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/product_table.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"

#include <QTest>
#include <mutex>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'767'225'600'000'000; // 2026-01-01T00:00:00Z

// Counts the deliveries that carried rows of a session table.
class RecordingSink : public RowSink {
public:
    void consume(const RowBatch& rows) override {
        memory.consume(rows);
        if (!rows.abandoned_carts.empty() || !rows.cart_sessions.empty() ||
            !rows.browsing_sessions.empty()) {
            ++session_deliveries;
        }
    }
    MemorySink memory;
    int session_deliveries = 0;
};

// A cart session that holds an item (abandoned when it expires) and a view, at `time`.
void addSession(std::uint64_t index, TimestampUs time, EventBatch& batch) {
    const Uuid session = makeUuidV4(index + 1, 0x5E55'0000'0000'0000ULL + index);
    const auto user = static_cast<UserId>(index % 700);
    CartEvent& cart = batch.carts.emplace_back();
    cart.event_id = makeUuidV4(index + 1, 0xCA27'0000'0000'0000ULL + index);
    cart.session_id = session;
    cart.timestamp = time;
    cart.user = user;
    cart.product = static_cast<ProductId>(index % 300);
    cart.price = 1999;
    cart.quantity = 1;
    cart.cart_size = 1;
    cart.cart_value = 1999;
    ProductViewEvent& view = batch.views.emplace_back();
    view.event_id = makeUuidV4(index + 1, 0x71E3'0000'0000'0000ULL + index);
    view.session_id = session;
    view.timestamp = time;
    view.user = user;
    view.product = static_cast<ProductId>(index % 300);
    view.price = 1999;
    view.view_duration = 10;
}

// Half an hour of the simulated shop in batches of 5,000 events, then 6,000 sessions opened in
// one batch of 12,000 events, then one event an hour later that expires every session and
// closes every window, then a little more shop.
std::vector<EventBatch> burstStream(const Catalog& catalog) {
    std::vector<EventBatch> batches;
    ShopSimulator simulator(catalog, SimulatorConfig{.seed = 11}, kStart);
    simulator.setShopRate(40);
    std::uint64_t sequence = 0;
    auto push = [&](EventBatch batch) {
        batch.first_sequence = sequence;
        sequence += batch.size();
        batches.push_back(std::move(batch));
    };
    for (int i = 0; i < 14; ++i) {
        EventBatch batch;
        simulator.generate(5'000, batch);
        push(std::move(batch));
    }
    const TimestampUs burst_at = simulator.now();
    EventBatch burst;
    for (std::uint64_t i = 0; i < 6'000; ++i) {
        addSession(i, burst_at + static_cast<TimestampUs>(i) * 1'000, burst);
    }
    push(std::move(burst));
    EventBatch jump;
    addSession(6'000, burst_at + kMicrosPerHour, jump);
    push(std::move(jump));
    ShopSimulator later(catalog, SimulatorConfig{.seed = 12}, burst_at + kMicrosPerHour);
    later.setShopRate(40);
    for (int i = 0; i < 2; ++i) {
        EventBatch batch;
        later.generate(3'000, batch);
        push(std::move(batch));
    }
    return batches;
}

struct Run {
    RowBatch rows;
    PipelineFigures figures;
    int calls = 0;
    int session_deliveries = 0;
};

// Whole calls (process) or bounded ones (submit + step); `stop_after` > 0: flush once that
// many bounded calls have been made, wherever the work stands.
Run run(const std::vector<EventBatch>& batches, const std::shared_ptr<const ProductTable>& products,
        int workers, std::size_t work_per_call, bool bounded, int stop_after = 0) {
    PipelineConfig config;
    config.workers = workers;
    config.work_per_call = work_per_call;
    RecordingSink sink;
    const TimestampUs now = kStart + 3 * kMicrosPerHour; // processing time: the same for all
    StreamEngine engine(
        config, products, [&] { return now; }, sink);
    Run result;
    for (const EventBatch& batch : batches) {
        if (!bounded) {
            engine.process(batch);
            ++result.calls;
            continue;
        }
        engine.submit(batch);
        do {
            engine.step();
            ++result.calls;
        } while (engine.busy() && result.calls != stop_after);
        if (result.calls == stop_after) {
            break;
        }
    }
    engine.flush();
    result.rows = sink.memory.rows();
    result.figures = engine.counters().figures();
    result.session_deliveries = sink.session_deliveries;
    return result;
}

void compareRows(const RowBatch& expected, const RowBatch& actual) {
    for (int table = 0; table < kTableCount; ++table) {
        const auto id = static_cast<TableId>(table);
        const auto expected_text = tableText(expected, id);
        const auto actual_text = tableText(actual, id);
        QVERIFY2(expected_text == actual_text,
                 qPrintable(QString("%1: %2 rows expected, %3 emitted (or in another order)")
                                .arg(QString::fromUtf8(tableName(id)))
                                .arg(expected_text.size())
                                .arg(actual_text.size())));
    }
}

void compareFigures(const PipelineFigures& expected, const PipelineFigures& actual) {
    QCOMPARE(actual.events, expected.events);
    QCOMPARE(actual.batches, expected.batches);
    QCOMPARE(actual.rows, expected.rows);
    QCOMPARE(actual.alerts_raised, expected.alerts_raised);
    QCOMPARE(actual.alert_updates, expected.alert_updates);
    QCOMPARE(actual.open_sessions, expected.open_sessions);
    for (int job = 0; job < kJobCount; ++job) {
        const JobFigures& e = expected.jobs[static_cast<std::size_t>(job)];
        const JobFigures& a = actual.jobs[static_cast<std::size_t>(job)];
        QCOMPARE(a.received, e.received);
        QCOMPARE(a.rejected, e.rejected);
        QCOMPARE(a.late, e.late);
        QCOMPARE(a.emitted_rows, e.emitted_rows);
        QCOMPARE(a.windows_closed, e.windows_closed);
        QCOMPARE(a.watermark, e.watermark);
    }
}

} // namespace

class TestBoundedCalls : public QObject {
    Q_OBJECT

private:
    const Catalog catalog_{CatalogConfig{.users = 700, .products = 300, .seed = 9}};
    const std::shared_ptr<const ProductTable> products_ =
        std::make_shared<const ProductTable>(productTableFrom(catalog_));
    const std::vector<EventBatch> batches_ = burstStream(catalog_);

private slots:
    void slicesEmitTheRowsOfWholeCalls_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("3 workers") << 3;
    }
    void slicesEmitTheRowsOfWholeCalls() {
        QFETCH(int, workers);
        const Run whole = run(batches_, products_, 1, 1'000'000, false);
        // The expiry closes thousands of sessions: the stream really has a mass expiry.
        QVERIFY(whole.rows.abandoned_carts.size() > 6'000);
        QVERIFY(whole.rows.cart_sessions.size() > 6'000);
        QVERIFY(whole.rows.browsing_sessions.size() > 6'000);

        const Run sliced = run(batches_, products_, workers, 256, true);
        compareRows(whole.rows, sliced.rows);
        compareFigures(whole.figures, sliced.figures);
        // 13,000 sessions' rows at 256 a call: many calls, many deliveries of session rows.
        QVERIFY2(sliced.calls > 200, qPrintable(QString::number(sliced.calls)));
        QVERIFY2(sliced.session_deliveries > 50,
                 qPrintable(QString::number(sliced.session_deliveries)));
        QVERIFY(sliced.session_deliveries > whole.session_deliveries * 10);
    }

    // A budget of one: every step does the least possible work, and still nothing changes.
    void theSmallestBudgetChangesNothing() {
        const std::vector<EventBatch> tail(batches_.end() - 4, batches_.end());
        const Run whole = run(tail, products_, 1, 1'000'000, false);
        const Run sliced = run(tail, products_, 2, 1, true);
        compareRows(whole.rows, sliced.rows);
        compareFigures(whole.figures, sliced.figures);
    }

    // Stopping while a mass expiry is half emitted: the flush finishes the work under way and
    // closes the rest, so the rows are those of whole calls followed by the same flush.
    void aStopInTheMiddleLosesNothing() {
        const std::vector<EventBatch> upto_jump(batches_.begin(), batches_.end() - 2);
        const Run whole = run(upto_jump, products_, 1, 1'000'000, false);
        const Run sliced_full = run(upto_jump, products_, 1, 256, true);
        const int stop_after = sliced_full.calls - 20; // inside the expiry's slices
        QVERIFY(stop_after > 0);
        const Run stopped = run(upto_jump, products_, 1, 256, true, stop_after);
        QCOMPARE(stopped.calls, stop_after);
        compareRows(whole.rows, stopped.rows);
        compareFigures(whole.figures, stopped.figures);
    }

    // The pipeline thread publishes between the steps of a big batch and of a mass expiry (a
    // snapshot after every step here), never counting a batch as processed before its rows have
    // all left, and the rows are still those of whole calls.
    void thePipelinePublishesBetweenSteps() {
        const EventBatch& burst = batches_[batches_.size() - 4];
        const EventBatch& jump = batches_[batches_.size() - 3];
        const std::uint64_t burst_end = burst.first_sequence + burst.size();
        const std::uint64_t jump_end = jump.first_sequence + jump.size();
        const std::vector<EventBatch> two{burst, jump};
        const Run whole = run(two, products_, 1, 1'000'000, false);

        PipelineConfig config;
        config.workers = 1;
        config.work_per_call = 256;
        config.snapshot_interval_wall = 0; // publish after every step
        BoundedQueue<EventBatch> queue(4);
        QueueSource source(queue);
        MemorySink sink;
        const TimestampUs now = kStart + 3 * kMicrosPerHour;
        Pipeline pipeline(
            config, products_, [&] { return now; }, source, sink);
        struct Seen {
            std::uint64_t events;
            std::uint64_t through;
            std::uint64_t session_rows;
        };
        std::mutex mutex;
        std::vector<Seen> seen;
        pipeline.onSnapshot([&](const SnapshotPtr& snapshot) {
            std::lock_guard lock(mutex);
            seen.push_back({snapshot->events_seen, snapshot->through_sequence,
                            snapshot->figures.jobs[static_cast<int>(JobId::Carts)].emitted_rows});
        });
        pipeline.start();
        queue.push(EventBatch(burst));
        queue.push(EventBatch(jump));
        queue.close();
        pipeline.join();

        std::lock_guard lock(mutex);
        int mid_ingestion = 0;
        int mid_expiry = 0;
        for (const Seen& s : seen) {
            if (s.events > 0 && s.events < burst.size()) {
                ++mid_ingestion;
                QCOMPARE(s.through, std::uint64_t{0}); // not processed until all of it is in
            }
            if (s.events == burst.size() + jump.size() && s.through < jump_end) {
                ++mid_expiry;
                QCOMPARE(s.through, burst_end);
            }
        }
        QVERIFY2(mid_ingestion > 10, qPrintable(QString::number(mid_ingestion)));
        QVERIFY2(mid_expiry > 10, qPrintable(QString::number(mid_expiry)));
        compareRows(whole.rows, sink.rows());
    }
};

QTEST_GUILESS_MAIN(TestBoundedCalls)
#include "tst_bounded_calls.moc"
