// SPDX-License-Identifier: GPL-3.0-or-later
// The drill-down tables exactly as a user sees them: every table's columns (title, CSV name,
// kind, filter role, in order) and the typed cell values of a sample row. The tables are derived
// from the descriptors in pipeline/table_columns.h; this pins what the derivation must produce,
// so a descriptor edit that would change a view (or a view edit that drops a column) fails here.
#include "models/snapshot_tables.h"

#include <QtTest>
#include <map>

using namespace gm;

namespace {

constexpr TimestampUs kT0 = 1'764'000'000LL * kMicrosPerSecond; // 2025-11-24T16:00:00Z

QString dump(const TableData& table) {
    QString out;
    for (const ColumnSpec& column : table.columns) {
        out += QStringLiteral("%1|%2|%3|%4\n")
                   .arg(column.title, column.csv_name)
                   .arg(static_cast<int>(column.kind))
                   .arg(static_cast<int>(column.filter));
    }
    for (const QVariantList& row : table.rows) {
        for (const QVariant& cell : row) {
            out +=
                QStringLiteral("%1:%2;").arg(QString::fromLatin1(cell.typeName()), cell.toString());
        }
        out += QLatin1Char('\n');
    }
    return out;
}

const ProductTable& products() {
    static const ProductTable table(
        std::vector<ProductInfo>{{"Lamp", 3, 1000, 40}, {"Desk", 3, 900, 8}});
    return table;
}

std::map<QString, QString> allTables() {
    std::map<QString, QString> tables;
    HighValueAnomalyRow high_value;
    high_value.transaction_id = Uuid{7, 9};
    high_value.user_id = 8;
    high_value.timestamp = kT0 + 1;
    high_value.total_amount = 1'234'567;
    high_value.payment_method = PaymentMethod::PayPal;
    high_value.country = Country::Japan;
    high_value.anomaly_reason = "over the threshold";
    high_value.severity = Severity::Critical;
    high_value.detected_at = kT0 + 2;
    high_value.created_at = kT0 + 3;
    tables["high_value"] = dump(highValueTable({high_value}));

    HighQuantityAnomalyRow high_quantity;
    high_quantity.transaction_id = Uuid{1, 2};
    high_quantity.product_id = 1;
    high_quantity.user_id = 4;
    high_quantity.timestamp = kT0 + 5;
    high_quantity.total_amount = 99'999;
    high_quantity.payment_method = PaymentMethod::ApplePay;
    high_quantity.country = Country::UK;
    high_quantity.quantity = 12;
    high_quantity.anomaly_reason = "many";
    high_quantity.severity = Severity::High;
    high_quantity.detected_at = kT0 + 6;
    tables["high_quantity"] = dump(highQuantityTable({high_quantity}, &products()));
    tables["high_quantity_no_products"] = dump(highQuantityTable({high_quantity}, nullptr));

    SuspiciousPatternRow suspicious;
    suspicious.window_start = kT0;
    suspicious.window_end = kT0 + 300'000'000;
    suspicious.user_id = 77;
    suspicious.country = Country::France;
    suspicious.transaction_count = 6;
    suspicious.total_spent = 500'001;
    suspicious.avg_transaction = 833.335;
    suspicious.max_transaction = 200'000;
    suspicious.first_transaction = kT0 + 10;
    suspicious.last_transaction = kT0 + 20;
    suspicious.anomaly_reason = "fast";
    suspicious.severity = Severity::Medium;
    suspicious.detected_at = kT0 + 30;
    tables["suspicious"] = dump(suspiciousTable({suspicious}));

    AlertRow alert;
    alert.alert_id = 12'345'678'901'234'567'890ULL;
    alert.kind = AlertKind::Restock;
    alert.severity = Severity::Low;
    alert.subject = "PROD_00002";
    alert.title = "Restock soon";
    alert.message = "sold 40 in 5 min";
    alert.first_seen = kT0 + 1;
    alert.last_seen = kT0 + 2;
    alert.occurrences = 3;
    AlertRow acknowledged = alert;
    acknowledged.alert_id = 5;
    acknowledged.acknowledged = true;
    AlertRow acked_here = alert;
    acked_here.alert_id = 6;
    tables["alerts"] = dump(alertsTable({alert, acknowledged, acked_here}, {6}));

    AbandonedCartRow cart;
    cart.window_start = kT0;
    cart.window_end = kT0 + 100;
    cart.user_id = 3;
    cart.session_id = Uuid{5, 6};
    cart.country = Country::Germany;
    cart.items_added = 4;
    cart.abandoned_cart_value = 12'050;
    cart.last_activity = kT0 + 50;
    cart.total_events = 9;
    cart.abandonment_detected_at = kT0 + 60;
    tables["abandoned"] = dump(abandonedCartsTable({cart}));

    TrendingProductRow trending;
    trending.window_start = kT0;
    trending.window_end = kT0 + 60;
    trending.product_id = 2;
    trending.product_name = "Desk";
    trending.category = 1;
    trending.view_count = 50;
    trending.unique_viewers = 20;
    trending.avg_view_duration = 12.345;
    trending.product_price = 9'900;
    TrendingProductRow older = trending;
    older.window_start = kT0 - 60;
    tables["trending"] = dump(trendingTable({older, trending}));

    CategoryPerformanceRow category;
    category.window_start = kT0;
    category.category = 2;
    category.country = Country::USA;
    category.total_views = 11;
    category.unique_users = 7;
    category.unique_products = 5;
    category.avg_view_duration = 3.5;
    category.avg_product_price = 45.125;
    tables["category"] = dump(categoryTable({category}));

    SearchBehaviorRow search;
    search.window_start = kT0;
    search.search_query = 0;
    search.country = Country::UK;
    search.search_count = 8;
    search.unique_searchers = 6;
    search.avg_results = 17.25;
    tables["search"] = dump(searchTable({search}));

    HighDemandAlertRow demand;
    demand.window_start = kT0;
    demand.window_end = kT0 + 300;
    demand.product_id = 0;
    demand.units_sold = 120;
    demand.total_revenue = 120'000;
    demand.demand_level = Severity::High;
    demand.alert_generated_at = kT0 + 301;
    tables["high_demand"] = dump(highDemandTable({demand}, &products()));

    RestockAlertRow restock;
    restock.window_start = kT0;
    restock.window_end = kT0 + 300;
    restock.product_id = 1;
    restock.country = Country::Japan;
    restock.units_sold = 30;
    restock.sales_rate_per_min = 6.25;
    restock.urgency = Severity::Critical;
    restock.alert_generated_at = kT0 + 302;
    tables["restock"] = dump(restockTable({restock}, &products()));

    LowStockAlertRow low;
    low.product_id = 1;
    low.detected_at = kT0 + 9;
    low.stock_on_hand = 3;
    low.threshold = 10;
    low.severity = Severity::High;
    tables["low_stock"] = dump(lowStockTable({low}, &products()));

    StockLevelRow level;
    level.product_id = 0;
    level.stock_on_hand = 38;
    level.updated_at = kT0 + 11;
    tables["stock_levels"] = dump(stockLevelsTable({level}, &products()));
    return tables;
}

} // namespace

class SnapshotTableColumnsTest : public QObject {
    Q_OBJECT
private slots:
    void tablesAreUnchanged() {
        QFile file(QFINDTESTDATA("snapshot_tables.golden"));
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString golden = QString::fromUtf8(file.readAll());
        QString actual;
        for (const auto& [name, text] : allTables()) {
            actual += QStringLiteral("== %1\n%2").arg(name, text);
        }
        if (qEnvironmentVariableIsSet("GM_WRITE_GOLDEN")) {
            QFile out(qEnvironmentVariable("GM_WRITE_GOLDEN"));
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Text));
            out.write(actual.toUtf8());
        }
        QCOMPARE(actual, golden);
    }

    // Each view names only described (or view-computed) columns, and decides for every described
    // column whether to show it: a column added to, renamed in or dropped from a description
    // fails here until the view follows.
    void viewsAgreeWithDescriptions() {
        const std::vector<std::string> problems = snapshotViewProblems();
        for (const std::string& problem : problems) {
            qWarning("%s", problem.c_str());
        }
        QVERIFY(problems.empty());
    }
};

QTEST_GUILESS_MAIN(SnapshotTableColumnsTest)
#include "tst_snapshot_table_columns.moc"
