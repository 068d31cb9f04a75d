// SPDX-License-Identifier: GPL-3.0-or-later
// The writer across a server outage: a private cluster is killed while rows stream in, the
// writer buffers and pushes back on the producer, the cluster comes back, and the tables end up
// with every row exactly once (upserts with their last version, raw events once each).
#include "db_test_support.h"
#include "generator/catalog.h"
#include "generator/simulator.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/raw_event_tables.h"
#include "pipeline/postgres/writer.h"

#include <QtTest>
#include <atomic>
#include <pqxx/pqxx>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kStart = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z
constexpr int kBatches = 240;
constexpr int kRowsPerBatch = 200;
constexpr int kRevisedPerBatch = 20; // rows of the previous batch sent again with version 2

TableBatch salesRows(int batch_index) {
    TableBatch b;
    b.table = "sales_by_country";
    b.columns = {"window_start",       "window_end",    "country",
                 "total_transactions", "total_revenue", "avg_order_value"};
    b.key_columns = {"window_start", "window_end", "country"};
    auto add = [&](int n, int version) {
        CopyTextBuilder row(b);
        const TimestampUs start = kStart + n * kMicrosPerMinute;
        row.timestamp(start).timestamp(start + kMicrosPerMinute).text("USA").int64(version);
        row.cents(version * 100).cents(100);
        row.endRow();
    };
    for (int i = 0; i < kRowsPerBatch; ++i) {
        add(batch_index * kRowsPerBatch + i, 1);
    }
    if (batch_index > 0) {
        for (int i = 0; i < kRevisedPerBatch; ++i) {
            add((batch_index - 1) * kRowsPerBatch + i, 2);
        }
    }
    b.progress.push_back({"sales", kStart + (batch_index + 1) * kRowsPerBatch * kMicrosPerMinute});
    return b;
}

std::int64_t scalar(pqxx::connection& conn, const std::string& sql) {
    pqxx::read_transaction txn(conn);
    return txn.exec1(sql)[0].as<std::int64_t>();
}

} // namespace

class TestWriterOutage : public QObject {
    Q_OBJECT

private slots:
    void everyRowExactlyOnceAcrossAnOutage();
};

void TestWriterOutage::everyRowExactlyOnceAcrossAnOutage() {
    test::ThrowawayCluster cluster;
    std::string reason;
    if (!cluster.start(reason)) {
        if (test::databaseRequired()) {
            QFAIL(reason.c_str());
        }
        QSKIP(reason.c_str());
    }
    const std::string conninfo = cluster.server->conninfo();
    {
        pqxx::connection conn(conninfo);
        MigrationRunner::embedded().migrate(conn);
    }

    WriterConfig config;
    config.conninfo = conninfo;
    config.flush_rows = 2000;
    config.flush_interval = 20ms;
    config.buffer_rows = 15'000;
    config.backoff_min = 50ms;
    config.backoff_max = 400ms;
    config.stop_timeout = 2s;
    PostgresWriter writer(config);
    writer.start();

    CatalogConfig catalog_config;
    catalog_config.users = 1000;
    catalog_config.products = 200;
    catalog_config.reference_time = kStart;
    const Catalog catalog(catalog_config);
    const RawEventEncoder encoder(catalog);

    std::atomic<int> pushed{0};
    std::size_t raw_transactions = 0;
    std::size_t raw_carts = 0;
    std::size_t raw_views = 0;
    std::thread producer([&] {
        ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
        simulator.setShopRate(100);
        for (int b = 0; b < kBatches; ++b) {
            EventBatch events;
            simulator.generate(100, events);
            raw_transactions += events.transactions.size();
            raw_carts += events.carts.size();
            raw_views += events.views.size();
            RawEventBatches raw = encoder.encode(events);
            for (TableBatch& table : raw.take()) {
                if (!writer.push(std::move(table))) {
                    return; // stopped by a failing test
                }
            }
            if (!writer.push(salesRows(b))) {
                return;
            }
            pushed.store(b + 1);
            std::this_thread::sleep_for(4ms);
        }
    });
    // On a failed check: stopping the writer releases a blocked producer, then it can be joined.
    struct JoinOnExit {
        PostgresWriter& writer;
        std::thread& thread;
        ~JoinOnExit() {
            if (thread.joinable()) {
                writer.stop();
                thread.join();
            }
        }
    } join_on_exit{writer, producer};

    QTRY_VERIFY_WITH_TIMEOUT(pushed.load() >= kBatches / 4, 20000);
    const auto stopped = cluster.pgCtl({"stop", "-m", "immediate", "-w"});
    QVERIFY2(stopped.exit_code == 0, stopped.output.c_str());
    const int pushed_at_outage = pushed.load();

    // The writer notices, keeps the rows, and the full buffer stalls the producer.
    QTRY_COMPARE_WITH_TIMEOUT(writer.status().state, WriterState::Retrying, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!writer.acceptingInput(), 20000);
    const int pushed_when_full = pushed.load();
    std::this_thread::sleep_for(500ms);
    QCOMPARE(pushed.load(), pushed_when_full); // back-pressure: no progress while full
    QVERIFY(pushed_when_full >= pushed_at_outage);
    QVERIFY(pushed_when_full < kBatches); // the producer is held up, not finished
    const WriterStatus down = writer.status();
    QVERIFY(down.buffer_fill_pct >= 90.0);
    QVERIFY(!down.last_error.empty());
    QVERIFY(down.last_error.find('\n') == std::string::npos);

    QCOMPARE(cluster.server->start(), EmbeddedPostgres::Outcome::Running);
    producer.join();
    QVERIFY(writer.waitUntilWritten(60s));
    const WriterStatus after = writer.status();
    QCOMPARE(after.state, WriterState::Connected);
    QCOMPARE(after.rows_failed, std::uint64_t{0});
    QVERIFY(after.retries > 0);
    writer.stop();

    pqxx::connection conn(conninfo);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country"),
             std::int64_t{kBatches * kRowsPerBatch});
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country WHERE total_transactions = 2"),
             std::int64_t{(kBatches - 1) * kRevisedPerBatch});
    QCOMPARE(scalar(conn, "SELECT sum(total_transactions) FROM sales_by_country"),
             std::int64_t{kBatches * kRowsPerBatch + (kBatches - 1) * kRevisedPerBatch});
    QCOMPARE(scalar(conn, "SELECT count(*) FROM transactions"),
             static_cast<std::int64_t>(raw_transactions));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM cart_events"),
             static_cast<std::int64_t>(raw_carts));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM product_view_events"),
             static_cast<std::int64_t>(raw_views));
    QCOMPARE(scalar(conn, "SELECT extract(epoch FROM emitted_up_to)::bigint FROM "
                          "pipeline_progress WHERE job = 'sales'"),
             (kStart + std::int64_t{kBatches} * kRowsPerBatch * kMicrosPerMinute) /
                 kMicrosPerSecond);
}

QTEST_GUILESS_MAIN(TestWriterOutage)
#include "tst_writer_outage.moc"
