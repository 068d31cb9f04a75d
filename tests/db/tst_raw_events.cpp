// SPDX-License-Identifier: GPL-3.0-or-later
// Raw events of a simulated shop through RawEventEncoder and PostgresWriter: every event is one
// row (transaction lines one row each), fields land in the columns named after them, and a
// replay of the same events adds nothing.
#include "db_test_support.h"
#include "generator/catalog.h"
#include "generator/search_queries.h"
#include "generator/simulator.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/key_order.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/raw_event_tables.h"
#include "pipeline/postgres/writer.h"
#include "pipeline/runtime/dead_letter_rows.h"

#include <QCryptographicHash>
#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kStart = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z

std::int64_t scalar(pqxx::connection& conn, const std::string& sql) {
    pqxx::read_transaction txn(conn);
    return txn.exec1(sql)[0].as<std::int64_t>();
}

} // namespace

class TestRawEvents : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void simulatedEventsArriveOnceEach();
    void rejectedEventsKeepTheirBytes();
    void recreatedTopicKeepsBothDeadLetters();
    void deadLettersStoredBeforeTheNewKeyAreKept();
    void rowsInKeyOrderKeepEveryRowAndTheOrderOfEqualKeys();
    void rowsWrittenInKeyOrderAreTheRowsEncoded();
};

void TestRawEvents::simulatedEventsArriveOnceEach() {
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    CatalogConfig catalog_config;
    catalog_config.users = 2000;
    catalog_config.products = 500;
    catalog_config.reference_time = kStart;
    const Catalog catalog(catalog_config);
    ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
    simulator.setShopRate(200);
    EventBatch events;
    simulator.generate(30'000, events);
    QVERIFY(!events.transactions.empty() && !events.carts.empty() && !events.views.empty());

    std::size_t lines = 0;
    std::int64_t total_cents = 0;
    for (const Transaction& t : events.transactions) {
        lines += t.products.size();
        total_cents += t.total_amount;
    }
    std::array<std::size_t, kViewEventTypeCount> view_types{};
    for (const ProductViewEvent& v : events.views) {
        ++view_types[static_cast<std::size_t>(v.event_type)];
    }
    std::size_t checkouts = 0;
    for (const CartEvent& c : events.carts) {
        checkouts += c.event_type == CartEventType::Checkout ? 1 : 0;
    }

    const RawEventEncoder encoder(catalog);
    WriterConfig config;
    config.conninfo = db.conninfo();
    config.flush_interval = 50ms;
    PostgresWriter writer(config);
    writer.start();
    for (int round = 0; round < 2; ++round) { // the second round is a replay
        RawEventBatches tables = encoder.encode(events);
        QCOMPARE(tables.transactions.rows, events.transactions.size());
        QCOMPARE(tables.transaction_items.rows, lines);
        for (TableBatch& batch : tables.take()) {
            QVERIFY(writer.push(std::move(batch)));
        }
        QVERIFY(writer.waitUntilWritten(60s));
    }
    const WriterStatus status = writer.status();
    QCOMPARE(status.rows_failed, std::uint64_t{0});
    QVERIFY2(status.last_error.empty(), status.last_error.c_str());

    pqxx::connection conn(db.conninfo());
    QCOMPARE(scalar(conn, "SELECT count(*) FROM transactions"),
             static_cast<std::int64_t>(events.transactions.size()));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM transaction_items"),
             static_cast<std::int64_t>(lines));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM cart_events"),
             static_cast<std::int64_t>(events.carts.size()));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM product_view_events"),
             static_cast<std::int64_t>(events.views.size()));
    QCOMPARE(scalar(conn, "SELECT (sum(total_amount) * 100)::bigint FROM transactions"),
             total_cents);
    // Lines add up to their transaction's total, as in the events.
    QCOMPARE(scalar(conn, "SELECT count(*) FROM transactions t JOIN (SELECT transaction_id, "
                          "sum(quantity * unit_price) AS s FROM transaction_items GROUP BY 1) i "
                          "USING (transaction_id) WHERE i.s <> t.total_amount"),
             std::int64_t{0});
    QCOMPARE(scalar(conn, "SELECT count(*) FROM product_view_events WHERE event_type = 'compare' "
                          "AND cardinality(product_ids) >= 2 AND cardinality(product_ids) = "
                          "cardinality(product_names) AND cardinality(prices) = "
                          "cardinality(product_ids)"),
             static_cast<std::int64_t>(view_types[static_cast<int>(ViewEventType::Compare)]));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM product_view_events WHERE event_type = 'search' "
                          "AND search_query IS NOT NULL AND results_count IS NOT NULL"),
             static_cast<std::int64_t>(view_types[static_cast<int>(ViewEventType::Search)]));
    QCOMPARE(scalar(conn, "SELECT count(*) FROM cart_events WHERE event_type = 'checkout' AND "
                          "jsonb_array_length(items) >= 1 AND total_value = cart_value"),
             static_cast<std::int64_t>(checkouts));

    // One event field by field against its struct.
    const ProductViewEvent& view =
        *std::find_if(events.views.begin(), events.views.end(), [](const ProductViewEvent& v) {
            return v.event_type == ViewEventType::View;
        });
    pqxx::read_transaction txn(conn);
    const pqxx::row r = txn.exec_params1(
        "SELECT user_id, product_id, product_name, category, price::text, view_duration, "
        "from_search, to_char(\"timestamp\" AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), country FROM product_view_events WHERE event_id = "
        "$1",
        toString(view.event_id));
    QCOMPARE(r[0].as<std::string>(), formatUserId(view.user));
    QCOMPARE(r[1].as<std::string>(), formatProductId(view.product));
    QCOMPARE(r[2].as<std::string>(), catalog.productName(view.product));
    QCOMPARE(r[3].as<std::string>(), std::string(categoryName(view.category)));
    std::string price;
    CopyTextBuilder::appendCents(price, view.price);
    QCOMPARE(r[4].as<std::string>(), price);
    QCOMPARE(r[5].as<int>(), int{view.view_duration});
    QCOMPARE(r[6].as<bool>(), view.from_search);
    QCOMPARE(r[7].as<std::string>(), formatIsoTimestamp(view.timestamp));
    QCOMPARE(r[8].as<std::string>(), std::string(countryName(view.country)));
}

void TestRawEvents::rejectedEventsKeepTheirBytes() {
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    TableBatch batch = RawEventEncoder::rejectedEventsLayout();
    const std::string payload("{\"user_id\":\xff\x00\t\\}", 17);
    RawEventEncoder::appendRejected(
        {kStart, "kafka", "transactions", 3, 41, "invalid UTF-8", payload, ""}, batch);
    RawEventEncoder::appendRejected({kStart, "kafka", "transactions", 3, 41, "again", payload, ""},
                                    batch); // same message redelivered
    WriterConfig config;
    config.conninfo = db.conninfo();
    PostgresWriter writer(config);
    writer.start();
    QVERIFY(writer.push(std::move(batch)));
    QVERIFY(writer.waitUntilWritten(10s));
    QCOMPARE(writer.status().rows_failed, std::uint64_t{0});
    pqxx::connection conn(db.conninfo());
    pqxx::read_transaction txn(conn);
    const pqxx::row r = txn.exec1(
        "SELECT count(*), min(encode(payload, 'hex')), min(\"offset\") FROM rejected_events");
    QCOMPARE(r[0].as<int>(), 1);
    QCOMPARE(QString::fromStdString(r[1].as<std::string>()),
             QString::fromLatin1(QByteArray(payload.data(), int(payload.size())).toHex()));
    QCOMPARE(r[2].as<int>(), 41);
}

// A recreated topic (or a fresh embedded broker) starts its offsets at 0 again: a new bad
// message at an offset an earlier one had must get its own row, with the rule's detail.
void TestRawEvents::recreatedTopicKeepsBothDeadLetters() {
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    const auto letter = [](std::string payload, std::string detail, TimestampUs received) {
        DeadLetter dead;
        dead.received_at = received;
        dead.topic = "transactions";
        dead.partition = 0;
        dead.offset = 0;
        dead.payload = std::move(payload);
        dead.payload_bytes = dead.payload.size();
        dead.reason = RejectReason::MalformedJson;
        dead.detail = std::move(detail);
        return toRejectedEvent(std::move(dead));
    };
    WriterConfig config;
    config.conninfo = db.conninfo();
    PostgresWriter writer(config);
    writer.start();
    TableBatch before_recreation = RawEventEncoder::rejectedEventsLayout();
    RawEventEncoder::appendRejected(letter("{not json", "expected a value at byte 1", kStart),
                                    before_recreation);
    QVERIFY(writer.push(std::move(before_recreation)));
    QVERIFY(writer.waitUntilWritten(10s));
    // The topic is deleted and created again; its first message is bad too, at offset 0.
    TableBatch after_recreation = RawEventEncoder::rejectedEventsLayout();
    RawEventEncoder::appendRejected(letter("[1,2", "expected ']' at byte 4", kStart + 60'000'000),
                                    after_recreation);
    // And the first one is delivered again (a replay): still stored once.
    RawEventEncoder::appendRejected(
        letter("{not json", "expected a value at byte 1", kStart + 61'000'000), after_recreation);
    QVERIFY(writer.push(std::move(after_recreation)));
    QVERIFY(writer.waitUntilWritten(10s));
    QCOMPARE(writer.status().rows_failed, std::uint64_t{0});

    pqxx::connection conn(db.conninfo());
    pqxx::read_transaction txn(conn);
    const pqxx::result rows =
        txn.exec("SELECT convert_from(payload, 'UTF8'), detail, \"offset\" FROM rejected_events "
                 "ORDER BY received_at");
    QCOMPARE(rows.size(), pqxx::result::size_type{2});
    QCOMPARE(rows[0][0].as<std::string>(), std::string("{not json"));
    QCOMPARE(rows[0][1].as<std::string>(), std::string("expected a value at byte 1"));
    QCOMPARE(rows[1][0].as<std::string>(), std::string("[1,2"));
    QCOMPARE(rows[1][1].as<std::string>(), std::string("expected ']' at byte 4"));
    QCOMPARE(rows[1][2].as<int>(), 0);
}

// A database with dead letters under the old key keeps them through migration 0005.
void TestRawEvents::deadLettersStoredBeforeTheNewKeyAreKept() {
    test::ScratchDatabase db;
    pqxx::connection conn(db.conninfo());
    std::vector<Migration> before_0005;
    for (const Migration& migration : embeddedMigrations("migrations")) {
        if (migration.version < 5) {
            before_0005.push_back(migration);
        }
    }
    MigrationRunner(before_0005).migrate(conn);
    {
        pqxx::work work(conn);
        work.exec("INSERT INTO rejected_events (source, topic, \"partition\", \"offset\", "
                  "received_at, reason, payload) VALUES ('kafka', 'cart-events', 2, 7, now(), "
                  "'malformed_json', '\\x7b7b'::bytea)");
        work.commit();
    }
    MigrationRunner::embedded().migrate(conn);
    pqxx::read_transaction txn(conn);
    const pqxx::row row = txn.exec1(
        "SELECT count(*), min(encode(payload_sha256, 'hex')), bool_and(detail IS NULL) FROM "
        "rejected_events WHERE \"offset\" = 7");
    QCOMPARE(row[0].as<int>(), 1);
    // sha256('{{')
    QCOMPARE(row[1].as<std::string>(),
             std::string(
                 QCryptographicHash::hash("{{", QCryptographicHash::Sha256).toHex().toStdString()));
    QVERIFY(row[2].as<bool>());
}

void TestRawEvents::rowsInKeyOrderKeepEveryRowAndTheOrderOfEqualKeys() {
    // Two-field key (transaction_items: transaction_id, product_id), rows over two parts, an
    // escaped tab and newline inside values, equal keys in arrival order, a last row without
    // its newline.
    const std::string first = "b\tP2\t1\tx\\ty\na\tP9\t2\n";
    const std::string second = "a\tP1\t3\nb\tP2\t4\na\tP10\t5\\nz";
    const std::string sorted = rowsInKeyOrder({first, second}, 2);
    QCOMPARE(sorted, std::string("a\tP1\t3\na\tP10\t5\\nz\na\tP9\t2\nb\tP2\t1\tx\\ty\n"
                                 "b\tP2\t4\n"));
    QCOMPARE(rowsInKeyOrder({}, 1), std::string());

    TableBatch layout;
    layout.columns = {"transaction_id", "product_id", "quantity"};
    layout.key_columns = {"transaction_id", "product_id"};
    QCOMPARE(leadingKeyFields(layout), std::size_t{2});
    layout.key_columns = {"product_id"};
    QCOMPARE(leadingKeyFields(layout), std::size_t{0}); // not a prefix: left in arrival order
    layout.key_columns.clear();
    QCOMPARE(leadingKeyFields(layout), std::size_t{0});
}

void TestRawEvents::rowsWrittenInKeyOrderAreTheRowsEncoded() {
    // The writer sends raw-event rows sorted by key (key_order.h). What is stored must be exactly
    // the rows encoded: compared, table by table, with the same COPY text loaded unsorted by a
    // plain COPY into a twin table, in both directions (EXCEPT ALL: duplicates count).
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    CatalogConfig catalog_config;
    catalog_config.users = 1000;
    catalog_config.products = 300;
    catalog_config.reference_time = kStart;
    const Catalog catalog(catalog_config);
    ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
    simulator.setShopRate(200);
    EventBatch events;
    simulator.generate(20'000, events);

    const RawEventEncoder encoder(catalog);
    RawEventBatches tables = encoder.encode(events);
    std::vector<TableBatch> batches = tables.take();
    QCOMPARE(batches.size(), std::size_t{4});

    PgSession twin(db.conninfo());
    for (const TableBatch& batch : batches) {
        QVERIFY(leadingKeyFields(batch) > 0); // else the writer would not sort it
        const std::string name = PgSession::quoteIdentifier("twin_" + batch.table);
        twin.exec("CREATE TABLE " + name + " (LIKE " + PgSession::quoteIdentifier(batch.table) +
                  ")");
        std::string columns;
        for (const std::string& column : batch.columns) {
            columns += (columns.empty() ? "" : ", ") + PgSession::quoteIdentifier(column);
        }
        twin.copyIn("COPY " + name + " (" + columns + ") FROM STDIN", batch.copy_text);
    }

    WriterConfig config;
    config.conninfo = db.conninfo();
    config.flush_interval = 50ms;
    PostgresWriter writer(config);
    writer.start();
    for (const TableBatch& batch : batches) {
        TableBatch copy = batch;
        QVERIFY(writer.push(std::move(copy)));
    }
    QVERIFY(writer.waitUntilWritten(60s));
    QCOMPARE(writer.status().rows_failed, std::uint64_t{0});

    pqxx::connection conn(db.conninfo());
    for (const TableBatch& batch : batches) {
        const std::string stored = PgSession::quoteIdentifier(batch.table);
        const std::string loaded = PgSession::quoteIdentifier("twin_" + batch.table);
        QCOMPARE(scalar(conn, "SELECT count(*) FROM " + stored),
                 static_cast<std::int64_t>(batch.rows));
        QCOMPARE(scalar(conn, "SELECT count(*) FROM (TABLE " + stored + " EXCEPT ALL TABLE " +
                                  loaded + ") d"),
                 std::int64_t{0});
        QCOMPARE(scalar(conn, "SELECT count(*) FROM (TABLE " + loaded + " EXCEPT ALL TABLE " +
                                  stored + ") d"),
                 std::int64_t{0});
    }
}

QTEST_GUILESS_MAIN(TestRawEvents)
#include "tst_raw_events.moc"
