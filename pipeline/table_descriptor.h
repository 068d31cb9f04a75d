// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "pipeline/rows.h"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// How a table is described once: its name and, per column, the SQL name and type, whether it is
// part of the natural key, whether it may be NULL, and how a row renders it as text. CSV files,
// the COPY rendering for PostgreSQL, upsert keys and the schema check against the migrated
// database (tests/db/tst_table_descriptors) all read the same description (table_columns.h).
namespace gm {

// The SQL types our tables use; `information_schema.columns.data_type` spells them as
// informationSchemaType() says.
enum class SqlType : std::uint8_t {
    Timestamptz,
    BigInt,
    Integer,
    Money, // numeric(12,2): dollars with cents
    Double,
    Text,
    Uuid,
    Boolean,
};
std::string_view sqlTypeName(SqlType type);           // "timestamptz", "numeric(12,2)", …
std::string_view informationSchemaType(SqlType type); // "timestamp with time zone", "numeric", …

enum class Key : bool { No, Yes };
enum class Null : bool { No, Yes };

// One column of the table whose rows are `Row`. `text` gives the field as written to CSV and
// COPY: ISO 8601 UTC timestamps with microseconds and Z, money with two decimals, averages
// rounded to two decimals, true/false; an empty text is SQL NULL.
template <typename Row> struct Column {
    std::string_view name;
    SqlType type;
    Key key;
    Null nullable;
    std::string (*text)(const Row&);
};

// The same, without the row type: what code that handles every table alike needs.
struct ColumnInfo {
    std::string_view name;
    SqlType type;
    bool key;
    bool nullable;
};
struct TableInfo {
    std::string_view name;
    std::vector<ColumnInfo> columns;
    std::vector<std::string> column_names; // in column order
    std::vector<std::string> key_columns;  // the natural primary key, in column order
    // Columns the database has but the pipeline never writes (e.g. who acknowledged an alert
    // when): the writer leaves them alone, and the schema check knows they are expected.
    std::vector<std::string> database_only_columns;
};

// Specialised once per row type in table_columns.h: kName and kColumns.
template <typename Row> struct TableColumns;

// The renderings the descriptions use; one function per kind of value.
namespace text {
std::string time(TimestampUs value);
template <std::integral T> std::string count(T value) {
    return std::to_string(value);
}
std::string boolean(bool value);
std::string money(Cents cents);                           // "1234.56"
std::string decimal2(double value);                       // half away from zero
std::string decimal2(const std::optional<double>& value); // NULL when empty
std::string user(UserId id);
std::string product(ProductId id);
std::string country(Country value);
std::string category(CategoryId id);
std::string paymentMethod(PaymentMethod value);
std::string uuid(const Uuid& id);
std::string query(QueryId id);
std::string severity(Severity value);
std::string alertKind(AlertKind value);
} // namespace text

} // namespace gm
