// SPDX-License-Identifier: GPL-3.0-or-later
// The headline cards' "last full minute": never the open minute and never the minute a stop cut
// short. End to end: a stream stopped half-way through a minute flushes that minute (the row is
// written), the snapshot says where the stream was cut off, and the headline stays with the
// minute before while the cut-off one is named as such.
#include "models/headline_minutes.h"
#include "models/snapshot_history.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"

#include <QTest>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T12:00:00Z");

std::vector<SeriesPoint> points(std::initializer_list<std::pair<int, bool>> minutes) {
    std::vector<SeriesPoint> out;
    for (const auto& [minute, partial] : minutes) {
        out.push_back({kStart + minute * kMicrosPerMinute, 1.0, partial});
    }
    return out;
}

EventBatch transactionAt(TimestampUs time, std::uint64_t id) {
    EventBatch batch;
    Transaction tx;
    tx.timestamp = time;
    tx.user = static_cast<UserId>(id % 7);
    tx.transaction_id = makeUuidV4(7, id);
    tx.products.push_back({0, 0, 1, 1000});
    tx.total_amount = 1000;
    batch.transactions.push_back(tx);
    return batch;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<gm::SeriesPoint>)

class HeadlineMinutesTest : public QObject {
    Q_OBJECT

private slots:
    void choice_data() {
        QTest::addColumn<std::vector<SeriesPoint>>("series");
        QTest::addColumn<TimestampUs>("cut_off_at");
        QTest::addColumn<int>("full");
        QTest::addColumn<int>("open");
        QTest::addColumn<int>("cut_off");
        const TimestampUs running = kNoWatermark;
        QTest::newRow("empty") << std::vector<SeriesPoint>{} << running << -1 << -1 << -1;
        QTest::newRow("running: newest closed, open so far")
            << points({{0, false}, {1, false}, {2, true}}) << running << 1 << 2 << -1;
        QTest::newRow("stopped mid-minute 2") << points({{0, false}, {1, false}, {2, false}})
                                              << kStart + 150 * kMicrosPerSecond << 1 << -1 << 2;
        QTest::newRow("stopped on the last event of minute 1: 1 is cut off too")
            << points({{0, false}, {1, false}}) << kStart + 119 * kMicrosPerSecond << 0 << -1 << 1;
        QTest::newRow("stopped in the first minute: no full minute")
            << points({{0, false}}) << kStart + 30 * kMicrosPerSecond << -1 << -1 << 0;
        QTest::newRow("a minute ending exactly at the cut is whole")
            << points({{0, false}}) << kStart + kMicrosPerMinute << 0 << -1 << -1;
    }

    void choice() {
        QFETCH(std::vector<SeriesPoint>, series);
        QFETCH(TimestampUs, cut_off_at);
        QFETCH(int, full);
        QFETCH(int, open);
        QFETCH(int, cut_off);
        const HeadlineMinutes chosen = headlineMinutes(series, cut_off_at);
        QCOMPARE(chosen.full, std::ptrdiff_t{full});
        QCOMPARE(chosen.open, std::ptrdiff_t{open});
        QCOMPARE(chosen.cut_off, std::ptrdiff_t{cut_off});
    }

    void aStoppedStreamMarksItsLastMinuteCutOff() {
        auto products = std::make_shared<ProductTable>();
        products->push_back({"P0", 0, 100, 1000});
        PipelineConfig config;
        config.workers = 1;
        MemorySink sink;
        StreamEngine engine(
            config, products, [] { return kStart; }, sink);
        // One order every 10 s from 12:00:00 to 12:02:30: minutes 0 and 1 whole, 2 cut at :30.
        std::uint64_t id = 0;
        for (TimestampUs t = kStart; t <= kStart + 150 * kMicrosPerSecond;
             t += 10 * kMicrosPerSecond) {
            engine.process(transactionAt(t, ++id));
        }
        QCOMPARE(engine.makeSnapshot()->cut_off_at, kNoWatermark); // still running
        engine.flush();
        const SnapshotPtr last = engine.makeSnapshot();
        QCOMPARE(last->cut_off_at, kStart + 150 * kMicrosPerSecond);
        // The cut-off minute is written all the same (nothing is dropped)...
        const RowBatch rows = sink.rows();
        QCOMPARE(rows.sales_per_minute.size(), std::size_t{3});
        QCOMPARE(rows.sales_per_minute.back().total_transactions, std::uint64_t{4});

        // ... and the headline does not call it a full minute.
        SnapshotHistory history;
        history.absorb(last);
        const auto revenue = history.revenue.points();
        QCOMPARE(revenue.size(), std::size_t{3});
        const HeadlineMinutes chosen = headlineMinutes(revenue, history.latest->cut_off_at);
        QCOMPARE(chosen.full, std::ptrdiff_t{1});
        QCOMPARE(revenue[1].window_start, kStart + kMicrosPerMinute);
        QCOMPARE(chosen.cut_off, std::ptrdiff_t{2});
        QCOMPARE(chosen.open, std::ptrdiff_t{-1});
    }
};

QTEST_GUILESS_MAIN(HeadlineMinutesTest)
#include "tst_headline_minutes.moc"
