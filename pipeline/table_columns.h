// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/table_descriptor.h"

#include <array>
#include <string_view>

// The output tables of docs/realtime-tables.md (18) and the stock and alert tables (3), each
// described once: SQL column name, type, key, nullability and which field of the row it holds
// as what kind of value (as::time, as::money, as::country, …: how it renders as text, what typed
// value the models show, how a stored value reads back), in the column order of CSV files and
// COPY. The drill-down models (models/snapshot_tables.cpp) and the stored-row reader
// (pipeline/postgres/range_rows.cpp) are derived from these too. sql/migrations must create exactly
// these columns (tests/db/tst_table_descriptors compares them with information_schema).
namespace gm {

// The anomaly_type of every row of an anomaly table.
inline constexpr std::string_view kHighValueType = "high_value";
inline constexpr std::string_view kHighQuantityType = "high_quantity";
inline constexpr std::string_view kSuspiciousPatternType = "suspicious_pattern";

template <> struct TableColumns<SalesPerMinuteRow> {
    using R = SalesPerMinuteRow;
    static constexpr std::string_view kName = "sales_per_minute";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::count<&R::total_transactions>>("total_transactions", SqlType::BigInt, Key::No,
                                                  Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::decimal2<&R::avg_order_value>>("avg_order_value", SqlType::Money, Key::No,
                                                  Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<SalesByCountryRow> {
    using R = SalesByCountryRow;
    static constexpr std::string_view kName = "sales_by_country";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::total_transactions>>("total_transactions", SqlType::BigInt, Key::No,
                                                  Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::decimal2<&R::avg_order_value>>("avg_order_value", SqlType::Money, Key::No,
                                                  Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<CartSessionRow> {
    using R = CartSessionRow;
    static constexpr std::string_view kName = "cart_sessions";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::Yes, Null::No),
        column<as::uuid<&R::session_id>>("session_id", SqlType::Uuid, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::add_count>>("add_count", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::remove_count>>("remove_count", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::update_count>>("update_count", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::checkout_count>>("checkout_count", SqlType::Integer, Key::No,
                                              Null::No),
        column<as::money<&R::max_cart_value>>("max_cart_value", SqlType::Money, Key::No, Null::Yes),
        column<as::time<&R::last_activity>>("last_activity", SqlType::Timestamptz, Key::No,
                                            Null::Yes),
        column<as::count<&R::total_events>>("total_events", SqlType::Integer, Key::No, Null::No),
        column<as::boolean<&R::session_completed>>("session_completed", SqlType::Boolean, Key::No,
                                                   Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<CartMetricsRow> {
    using R = CartMetricsRow;
    static constexpr std::string_view kName = "cart_metrics";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::total_cart_events>>("total_cart_events", SqlType::BigInt, Key::No,
                                                 Null::No),
        column<as::count<&R::adds>>("adds", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::removes>>("removes", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::updates>>("updates", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::checkouts>>("checkouts", SqlType::BigInt, Key::No, Null::No),
        column<as::decimal2<&R::avg_cart_value>>("avg_cart_value", SqlType::Money, Key::No,
                                                 Null::Yes),
        column<as::money<&R::max_cart_value>>("max_cart_value", SqlType::Money, Key::No, Null::Yes),
        column<as::decimal2<&R::abandonment_rate_pct>>("abandonment_rate_pct", SqlType::Double,
                                                       Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<AbandonedCartRow> {
    using R = AbandonedCartRow;
    static constexpr std::string_view kName = "abandoned_carts";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::Yes, Null::No),
        column<as::uuid<&R::session_id>>("session_id", SqlType::Uuid, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::items_added>>("items_added", SqlType::Integer, Key::No, Null::No),
        column<as::money<&R::abandoned_cart_value>>("abandoned_cart_value", SqlType::Money, Key::No,
                                                    Null::No),
        column<as::time<&R::last_activity>>("last_activity", SqlType::Timestamptz, Key::No,
                                            Null::No),
        column<as::count<&R::total_events>>("total_events", SqlType::Integer, Key::No, Null::No),
        column<as::time<&R::abandonment_detected_at>>("abandonment_detected_at",
                                                      SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<TrendingProductRow> {
    using R = TrendingProductRow;
    static constexpr std::string_view kName = "trending_products";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::string<&R::product_name>>("product_name", SqlType::Text, Key::No, Null::Yes),
        column<as::category<&R::category>>("category", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::view_count>>("view_count", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::unique_viewers>>("unique_viewers", SqlType::BigInt, Key::No, Null::No),
        column<as::decimal2<&R::avg_view_duration>>("avg_view_duration", SqlType::Double, Key::No,
                                                    Null::Yes),
        column<as::money<&R::product_price>>("product_price", SqlType::Money, Key::No, Null::Yes),
        column<as::time<&R::analyzed_at>>("analyzed_at", SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<CategoryPerformanceRow> {
    using R = CategoryPerformanceRow;
    static constexpr std::string_view kName = "category_performance";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::category<&R::category>>("category", SqlType::Text, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::total_views>>("total_views", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::unique_users>>("unique_users", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::unique_products>>("unique_products", SqlType::BigInt, Key::No,
                                               Null::No),
        column<as::decimal2<&R::avg_view_duration>>("avg_view_duration", SqlType::Double, Key::No,
                                                    Null::Yes),
        column<as::decimal2<&R::avg_product_price>>("avg_product_price", SqlType::Money, Key::No,
                                                    Null::Yes),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<SearchBehaviorRow> {
    using R = SearchBehaviorRow;
    static constexpr std::string_view kName = "search_behavior";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::query<&R::search_query>>("search_query", SqlType::Text, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::search_count>>("search_count", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::unique_searchers>>("unique_searchers", SqlType::BigInt, Key::No,
                                                Null::No),
        column<as::decimal2<&R::avg_results>>("avg_results", SqlType::Double, Key::No, Null::Yes),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<BrowsingSessionRow> {
    using R = BrowsingSessionRow;
    static constexpr std::string_view kName = "browsing_sessions";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::Yes, Null::No),
        column<as::uuid<&R::session_id>>("session_id", SqlType::Uuid, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::views>>("views", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::searches>>("searches", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::filters>>("filters", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::compares>>("compares", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::unique_products_viewed>>("unique_products_viewed", SqlType::Integer,
                                                      Key::No, Null::No),
        column<as::decimal2<&R::avg_view_duration>>("avg_view_duration", SqlType::Double, Key::No,
                                                    Null::Yes),
        column<as::time<&R::first_activity>>("first_activity", SqlType::Timestamptz, Key::No,
                                             Null::No),
        column<as::time<&R::last_activity>>("last_activity", SqlType::Timestamptz, Key::No,
                                            Null::No),
        column<as::count<&R::total_events>>("total_events", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::session_duration_sec>>("session_duration_sec", SqlType::BigInt,
                                                    Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<HighValueAnomalyRow> {
    using R = HighValueAnomalyRow;
    static constexpr std::string_view kName = "high_value_anomalies";
    static constexpr std::array kColumns{
        column<as::uuid<&R::transaction_id>>("transaction_id", SqlType::Uuid, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::timestamp>>("timestamp", SqlType::Timestamptz, Key::No, Null::No),
        column<as::money<&R::total_amount>>("total_amount", SqlType::Money, Key::No, Null::No),
        column<as::payment_method<&R::payment_method>>("payment_method", SqlType::Text, Key::No,
                                                       Null::Yes),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        constantColumn<R, kHighValueType>("anomaly_type", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::anomaly_reason>>("anomaly_reason", SqlType::Text, Key::No, Null::Yes),
        column<as::severity<&R::severity>>("severity", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::detected_at>>("detected_at", SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<HighQuantityAnomalyRow> {
    using R = HighQuantityAnomalyRow;
    static constexpr std::string_view kName = "high_quantity_anomalies";
    static constexpr std::array kColumns{
        column<as::uuid<&R::transaction_id>>("transaction_id", SqlType::Uuid, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::timestamp>>("timestamp", SqlType::Timestamptz, Key::No, Null::No),
        column<as::money<&R::total_amount>>("total_amount", SqlType::Money, Key::No, Null::Yes),
        column<as::payment_method<&R::payment_method>>("payment_method", SqlType::Text, Key::No,
                                                       Null::Yes),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::quantity>>("quantity", SqlType::Integer, Key::No, Null::No),
        constantColumn<R, kHighQuantityType>("anomaly_type", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::anomaly_reason>>("anomaly_reason", SqlType::Text, Key::No, Null::Yes),
        column<as::severity<&R::severity>>("severity", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::detected_at>>("detected_at", SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<SuspiciousPatternRow> {
    using R = SuspiciousPatternRow;
    static constexpr std::string_view kName = "suspicious_patterns";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::user<&R::user_id>>("user_id", SqlType::Text, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::No, Null::Yes),
        column<as::count<&R::transaction_count>>("transaction_count", SqlType::Integer, Key::No,
                                                 Null::No),
        column<as::money<&R::total_spent>>("total_spent", SqlType::Money, Key::No, Null::No),
        column<as::decimal2<&R::avg_transaction>>("avg_transaction", SqlType::Money, Key::No,
                                                  Null::No),
        column<as::money<&R::max_transaction>>("max_transaction", SqlType::Money, Key::No,
                                               Null::No),
        column<as::time<&R::first_transaction>>("first_transaction", SqlType::Timestamptz, Key::No,
                                                Null::No),
        column<as::time<&R::last_transaction>>("last_transaction", SqlType::Timestamptz, Key::No,
                                               Null::No),
        constantColumn<R, kSuspiciousPatternType>("anomaly_type", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::anomaly_reason>>("anomaly_reason", SqlType::Text, Key::No, Null::Yes),
        column<as::severity<&R::severity>>("severity", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::detected_at>>("detected_at", SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<AnomalyStatsRow> {
    using R = AnomalyStatsRow;
    static constexpr std::string_view kName = "anomaly_stats";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::total_anomalies>>("total_anomalies", SqlType::BigInt, Key::No,
                                               Null::No),
        column<as::count<&R::high_value_count>>("high_value_count", SqlType::BigInt, Key::No,
                                                Null::No),
        column<as::count<&R::high_quantity_count>>("high_quantity_count", SqlType::BigInt, Key::No,
                                                   Null::No),
        column<as::count<&R::critical_count>>("critical_count", SqlType::BigInt, Key::No, Null::No),
        column<as::count<&R::high_severity_count>>("high_severity_count", SqlType::BigInt, Key::No,
                                                   Null::No),
        column<as::count<&R::medium_severity_count>>("medium_severity_count", SqlType::BigInt,
                                                     Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<ProductSalesVelocityRow> {
    using R = ProductSalesVelocityRow;
    static constexpr std::string_view kName = "product_sales_velocity";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::units_sold>>("units_sold", SqlType::BigInt, Key::No, Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::decimal2<&R::avg_price>>("avg_price", SqlType::Money, Key::No, Null::Yes),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<InventoryByCountryRow> {
    using R = InventoryByCountryRow;
    static constexpr std::string_view kName = "inventory_by_country";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::units_sold>>("units_sold", SqlType::BigInt, Key::No, Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<HighDemandAlertRow> {
    using R = HighDemandAlertRow;
    static constexpr std::string_view kName = "high_demand_alerts";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::units_sold>>("units_sold", SqlType::BigInt, Key::No, Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::severity<&R::demand_level>>("demand_level", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::alert_generated_at>>("alert_generated_at", SqlType::Timestamptz,
                                                 Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<RestockAlertRow> {
    using R = RestockAlertRow;
    static constexpr std::string_view kName = "restock_alerts";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::units_sold>>("units_sold", SqlType::BigInt, Key::No, Null::No),
        column<as::decimal2<&R::sales_rate_per_min>>("sales_rate_per_min", SqlType::Double, Key::No,
                                                     Null::No),
        column<as::severity<&R::urgency>>("urgency", SqlType::Text, Key::No, Null::No),
        column<as::time<&R::alert_generated_at>>("alert_generated_at", SqlType::Timestamptz,
                                                 Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<InventoryMetricsRow> {
    using R = InventoryMetricsRow;
    static constexpr std::string_view kName = "inventory_metrics";
    static constexpr std::array kColumns{
        column<as::time<&R::window_start>>("window_start", SqlType::Timestamptz, Key::Yes,
                                           Null::No),
        column<as::time<&R::window_end>>("window_end", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::country<&R::country>>("country", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::total_units_sold>>("total_units_sold", SqlType::BigInt, Key::No,
                                                Null::No),
        column<as::count<&R::unique_products_sold>>("unique_products_sold", SqlType::BigInt,
                                                    Key::No, Null::No),
        column<as::money<&R::total_revenue>>("total_revenue", SqlType::Money, Key::No, Null::No),
        column<as::count<&R::fast_moving_products>>("fast_moving_products", SqlType::BigInt,
                                                    Key::No, Null::No),
        column<as::time<&R::created_at>>("created_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<StockLevelRow> {
    using R = StockLevelRow;
    static constexpr std::string_view kName = "stock_levels";
    static constexpr std::array kColumns{
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::count<&R::stock_on_hand>>("stock_on_hand", SqlType::Integer, Key::No, Null::No),
        column<as::time<&R::updated_at>>("updated_at", SqlType::Timestamptz, Key::No, Null::No),
    };
};

template <> struct TableColumns<LowStockAlertRow> {
    using R = LowStockAlertRow;
    static constexpr std::string_view kName = "low_stock_alerts";
    static constexpr std::array kColumns{
        column<as::product<&R::product_id>>("product_id", SqlType::Text, Key::Yes, Null::No),
        column<as::time<&R::detected_at>>("detected_at", SqlType::Timestamptz, Key::Yes, Null::No),
        column<as::count<&R::stock_on_hand>>("stock_on_hand", SqlType::Integer, Key::No, Null::No),
        column<as::count<&R::threshold>>("threshold", SqlType::Integer, Key::No, Null::No),
        column<as::severity<&R::severity>>("severity", SqlType::Text, Key::No, Null::No),
    };
};

template <> struct TableColumns<AlertRow> {
    using R = AlertRow;
    static constexpr std::string_view kName = "alerts";
    static constexpr std::array kColumns{
        column<as::alert_id<&R::alert_id>>("alert_id", SqlType::Text, Key::Yes, Null::No),
        column<as::alert_kind<&R::kind>>("kind", SqlType::Text, Key::No, Null::No),
        column<as::severity<&R::severity>>("severity", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::subject>>("subject", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::title>>("title", SqlType::Text, Key::No, Null::No),
        column<as::string<&R::message>>("message", SqlType::Text, Key::No, Null::Yes),
        column<as::time<&R::first_seen>>("first_seen", SqlType::Timestamptz, Key::No, Null::No),
        column<as::time<&R::last_seen>>("last_seen", SqlType::Timestamptz, Key::No, Null::No),
        column<as::count<&R::occurrences>>("occurrences", SqlType::Integer, Key::No, Null::No),
        column<as::boolean<&R::acknowledged>>("acknowledged", SqlType::Boolean, Key::No, Null::No),
    };
    // Set by the analyst's acknowledgement (sql/migrations/0006), never by the pipeline.
    static constexpr std::array<std::string_view, 1> kDatabaseOnly{"acknowledged_at"};
};
} // namespace gm
