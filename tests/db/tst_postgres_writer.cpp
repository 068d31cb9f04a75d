// SPDX-License-Identifier: GPL-3.0-or-later
// PostgresWriter against a real server: rows in equal rows in the table, last-wins upserts for a
// key repeated inside one batch and across batches, NULLs, escaping, progress marks committed
// with their rows, bad rows isolated, status, and back-pressure while the server is unreachable.
#include "db_test_support.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/writer.h"

#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kT0 = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z

void migrate(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    MigrationRunner::embedded().migrate(conn);
}

TableBatch salesByCountry() {
    TableBatch b;
    b.table = "sales_by_country";
    b.columns = {"window_start",  "window_end",      "country",   "total_transactions",
                 "total_revenue", "avg_order_value", "created_at"};
    b.key_columns = {"window_start", "window_end", "country"};
    return b;
}

void addSale(TableBatch& b, TimestampUs start, std::string_view country, std::int64_t count,
             std::int64_t revenue_cents) {
    CopyTextBuilder row(b);
    row.timestamp(start)
        .timestamp(start + kMicrosPerMinute)
        .text(country)
        .int64(count)
        .cents(revenue_cents)
        .cents(count == 0 ? 0 : revenue_cents / count)
        .timestamp(start + kMicrosPerMinute + 1000);
    row.endRow();
}

WriterConfig fastConfig(const std::string& conninfo) {
    WriterConfig config;
    config.conninfo = conninfo;
    config.flush_interval = 50ms;
    config.backoff_min = 20ms;
    config.backoff_max = 200ms;
    config.stop_timeout = 2s;
    return config;
}

std::int64_t scalar(pqxx::connection& conn, const std::string& sql) {
    pqxx::read_transaction txn(conn);
    const pqxx::row row = txn.exec1(sql);
    return row[0].is_null() ? -1 : row[0].as<std::int64_t>();
}

} // namespace

class TestPostgresWriter : public QObject {
    Q_OBJECT

private slots:
    void init() {
        const QByteArray name = QTest::currentTestFunction();
        if (!name.startsWith("copyText")) {
            GM_REQUIRE_SERVER();
        }
    }
    void copyTextFormatsValues();
    void copyTextEscapes();
    void roundTripCountsEveryRow();
    void duplicateKeyInOneBatchLastWins();
    void duplicateKeyAcrossBatchesIsUpdated();
    void nullsRoundTrip();
    void awkwardTextRoundTrips();
    void progressIsCommittedWithRows();
    void badRowsAreIsolatedAndReported();
    void unreachableServerPushesBack();
};

void TestPostgresWriter::copyTextFormatsValues() {
    std::string out;
    CopyTextBuilder row(out);
    row.cents(1234).cents(-5).cents(0).cents(100).int64(-42).uint64(7).boolean(true).null();
    row.endRow();
    QCOMPARE(out, std::string("12.34\t-0.05\t0.00\t1.00\t-42\t7\tt\t\\N\n"));
    out.clear();
    CopyTextBuilder row2(out);
    row2.timestamp(kT0 + 123456).uuid(Uuid{0x0123456789abcdefULL, 0xfedcba9876543210ULL});
    row2.real(0.1).real(1e300);
    row2.endRow();
    QCOMPARE(out, std::string("2026-11-25T07:20:00.123456Z\t01234567-89ab-cdef-fedc-ba9876543210"
                              "\t0.1\t1e+300\n"));
}

void TestPostgresWriter::copyTextEscapes() {
    std::string out;
    CopyTextBuilder row(out);
    row.text("a\tb\nc\\d\re").text("\\N");
    const std::string_view names[] = {"x\"y", "back\\slash"};
    row.textArray(names);
    row.bytea(std::string("\x00\xff", 2));
    row.endRow();
    QCOMPARE(out, std::string("a\\tb\\nc\\\\d\\re\t\\\\N\t{\"x\\\\\"y\",\"back\\\\\\\\slash\"}"
                              "\t\\\\x00ff\n"));
}

void TestPostgresWriter::roundTripCountsEveryRow() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    std::int64_t expected_cents = 0;
    constexpr int batches = 20;
    constexpr int per_batch = 2500;
    const char* countries[] = {"USA", "UK", "Germany", "France", "Japan"};
    for (int b = 0; b < batches; ++b) {
        TableBatch batch = salesByCountry();
        for (int i = 0; i < per_batch; ++i) {
            const int n = b * per_batch + i;
            addSale(batch, kT0 + (n / 5) * kMicrosPerMinute, countries[n % 5], 3, 1000 + n);
            expected_cents += 1000 + n;
        }
        QVERIFY(writer.push(std::move(batch)));
    }
    QVERIFY(writer.waitUntilWritten(30s));
    const WriterStatus status = writer.status();
    QCOMPARE(status.state, WriterState::Connected);
    QCOMPARE(status.rows_written, std::uint64_t{batches * per_batch});
    QCOMPARE(status.rows_by_table.at("sales_by_country"), std::uint64_t{batches * per_batch});
    QCOMPARE(status.buffered_rows, std::size_t{0});
    QVERIFY(status.rows_per_second > 0);
    QVERIFY(status.last_error.empty());
    writer.stop();
    QCOMPARE(writer.status().state, WriterState::Stopped);
    QCOMPARE(writer.status().rows_abandoned, std::uint64_t{0});

    pqxx::connection conn(db.conninfo());
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country"),
             std::int64_t{batches * per_batch});
    QCOMPARE(scalar(conn, "SELECT (sum(total_revenue) * 100)::bigint FROM sales_by_country"),
             expected_cents);
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country WHERE created_at <> "
                          "window_end + interval '1 millisecond'"),
             std::int64_t{0});
}

void TestPostgresWriter::duplicateKeyInOneBatchLastWins() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    TableBatch batch = salesByCountry();
    addSale(batch, kT0, "USA", 1, 100);
    addSale(batch, kT0, "UK", 1, 200);
    addSale(batch, kT0, "USA", 2, 300); // same key again: this version wins
    addSale(batch, kT0, "USA", 3, 400); // and this one even more so
    QVERIFY(writer.push(std::move(batch)));
    QVERIFY(writer.waitUntilWritten(10s));
    QCOMPARE(writer.status().rows_failed, std::uint64_t{0});
    pqxx::connection conn(db.conninfo());
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country"), std::int64_t{2});
    QCOMPARE(scalar(conn, "SELECT total_transactions FROM sales_by_country WHERE country='USA'"),
             std::int64_t{3});
    QCOMPARE(scalar(conn, "SELECT (total_revenue*100)::bigint FROM sales_by_country WHERE "
                          "country='USA'"),
             std::int64_t{400});
}

void TestPostgresWriter::duplicateKeyAcrossBatchesIsUpdated() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    for (int version = 1; version <= 3; ++version) {
        TableBatch batch = salesByCountry();
        addSale(batch, kT0, "Japan", version, version * 1000);
        addSale(batch, kT0 + version * kMicrosPerMinute, "Japan", 1, 1); // a new key each time
        QVERIFY(writer.push(std::move(batch)));
        QVERIFY(writer.waitUntilWritten(10s)); // separate flushes, so the row exists already
    }
    // Same again inside one flush: two batches for the same table merged into one COPY.
    TableBatch a = salesByCountry();
    addSale(a, kT0, "Japan", 4, 4000);
    TableBatch b = salesByCountry();
    addSale(b, kT0, "Japan", 5, 5000);
    QVERIFY(writer.push(std::move(a)));
    QVERIFY(writer.push(std::move(b)));
    QVERIFY(writer.waitUntilWritten(10s));
    pqxx::connection conn(db.conninfo());
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country"), std::int64_t{4});
    QCOMPARE(scalar(conn, "SELECT total_transactions FROM sales_by_country WHERE window_start = "
                          "'2026-11-25T07:20:00Z'"),
             std::int64_t{5});
    QCOMPARE(writer.status().rows_written, std::uint64_t{8});
}

void TestPostgresWriter::nullsRoundTrip() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    TableBatch batch;
    batch.table = "cart_metrics";
    batch.columns = {"window_start",
                     "window_end",
                     "country",
                     "total_cart_events",
                     "adds",
                     "removes",
                     "updates",
                     "checkouts",
                     "avg_cart_value",
                     "max_cart_value",
                     "abandonment_rate_pct"};
    batch.key_columns = {"window_start", "window_end", "country"};
    CopyTextBuilder row(batch);
    row.timestamp(kT0).timestamp(kT0 + kMicrosPerMinute).text("France").int64(0).int64(0);
    row.int64(0).int64(0).int64(0).null().null().real(0.0);
    row.endRow();
    QVERIFY(writer.push(std::move(batch)));
    QVERIFY(writer.waitUntilWritten(10s));
    pqxx::connection conn(db.conninfo());
    pqxx::read_transaction txn(conn);
    const pqxx::row r =
        txn.exec1("SELECT avg_cart_value, max_cart_value, abandonment_rate_pct, created_at "
                  "IS NOT NULL FROM cart_metrics");
    QVERIFY(r[0].is_null());
    QVERIFY(r[1].is_null());
    QCOMPARE(r[2].as<double>(), 0.0);
    QVERIFY(r[3].as<bool>()); // a column left out of the batch gets its default
}

void TestPostgresWriter::awkwardTextRoundTrips() {
    test::ScratchDatabase db;
    {
        PgSession session(db.conninfo());
        session.exec("CREATE TABLE awkward (id integer PRIMARY KEY, t text, a text[], "
                     "b bytea)");
    }
    const std::vector<std::string> values = {
        "tab\there", "new\nline",        "back\\slash", "\\N",   "",     "carriage\rreturn",
        "quote\"s'", "Zoë 東京 🛒", "{braces},",   "\\\\x", "NULL", "trailing\\",
    };
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    TableBatch batch;
    batch.table = "awkward";
    batch.columns = {"id", "t", "a", "b"};
    batch.key_columns = {"id"};
    for (std::size_t i = 0; i < values.size(); ++i) {
        CopyTextBuilder row(batch);
        const std::string_view pair[] = {values[i], values[(i + 1) % values.size()]};
        row.int64(static_cast<std::int64_t>(i)).text(values[i]).textArray(pair).bytea(values[i]);
        row.endRow();
    }
    CopyTextBuilder null_row(batch);
    null_row.int64(1000).null().null().null();
    null_row.endRow();
    QVERIFY(writer.push(std::move(batch)));
    QVERIFY(writer.waitUntilWritten(10s));
    QCOMPARE(writer.status().rows_failed, std::uint64_t{0});

    pqxx::connection conn(db.conninfo());
    pqxx::read_transaction txn(conn);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const pqxx::row r = txn.exec_params1(
            "SELECT t, a[1], a[2], convert_from(b, 'UTF8'), t IS NULL FROM awkward WHERE id = $1",
            static_cast<int>(i));
        QVERIFY(!r[4].as<bool>()); // "" and "\\N" and "NULL" are text, not NULL
        QCOMPARE(QString::fromStdString(r[0].as<std::string>()), QString::fromStdString(values[i]));
        QCOMPARE(QString::fromStdString(r[1].as<std::string>()), QString::fromStdString(values[i]));
        QCOMPARE(QString::fromStdString(r[2].as<std::string>()),
                 QString::fromStdString(values[(i + 1) % values.size()]));
        QCOMPARE(QString::fromStdString(r[3].as<std::string>()), QString::fromStdString(values[i]));
    }
    const pqxx::row n = txn.exec1("SELECT t IS NULL, a IS NULL, b IS NULL FROM awkward WHERE "
                                  "id = 1000");
    QVERIFY(n[0].as<bool>() && n[1].as<bool>() && n[2].as<bool>());
}

void TestPostgresWriter::progressIsCommittedWithRows() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    PostgresWriter writer(fastConfig(db.conninfo()));
    writer.start();
    TableBatch batch = salesByCountry();
    addSale(batch, kT0, "UK", 1, 100);
    batch.progress.push_back({"sales", kT0 + kMicrosPerMinute});
    QVERIFY(writer.push(std::move(batch)));
    TableBatch older; // a progress-only batch never moves the watermark back
    older.progress.push_back({"sales", kT0});
    older.progress.push_back({"carts", kT0 + 5 * kMicrosPerMinute});
    QVERIFY(writer.push(std::move(older)));
    QVERIFY(writer.waitUntilWritten(10s));
    pqxx::connection conn(db.conninfo());
    pqxx::read_transaction txn(conn);
    const pqxx::result rows = txn.exec(
        "SELECT job, to_char(emitted_up_to AT TIME ZONE 'UTC', 'HH24:MI') FROM pipeline_progress "
        "ORDER BY job");
    QCOMPARE(rows.size(), pqxx::result::size_type{2});
    QCOMPARE(rows[0][0].as<std::string>(), std::string("carts"));
    QCOMPARE(rows[0][1].as<std::string>(), std::string("07:25"));
    QCOMPARE(rows[1][0].as<std::string>(), std::string("sales"));
    QCOMPARE(rows[1][1].as<std::string>(), std::string("07:21"));
}

void TestPostgresWriter::badRowsAreIsolatedAndReported() {
    test::ScratchDatabase db;
    migrate(db.conninfo());
    WriterConfig config = fastConfig(db.conninfo());
    config.flush_interval = 300ms; // both batches land in one flush
    PostgresWriter writer(config);
    writer.start();
    TableBatch good = salesByCountry();
    addSale(good, kT0, "USA", 1, 100);
    TableBatch bad = salesByCountry();
    CopyTextBuilder row(bad);
    row.timestamp(kT0).timestamp(kT0 + kMicrosPerMinute).text("UK").text("not a number");
    row.cents(1).cents(1).timestamp(kT0);
    row.endRow();
    TableBatch good_too = salesByCountry();
    addSale(good_too, kT0, "Japan", 1, 100);
    QVERIFY(writer.push(std::move(good)));
    QVERIFY(writer.push(std::move(bad)));
    QVERIFY(writer.push(std::move(good_too)));
    QVERIFY(writer.waitUntilWritten(10s));
    const WriterStatus status = writer.status();
    QCOMPARE(status.rows_failed, std::uint64_t{1});
    QCOMPARE(status.rows_written, std::uint64_t{2});
    QVERIFY2(status.last_error.find("not a number") != std::string::npos,
             status.last_error.c_str());
    QVERIFY(status.last_error.find('\n') == std::string::npos);
    pqxx::connection conn(db.conninfo());
    QCOMPARE(scalar(conn, "SELECT count(*) FROM sales_by_country"), std::int64_t{2});
}

void TestPostgresWriter::unreachableServerPushesBack() {
    WriterConfig config;
    // Nobody listens on port 1; the password must never show up in the status.
    config.conninfo = "postgresql://gm:s3cret-pw@127.0.0.1:1/globalmart";
    config.buffer_rows = 1000;
    config.flush_rows = 500;
    config.flush_interval = 10ms;
    config.backoff_min = 10ms;
    config.backoff_max = 5000ms;
    config.stop_timeout = 100ms;
    PostgresWriter writer(config);
    writer.start();
    TableBatch batch = salesByCountry();
    for (int i = 0; i < 600; ++i) {
        addSale(batch, kT0 + i * kMicrosPerMinute, "USA", 1, 1);
    }
    QVERIFY(writer.push(std::move(batch)));
    TableBatch second = salesByCountry();
    for (int i = 0; i < 400; ++i) {
        addSale(second, kT0 - (i + 1) * kMicrosPerMinute, "USA", 1, 1);
    }
    QVERIFY(writer.push(std::move(second)));
    QVERIFY(!writer.acceptingInput()); // 1000 of 1000 rows buffered
    TableBatch third = salesByCountry();
    addSale(third, kT0, "UK", 1, 1);
    QVERIFY(!writer.tryPush(std::move(third), 200ms)); // blocked, not dropped
    QTRY_COMPARE_WITH_TIMEOUT(writer.status().state, WriterState::Retrying, 5000);
    const WriterStatus status = writer.status();
    QCOMPARE(status.buffered_rows, std::size_t{1000});
    QCOMPARE(status.buffer_fill_pct, 100.0);
    QVERIFY2(status.last_error.find("s3cret") == std::string::npos, status.last_error.c_str());
    QVERIFY2(status.last_error.find("no PostgreSQL server is listening") != std::string::npos,
             status.last_error.c_str());
    QVERIFY(status.retries > 0);
    QElapsedTimer stopping;
    stopping.start();
    writer.stop(); // gives up after stop_timeout, even in the middle of a backoff
    QVERIFY2(stopping.elapsed() < 2000, qPrintable(QString::number(stopping.elapsed())));
    QCOMPARE(writer.status().rows_abandoned, std::uint64_t{1000});
    QVERIFY(writer.status().last_error.find("stopped with 1000 rows neither written nor spilled") !=
            std::string::npos);
    QCOMPARE(writer.status().state, WriterState::Stopped);
}

QTEST_GUILESS_MAIN(TestPostgresWriter)
#include "tst_postgres_writer.moc"
