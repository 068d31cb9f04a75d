// SPDX-License-Identifier: GPL-3.0-or-later
// Every table description of pipeline/table_columns.h against the database that
// sql/migrations builds: same columns, SQL types, nullability and primary key. The code renders
// rows from the descriptions and the writer upserts on their keys, so a column renamed, retyped
// or added on only one side fails here, not in production.
#include "db_test_support.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/table_schema.h"

#include <QtTest>
#include <map>
#include <pqxx/pqxx>
#include <set>

using namespace gm;

namespace {

struct DatabaseColumn {
    std::string data_type;
    std::string numeric; // "12,2" for numeric(12,2), else empty
    bool nullable = true;
};

std::map<std::string, DatabaseColumn> databaseColumns(pqxx::connection& conn,
                                                      std::string_view table) {
    pqxx::read_transaction txn(conn);
    std::map<std::string, DatabaseColumn> out;
    for (const auto& row : txn.exec_params(
             "SELECT column_name, data_type, coalesce(numeric_precision || ',' || numeric_scale, "
             "''), is_nullable = 'YES' FROM information_schema.columns WHERE table_schema = "
             "'public' AND table_name = $1",
             std::string(table))) {
        out[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                                         row[3].as<bool>()};
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

} // namespace

class TestTableDescriptors : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { GM_REQUIRE_SERVER(); }
    void descriptionsMatchTheMigratedDatabase_data();
    void descriptionsMatchTheMigratedDatabase();
    void renderingFollowsTheDescription();

private:
    std::unique_ptr<test::ScratchDatabase> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

void TestTableDescriptors::descriptionsMatchTheMigratedDatabase_data() {
    QTest::addColumn<int>("table");
    for (int i = 0; i < kTableCount; ++i) {
        const std::string name(tableName(static_cast<TableId>(i)));
        QTest::newRow(name.c_str()) << i;
    }
}

void TestTableDescriptors::descriptionsMatchTheMigratedDatabase() {
    QFETCH(int, table);
    if (!db_) {
        db_ = std::make_unique<test::ScratchDatabase>();
        conn_ = std::make_unique<pqxx::connection>(db_->conninfo());
        MigrationRunner::embedded().migrate(*conn_);
    }
    const TableInfo& info = tableInfo(static_cast<TableId>(table));
    const auto actual = databaseColumns(*conn_, info.name);
    QVERIFY2(!actual.empty(), "the migrations do not create this table");

    std::set<std::string> described;
    std::set<std::string> described_key;
    for (const ColumnInfo& column : info.columns) {
        const std::string name(column.name);
        described.insert(name);
        if (column.key) {
            described_key.insert(name);
        }
        const auto found = actual.find(name);
        QVERIFY2(found != actual.end(), ("no column " + name + " in the database").c_str());
        const DatabaseColumn& sql = found->second;
        QVERIFY2(sql.data_type == informationSchemaType(column.type),
                 (name + " is " + sql.data_type + " in the database, described as " +
                  std::string(sqlTypeName(column.type)))
                     .c_str());
        if (column.type == SqlType::Money) {
            QVERIFY2(sql.numeric == "12,2", (name + " is numeric(" + sql.numeric + ")").c_str());
        }
        QVERIFY2(sql.nullable == column.nullable,
                 (name + (sql.nullable ? " may be NULL" : " is NOT NULL") +
                  " in the database, the description says otherwise")
                     .c_str());
    }
    for (const std::string& name : info.database_only_columns) {
        QVERIFY2(actual.count(name) == 1,
                 ("database-only column " + name + " is missing from the database").c_str());
        described.insert(name);
    }
    for (const auto& [name, sql] : actual) {
        QVERIFY2(described.count(name) == 1,
                 ("column " + name + " exists in the database but is not described").c_str());
    }
    QVERIFY2(primaryKeyOf(*conn_, info.name) == described_key,
             "the primary key differs from the described key columns");
    QCOMPARE(primaryKey(static_cast<TableId>(table)).size(), described_key.size());
}

// appendFields() renders exactly one text per described column, in the described order.
void TestTableDescriptors::renderingFollowsTheDescription() {
    RowBatch batch;
    batch.forEachTable([](auto& rows) { rows.emplace_back(); });
    for (int i = 0; i < kTableCount; ++i) {
        const auto table = static_cast<TableId>(i);
        const auto text = tableText(batch, table);
        QCOMPARE(text.size(), std::size_t{1});
        QCOMPARE(text.front().size(), columns(table).size());
    }
}

QTEST_GUILESS_MAIN(TestTableDescriptors)
#include "tst_table_descriptors.moc"
