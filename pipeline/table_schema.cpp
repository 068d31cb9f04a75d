// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/table_schema.h"

#include "generator/search_queries.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace gm {
namespace {

struct TableInfo {
    std::string_view name;
    std::vector<std::string> columns;
};

const std::array<TableInfo, kTableCount>& tables() {
    static const std::array<TableInfo, kTableCount> infos{{
        {"sales_per_minute",
         {"window_start", "window_end", "total_transactions", "total_revenue", "avg_order_value",
          "created_at"}},
        {"sales_by_country",
         {"window_start", "window_end", "country", "total_transactions", "total_revenue",
          "avg_order_value", "created_at"}},
        {"cart_sessions",
         {"window_start", "window_end", "user_id", "session_id", "country", "add_count",
          "remove_count", "update_count", "checkout_count", "max_cart_value", "last_activity",
          "total_events", "session_completed", "created_at"}},
        {"cart_metrics",
         {"window_start", "window_end", "country", "total_cart_events", "adds", "removes",
          "updates", "checkouts", "avg_cart_value", "max_cart_value", "abandonment_rate_pct",
          "created_at"}},
        {"abandoned_carts",
         {"window_start", "window_end", "user_id", "session_id", "country", "items_added",
          "abandoned_cart_value", "last_activity", "total_events", "abandonment_detected_at",
          "created_at"}},
        {"trending_products",
         {"window_start", "window_end", "product_id", "product_name", "category", "view_count",
          "unique_viewers", "avg_view_duration", "product_price", "analyzed_at", "created_at"}},
        {"category_performance",
         {"window_start", "window_end", "category", "country", "total_views", "unique_users",
          "unique_products", "avg_view_duration", "avg_product_price", "created_at"}},
        {"search_behavior",
         {"window_start", "window_end", "search_query", "country", "search_count",
          "unique_searchers", "avg_results", "created_at"}},
        {"browsing_sessions",
         {"window_start", "window_end", "user_id", "session_id", "country", "views", "searches",
          "filters", "compares", "unique_products_viewed", "avg_view_duration", "first_activity",
          "last_activity", "total_events", "session_duration_sec", "created_at"}},
        {"high_value_anomalies",
         {"transaction_id", "user_id", "timestamp", "total_amount", "payment_method", "country",
          "anomaly_type", "anomaly_reason", "severity", "detected_at", "created_at"}},
        {"high_quantity_anomalies",
         {"transaction_id", "product_id", "user_id", "timestamp", "total_amount", "payment_method",
          "country", "quantity", "anomaly_type", "anomaly_reason", "severity", "detected_at",
          "created_at"}},
        {"suspicious_patterns",
         {"window_start", "window_end", "user_id", "country", "transaction_count", "total_spent",
          "avg_transaction", "max_transaction", "first_transaction", "last_transaction",
          "anomaly_type", "anomaly_reason", "severity", "detected_at", "created_at"}},
        {"anomaly_stats",
         {"window_start", "window_end", "country", "total_anomalies", "high_value_count",
          "high_quantity_count", "critical_count", "high_severity_count", "medium_severity_count",
          "created_at"}},
        {"product_sales_velocity",
         {"window_start", "window_end", "product_id", "units_sold", "total_revenue", "avg_price",
          "created_at"}},
        {"inventory_by_country",
         {"window_start", "window_end", "product_id", "country", "units_sold", "total_revenue",
          "created_at"}},
        {"high_demand_alerts",
         {"window_start", "window_end", "product_id", "units_sold", "total_revenue", "demand_level",
          "alert_generated_at", "created_at"}},
        {"restock_alerts",
         {"window_start", "window_end", "product_id", "country", "units_sold", "sales_rate_per_min",
          "urgency", "alert_generated_at", "created_at"}},
        {"inventory_metrics",
         {"window_start", "window_end", "country", "total_units_sold", "unique_products_sold",
          "total_revenue", "fast_moving_products", "created_at"}},
        {"stock_levels", {"product_id", "stock_on_hand", "updated_at"}},
        {"low_stock_alerts",
         {"product_id", "detected_at", "stock_on_hand", "threshold", "severity"}},
        {"alerts",
         {"alert_id", "kind", "severity", "subject", "title", "message", "first_seen", "last_seen",
          "occurrences", "acknowledged"}},
    }};
    return infos;
}

std::string ts(TimestampUs time) {
    return formatIsoTimestamp(time);
}
std::string num(std::uint64_t value) {
    return std::to_string(value);
}
std::string snum(std::int64_t value) {
    return std::to_string(value);
}
std::string boolean(bool value) {
    return value ? "true" : "false";
}
std::string user(UserId id) {
    return formatUserId(id);
}
std::string product(ProductId id) {
    return formatProductId(id);
}
std::string country(Country value) {
    return std::string(countryName(value));
}
std::string category(CategoryId id) {
    return std::string(categoryName(id));
}

} // namespace

std::string_view severityName(Severity severity) {
    switch (severity) {
    case Severity::Low:
        return "low";
    case Severity::Medium:
        return "medium";
    case Severity::High:
        return "high";
    case Severity::Critical:
        return "critical";
    }
    return "?";
}

std::string_view alertKindName(AlertKind kind) {
    switch (kind) {
    case AlertKind::HighValue:
        return "high_value";
    case AlertKind::HighQuantity:
        return "high_quantity";
    case AlertKind::SuspiciousPattern:
        return "suspicious_pattern";
    case AlertKind::HighDemand:
        return "high_demand";
    case AlertKind::Restock:
        return "restock";
    case AlertKind::LowStock:
        return "low_stock";
    }
    return "?";
}

std::string_view tableName(TableId table) {
    return tables()[static_cast<std::size_t>(table)].name;
}

std::optional<TableId> parseTableName(std::string_view name) {
    for (int i = 0; i < kTableCount; ++i) {
        if (tables()[static_cast<std::size_t>(i)].name == name) {
            return static_cast<TableId>(i);
        }
    }
    return std::nullopt;
}

const std::vector<std::string>& columns(TableId table) {
    return tables()[static_cast<std::size_t>(table)].columns;
}

bool isProcessingTimeColumn(std::string_view column) {
    return column == "created_at" || column == "detected_at" || column == "analyzed_at" ||
           column == "alert_generated_at" || column == "abandonment_detected_at" ||
           column == "updated_at";
}

std::string formatCents(Cents cents) {
    const bool negative = cents < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
    char text[32];
    std::snprintf(text, sizeof text, "%s%llu.%02llu", negative ? "-" : "",
                  static_cast<unsigned long long>(magnitude / 100),
                  static_cast<unsigned long long>(magnitude % 100));
    return text;
}

std::string formatDecimal2(double value) {
    // Round explicitly so that ties go away from zero whatever printf's rounding mode does.
    const double scaled = std::round(value * 100.0);
    const auto hundredths = static_cast<std::int64_t>(scaled);
    return formatCents(hundredths);
}

void appendFields(const SalesPerMinuteRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), num(r.total_transactions),
                formatCents(r.total_revenue), formatDecimal2(r.avg_order_value), ts(r.created_at)});
}

void appendFields(const SalesByCountryRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), country(r.country), num(r.total_transactions),
                formatCents(r.total_revenue), formatDecimal2(r.avg_order_value), ts(r.created_at)});
}

void appendFields(const CartSessionRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), user(r.user_id), toString(r.session_id),
                country(r.country), num(r.add_count), num(r.remove_count), num(r.update_count),
                num(r.checkout_count), formatCents(r.max_cart_value), ts(r.last_activity),
                num(r.total_events), boolean(r.session_completed), ts(r.created_at)});
}

void appendFields(const CartMetricsRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), country(r.country), num(r.total_cart_events),
                num(r.adds), num(r.removes), num(r.updates), num(r.checkouts),
                formatDecimal2(r.avg_cart_value), formatCents(r.max_cart_value),
                formatDecimal2(r.abandonment_rate_pct), ts(r.created_at)});
}

void appendFields(const AbandonedCartRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {ts(r.window_start), ts(r.window_end), user(r.user_id),
                           toString(r.session_id), country(r.country), num(r.items_added),
                           formatCents(r.abandoned_cart_value), ts(r.last_activity),
                           num(r.total_events), ts(r.abandonment_detected_at), ts(r.created_at)});
}

void appendFields(const TrendingProductRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {ts(r.window_start), ts(r.window_end), product(r.product_id),
                           r.product_name, category(r.category), num(r.view_count),
                           num(r.unique_viewers), formatDecimal2(r.avg_view_duration),
                           formatCents(r.product_price), ts(r.analyzed_at), ts(r.created_at)});
}

void appendFields(const CategoryPerformanceRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {ts(r.window_start), ts(r.window_end), category(r.category),
                           country(r.country), num(r.total_views), num(r.unique_users),
                           num(r.unique_products), formatDecimal2(r.avg_view_duration),
                           formatDecimal2(r.avg_product_price), ts(r.created_at)});
}

void appendFields(const SearchBehaviorRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {ts(r.window_start), ts(r.window_end),
                           std::string(QueryTable::global().text(r.search_query)),
                           country(r.country), num(r.search_count), num(r.unique_searchers),
                           formatDecimal2(r.avg_results), ts(r.created_at)});
}

void appendFields(const BrowsingSessionRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), user(r.user_id), toString(r.session_id),
                country(r.country), num(r.views), num(r.searches), num(r.filters), num(r.compares),
                num(r.unique_products_viewed),
                r.avg_view_duration ? formatDecimal2(*r.avg_view_duration) : std::string(),
                ts(r.first_activity), ts(r.last_activity), num(r.total_events),
                snum(r.session_duration_sec), ts(r.created_at)});
}

void appendFields(const HighValueAnomalyRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {toString(r.transaction_id), user(r.user_id), ts(r.timestamp),
                formatCents(r.total_amount), std::string(paymentMethodName(r.payment_method)),
                country(r.country), "high_value", r.anomaly_reason,
                std::string(severityName(r.severity)), ts(r.detected_at), ts(r.created_at)});
}

void appendFields(const HighQuantityAnomalyRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {toString(r.transaction_id), product(r.product_id), user(r.user_id), ts(r.timestamp),
                formatCents(r.total_amount), std::string(paymentMethodName(r.payment_method)),
                country(r.country), num(r.quantity), "high_quantity", r.anomaly_reason,
                std::string(severityName(r.severity)), ts(r.detected_at), ts(r.created_at)});
}

void appendFields(const SuspiciousPatternRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {ts(r.window_start), ts(r.window_end), user(r.user_id),
                           country(r.country), num(r.transaction_count), formatCents(r.total_spent),
                           formatDecimal2(r.avg_transaction), formatCents(r.max_transaction),
                           ts(r.first_transaction), ts(r.last_transaction), "suspicious_pattern",
                           r.anomaly_reason, std::string(severityName(r.severity)),
                           ts(r.detected_at), ts(r.created_at)});
}

void appendFields(const AnomalyStatsRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), country(r.country), num(r.total_anomalies),
                num(r.high_value_count), num(r.high_quantity_count), num(r.critical_count),
                num(r.high_severity_count), num(r.medium_severity_count), ts(r.created_at)});
}

void appendFields(const ProductSalesVelocityRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), product(r.product_id), snum(r.units_sold),
                formatCents(r.total_revenue), formatDecimal2(r.avg_price), ts(r.created_at)});
}

void appendFields(const InventoryByCountryRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), product(r.product_id), country(r.country),
                snum(r.units_sold), formatCents(r.total_revenue), ts(r.created_at)});
}

void appendFields(const HighDemandAlertRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), product(r.product_id), snum(r.units_sold),
                formatCents(r.total_revenue), std::string(severityName(r.demand_level)),
                ts(r.alert_generated_at), ts(r.created_at)});
}

void appendFields(const RestockAlertRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), product(r.product_id), country(r.country),
                snum(r.units_sold), formatDecimal2(r.sales_rate_per_min),
                std::string(severityName(r.urgency)), ts(r.alert_generated_at), ts(r.created_at)});
}

void appendFields(const InventoryMetricsRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {ts(r.window_start), ts(r.window_end), country(r.country), snum(r.total_units_sold),
                num(r.unique_products_sold), formatCents(r.total_revenue),
                num(r.fast_moving_products), ts(r.created_at)});
}

void appendFields(const StockLevelRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {product(r.product_id), snum(r.stock_on_hand), ts(r.updated_at)});
}

void appendFields(const LowStockAlertRow& r, std::vector<std::string>& out) {
    out.insert(out.end(), {product(r.product_id), ts(r.detected_at), snum(r.stock_on_hand),
                           snum(r.threshold), std::string(severityName(r.severity))});
}

void appendFields(const AlertRow& r, std::vector<std::string>& out) {
    out.insert(out.end(),
               {num(r.alert_id), std::string(alertKindName(r.kind)),
                std::string(severityName(r.severity)), r.subject, r.title, r.message,
                ts(r.first_seen), ts(r.last_seen), num(r.occurrences), boolean(r.acknowledged)});
}

std::vector<std::vector<std::string>> tableText(const RowBatch& batch, TableId table) {
    std::vector<std::vector<std::string>> text;
    batch.forEachTable([&](const auto& rows) {
        using Row = typename std::decay_t<decltype(rows)>::value_type;
        if (Row::kTable != table) {
            return;
        }
        text.reserve(rows.size());
        for (const auto& row : rows) {
            text.push_back(rowFields(row));
        }
    });
    return text;
}

std::size_t RowBatch::rowCount() const {
    std::size_t count = 0;
    forEachTable([&](const auto& rows) { count += rows.size(); });
    return count;
}

void RowBatch::clear() {
    forEachTable([](auto& rows) { rows.clear(); });
}

void RowBatch::append(const RowBatch& other) {
    // Every table has its own row type, so the type pairs the two vectors up.
    forEachTable([&](auto& rows) {
        using Vector = std::decay_t<decltype(rows)>;
        other.forEachTable([&](const auto& other_rows) {
            if constexpr (std::is_same_v<std::decay_t<decltype(other_rows)>, Vector>) {
                rows.insert(rows.end(), other_rows.begin(), other_rows.end());
            }
        });
    });
}

} // namespace gm
