// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// One struct per output table of docs/realtime-tables.md, fields in column order. Money stays in
// cents; averages are doubles computed once, at emission, from exact integer sums, so a row does
// not depend on the order in which events arrived or on the number of workers.
namespace gm {

enum class TableId : std::uint8_t {
    SalesPerMinute,
    SalesByCountry,
    CartSessions,
    CartMetrics,
    AbandonedCarts,
    TrendingProducts,
    CategoryPerformance,
    SearchBehavior,
    BrowsingSessions,
    HighValueAnomalies,
    HighQuantityAnomalies,
    SuspiciousPatterns,
    AnomalyStats,
    ProductSalesVelocity,
    InventoryByCountry,
    HighDemandAlerts,
    RestockAlerts,
    InventoryMetrics,
    StockLevels,
    LowStockAlerts,
    Alerts,
};
inline constexpr int kTableCount = 21;

// Severity, demand level and urgency share one ordered scale.
enum class Severity : std::uint8_t { Low, Medium, High, Critical };
std::string_view severityName(Severity severity); // "low", "medium", "high", "critical"

enum class AlertKind : std::uint8_t {
    HighValue,
    HighQuantity,
    SuspiciousPattern,
    HighDemand,
    Restock,
    LowStock
};
std::string_view alertKindName(AlertKind kind); // "high_value", ...

struct SalesPerMinuteRow {
    static constexpr TableId kTable = TableId::SalesPerMinute;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    std::uint64_t total_transactions = 0;
    Cents total_revenue = 0;
    double avg_order_value = 0; // dollars
    TimestampUs created_at = 0;
};

struct SalesByCountryRow {
    static constexpr TableId kTable = TableId::SalesByCountry;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    Country country = Country::USA;
    std::uint64_t total_transactions = 0;
    Cents total_revenue = 0;
    double avg_order_value = 0;
    TimestampUs created_at = 0;
};

struct CartSessionRow {
    static constexpr TableId kTable = TableId::CartSessions;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    UserId user_id = 0;
    Uuid session_id;
    Country country = Country::USA;
    std::uint32_t add_count = 0;
    std::uint32_t remove_count = 0;
    std::uint32_t update_count = 0;
    std::uint32_t checkout_count = 0;
    Cents max_cart_value = 0;
    TimestampUs last_activity = 0;
    std::uint32_t total_events = 0;
    bool session_completed = false;
    TimestampUs created_at = 0;
};

struct CartMetricsRow {
    static constexpr TableId kTable = TableId::CartMetrics;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    Country country = Country::USA;
    std::uint64_t total_cart_events = 0;
    std::uint64_t adds = 0;
    std::uint64_t removes = 0;
    std::uint64_t updates = 0;
    std::uint64_t checkouts = 0;
    double avg_cart_value = 0; // dollars
    Cents max_cart_value = 0;
    double abandonment_rate_pct = 0;
    TimestampUs created_at = 0;
};

struct AbandonedCartRow {
    static constexpr TableId kTable = TableId::AbandonedCarts;
    TimestampUs window_start = 0; // first cart event of the session
    TimestampUs window_end = 0;   // last activity + abandonment timeout
    UserId user_id = 0;
    Uuid session_id;
    Country country = Country::USA;
    std::uint32_t items_added = 0;
    Cents abandoned_cart_value = 0;
    TimestampUs last_activity = 0;
    std::uint32_t total_events = 0;
    TimestampUs abandonment_detected_at = 0;
    TimestampUs created_at = 0;
};

struct TrendingProductRow {
    static constexpr TableId kTable = TableId::TrendingProducts;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    ProductId product_id = 0;
    std::string product_name;
    CategoryId category = 0;
    std::uint64_t view_count = 0;
    std::uint64_t unique_viewers = 0;
    double avg_view_duration = 0; // seconds
    Cents product_price = 0;
    TimestampUs analyzed_at = 0;
    TimestampUs created_at = 0;
};

struct CategoryPerformanceRow {
    static constexpr TableId kTable = TableId::CategoryPerformance;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    CategoryId category = 0;
    Country country = Country::USA;
    std::uint64_t total_views = 0;
    std::uint64_t unique_users = 0;
    std::uint64_t unique_products = 0;
    double avg_view_duration = 0;
    double avg_product_price = 0; // dollars
    TimestampUs created_at = 0;
};

struct SearchBehaviorRow {
    static constexpr TableId kTable = TableId::SearchBehavior;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    QueryId search_query = kNoQuery;
    Country country = Country::USA;
    std::uint64_t search_count = 0;
    std::uint64_t unique_searchers = 0;
    double avg_results = 0;
    TimestampUs created_at = 0;
};

struct BrowsingSessionRow {
    static constexpr TableId kTable = TableId::BrowsingSessions;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    UserId user_id = 0;
    Uuid session_id;
    Country country = Country::USA;
    std::uint32_t views = 0;
    std::uint32_t searches = 0;
    std::uint32_t filters = 0;
    std::uint32_t compares = 0;
    std::uint32_t unique_products_viewed = 0;
    std::optional<double> avg_view_duration; // null without view events
    TimestampUs first_activity = 0;
    TimestampUs last_activity = 0;
    std::uint32_t total_events = 0;
    std::int64_t session_duration_sec = 0;
    TimestampUs created_at = 0;
};

struct HighValueAnomalyRow {
    static constexpr TableId kTable = TableId::HighValueAnomalies;
    Uuid transaction_id;
    UserId user_id = 0;
    TimestampUs timestamp = 0;
    Cents total_amount = 0;
    PaymentMethod payment_method = PaymentMethod::CreditCard;
    Country country = Country::USA;
    std::string anomaly_reason;
    Severity severity = Severity::Medium;
    TimestampUs detected_at = 0;
    TimestampUs created_at = 0;
};

struct HighQuantityAnomalyRow {
    static constexpr TableId kTable = TableId::HighQuantityAnomalies;
    Uuid transaction_id;
    ProductId product_id = 0;
    UserId user_id = 0;
    TimestampUs timestamp = 0;
    Cents total_amount = 0;
    PaymentMethod payment_method = PaymentMethod::CreditCard;
    Country country = Country::USA;
    std::uint32_t quantity = 0;
    std::string anomaly_reason;
    Severity severity = Severity::Medium;
    TimestampUs detected_at = 0;
    TimestampUs created_at = 0;
};

struct SuspiciousPatternRow {
    static constexpr TableId kTable = TableId::SuspiciousPatterns;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    UserId user_id = 0;
    Country country = Country::USA;
    std::uint64_t transaction_count = 0;
    Cents total_spent = 0;
    double avg_transaction = 0; // dollars
    Cents max_transaction = 0;
    TimestampUs first_transaction = 0;
    TimestampUs last_transaction = 0;
    std::string anomaly_reason;
    Severity severity = Severity::High;
    TimestampUs detected_at = 0;
    TimestampUs created_at = 0;
};

struct AnomalyStatsRow {
    static constexpr TableId kTable = TableId::AnomalyStats;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    Country country = Country::USA;
    std::uint64_t total_anomalies = 0;
    std::uint64_t high_value_count = 0;
    std::uint64_t high_quantity_count = 0;
    std::uint64_t critical_count = 0;
    std::uint64_t high_severity_count = 0;
    std::uint64_t medium_severity_count = 0;
    TimestampUs created_at = 0;
};

struct ProductSalesVelocityRow {
    static constexpr TableId kTable = TableId::ProductSalesVelocity;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    ProductId product_id = 0;
    std::int64_t units_sold = 0;
    Cents total_revenue = 0;
    double avg_price = 0; // dollars per unit
    TimestampUs created_at = 0;
};

struct InventoryByCountryRow {
    static constexpr TableId kTable = TableId::InventoryByCountry;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    ProductId product_id = 0;
    Country country = Country::USA;
    std::int64_t units_sold = 0;
    Cents total_revenue = 0;
    TimestampUs created_at = 0;
};

struct HighDemandAlertRow {
    static constexpr TableId kTable = TableId::HighDemandAlerts;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    ProductId product_id = 0;
    std::int64_t units_sold = 0;
    Cents total_revenue = 0;
    Severity demand_level = Severity::Medium;
    TimestampUs alert_generated_at = 0;
    TimestampUs created_at = 0;
};

struct RestockAlertRow {
    static constexpr TableId kTable = TableId::RestockAlerts;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    ProductId product_id = 0;
    Country country = Country::USA;
    std::int64_t units_sold = 0;
    double sales_rate_per_min = 0;
    Severity urgency = Severity::Low;
    TimestampUs alert_generated_at = 0;
    TimestampUs created_at = 0;
};

struct InventoryMetricsRow {
    static constexpr TableId kTable = TableId::InventoryMetrics;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    Country country = Country::USA;
    std::int64_t total_units_sold = 0;
    std::uint64_t unique_products_sold = 0;
    Cents total_revenue = 0;
    std::uint64_t fast_moving_products = 0;
    TimestampUs created_at = 0;
};

struct StockLevelRow {
    static constexpr TableId kTable = TableId::StockLevels;
    ProductId product_id = 0;
    std::int64_t stock_on_hand = 0;
    TimestampUs updated_at = 0;
};

struct LowStockAlertRow {
    static constexpr TableId kTable = TableId::LowStockAlerts;
    ProductId product_id = 0;
    TimestampUs detected_at = 0;
    std::int64_t stock_on_hand = 0;
    std::int64_t threshold = 0;
    Severity severity = Severity::High;
};

struct AlertRow {
    static constexpr TableId kTable = TableId::Alerts;
    std::uint64_t alert_id = 0;
    AlertKind kind = AlertKind::HighValue;
    Severity severity = Severity::Medium;
    std::string subject;
    std::string title;
    std::string message;
    TimestampUs first_seen = 0; // event time
    TimestampUs last_seen = 0;
    std::uint64_t occurrences = 0;
    bool acknowledged = false;
};

// Rows produced together (one input batch, an idle advance or the final flush), each table's
// rows sorted by key. Sinks receive these.
struct RowBatch {
    std::vector<SalesPerMinuteRow> sales_per_minute;
    std::vector<SalesByCountryRow> sales_by_country;
    std::vector<CartSessionRow> cart_sessions;
    std::vector<CartMetricsRow> cart_metrics;
    std::vector<AbandonedCartRow> abandoned_carts;
    std::vector<TrendingProductRow> trending_products;
    std::vector<CategoryPerformanceRow> category_performance;
    std::vector<SearchBehaviorRow> search_behavior;
    std::vector<BrowsingSessionRow> browsing_sessions;
    std::vector<HighValueAnomalyRow> high_value_anomalies;
    std::vector<HighQuantityAnomalyRow> high_quantity_anomalies;
    std::vector<SuspiciousPatternRow> suspicious_patterns;
    std::vector<AnomalyStatsRow> anomaly_stats;
    std::vector<ProductSalesVelocityRow> product_sales_velocity;
    std::vector<InventoryByCountryRow> inventory_by_country;
    std::vector<HighDemandAlertRow> high_demand_alerts;
    std::vector<RestockAlertRow> restock_alerts;
    std::vector<InventoryMetricsRow> inventory_metrics;
    std::vector<StockLevelRow> stock_levels;
    std::vector<LowStockAlertRow> low_stock_alerts;
    std::vector<AlertRow> alerts;

    // Calls f(vector) for every table, in TableId order.
    template <typename F> void forEachTable(F&& f) { forEachImpl(*this, std::forward<F>(f)); }
    template <typename F> void forEachTable(F&& f) const { forEachImpl(*this, std::forward<F>(f)); }
    std::size_t rowCount() const;
    bool empty() const { return rowCount() == 0; }
    void clear();
    // Appends other's rows table by table.
    void append(const RowBatch& other);

private:
    template <typename Self, typename F> static void forEachImpl(Self& self, F&& f) {
        f(self.sales_per_minute);
        f(self.sales_by_country);
        f(self.cart_sessions);
        f(self.cart_metrics);
        f(self.abandoned_carts);
        f(self.trending_products);
        f(self.category_performance);
        f(self.search_behavior);
        f(self.browsing_sessions);
        f(self.high_value_anomalies);
        f(self.high_quantity_anomalies);
        f(self.suspicious_patterns);
        f(self.anomaly_stats);
        f(self.product_sales_velocity);
        f(self.inventory_by_country);
        f(self.high_demand_alerts);
        f(self.restock_alerts);
        f(self.inventory_metrics);
        f(self.stock_levels);
        f(self.low_stock_alerts);
        f(self.alerts);
    }
};

} // namespace gm
