// SPDX-License-Identifier: GPL-3.0-or-later
// The threaded pipeline (source, idle advance, snapshots, flush) and the CSV sink.
#include "pipeline/memory_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/runtime/csv_sink.h"
#include "pipeline/table_schema.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T12:00:00Z");

std::shared_ptr<const ProductTable> smallProducts() {
    auto products = std::make_shared<ProductTable>();
    for (int i = 0; i < 5; ++i) {
        products->push_back({"P" + std::to_string(i), 0, 100, 1000});
    }
    return products;
}

EventBatch oneTransaction(TimestampUs time, Cents amount) {
    EventBatch batch;
    Transaction tx;
    tx.timestamp = time;
    tx.user = 1;
    tx.transaction_id = makeUuidV4(1, static_cast<std::uint64_t>(time));
    tx.products.push_back({0, 0, 1, amount});
    tx.total_amount = amount;
    batch.transactions.push_back(tx);
    return batch;
}

template <typename Predicate> bool waitFor(Predicate predicate, int milliseconds = 5000) {
    for (int waited = 0; waited < milliseconds; waited += 5) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

} // namespace

class PipelineRuntimeTest : public QObject {
    Q_OBJECT

private slots:
    void idleSourceAdvancesWithTheClock() {
        PipelineConfig config;
        config.workers = 2;
        config.idle_timeout_wall = 100'000; // 0.1 s
        config.snapshot_interval_wall = 20'000;
        std::atomic<TimestampUs> clock{kStart};
        BoundedQueue<EventBatch> queue(4);
        QueueSource source(queue);
        MemorySink sink;
        Pipeline pipeline(
            config, smallProducts(), [&] { return clock.load(); }, source, sink);
        std::atomic<int> snapshots{0};
        pipeline.onSnapshot([&](const SnapshotPtr&) { ++snapshots; });
        pipeline.start();
        queue.push(oneTransaction(kStart + 10 * kMicrosPerSecond, 1234));
        QVERIFY(waitFor([&] { return pipeline.counters().events.load() == 1; }));
        // The open minute shows up live, marked partial, before it closes.
        QVERIFY(waitFor([&] { return !pipeline.snapshot()->partial.sales_per_minute.empty(); }));
        QCOMPARE(pipeline.snapshot()->partial.sales_per_minute.front().total_revenue, Cents{1234});
        QVERIFY(sink.rows().sales_per_minute.empty());
        // No input: once the idle timeout has passed, the watermark follows the clock.
        clock = kStart + 2 * kMicrosPerMinute;
        QVERIFY(waitFor([&] { return sink.rows().sales_per_minute.size() == 1; }));
        const auto row = sink.rows().sales_per_minute.front();
        QCOMPARE(row.window_start, kStart);
        QCOMPARE(row.created_at, kStart + 2 * kMicrosPerMinute); // processing time: the clock
        QVERIFY(snapshots.load() > 0);
        QCOMPARE(pipeline.snapshot()->recent.sales_per_minute.size(), std::size_t{1});

        // The source ends: the pipeline drains it and flushes the open window.
        queue.push(oneTransaction(kStart + 2 * kMicrosPerMinute + 5, 100));
        queue.close();
        pipeline.join();
        QVERIFY(pipeline.finished());
        QCOMPARE(sink.rows().sales_per_minute.size(), std::size_t{2});
        QCOMPARE(pipeline.counters().figures().jobs[0].open_windows, std::uint64_t{0});
    }

    void stopFlushesOpenWindows() {
        PipelineConfig config;
        config.workers = 1;
        BoundedQueue<EventBatch> queue(4);
        QueueSource source(queue);
        MemorySink sink;
        Pipeline pipeline(
            config, smallProducts(), [] { return kStart; }, source, sink);
        pipeline.start();
        queue.push(oneTransaction(kStart, 500));
        QVERIFY(waitFor([&] { return pipeline.counters().events.load() == 1; }));
        pipeline.stop();
        QCOMPARE(sink.rows().sales_per_minute.size(), std::size_t{1});
        QCOMPARE(sink.rows().inventory_metrics.size(), std::size_t{1});
    }

    void csvFilesFollowRfc4180() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            CsvSink sink(dir.path().toStdString());
            RowBatch rows;
            TrendingProductRow row;
            row.window_start = kStart;
            row.window_end = kStart + 10 * kMicrosPerMinute;
            row.product_id = 41;
            row.product_name = "Nexa \"Pro\", 15 inch";
            row.category = 1;
            row.view_count = 7;
            row.unique_viewers = 3;
            row.avg_view_duration = 12.345;
            row.product_price = 129999;
            row.analyzed_at = kStart + 1;
            row.created_at = kStart + 1;
            rows.trending_products.push_back(row);
            BrowsingSessionRow browse;
            browse.window_start = kStart;
            rows.browsing_sessions.push_back(browse);
            sink.consume(rows);
            sink.finish();
        }
        QFile trending(dir.filePath("trending_products.csv"));
        QVERIFY(trending.open(QIODevice::ReadOnly));
        const QByteArray text = trending.readAll();
        QCOMPARE(text,
                 QByteArray("window_start,window_end,product_id,product_name,category,view_count,"
                            "unique_viewers,avg_view_duration,product_price,analyzed_at,"
                            "created_at\r\n"
                            "2026-05-01T12:00:00.000000Z,2026-05-01T12:10:00.000000Z,PROD_00000042,"
                            "\"Nexa \"\"Pro\"\", 15 inch\",Laptops,7,3,12.35,1299.99,"
                            "2026-05-01T12:00:00.000001Z,2026-05-01T12:00:00.000001Z\r\n"));
        // NULL (no view in the session) is an empty field.
        QFile browsing(dir.filePath("browsing_sessions.csv"));
        QVERIFY(browsing.open(QIODevice::ReadOnly));
        QVERIFY(browsing.readAll().contains(",0,,"));
        // Every table has its file with a header, even without rows.
        for (int i = 0; i < kTableCount; ++i) {
            const auto name =
                QString::fromStdString(std::string(tableName(static_cast<TableId>(i))) + ".csv");
            QFile file(dir.filePath(name));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
            QVERIFY(file.readLine().startsWith(
                QByteArray::fromStdString(columns(static_cast<TableId>(i)).front())));
        }
    }

    void tableNamesRoundTrip() {
        QCOMPARE(int(kTableCount), 21);
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            QCOMPARE(parseTableName(tableName(table)), std::optional<TableId>(table));
        }
        QCOMPARE(formatCents(-5), std::string("-0.05"));
        QCOMPARE(formatDecimal2(0.125), std::string("0.13"));
    }
};

QTEST_GUILESS_MAIN(PipelineRuntimeTest)
#include "tst_pipeline_runtime.moc"
