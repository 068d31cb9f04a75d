// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "generator/ids.h"
#include "generator/reference_data.h"
#include "pipeline/rows.h"

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
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

// A column's value as a row holds it, typed: what the drill-down models show and what the
// stored-row reader hands back. Ids and names are their text (USER_…, PROD_…, UUIDs, "Germany"),
// times microseconds since the epoch; std::monostate is SQL NULL.
using CellValue = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

// Which alternative of CellValue a column uses, and what its number means.
enum class ValueType : std::uint8_t {
    Time,    // int64: microseconds since the epoch, UTC
    Integer, // int64
    Cents,   // int64: cents of a numeric(12,2) money column
    Real,    // double (dollars when the column is numeric(12,2))
    Text,    // string: plain text, or an id or name that parses back
    Boolean, // bool
};

// One column of the table whose rows are `Row`. `text` gives the field as written to CSV and
// COPY: ISO 8601 UTC timestamps with microseconds and Z, money with two decimals, averages
// rounded to two decimals, true/false; an empty text is SQL NULL. `value` gives it typed
// (`value_type` says how). `assign` sets the row's field from a stored value of `value_type`
// and returns false when the stored text does not parse (an unknown country, a malformed id);
// it is null for a column no field of the row holds (a constant such as anomaly_type).
template <typename Row> struct Column {
    std::string_view name;
    SqlType type;
    Key key;
    Null nullable;
    std::string (*text)(const Row&);
    ValueType value_type;
    CellValue (*value)(const Row&);
    bool (*assign)(Row&, const CellValue&);
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

// Parsing back what severity(), alertKind() and count() of an alert id render.
std::optional<Severity> parseSeverity(std::string_view name);
std::optional<AlertKind> parseAlertKind(std::string_view name);
std::optional<std::uint64_t> parseAlertId(std::string_view text); // decimal, all digits

// How a field of a row is described, by kind of value: `as::time<&Row::created_at>` renders a
// TimestampUs member as text::time() does, gives it as ValueType::Time and reads it back. A
// column is `column<as::KIND<&Row::member>>(name, type, key, nullable)`; the text renderer is
// the same one function per kind as in text::, so CSV and COPY output is unchanged.
template <auto Member> struct MemberOf;
template <typename R, typename T, T R::*Member> struct MemberOf<Member> {
    using Row = R;
    using Type = T;
};

namespace as {

// A whole number (a time, a count, cents) rendered by `Render`, given and read back as int64.
template <auto Member, ValueType kType, auto Render> struct Whole {
    using Row = typename MemberOf<Member>::Row;
    using Type = typename MemberOf<Member>::Type;
    static constexpr ValueType kValueType = kType;
    static std::string text(const Row& r) { return Render(r.*Member); }
    static CellValue value(const Row& r) { return static_cast<std::int64_t>(r.*Member); }
    static bool assign(Row& r, const CellValue& v) {
        r.*Member = static_cast<Type>(std::get<std::int64_t>(v));
        return true;
    }
};

template <auto Member> using time = Whole<Member, ValueType::Time, &gm::text::time>;
template <auto Member> using money = Whole<Member, ValueType::Cents, &gm::text::money>;
template <auto Member>
using count = Whole<Member, ValueType::Integer, &gm::text::count<typename MemberOf<Member>::Type>>;

// A double, or a std::optional<double> that is NULL when empty; two decimals as text.
template <auto Member> struct decimal2 {
    using Row = typename MemberOf<Member>::Row;
    static constexpr ValueType kValueType = ValueType::Real;
    static std::string text(const Row& r) { return gm::text::decimal2(r.*Member); }
    static CellValue value(const Row& r) {
        if constexpr (std::is_same_v<typename MemberOf<Member>::Type, double>) {
            return r.*Member;
        } else {
            return (r.*Member).has_value() ? CellValue{*(r.*Member)} : CellValue{};
        }
    }
    static bool assign(Row& r, const CellValue& v) {
        r.*Member = std::get<double>(v);
        return true;
    }
};

template <auto Member> struct boolean {
    using Row = typename MemberOf<Member>::Row;
    static constexpr ValueType kValueType = ValueType::Boolean;
    static std::string text(const Row& r) { return gm::text::boolean(r.*Member); }
    static CellValue value(const Row& r) { return bool{r.*Member}; }
    static bool assign(Row& r, const CellValue& v) {
        r.*Member = std::get<bool>(v);
        return true;
    }
};

// Free text, stored as it is.
template <auto Member> struct string {
    using Row = typename MemberOf<Member>::Row;
    static constexpr ValueType kValueType = ValueType::Text;
    static std::string text(const Row& r) { return r.*Member; }
    static CellValue value(const Row& r) { return r.*Member; }
    static bool assign(Row& r, const CellValue& v) {
        r.*Member = std::get<std::string>(v);
        return true;
    }
};

// An id or name: rendered by `Render`, read back by `Parse` (false when it does not parse).
template <auto Member, auto Render, auto Parse> struct Name {
    using Row = typename MemberOf<Member>::Row;
    static constexpr ValueType kValueType = ValueType::Text;
    static std::string text(const Row& r) { return Render(r.*Member); }
    static CellValue value(const Row& r) { return Render(r.*Member); }
    static bool assign(Row& r, const CellValue& v) {
        const auto parsed = Parse(std::get<std::string>(v));
        if (!parsed) {
            return false;
        }
        r.*Member = *parsed;
        return true;
    }
};

template <auto Member> using user = Name<Member, &gm::text::user, &parseUserId>;
template <auto Member> using product = Name<Member, &gm::text::product, &parseProductId>;
template <auto Member> using country = Name<Member, &gm::text::country, &parseCountry>;
template <auto Member> using category = Name<Member, &gm::text::category, &parseCategory>;
template <auto Member>
using payment_method = Name<Member, &gm::text::paymentMethod, &parsePaymentMethod>;
template <auto Member> using uuid = Name<Member, &gm::text::uuid, &parseUuid>;
template <auto Member> using severity = Name<Member, &gm::text::severity, &parseSeverity>;
template <auto Member> using alert_kind = Name<Member, &gm::text::alertKind, &parseAlertKind>;
template <auto Member>
using alert_id = Name<Member, &gm::text::count<std::uint64_t>, &parseAlertId>;

// A search query's text. Not read back: no reader reads searches, and parsing would intern
// the text into the process-wide query table.
template <auto Member> struct query {
    using Row = typename MemberOf<Member>::Row;
    static constexpr ValueType kValueType = ValueType::Text;
    static std::string text(const Row& r) { return gm::text::query(r.*Member); }
    static CellValue value(const Row& r) { return gm::text::query(r.*Member); }
    static constexpr std::nullptr_t assign = nullptr;
};

} // namespace as

template <typename Field>
constexpr Column<typename Field::Row> column(std::string_view name, SqlType type, Key key,
                                             Null nullable) {
    return {name,          type,         key, nullable, &Field::text, Field::kValueType,
            &Field::value, Field::assign};
}

// A column every row of the table holds the same text in (no field of the row holds it).
template <typename Row, const std::string_view& kText>
constexpr Column<Row> constantColumn(std::string_view name, SqlType type, Key key, Null nullable) {
    return {name,
            type,
            key,
            nullable,
            [](const Row&) { return std::string(kText); },
            ValueType::Text,
            [](const Row&) { return CellValue{std::string(kText)}; },
            nullptr};
}

} // namespace gm
