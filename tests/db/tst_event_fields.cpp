// SPDX-License-Identifier: GPL-3.0-or-later
// The raw-event tables as generator/event_fields.h describes them against the database that
// sql/migrations builds: same columns in the same order, same SQL types, nullability and primary
// key. RawEventEncoder renders its COPY rows in the described column order and the writer names
// the described columns, so a column renamed, retyped, moved or added on only one side fails
// here, not in production. (tests/generator/tst_event_fields ties the same descriptions to the
// encoder's and decoder's JSON keys.)
#include "db_test_support.h"
#include "generator/catalog.h"
#include "generator/event_fields.h"
#include "generator/simulator.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/raw_event_tables.h"

#include <QtTest>
#include <pqxx/pqxx>
#include <set>

using namespace gm;
using namespace gm::event_fields;

namespace {

struct DatabaseColumn {
    std::string name;
    std::string type; // format_type(): "numeric(12,2)[]", "timestamp with time zone", …
    bool nullable = true;
};

// In ordinal order, from information_schema; the full type (precision, array element) from
// pg_attribute, which information_schema spells only as "ARRAY" / "numeric".
std::vector<DatabaseColumn> databaseColumns(pqxx::connection& conn, std::string_view table) {
    pqxx::read_transaction txn(conn);
    std::vector<DatabaseColumn> out;
    for (const auto& row : txn.exec_params(
             "SELECT c.column_name, format_type(a.atttypid, a.atttypmod), c.is_nullable = 'YES' "
             "FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = "
             "format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = "
             "c.column_name WHERE c.table_schema = 'public' AND c.table_name = $1 ORDER BY "
             "c.ordinal_position",
             std::string(table))) {
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<bool>()});
    }
    return out;
}

std::set<std::string> primaryKeyOf(pqxx::connection& conn, std::string_view table) {
    pqxx::read_transaction txn(conn);
    std::set<std::string> out;
    for (const auto& row : txn.exec_params(
             "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
             "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary",
             std::string(table))) {
        out.insert(row[0].as<std::string>());
    }
    return out;
}

const TableBatch& batchFor(const RawEventBatches& batches, std::string_view table) {
    for (const TableBatch* batch : {&batches.transactions, &batches.transaction_items,
                                    &batches.cart_events, &batches.product_view_events}) {
        if (batch->table == table) {
            return *batch;
        }
    }
    throw std::runtime_error("no batch for " + std::string(table));
}

} // namespace

class TestEventFields : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { GM_REQUIRE_SERVER(); }
    void tablesMatchTheMigratedDatabase_data();
    void tablesMatchTheMigratedDatabase();
    void batchesNameTheDescribedColumns();
    void rowsHaveOneFieldPerDescribedColumn();
    void nullsWriteOneFieldEach();

private:
    std::unique_ptr<test::ScratchDatabase> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

void TestEventFields::tablesMatchTheMigratedDatabase_data() {
    QTest::addColumn<int>("table");
    for (std::size_t i = 0; i < kRawEventTables.size(); ++i) {
        QTest::newRow(std::string(kRawEventTables[i]->name).c_str()) << int(i);
    }
}

void TestEventFields::tablesMatchTheMigratedDatabase() {
    QFETCH(int, table);
    if (!db_) {
        db_ = std::make_unique<test::ScratchDatabase>();
        conn_ = std::make_unique<pqxx::connection>(db_->conninfo());
        MigrationRunner::embedded().migrate(*conn_);
    }
    const RawEventTable& described = *kRawEventTables[std::size_t(table)];
    const std::vector<DatabaseColumn> actual = databaseColumns(*conn_, described.name);
    QVERIFY2(!actual.empty(), "the migrations do not create this table");

    std::set<std::string> described_key;
    const std::size_t count = std::min(actual.size(), described.columnCount());
    for (std::size_t i = 0; i < count; ++i) {
        const EventField& field = described.columnField(i);
        const DatabaseColumn& sql = actual[i];
        const std::string column(field.column);
        QVERIFY2(sql.name == column, ("column " + std::to_string(i + 1) + " is " + sql.name +
                                      " in the database, described as " + column)
                                         .c_str());
        QVERIFY2(sql.type == formattedTypeName(field.type),
                 (column + " is " + sql.type + " in the database, described as " +
                  std::string(sqlTypeName(field.type)))
                     .c_str());
        const bool nullable = field.required != Required::Always;
        QVERIFY2(sql.nullable == nullable,
                 (column + (sql.nullable ? " may be NULL" : " is NOT NULL") +
                  " in the database, the description says otherwise")
                     .c_str());
        if (field.primary_key == event_fields::Key::Yes) {
            described_key.insert(column);
        }
    }
    for (std::size_t i = count; i < actual.size(); ++i) {
        QFAIL(
            ("column " + actual[i].name + " exists in the database but is not described").c_str());
    }
    for (std::size_t i = count; i < described.columnCount(); ++i) {
        QFAIL(("described column " + std::string(described.columnField(i).column) +
               " is missing from the database")
                  .c_str());
    }
    QVERIFY2(primaryKeyOf(*conn_, described.name) == described_key,
             "the primary key differs from the described key columns");
}

// What the writer sends (the COPY column list and the ON CONFLICT key) is the description.
void TestEventFields::batchesNameTheDescribedColumns() {
    const RawEventBatches batches;
    for (const RawEventTable* table : kRawEventTables) {
        const TableBatch& batch = batchFor(batches, table->name);
        std::vector<std::string> columns;
        std::vector<std::string> keys;
        for (std::size_t i = 0; i < table->columnCount(); ++i) {
            columns.emplace_back(table->columnField(i).column);
            if (table->columnField(i).primary_key == event_fields::Key::Yes) {
                keys.emplace_back(table->columnField(i).column);
            }
        }
        QCOMPARE(batch.columns, columns);
        QCOMPARE(batch.key_columns, keys);
    }
}

// Every event type renders one COPY field per described column, whatever it leaves NULL.
void TestEventFields::rowsHaveOneFieldPerDescribedColumn() {
    const Catalog catalog(CatalogConfig{.users = 1'000, .products = 200, .seed = 7});
    ShopSimulator simulator(catalog, SimulatorConfig{}, 1'795'000'000'000'000);
    simulator.setShopRate(2000);
    EventBatch events;
    simulator.generate(50'000, events);
    std::set<int> cart_types;
    std::set<int> view_types;
    for (const CartEvent& e : events.carts) {
        cart_types.insert(int(e.event_type));
    }
    for (const ProductViewEvent& e : events.views) {
        view_types.insert(int(e.event_type));
    }
    QCOMPARE(int(cart_types.size()), kCartEventTypeCount);
    QCOMPARE(int(view_types.size()), kViewEventTypeCount);
    QVERIFY(!events.transactions.empty());

    const RawEventBatches batches = RawEventEncoder(catalog).encode(events);
    for (const RawEventTable* table : kRawEventTables) {
        const TableBatch& batch = batchFor(batches, table->name);
        QVERIFY(batch.rows > 0);
        std::size_t rows = 0;
        std::size_t begin = 0;
        while (begin < batch.copy_text.size()) {
            const std::size_t end = batch.copy_text.find('\n', begin);
            QVERIFY(end != std::string::npos);
            const std::string_view row(batch.copy_text.data() + begin, end - begin);
            const auto fields = std::size_t(std::count(row.begin(), row.end(), '\t')) + 1;
            QVERIFY2(fields == table->columnCount(),
                     (std::string(table->name) + " row has " + std::to_string(fields) +
                      " fields: " + std::string(row))
                         .c_str());
            ++rows;
            begin = end + 1;
        }
        QCOMPARE(rows, batch.rows);
    }
}

// The raw rows write their runs of NULL columns with nulls(n): the same text as n null() calls,
// at the start of a row or after a value, also for runs longer than its 16-field block.
void TestEventFields::nullsWriteOneFieldEach() {
    for (std::size_t count = 0; count <= 40; ++count) {
        for (const bool after_value : {false, true}) {
            std::string one_by_one;
            std::string at_once;
            CopyTextBuilder a(one_by_one);
            CopyTextBuilder b(at_once);
            if (after_value) {
                a.int64(7);
                b.int64(7);
            }
            for (std::size_t i = 0; i < count; ++i) {
                a.null();
            }
            b.nulls(count);
            a.text("end").endRow();
            b.text("end").endRow();
            QCOMPARE(at_once, one_by_one);
        }
    }
}

QTEST_GUILESS_MAIN(TestEventFields)
#include "tst_event_fields.moc"
