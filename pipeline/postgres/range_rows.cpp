// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/range_rows.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/table_columns.h"

#include <pqxx/pqxx>
#include <variant>

namespace gm {
namespace {

// The SELECT expression that returns a described column as its value type: a timestamptz as
// microseconds since the epoch, money as cents (or dollars as a double where the row holds a
// double), ids and names as their text.
std::string selected(std::string_view name, ValueType type) {
    const std::string column = "\"" + std::string(name) + "\"";
    switch (type) {
    case ValueType::Time:
        return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
    case ValueType::Cents:
        return "round(" + column + " * 100)::bigint";
    case ValueType::Real:
        return column + "::float8";
    case ValueType::Text:
        return column + "::text";
    case ValueType::Integer:
    case ValueType::Boolean:
        break;
    }
    return column;
}

// Every column a field of the row holds, in described order (constants are not read).
template <typename Row> std::string selectList() {
    std::string list;
    for (const auto& column : TableColumns<Row>::kColumns) {
        if (column.assign == nullptr) {
            continue;
        }
        if (!list.empty()) {
            list += ", ";
        }
        list += selected(column.name, column.value_type);
    }
    return list;
}

CellValue storedValue(const pqxx::field& field, ValueType type) {
    if (field.is_null()) {
        return {};
    }
    switch (type) {
    case ValueType::Time:
    case ValueType::Integer:
    case ValueType::Cents:
        return field.as<std::int64_t>();
    case ValueType::Real:
        return field.as<double>();
    case ValueType::Text:
        return field.as<std::string>();
    case ValueType::Boolean:
        return field.as<bool>();
    }
    return {};
}

// One stored row, read in the order of selectList(). False when a field does not parse (an id
// or name the pipeline would not write) or a NOT NULL column is NULL. A NULL in a nullable
// column leaves the row's default: the writer stores NULL only for an empty text (no reason,
// no message), and a country or payment method a row lacks reads as the row's default.
template <typename Row> bool readRow(const pqxx::row& stored, Row& row) {
    bool ok = true;
    pqxx::row::size_type index = 0;
    for (const auto& column : TableColumns<Row>::kColumns) {
        if (column.assign == nullptr) {
            continue;
        }
        const CellValue value = storedValue(stored[index++], column.value_type);
        if (std::holds_alternative<std::monostate>(value)) {
            ok = ok && column.nullable == Null::Yes;
        } else if (!column.assign(row, value)) {
            ok = false;
        }
    }
    return ok;
}

// The condition that puts a row in [$1, $2) (microseconds): its time column in the range.
std::string inRange(const std::string& time_column) {
    return time_column + " >= to_timestamp($1::double precision / 1e6) AND " + time_column +
           " < to_timestamp($2::double precision / 1e6)";
}

// The newest `limit` rows matching `condition` by `order_column`, oldest first.
template <typename Row>
void readTable(pqxx::read_transaction& work, RowsInRange<Row>& out, const std::string& condition,
               const std::string& order_column, TimestampUs from, TimestampUs to,
               std::size_t limit) {
    const std::string range =
        " FROM " + std::string(TableColumns<Row>::kName) + " WHERE " + condition;
    out.total = work.exec_params1("SELECT count(*)" + range, from, to)[0].as<std::size_t>();
    const pqxx::result rows = work.exec_params("SELECT " + selectList<Row>() + range +
                                                   " ORDER BY " + order_column + " DESC LIMIT $3",
                                               from, to, static_cast<long long>(limit));
    out.rows.reserve(rows.size());
    // Newest first from the database; the window's rows are oldest first.
    for (auto index = rows.size(); index-- > 0;) {
        Row parsed;
        if (readRow(rows[static_cast<pqxx::result::size_type>(index)], parsed)) {
            out.rows.push_back(std::move(parsed));
        } else {
            ++out.unreadable;
        }
    }
}

} // namespace

StoredRows readStoredRows(const std::string& conninfo, TimestampUs from, TimestampUs to,
                          unsigned tables, std::size_t limit) {
    StoredRows out;
    out.from = from;
    out.to = to;
    try {
        pqxx::connection connection(conninfo);
        pqxx::read_transaction work(connection);
        if ((tables & kStoredAnomalyRows) != 0) {
            readTable(work, out.high_value, inRange("\"timestamp\""), "\"timestamp\"", from, to,
                      limit);
            readTable(work, out.high_quantity, inRange("\"timestamp\""), "\"timestamp\"", from, to,
                      limit);
            readTable(work, out.suspicious, inRange("window_start"), "window_start", from, to,
                      limit);
        }
        if ((tables & kStoredAbandonedCarts) != 0) {
            readTable(work, out.abandoned_carts, inRange("window_start"), "window_start", from, to,
                      limit);
        }
        if ((tables & kStoredAlertRows) != 0) {
            // An alert belongs to every range its occurrences overlap.
            readTable(work, out.alerts,
                      "last_seen >= to_timestamp($1::double precision / 1e6) AND first_seen < "
                      "to_timestamp($2::double precision / 1e6)",
                      "last_seen", from, to, limit);
        }
        if ((tables & kStoredInventoryRows) != 0) {
            readTable(work, out.high_demand, inRange("window_start"), "window_start", from, to,
                      limit);
            readTable(work, out.restock, inRange("window_start"), "window_start", from, to, limit);
            readTable(work, out.low_stock, inRange("detected_at"), "detected_at", from, to, limit);
        }
    } catch (const std::exception& e) {
        out = StoredRows{};
        out.from = from;
        out.to = to;
        out.error = firstLine(e.what());
    }
    return out;
}

std::size_t StoredRows::loadedRows() const {
    return high_value.rows.size() + high_quantity.rows.size() + suspicious.rows.size() +
           abandoned_carts.rows.size() + alerts.rows.size() + high_demand.rows.size() +
           restock.rows.size() + low_stock.rows.size();
}

bool StoredRows::anyCut() const {
    return high_value.cut() || high_quantity.cut() || suspicious.cut() || abandoned_carts.cut() ||
           alerts.cut() || high_demand.cut() || restock.cut() || low_stock.cut();
}

} // namespace gm
