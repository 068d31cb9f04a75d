// SPDX-License-Identifier: GPL-3.0-or-later
// The table list in pipeline/warehouse/warehouse_tables.cpp is what the migrations create:
// same tables, same columns in the same order with the same types and nullability, same keys.
#include "pipeline/warehouse/warehouse_tables.h"
#include "warehouse_test_support.h"

#include <QtTest>

using namespace gm;

class TestWarehouseSchema : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }
    void descriptionsMatchTheMigratedDatabase();
};

void TestWarehouseSchema::descriptionsMatchTheMigratedDatabase() {
    test::ScratchDatabase db;
    test::migrateRealtime(db.conninfo());
    warehouse::migrateWarehouse(db.conninfo());
    pqxx::connection conn(db.conninfo());

    std::vector<std::string> described;
    for (const auto& table : warehouse::tables()) {
        for (const auto& column : table.columns) {
            described.push_back(std::string(table.name) + "." + std::string(column.name) + " " +
                                std::string(column.sql_type) +
                                (column.not_null ? " not null" : ""));
        }
        std::string key;
        for (const auto& part : table.key) {
            key += (key.empty() ? "" : ",") + std::string(part);
        }
        described.push_back(std::string(table.name) + " key " + key);
    }
    std::vector<std::string> migrated;
    for (const auto& row : test::rowsOf(
             conn, "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
                   "a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                   "'warehouse' AND c.relkind = 'r' AND c.relname <> 'schema_version' AND "
                   "a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum")) {
        const auto first = row.find('|');
        const auto second = row.find('|', first + 1);
        const auto third = row.rfind('|');
        const std::string table = row.substr(0, first);
        migrated.push_back(table + "." + row.substr(first + 1, second - first - 1) + " " +
                           row.substr(second + 1, third - second - 1) +
                           (row.substr(third + 1) == "t" ? " not null" : ""));
    }
    // Keys: the primary key, or the unique constraint of a table without one.
    for (const auto& row : test::rowsOf(
             conn, "SELECT c.relname, string_agg(a.attname, ',' ORDER BY k.ord) FROM "
                   "pg_constraint x JOIN pg_class c ON c.oid = x.conrelid JOIN pg_namespace n ON "
                   "n.oid = c.relnamespace CROSS JOIN LATERAL unnest(x.conkey) WITH ORDINALITY "
                   "AS k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = "
                   "k.attnum WHERE n.nspname = 'warehouse' AND c.relname <> 'schema_version' AND "
                   "(x.contype = 'p' OR (x.contype = 'u' AND NOT EXISTS (SELECT 1 FROM "
                   "pg_constraint p WHERE p.conrelid = c.oid AND p.contype = 'p'))) GROUP BY "
                   "c.relname, x.oid")) {
        const auto bar = row.find('|');
        migrated.push_back(row.substr(0, bar) + " key " + row.substr(bar + 1));
    }
    std::sort(described.begin(), described.end());
    std::sort(migrated.begin(), migrated.end());
    GM_COMPARE_ROWS(migrated, described);

    for (const auto view : warehouse::views()) {
        GM_COMPARE_TEXT(test::valueOf(conn, "SELECT count(*) FROM information_schema.views WHERE "
                                            "table_schema = 'warehouse' AND table_name = '" +
                                                std::string(view) + "'"),
                        std::string("1"));
    }
}

QTEST_GUILESS_MAIN(TestWarehouseSchema)
#include "tst_warehouse_schema.moc"
