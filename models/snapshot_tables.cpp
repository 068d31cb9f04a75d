// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/snapshot_tables.h"

#include "pipeline/table_columns.h"

#include <QtGlobal>
#include <algorithm>
#include <functional>
#include <optional>
#include <variant>

namespace gm {
namespace {

// One column a view shows, by its name in the table's description (pipeline/table_columns.h),
// which is also its CSV header: the title shown, the filter that finds it, and a kind only where
// the view shows the value differently from what the description's value type says.
struct Shown {
    std::string_view name;
    const char* title;
    FilterRole filter = FilterRole::None;
    std::optional<ColumnKind> kind = {};
};

// A drill-down view of one table: the columns it shows, in display order, and the described
// columns it leaves out, so that every described column is one or the other
// (snapshotViewProblems() checks it, tests/models/tst_snapshot_table_columns runs the check).
struct View {
    std::vector<Shown> shown;
    std::vector<std::string_view> hidden;
    std::vector<std::string_view> computed = {}; // shown names whose value the view computes
};

// The exceptions to "a view shows described columns as described", all of them:
// - product_name: the tables of product alerts and anomalies do not store the name; the view
//   takes it from the product table (empty without one). trending_products stores it.
// - acknowledged: the stored flag, or acknowledged in this session (not yet stored).
constexpr std::string_view kProductName = "product_name";
constexpr std::string_view kAcknowledged = "acknowledged";
// Severity-like names (severity, demand_level, urgency) show as severity badges.
constexpr auto kBadge = ColumnKind::Severity;

template <typename Row> struct Computed {
    std::string_view name;
    ColumnKind kind;
    std::function<QVariant(const Row&)> value;
};

const View& highValueView() {
    static const View view{{{"transaction_id", "Transaction", FilterRole::Key},
                            {"timestamp", "Time", FilterRole::Time},
                            {"user_id", "User"},
                            {"total_amount", "Amount"},
                            {"payment_method", "Payment"},
                            {"country", "Country", FilterRole::Country},
                            {"anomaly_type", "Type", FilterRole::Type},
                            {"severity", "Severity", FilterRole::Severity, kBadge},
                            {"anomaly_reason", "Reason"},
                            {"detected_at", "Detected"}},
                           {"created_at"}};
    return view;
}

const View& highQuantityView() {
    static const View view{{{"transaction_id", "Transaction", FilterRole::Key},
                            {"timestamp", "Time", FilterRole::Time},
                            {"user_id", "User"},
                            {"product_id", "Product"},
                            {kProductName, "Product name"},
                            {"quantity", "Quantity"},
                            {"total_amount", "Order total"},
                            {"payment_method", "Payment"},
                            {"country", "Country", FilterRole::Country},
                            {"anomaly_type", "Type", FilterRole::Type},
                            {"severity", "Severity", FilterRole::Severity, kBadge},
                            {"anomaly_reason", "Reason"},
                            {"detected_at", "Detected"}},
                           {"created_at"},
                           {kProductName}};
    return view;
}

const View& suspiciousView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"window_end", "Window end"},
                            {"user_id", "User", FilterRole::Key},
                            {"country", "Country", FilterRole::Country},
                            {"transaction_count", "Transactions"},
                            {"total_spent", "Total spent"},
                            {"avg_transaction", "Average"},
                            {"max_transaction", "Largest"},
                            {"first_transaction", "First"},
                            {"last_transaction", "Last"},
                            {"anomaly_type", "Type", FilterRole::Type},
                            {"severity", "Severity", FilterRole::Severity, kBadge},
                            {"anomaly_reason", "Reason"},
                            {"detected_at", "Detected"}},
                           {"created_at"}};
    return view;
}

// What the analyst reads first (subject, title) comes first. The id is a 19-digit hash: it is
// text, never grouped into thousands, and sits after the words it would otherwise crowd out.
const View& alertsView() {
    static const View view{{{"last_seen", "Last seen", FilterRole::Time},
                            {"severity", "Severity", FilterRole::Severity, kBadge},
                            {"title", "Title"},
                            {"subject", "Subject"},
                            {"occurrences", "Occurrences"},
                            {"kind", "Kind", FilterRole::Type},
                            {"first_seen", "First seen"},
                            {kAcknowledged, "Acknowledged"},
                            {"alert_id", "Alert id", FilterRole::Key},
                            {"message", "Message"}},
                           {},
                           {kAcknowledged}};
    return view;
}

const View& abandonedCartsView() {
    static const View view{{{"session_id", "Session", FilterRole::Key},
                            {"window_start", "First cart event", FilterRole::Time},
                            {"user_id", "User"},
                            {"country", "Country", FilterRole::Country},
                            {"items_added", "Items added"},
                            {"abandoned_cart_value", "Cart value"},
                            {"last_activity", "Last activity"},
                            {"total_events", "Events"},
                            {"abandonment_detected_at", "Detected"}},
                           {"window_end", "created_at"}};
    return view;
}

const View& trendingView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"product_id", "Product", FilterRole::Key},
                            {"product_name", "Name"},
                            {"category", "Category", FilterRole::Type},
                            {"view_count", "Views"},
                            {"unique_viewers", "Unique viewers"},
                            {"avg_view_duration", "Avg view (s)"},
                            {"product_price", "Price"}},
                           {"window_end", "analyzed_at", "created_at"}};
    return view;
}

const View& categoryView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"category", "Category", FilterRole::Type},
                            {"country", "Country", FilterRole::Country},
                            {"total_views", "Views"},
                            {"unique_users", "Unique users"},
                            {"unique_products", "Unique products"},
                            {"avg_view_duration", "Avg view (s)"},
                            {"avg_product_price", "Avg price"}},
                           {"window_end", "created_at"}};
    return view;
}

const View& searchView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"search_query", "Search", FilterRole::Key},
                            {"country", "Country", FilterRole::Country},
                            {"search_count", "Searches"},
                            {"unique_searchers", "Unique searchers"},
                            {"avg_results", "Avg results"}},
                           {"window_end", "created_at"}};
    return view;
}

const View& highDemandView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"window_end", "Window end"},
                            {"product_id", "Product", FilterRole::Key},
                            {kProductName, "Name"},
                            {"units_sold", "Units sold"},
                            {"total_revenue", "Revenue"},
                            {"demand_level", "Demand", FilterRole::Severity, kBadge},
                            {"alert_generated_at", "Generated"}},
                           {"created_at"},
                           {kProductName}};
    return view;
}

const View& restockView() {
    static const View view{{{"window_start", "Window start", FilterRole::Time},
                            {"window_end", "Window end"},
                            {"product_id", "Product", FilterRole::Key},
                            {kProductName, "Name"},
                            {"country", "Country", FilterRole::Country},
                            {"units_sold", "Units sold"},
                            {"sales_rate_per_min", "Units / min"},
                            {"urgency", "Urgency", FilterRole::Severity, kBadge},
                            {"alert_generated_at", "Generated"}},
                           {"created_at"},
                           {kProductName}};
    return view;
}

const View& lowStockView() {
    static const View view{{{"detected_at", "Detected", FilterRole::Time},
                            {"product_id", "Product", FilterRole::Key},
                            {kProductName, "Name"},
                            {"stock_on_hand", "Stock on hand"},
                            {"threshold", "Threshold"},
                            {"severity", "Severity", FilterRole::Severity, kBadge}},
                           {},
                           {kProductName}};
    return view;
}

const View& stockLevelsView() {
    static const View view{{{"product_id", "Product", FilterRole::Key},
                            {kProductName, "Name"},
                            {"stock_on_hand", "Stock on hand"},
                            {"updated_at", "Updated", FilterRole::Time}},
                           {},
                           {kProductName}};
    return view;
}

QString qstring(std::string_view value) {
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

QVariant cell(const CellValue& value) {
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
        return QVariant::fromValue<qlonglong>(*number);
    }
    if (const auto* real = std::get_if<double>(&value)) {
        return *real;
    }
    if (const auto* text = std::get_if<std::string>(&value)) {
        return QString::fromStdString(*text);
    }
    if (const auto* flag = std::get_if<bool>(&value)) {
        return *flag;
    }
    return {};
}

// How a view shows a described column's value.
ColumnKind kindOf(ValueType value, SqlType sql) {
    switch (value) {
    case ValueType::Time:
        return ColumnKind::Timestamp;
    case ValueType::Integer:
        return ColumnKind::Integer;
    case ValueType::Cents:
        return ColumnKind::Cents;
    case ValueType::Real:
        return sql == SqlType::Money ? ColumnKind::Dollars : ColumnKind::Decimal;
    case ValueType::Boolean:
        return ColumnKind::Boolean;
    case ValueType::Text:
        break;
    }
    return ColumnKind::Text;
}

template <typename Row> const Column<Row>* describedColumn(std::string_view name) {
    for (const auto& column : TableColumns<Row>::kColumns) {
        if (column.name == name) {
            return &column;
        }
    }
    return nullptr;
}

// The rows `keep` accepts, shown as `view` says: computed columns first by name, then the
// description's. A shown name neither describes is a programming error that
// snapshotViewProblems() reports; here it stops the program rather than show a blank column.
template <typename Row>
TableData viewTable(const View& view, const std::vector<Row>& rows,
                    const std::vector<Computed<Row>>& computed = {},
                    const std::function<bool(const Row&)>& keep = {}) {
    TableData table;
    // Where each shown column's cells come from: the description, or the view's own function.
    struct Source {
        const Column<Row>* described = nullptr;
        const Computed<Row>* computed = nullptr;
    };
    std::vector<Source> sources;
    for (const Shown& shown : view.shown) {
        ColumnKind kind = ColumnKind::Text;
        const auto own = std::find_if(computed.begin(), computed.end(),
                                      [&](const auto& c) { return c.name == shown.name; });
        const bool listed = std::find(view.computed.begin(), view.computed.end(), shown.name) !=
                            view.computed.end();
        if (listed && own != computed.end()) {
            kind = own->kind;
            sources.push_back({nullptr, &*own});
        } else if (const Column<Row>* column = describedColumn<Row>(shown.name)) {
            kind = kindOf(column->value_type, column->type);
            sources.push_back({column, nullptr});
        } else {
            qFatal("drill-down view of %s shows %s, which is neither described nor computed",
                   TableColumns<Row>::kName.data(), shown.name.data());
        }
        table.columns.push_back({QString::fromUtf8(shown.title), qstring(shown.name),
                                 shown.kind.value_or(kind), shown.filter});
    }
    for (const Row& row : rows) {
        if (keep && !keep(row)) {
            continue;
        }
        // Sized once and filled in place: appending cell by cell cost a fifth more instructions.
        QVariantList cells(static_cast<qsizetype>(sources.size()));
        QVariant* out = cells.data();
        for (const Source& source : sources) {
            *out++ = source.described != nullptr ? cell(source.described->value(row))
                                                 : source.computed->value(row);
        }
        table.rows.push_back(std::move(cells));
    }
    return table;
}

template <typename Row> Computed<Row> productName(const ProductTable* products) {
    return {kProductName, ColumnKind::Text, [products](const Row& row) -> QVariant {
                if (products == nullptr) {
                    return QString();
                }
                return QString::fromStdString(products->nameOf(row.product_id));
            }};
}

// Only the newest window: "what is trending now".
template <typename Row>
std::function<bool(const Row&)> newestWindowOnly(const std::vector<Row>& rows) {
    const TimestampUs newest = newestWindow(rows);
    return [newest](const Row& row) { return row.window_start == newest; };
}

template <typename Row> void checkView(const View& view, std::vector<std::string>& problems) {
    const auto& computed = view.computed;
    const std::string table(TableColumns<Row>::kName);
    const auto listed = [](const auto& names, std::string_view name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    std::vector<std::string_view> shown;
    for (const Shown& column : view.shown) {
        shown.push_back(column.name);
        if (describedColumn<Row>(column.name) == nullptr && !listed(computed, column.name)) {
            problems.push_back(table + ": the view shows " + std::string(column.name) +
                               ", which is neither described nor computed by the view");
        }
    }
    for (const std::string_view name : view.hidden) {
        if (describedColumn<Row>(name) == nullptr) {
            problems.push_back(table + ": the view hides " + std::string(name) +
                               ", which is not described");
        }
        if (listed(shown, name)) {
            problems.push_back(table + ": the view both shows and hides " + std::string(name));
        }
    }
    for (const auto& column : TableColumns<Row>::kColumns) {
        if (!listed(shown, column.name) && !listed(view.hidden, column.name)) {
            problems.push_back(table + ": described column " + std::string(column.name) +
                               " is neither shown nor listed as hidden by the view");
        }
    }
}

} // namespace

TableData highValueTable(const std::vector<HighValueAnomalyRow>& rows) {
    return viewTable(highValueView(), rows);
}

TableData highQuantityTable(const std::vector<HighQuantityAnomalyRow>& rows,
                            const ProductTable* products) {
    return viewTable(highQuantityView(), rows, {productName<HighQuantityAnomalyRow>(products)});
}

TableData suspiciousTable(const std::vector<SuspiciousPatternRow>& rows) {
    return viewTable(suspiciousView(), rows);
}

TableData alertsTable(const std::vector<AlertRow>& rows, const std::set<std::uint64_t>& acked) {
    const Computed<AlertRow> acknowledged{
        kAcknowledged, ColumnKind::Boolean, [&acked](const AlertRow& row) -> QVariant {
            return row.acknowledged || acked.count(row.alert_id) > 0;
        }};
    return viewTable(alertsView(), rows, {acknowledged});
}

TableData abandonedCartsTable(const std::vector<AbandonedCartRow>& rows) {
    return viewTable(abandonedCartsView(), rows);
}

TableData trendingTable(const std::vector<TrendingProductRow>& rows) {
    return viewTable(trendingView(), rows, {}, newestWindowOnly(rows));
}

TableData categoryTable(const std::vector<CategoryPerformanceRow>& rows) {
    return viewTable(categoryView(), rows, {}, newestWindowOnly(rows));
}

TableData searchTable(const std::vector<SearchBehaviorRow>& rows) {
    return viewTable(searchView(), rows, {}, newestWindowOnly(rows));
}

TableData highDemandTable(const std::vector<HighDemandAlertRow>& rows,
                          const ProductTable* products) {
    return viewTable(highDemandView(), rows, {productName<HighDemandAlertRow>(products)});
}

TableData restockTable(const std::vector<RestockAlertRow>& rows, const ProductTable* products) {
    return viewTable(restockView(), rows, {productName<RestockAlertRow>(products)});
}

TableData lowStockTable(const std::vector<LowStockAlertRow>& rows, const ProductTable* products) {
    return viewTable(lowStockView(), rows, {productName<LowStockAlertRow>(products)});
}

TableData stockLevelsTable(const std::vector<StockLevelRow>& rows, const ProductTable* products) {
    return viewTable(stockLevelsView(), rows, {productName<StockLevelRow>(products)});
}

std::vector<std::string> snapshotViewProblems() {
    std::vector<std::string> problems;
    checkView<HighValueAnomalyRow>(highValueView(), problems);
    checkView<HighQuantityAnomalyRow>(highQuantityView(), problems);
    checkView<SuspiciousPatternRow>(suspiciousView(), problems);
    checkView<AlertRow>(alertsView(), problems);
    checkView<AbandonedCartRow>(abandonedCartsView(), problems);
    checkView<TrendingProductRow>(trendingView(), problems);
    checkView<CategoryPerformanceRow>(categoryView(), problems);
    checkView<SearchBehaviorRow>(searchView(), problems);
    checkView<HighDemandAlertRow>(highDemandView(), problems);
    checkView<RestockAlertRow>(restockView(), problems);
    checkView<LowStockAlertRow>(lowStockView(), problems);
    checkView<StockLevelRow>(stockLevelsView(), problems);
    return problems;
}

} // namespace gm
