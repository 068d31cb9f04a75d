// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/snapshot_tables.h"

#include "generator/search_queries.h"

namespace gm {
namespace {

QString text(std::string_view value) {
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}
QString user(UserId id) {
    return QString::fromStdString(formatUserId(id));
}
QString product(ProductId id) {
    return QString::fromStdString(formatProductId(id));
}
QString productName(const ProductTable* products, ProductId id) {
    if (products == nullptr) {
        return {};
    }
    return QString::fromStdString(products->nameOf(id));
}
QString uuid(const Uuid& id) {
    return QString::fromStdString(toString(id));
}
QVariant time(TimestampUs value) {
    return QVariant::fromValue<qlonglong>(value);
}
QVariant integer(long long value) {
    return QVariant::fromValue<qlonglong>(value);
}
QString country(Country value) {
    return text(countryName(value));
}
QString severity(Severity value) {
    return text(severityName(value));
}

ColumnSpec col(const char* title, const char* csv, ColumnKind kind,
               FilterRole filter = FilterRole::None) {
    return {QString::fromUtf8(title), QString::fromUtf8(csv), kind, filter};
}

} // namespace

TableData highValueTable(const std::vector<HighValueAnomalyRow>& rows) {
    TableData table;
    table.columns = {col("Transaction", "transaction_id", ColumnKind::Text, FilterRole::Key),
                     col("Time", "timestamp", ColumnKind::Timestamp, FilterRole::Time),
                     col("User", "user_id", ColumnKind::Text),
                     col("Amount", "total_amount", ColumnKind::Cents),
                     col("Payment", "payment_method", ColumnKind::Text),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Type", "anomaly_type", ColumnKind::Text, FilterRole::Type),
                     col("Severity", "severity", ColumnKind::Severity, FilterRole::Severity),
                     col("Reason", "anomaly_reason", ColumnKind::Text),
                     col("Detected", "detected_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back({uuid(row.transaction_id), time(row.timestamp), user(row.user_id),
                              integer(row.total_amount),
                              text(paymentMethodName(row.payment_method)), country(row.country),
                              QStringLiteral("high_value"), severity(row.severity),
                              QString::fromStdString(row.anomaly_reason), time(row.detected_at)});
    }
    return table;
}

TableData highQuantityTable(const std::vector<HighQuantityAnomalyRow>& rows,
                            const ProductTable* products) {
    TableData table;
    table.columns = {col("Transaction", "transaction_id", ColumnKind::Text, FilterRole::Key),
                     col("Time", "timestamp", ColumnKind::Timestamp, FilterRole::Time),
                     col("User", "user_id", ColumnKind::Text),
                     col("Product", "product_id", ColumnKind::Text),
                     col("Product name", "product_name", ColumnKind::Text),
                     col("Quantity", "quantity", ColumnKind::Integer),
                     col("Order total", "total_amount", ColumnKind::Cents),
                     col("Payment", "payment_method", ColumnKind::Text),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Type", "anomaly_type", ColumnKind::Text, FilterRole::Type),
                     col("Severity", "severity", ColumnKind::Severity, FilterRole::Severity),
                     col("Reason", "anomaly_reason", ColumnKind::Text),
                     col("Detected", "detected_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back({uuid(row.transaction_id), time(row.timestamp), user(row.user_id),
                              product(row.product_id), productName(products, row.product_id),
                              integer(row.quantity), integer(row.total_amount),
                              text(paymentMethodName(row.payment_method)), country(row.country),
                              QStringLiteral("high_quantity"), severity(row.severity),
                              QString::fromStdString(row.anomaly_reason), time(row.detected_at)});
    }
    return table;
}

TableData suspiciousTable(const std::vector<SuspiciousPatternRow>& rows) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Window end", "window_end", ColumnKind::Timestamp),
                     col("User", "user_id", ColumnKind::Text, FilterRole::Key),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Transactions", "transaction_count", ColumnKind::Integer),
                     col("Total spent", "total_spent", ColumnKind::Cents),
                     col("Average", "avg_transaction", ColumnKind::Dollars),
                     col("Largest", "max_transaction", ColumnKind::Cents),
                     col("First", "first_transaction", ColumnKind::Timestamp),
                     col("Last", "last_transaction", ColumnKind::Timestamp),
                     col("Type", "anomaly_type", ColumnKind::Text, FilterRole::Type),
                     col("Severity", "severity", ColumnKind::Severity, FilterRole::Severity),
                     col("Reason", "anomaly_reason", ColumnKind::Text),
                     col("Detected", "detected_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back(
            {time(row.window_start), time(row.window_end), user(row.user_id), country(row.country),
             integer(static_cast<long long>(row.transaction_count)), integer(row.total_spent),
             row.avg_transaction, integer(row.max_transaction), time(row.first_transaction),
             time(row.last_transaction), QStringLiteral("suspicious_pattern"),
             severity(row.severity), QString::fromStdString(row.anomaly_reason),
             time(row.detected_at)});
    }
    return table;
}

TableData alertsTable(const std::vector<AlertRow>& rows, const std::set<std::uint64_t>& acked) {
    // What the analyst reads first (subject, title) comes first. The id is a 19-digit hash: it is
    // text, never grouped into thousands, and sits after the words it would otherwise crowd out.
    TableData table;
    table.columns = {col("Last seen", "last_seen", ColumnKind::Timestamp, FilterRole::Time),
                     col("Severity", "severity", ColumnKind::Severity, FilterRole::Severity),
                     col("Title", "title", ColumnKind::Text),
                     col("Subject", "subject", ColumnKind::Text),
                     col("Occurrences", "occurrences", ColumnKind::Integer),
                     col("Kind", "kind", ColumnKind::Text, FilterRole::Type),
                     col("First seen", "first_seen", ColumnKind::Timestamp),
                     col("Acknowledged", "acknowledged", ColumnKind::Boolean),
                     col("Alert id", "alert_id", ColumnKind::Text, FilterRole::Key),
                     col("Message", "message", ColumnKind::Text)};
    for (const auto& row : rows) {
        table.rows.push_back(
            {time(row.last_seen), severity(row.severity), QString::fromStdString(row.title),
             QString::fromStdString(row.subject), integer(static_cast<long long>(row.occurrences)),
             text(alertKindName(row.kind)), time(row.first_seen),
             row.acknowledged || acked.count(row.alert_id) > 0, QString::number(row.alert_id),
             QString::fromStdString(row.message)});
    }
    return table;
}

TableData abandonedCartsTable(const std::vector<AbandonedCartRow>& rows) {
    TableData table;
    table.columns = {
        col("Session", "session_id", ColumnKind::Text, FilterRole::Key),
        col("First cart event", "window_start", ColumnKind::Timestamp, FilterRole::Time),
        col("User", "user_id", ColumnKind::Text),
        col("Country", "country", ColumnKind::Text, FilterRole::Country),
        col("Items added", "items_added", ColumnKind::Integer),
        col("Cart value", "abandoned_cart_value", ColumnKind::Cents),
        col("Last activity", "last_activity", ColumnKind::Timestamp),
        col("Events", "total_events", ColumnKind::Integer),
        col("Detected", "abandonment_detected_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back({uuid(row.session_id), time(row.window_start), user(row.user_id),
                              country(row.country), integer(row.items_added),
                              integer(row.abandoned_cart_value), time(row.last_activity),
                              integer(row.total_events), time(row.abandonment_detected_at)});
    }
    return table;
}

TableData trendingTable(const std::vector<TrendingProductRow>& rows) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Product", "product_id", ColumnKind::Text, FilterRole::Key),
                     col("Name", "product_name", ColumnKind::Text),
                     col("Category", "category", ColumnKind::Text, FilterRole::Type),
                     col("Views", "view_count", ColumnKind::Integer),
                     col("Unique viewers", "unique_viewers", ColumnKind::Integer),
                     col("Avg view (s)", "avg_view_duration", ColumnKind::Decimal),
                     col("Price", "product_price", ColumnKind::Cents)};
    const TimestampUs newest = newestWindow(rows);
    for (const auto& row : rows) {
        if (row.window_start != newest) {
            continue;
        }
        table.rows.push_back({time(row.window_start), product(row.product_id),
                              QString::fromStdString(row.product_name),
                              text(categoryName(row.category)),
                              integer(static_cast<long long>(row.view_count)),
                              integer(static_cast<long long>(row.unique_viewers)),
                              row.avg_view_duration, integer(row.product_price)});
    }
    return table;
}

TableData categoryTable(const std::vector<CategoryPerformanceRow>& rows) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Category", "category", ColumnKind::Text, FilterRole::Type),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Views", "total_views", ColumnKind::Integer),
                     col("Unique users", "unique_users", ColumnKind::Integer),
                     col("Unique products", "unique_products", ColumnKind::Integer),
                     col("Avg view (s)", "avg_view_duration", ColumnKind::Decimal),
                     col("Avg price", "avg_product_price", ColumnKind::Dollars)};
    const TimestampUs newest = newestWindow(rows);
    for (const auto& row : rows) {
        if (row.window_start != newest) {
            continue;
        }
        table.rows.push_back({time(row.window_start), text(categoryName(row.category)),
                              country(row.country),
                              integer(static_cast<long long>(row.total_views)),
                              integer(static_cast<long long>(row.unique_users)),
                              integer(static_cast<long long>(row.unique_products)),
                              row.avg_view_duration, row.avg_product_price});
    }
    return table;
}

TableData searchTable(const std::vector<SearchBehaviorRow>& rows) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Search", "search_query", ColumnKind::Text, FilterRole::Key),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Searches", "search_count", ColumnKind::Integer),
                     col("Unique searchers", "unique_searchers", ColumnKind::Integer),
                     col("Avg results", "avg_results", ColumnKind::Decimal)};
    const TimestampUs newest = newestWindow(rows);
    for (const auto& row : rows) {
        if (row.window_start != newest) {
            continue;
        }
        table.rows.push_back(
            {time(row.window_start), text(QueryTable::global().text(row.search_query)),
             country(row.country), integer(static_cast<long long>(row.search_count)),
             integer(static_cast<long long>(row.unique_searchers)), row.avg_results});
    }
    return table;
}

TableData highDemandTable(const std::vector<HighDemandAlertRow>& rows,
                          const ProductTable* products) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Window end", "window_end", ColumnKind::Timestamp),
                     col("Product", "product_id", ColumnKind::Text, FilterRole::Key),
                     col("Name", "product_name", ColumnKind::Text),
                     col("Units sold", "units_sold", ColumnKind::Integer),
                     col("Revenue", "total_revenue", ColumnKind::Cents),
                     col("Demand", "demand_level", ColumnKind::Severity, FilterRole::Severity),
                     col("Generated", "alert_generated_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back({time(row.window_start), time(row.window_end), product(row.product_id),
                              productName(products, row.product_id), integer(row.units_sold),
                              integer(row.total_revenue), severity(row.demand_level),
                              time(row.alert_generated_at)});
    }
    return table;
}

TableData restockTable(const std::vector<RestockAlertRow>& rows, const ProductTable* products) {
    TableData table;
    table.columns = {col("Window start", "window_start", ColumnKind::Timestamp, FilterRole::Time),
                     col("Window end", "window_end", ColumnKind::Timestamp),
                     col("Product", "product_id", ColumnKind::Text, FilterRole::Key),
                     col("Name", "product_name", ColumnKind::Text),
                     col("Country", "country", ColumnKind::Text, FilterRole::Country),
                     col("Units sold", "units_sold", ColumnKind::Integer),
                     col("Units / min", "sales_rate_per_min", ColumnKind::Decimal),
                     col("Urgency", "urgency", ColumnKind::Severity, FilterRole::Severity),
                     col("Generated", "alert_generated_at", ColumnKind::Timestamp)};
    for (const auto& row : rows) {
        table.rows.push_back({time(row.window_start), time(row.window_end), product(row.product_id),
                              productName(products, row.product_id), country(row.country),
                              integer(row.units_sold), row.sales_rate_per_min,
                              severity(row.urgency), time(row.alert_generated_at)});
    }
    return table;
}

TableData lowStockTable(const std::vector<LowStockAlertRow>& rows, const ProductTable* products) {
    TableData table;
    table.columns = {col("Detected", "detected_at", ColumnKind::Timestamp, FilterRole::Time),
                     col("Product", "product_id", ColumnKind::Text, FilterRole::Key),
                     col("Name", "product_name", ColumnKind::Text),
                     col("Stock on hand", "stock_on_hand", ColumnKind::Integer),
                     col("Threshold", "threshold", ColumnKind::Integer),
                     col("Severity", "severity", ColumnKind::Severity, FilterRole::Severity)};
    for (const auto& row : rows) {
        table.rows.push_back({time(row.detected_at), product(row.product_id),
                              productName(products, row.product_id), integer(row.stock_on_hand),
                              integer(row.threshold), severity(row.severity)});
    }
    return table;
}

TableData stockLevelsTable(const std::vector<StockLevelRow>& rows, const ProductTable* products) {
    TableData table;
    table.columns = {col("Product", "product_id", ColumnKind::Text, FilterRole::Key),
                     col("Name", "product_name", ColumnKind::Text),
                     col("Stock on hand", "stock_on_hand", ColumnKind::Integer),
                     col("Updated", "updated_at", ColumnKind::Timestamp, FilterRole::Time)};
    for (const auto& row : rows) {
        table.rows.push_back({product(row.product_id), productName(products, row.product_id),
                              integer(row.stock_on_hand), time(row.updated_at)});
    }
    return table;
}

} // namespace gm
