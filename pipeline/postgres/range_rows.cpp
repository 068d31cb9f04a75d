// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/range_rows.h"

#include "generator/ids.h"
#include "generator/reference_data.h"
#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <pqxx/pqxx>

namespace gm {
namespace {

// A timestamptz column as microseconds since the epoch, the unit every row uses.
std::string micros(const std::string& column) {
    return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}
// A numeric(12,2) dollar column as cents.
std::string cents(const std::string& column) {
    return "round(" + column + " * 100)::bigint";
}

std::optional<Severity> parseSeverity(std::string_view name) {
    for (const Severity severity :
         {Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
        if (severityName(severity) == name) {
            return severity;
        }
    }
    return std::nullopt;
}

// Reads the fields of one stored row in column order; any field that does not parse marks the
// row unreadable.
class FieldReader {
public:
    explicit FieldReader(pqxx::row row) : row_(std::move(row)) {}
    bool ok() const { return ok_; }
    bool boolean() {
        const pqxx::field field = row_[next_++];
        return !field.is_null() && field.as<bool>();
    }
    TimestampUs time() { return row_[next_++].as<TimestampUs>(); }
    long long integer() {
        const pqxx::field field = row_[next_++];
        return field.is_null() ? 0 : field.as<long long>();
    }
    double real() {
        const pqxx::field field = row_[next_++];
        return field.is_null() ? 0 : field.as<double>();
    }
    std::string text() {
        const pqxx::field field = row_[next_++];
        return field.is_null() ? std::string() : field.as<std::string>();
    }
    template <typename T> T parsed(std::optional<T> (*parse)(std::string_view), T fallback) {
        const std::string value = text();
        if (const auto result = parse(value)) {
            return *result;
        }
        ok_ = false;
        return fallback;
    }
    // A nullable name (country, payment method): null keeps the default, as the writer never
    // writes null for them; any other text must parse.
    template <typename T> T optionalName(std::optional<T> (*parse)(std::string_view), T fallback) {
        if (row_[next_].is_null()) {
            ++next_;
            return fallback;
        }
        return parsed(parse, fallback);
    }

private:
    pqxx::row row_;
    int next_ = 0;
    bool ok_ = true;
};

// The condition that puts a row in [$1, $2) (microseconds): its time column in the range.
std::string inRange(const std::string& time_column) {
    return time_column + " >= to_timestamp($1::double precision / 1e6) AND " + time_column +
           " < to_timestamp($2::double precision / 1e6)";
}

// The newest `limit` rows matching `condition` by `order_column`, oldest first.
template <typename Row, typename Parse>
void readTable(pqxx::read_transaction& work, RowsInRange<Row>& out, const std::string& table,
               const std::string& condition, const std::string& order_column,
               const std::string& columns, TimestampUs from, TimestampUs to, std::size_t limit,
               Parse parse) {
    const std::string range = " FROM " + table + " WHERE " + condition;
    out.total = work.exec_params1("SELECT count(*)" + range, from, to)[0].as<std::size_t>();
    const pqxx::result rows = work.exec_params("SELECT " + columns + range + " ORDER BY " +
                                                   order_column + " DESC LIMIT $3",
                                               from, to, static_cast<long long>(limit));
    out.rows.reserve(rows.size());
    // Newest first from the database; the window's rows are oldest first.
    for (auto index = rows.size(); index-- > 0;) {
        FieldReader fields(rows[static_cast<pqxx::result::size_type>(index)]);
        Row parsed = parse(fields);
        if (fields.ok()) {
            out.rows.push_back(std::move(parsed));
        } else {
            ++out.unreadable;
        }
    }
}

std::optional<AlertKind> parseAlertKind(std::string_view name) {
    for (const AlertKind kind :
         {AlertKind::HighValue, AlertKind::HighQuantity, AlertKind::SuspiciousPattern,
          AlertKind::HighDemand, AlertKind::Restock, AlertKind::LowStock}) {
        if (alertKindName(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

// The pipeline writes an alert id as the decimal text of its 64-bit number.
std::optional<std::uint64_t> parseAlertId(std::string_view text) {
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return id;
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
            readTable(work, out.high_value, "high_value_anomalies", inRange("\"timestamp\""),
                      "\"timestamp\"",
                      "transaction_id::text, user_id, " + micros("\"timestamp\"") + ", " +
                          cents("total_amount") +
                          ", payment_method, country, anomaly_reason, "
                          "severity, " +
                          micros("detected_at") + ", " + micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          HighValueAnomalyRow row;
                          row.transaction_id = f.parsed(&parseUuid, Uuid{});
                          row.user_id = f.parsed(&parseUserId, UserId{});
                          row.timestamp = f.time();
                          row.total_amount = f.integer();
                          row.payment_method =
                              f.optionalName(&parsePaymentMethod, PaymentMethod::CreditCard);
                          row.country = f.optionalName(&parseCountry, Country::USA);
                          row.anomaly_reason = f.text();
                          row.severity = f.parsed(&parseSeverity, Severity::Medium);
                          row.detected_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
            readTable(work, out.high_quantity, "high_quantity_anomalies", inRange("\"timestamp\""),
                      "\"timestamp\"",
                      "transaction_id::text, product_id, user_id, " + micros("\"timestamp\"") +
                          ", " + cents("total_amount") +
                          ", payment_method, country, quantity, "
                          "anomaly_reason, severity, " +
                          micros("detected_at") + ", " + micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          HighQuantityAnomalyRow row;
                          row.transaction_id = f.parsed(&parseUuid, Uuid{});
                          row.product_id = f.parsed(&parseProductId, ProductId{});
                          row.user_id = f.parsed(&parseUserId, UserId{});
                          row.timestamp = f.time();
                          row.total_amount = f.integer();
                          row.payment_method =
                              f.optionalName(&parsePaymentMethod, PaymentMethod::CreditCard);
                          row.country = f.optionalName(&parseCountry, Country::USA);
                          row.quantity = static_cast<std::uint32_t>(f.integer());
                          row.anomaly_reason = f.text();
                          row.severity = f.parsed(&parseSeverity, Severity::Medium);
                          row.detected_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
            readTable(work, out.suspicious, "suspicious_patterns", inRange("window_start"),
                      "window_start",
                      micros("window_start") + ", " + micros("window_end") +
                          ", user_id, country, transaction_count, " + cents("total_spent") +
                          ", avg_transaction::float8, " + cents("max_transaction") + ", " +
                          micros("first_transaction") + ", " + micros("last_transaction") +
                          ", anomaly_reason, severity, " + micros("detected_at") + ", " +
                          micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          SuspiciousPatternRow row;
                          row.window_start = f.time();
                          row.window_end = f.time();
                          row.user_id = f.parsed(&parseUserId, UserId{});
                          row.country = f.optionalName(&parseCountry, Country::USA);
                          row.transaction_count = static_cast<std::uint64_t>(f.integer());
                          row.total_spent = f.integer();
                          row.avg_transaction = f.real();
                          row.max_transaction = f.integer();
                          row.first_transaction = f.time();
                          row.last_transaction = f.time();
                          row.anomaly_reason = f.text();
                          row.severity = f.parsed(&parseSeverity, Severity::High);
                          row.detected_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
        }
        if ((tables & kStoredAbandonedCarts) != 0) {
            readTable(work, out.abandoned_carts, "abandoned_carts", inRange("window_start"),
                      "window_start",
                      micros("window_start") + ", " + micros("window_end") +
                          ", user_id, session_id::text, country, items_added, " +
                          cents("abandoned_cart_value") + ", " + micros("last_activity") +
                          ", total_events, " + micros("abandonment_detected_at") + ", " +
                          micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          AbandonedCartRow row;
                          row.window_start = f.time();
                          row.window_end = f.time();
                          row.user_id = f.parsed(&parseUserId, UserId{});
                          row.session_id = f.parsed(&parseUuid, Uuid{});
                          row.country = f.optionalName(&parseCountry, Country::USA);
                          row.items_added = static_cast<std::uint32_t>(f.integer());
                          row.abandoned_cart_value = f.integer();
                          row.last_activity = f.time();
                          row.total_events = static_cast<std::uint32_t>(f.integer());
                          row.abandonment_detected_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
        }
        if ((tables & kStoredAlertRows) != 0) {
            // An alert belongs to every range its occurrences overlap.
            readTable(work, out.alerts, "alerts",
                      "last_seen >= to_timestamp($1::double precision / 1e6) AND first_seen < "
                      "to_timestamp($2::double precision / 1e6)",
                      "last_seen",
                      "alert_id, kind, severity, subject, title, message, " + micros("first_seen") +
                          ", " + micros("last_seen") + ", occurrences, acknowledged",
                      from, to, limit, [](FieldReader& f) {
                          AlertRow row;
                          row.alert_id = f.parsed(&parseAlertId, std::uint64_t{0});
                          row.kind = f.parsed(&parseAlertKind, AlertKind::HighValue);
                          row.severity = f.parsed(&parseSeverity, Severity::Medium);
                          row.subject = f.text();
                          row.title = f.text();
                          row.message = f.text();
                          row.first_seen = f.time();
                          row.last_seen = f.time();
                          row.occurrences = static_cast<std::uint64_t>(f.integer());
                          row.acknowledged = f.boolean();
                          return row;
                      });
        }
        if ((tables & kStoredInventoryRows) != 0) {
            readTable(work, out.high_demand, "high_demand_alerts", inRange("window_start"),
                      "window_start",
                      micros("window_start") + ", " + micros("window_end") +
                          ", product_id, units_sold, " + cents("total_revenue") +
                          ", demand_level, " + micros("alert_generated_at") + ", " +
                          micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          HighDemandAlertRow row;
                          row.window_start = f.time();
                          row.window_end = f.time();
                          row.product_id = f.parsed(&parseProductId, ProductId{});
                          row.units_sold = f.integer();
                          row.total_revenue = f.integer();
                          row.demand_level = f.parsed(&parseSeverity, Severity::Medium);
                          row.alert_generated_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
            readTable(work, out.restock, "restock_alerts", inRange("window_start"), "window_start",
                      micros("window_start") + ", " + micros("window_end") +
                          ", product_id, country, units_sold, sales_rate_per_min, urgency, " +
                          micros("alert_generated_at") + ", " + micros("created_at"),
                      from, to, limit, [](FieldReader& f) {
                          RestockAlertRow row;
                          row.window_start = f.time();
                          row.window_end = f.time();
                          row.product_id = f.parsed(&parseProductId, ProductId{});
                          row.country = f.parsed(&parseCountry, Country::USA);
                          row.units_sold = f.integer();
                          row.sales_rate_per_min = f.real();
                          row.urgency = f.parsed(&parseSeverity, Severity::Low);
                          row.alert_generated_at = f.time();
                          row.created_at = f.time();
                          return row;
                      });
            readTable(
                work, out.low_stock, "low_stock_alerts", inRange("detected_at"), "detected_at",
                "product_id, " + micros("detected_at") + ", stock_on_hand, threshold, severity",
                from, to, limit, [](FieldReader& f) {
                    LowStockAlertRow row;
                    row.product_id = f.parsed(&parseProductId, ProductId{});
                    row.detected_at = f.time();
                    row.stock_on_hand = f.integer();
                    row.threshold = f.integer();
                    row.severity = f.parsed(&parseSeverity, Severity::High);
                    return row;
                });
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
