// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/table_descriptor.h"

#include <array>
#include <string_view>

// The output tables of docs/realtime-tables.md (18) and the stock and alert tables (3), each
// described once: SQL column name, type, key, nullability and text rendering, in the column
// order of CSV files and COPY. sql/migrations must create exactly these columns
// (tests/db/tst_table_descriptors compares them with information_schema).
namespace gm {

template <> struct TableColumns<SalesPerMinuteRow> {
    using R = SalesPerMinuteRow;
    static constexpr std::string_view kName = "sales_per_minute";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"total_transactions", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_transactions); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"avg_order_value", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::decimal2(r.avg_order_value); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<SalesByCountryRow> {
    using R = SalesByCountryRow;
    static constexpr std::string_view kName = "sales_by_country";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"total_transactions", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_transactions); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"avg_order_value", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::decimal2(r.avg_order_value); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<CartSessionRow> {
    using R = CartSessionRow;
    static constexpr std::string_view kName = "cart_sessions";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"user_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"session_id", SqlType::Uuid, Key::Yes, Null::No,
                  [](const R& r) { return text::uuid(r.session_id); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"add_count", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.add_count); }},
        Column<R>{"remove_count", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.remove_count); }},
        Column<R>{"update_count", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.update_count); }},
        Column<R>{"checkout_count", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.checkout_count); }},
        Column<R>{"max_cart_value", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::money(r.max_cart_value); }},
        Column<R>{"last_activity", SqlType::Timestamptz, Key::No, Null::Yes,
                  [](const R& r) { return text::time(r.last_activity); }},
        Column<R>{"total_events", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_events); }},
        Column<R>{"session_completed", SqlType::Boolean, Key::No, Null::No,
                  [](const R& r) { return text::boolean(r.session_completed); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<CartMetricsRow> {
    using R = CartMetricsRow;
    static constexpr std::string_view kName = "cart_metrics";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"total_cart_events", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_cart_events); }},
        Column<R>{"adds", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.adds); }},
        Column<R>{"removes", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.removes); }},
        Column<R>{"updates", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.updates); }},
        Column<R>{"checkouts", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.checkouts); }},
        Column<R>{"avg_cart_value", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_cart_value); }},
        Column<R>{"max_cart_value", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::money(r.max_cart_value); }},
        Column<R>{"abandonment_rate_pct", SqlType::Double, Key::No, Null::No,
                  [](const R& r) { return text::decimal2(r.abandonment_rate_pct); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<AbandonedCartRow> {
    using R = AbandonedCartRow;
    static constexpr std::string_view kName = "abandoned_carts";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"user_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"session_id", SqlType::Uuid, Key::Yes, Null::No,
                  [](const R& r) { return text::uuid(r.session_id); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"items_added", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.items_added); }},
        Column<R>{"abandoned_cart_value", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.abandoned_cart_value); }},
        Column<R>{"last_activity", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.last_activity); }},
        Column<R>{"total_events", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_events); }},
        Column<R>{"abandonment_detected_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.abandonment_detected_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<TrendingProductRow> {
    using R = TrendingProductRow;
    static constexpr std::string_view kName = "trending_products";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"product_name", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return r.product_name; }},
        Column<R>{"category", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::category(r.category); }},
        Column<R>{"view_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.view_count); }},
        Column<R>{"unique_viewers", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_viewers); }},
        Column<R>{"avg_view_duration", SqlType::Double, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_view_duration); }},
        Column<R>{"product_price", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::money(r.product_price); }},
        Column<R>{"analyzed_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.analyzed_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<CategoryPerformanceRow> {
    using R = CategoryPerformanceRow;
    static constexpr std::string_view kName = "category_performance";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"category", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::category(r.category); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"total_views", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_views); }},
        Column<R>{"unique_users", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_users); }},
        Column<R>{"unique_products", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_products); }},
        Column<R>{"avg_view_duration", SqlType::Double, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_view_duration); }},
        Column<R>{"avg_product_price", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_product_price); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<SearchBehaviorRow> {
    using R = SearchBehaviorRow;
    static constexpr std::string_view kName = "search_behavior";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"search_query", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::query(r.search_query); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"search_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.search_count); }},
        Column<R>{"unique_searchers", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_searchers); }},
        Column<R>{"avg_results", SqlType::Double, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_results); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<BrowsingSessionRow> {
    using R = BrowsingSessionRow;
    static constexpr std::string_view kName = "browsing_sessions";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"user_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"session_id", SqlType::Uuid, Key::Yes, Null::No,
                  [](const R& r) { return text::uuid(r.session_id); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"views", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.views); }},
        Column<R>{"searches", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.searches); }},
        Column<R>{"filters", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.filters); }},
        Column<R>{"compares", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.compares); }},
        Column<R>{"unique_products_viewed", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_products_viewed); }},
        Column<R>{"avg_view_duration", SqlType::Double, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_view_duration); }},
        Column<R>{"first_activity", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.first_activity); }},
        Column<R>{"last_activity", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.last_activity); }},
        Column<R>{"total_events", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_events); }},
        Column<R>{"session_duration_sec", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.session_duration_sec); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<HighValueAnomalyRow> {
    using R = HighValueAnomalyRow;
    static constexpr std::string_view kName = "high_value_anomalies";
    static constexpr std::array kColumns{
        Column<R>{"transaction_id", SqlType::Uuid, Key::Yes, Null::No,
                  [](const R& r) { return text::uuid(r.transaction_id); }},
        Column<R>{"user_id", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"timestamp", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.timestamp); }},
        Column<R>{"total_amount", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_amount); }},
        Column<R>{"payment_method", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::paymentMethod(r.payment_method); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"anomaly_type", SqlType::Text, Key::No, Null::No,
                  [](const R&) { return std::string("high_value"); }},
        Column<R>{"anomaly_reason", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return r.anomaly_reason; }},
        Column<R>{"severity", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.severity); }},
        Column<R>{"detected_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.detected_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<HighQuantityAnomalyRow> {
    using R = HighQuantityAnomalyRow;
    static constexpr std::string_view kName = "high_quantity_anomalies";
    static constexpr std::array kColumns{
        Column<R>{"transaction_id", SqlType::Uuid, Key::Yes, Null::No,
                  [](const R& r) { return text::uuid(r.transaction_id); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"user_id", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"timestamp", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.timestamp); }},
        Column<R>{"total_amount", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::money(r.total_amount); }},
        Column<R>{"payment_method", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::paymentMethod(r.payment_method); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"quantity", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.quantity); }},
        Column<R>{"anomaly_type", SqlType::Text, Key::No, Null::No,
                  [](const R&) { return std::string("high_quantity"); }},
        Column<R>{"anomaly_reason", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return r.anomaly_reason; }},
        Column<R>{"severity", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.severity); }},
        Column<R>{"detected_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.detected_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<SuspiciousPatternRow> {
    using R = SuspiciousPatternRow;
    static constexpr std::string_view kName = "suspicious_patterns";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"user_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::user(r.user_id); }},
        Column<R>{"country", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"transaction_count", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.transaction_count); }},
        Column<R>{"total_spent", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_spent); }},
        Column<R>{"avg_transaction", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::decimal2(r.avg_transaction); }},
        Column<R>{"max_transaction", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.max_transaction); }},
        Column<R>{"first_transaction", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.first_transaction); }},
        Column<R>{"last_transaction", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.last_transaction); }},
        Column<R>{"anomaly_type", SqlType::Text, Key::No, Null::No,
                  [](const R&) { return std::string("suspicious_pattern"); }},
        Column<R>{"anomaly_reason", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return r.anomaly_reason; }},
        Column<R>{"severity", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.severity); }},
        Column<R>{"detected_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.detected_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<AnomalyStatsRow> {
    using R = AnomalyStatsRow;
    static constexpr std::string_view kName = "anomaly_stats";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"total_anomalies", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_anomalies); }},
        Column<R>{"high_value_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.high_value_count); }},
        Column<R>{"high_quantity_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.high_quantity_count); }},
        Column<R>{"critical_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.critical_count); }},
        Column<R>{"high_severity_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.high_severity_count); }},
        Column<R>{"medium_severity_count", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.medium_severity_count); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<ProductSalesVelocityRow> {
    using R = ProductSalesVelocityRow;
    static constexpr std::string_view kName = "product_sales_velocity";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"units_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.units_sold); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"avg_price", SqlType::Money, Key::No, Null::Yes,
                  [](const R& r) { return text::decimal2(r.avg_price); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<InventoryByCountryRow> {
    using R = InventoryByCountryRow;
    static constexpr std::string_view kName = "inventory_by_country";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"units_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.units_sold); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<HighDemandAlertRow> {
    using R = HighDemandAlertRow;
    static constexpr std::string_view kName = "high_demand_alerts";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"units_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.units_sold); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"demand_level", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.demand_level); }},
        Column<R>{"alert_generated_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.alert_generated_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<RestockAlertRow> {
    using R = RestockAlertRow;
    static constexpr std::string_view kName = "restock_alerts";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"units_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.units_sold); }},
        Column<R>{"sales_rate_per_min", SqlType::Double, Key::No, Null::No,
                  [](const R& r) { return text::decimal2(r.sales_rate_per_min); }},
        Column<R>{"urgency", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.urgency); }},
        Column<R>{"alert_generated_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.alert_generated_at); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<InventoryMetricsRow> {
    using R = InventoryMetricsRow;
    static constexpr std::string_view kName = "inventory_metrics";
    static constexpr std::array kColumns{
        Column<R>{"window_start", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_start); }},
        Column<R>{"window_end", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.window_end); }},
        Column<R>{"country", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::country(r.country); }},
        Column<R>{"total_units_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.total_units_sold); }},
        Column<R>{"unique_products_sold", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.unique_products_sold); }},
        Column<R>{"total_revenue", SqlType::Money, Key::No, Null::No,
                  [](const R& r) { return text::money(r.total_revenue); }},
        Column<R>{"fast_moving_products", SqlType::BigInt, Key::No, Null::No,
                  [](const R& r) { return text::count(r.fast_moving_products); }},
        Column<R>{"created_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.created_at); }},
    };
};

template <> struct TableColumns<StockLevelRow> {
    using R = StockLevelRow;
    static constexpr std::string_view kName = "stock_levels";
    static constexpr std::array kColumns{
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"stock_on_hand", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.stock_on_hand); }},
        Column<R>{"updated_at", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.updated_at); }},
    };
};

template <> struct TableColumns<LowStockAlertRow> {
    using R = LowStockAlertRow;
    static constexpr std::string_view kName = "low_stock_alerts";
    static constexpr std::array kColumns{
        Column<R>{"product_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::product(r.product_id); }},
        Column<R>{"detected_at", SqlType::Timestamptz, Key::Yes, Null::No,
                  [](const R& r) { return text::time(r.detected_at); }},
        Column<R>{"stock_on_hand", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.stock_on_hand); }},
        Column<R>{"threshold", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.threshold); }},
        Column<R>{"severity", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.severity); }},
    };
};

template <> struct TableColumns<AlertRow> {
    using R = AlertRow;
    static constexpr std::string_view kName = "alerts";
    static constexpr std::array kColumns{
        Column<R>{"alert_id", SqlType::Text, Key::Yes, Null::No,
                  [](const R& r) { return text::count(r.alert_id); }},
        Column<R>{"kind", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::alertKind(r.kind); }},
        Column<R>{"severity", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return text::severity(r.severity); }},
        Column<R>{"subject", SqlType::Text, Key::No, Null::No,
                  [](const R& r) { return r.subject; }},
        Column<R>{"title", SqlType::Text, Key::No, Null::No, [](const R& r) { return r.title; }},
        Column<R>{"message", SqlType::Text, Key::No, Null::Yes,
                  [](const R& r) { return r.message; }},
        Column<R>{"first_seen", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.first_seen); }},
        Column<R>{"last_seen", SqlType::Timestamptz, Key::No, Null::No,
                  [](const R& r) { return text::time(r.last_seen); }},
        Column<R>{"occurrences", SqlType::Integer, Key::No, Null::No,
                  [](const R& r) { return text::count(r.occurrences); }},
        Column<R>{"acknowledged", SqlType::Boolean, Key::No, Null::No,
                  [](const R& r) { return text::boolean(r.acknowledged); }},
    };
    // Set by the analyst's acknowledgement (sql/migrations/0006), never by the pipeline.
    static constexpr std::array<std::string_view, 1> kDatabaseOnly{"acknowledged_at"};
};
} // namespace gm
