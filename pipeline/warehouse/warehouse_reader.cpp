// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/warehouse_reader.h"

#include "pipeline/warehouse/error_text.h"

#include <pqxx/pqxx>
#include <stdexcept>

namespace gm::warehouse {
namespace {

std::string text(const pqxx::field& field) {
    return field.is_null() ? std::string() : field.as<std::string>();
}

std::optional<double> optionalDouble(const pqxx::field& field) {
    return field.is_null() ? std::nullopt : std::optional(field.as<double>());
}

// Runs body, turning any database error into one line naming what was being read.
template <typename Body> auto reading(const char* what, Body&& body) {
    try {
        return body();
    } catch (const std::exception& error) {
        throw std::runtime_error(std::string("reading ") + what + ": " + firstLine(error.what()));
    }
}

using Txn = pqxx::transaction_base;

// One UTC day from the facts; previous-day values are empty when that day had no orders
// (views for conversion).
struct DayFigures {
    double revenue = 0;
    std::int64_t orders = 0;
    std::int64_t customers = 0;
    std::int64_t units = 0;
    std::int64_t views = 0;
};

DayFigures dayFigures(Txn& txn, const std::string& day) {
    const auto row = txn.exec_params1(
        "SELECT coalesce(sum(total_amount), 0)::float8, count(DISTINCT transaction_id), "
        "count(DISTINCT user_id), coalesce(sum(quantity), 0), (SELECT count(*) FROM "
        "fact_product_views WHERE event_type = 'view' AND event_timestamp >= $1::date::timestamptz "
        "AND event_timestamp < ($1::date + 1)::timestamptz) FROM fact_sales WHERE "
        "transaction_timestamp >= $1::date::timestamptz AND transaction_timestamp < ($1::date + "
        "1)::timestamptz",
        day);
    DayFigures figures;
    figures.revenue = row[0].as<double>();
    figures.orders = row[1].as<std::int64_t>();
    figures.customers = row[2].as<std::int64_t>();
    figures.units = row[3].as<std::int64_t>();
    figures.views = row[4].as<std::int64_t>();
    return figures;
}

WarehouseKpis readKpis(Txn& txn, const std::string& date) {
    WarehouseKpis kpis;
    kpis.analysis_date = date;
    kpis.previous_date = txn.exec_params1("SELECT ($1::date - 1)::text", date)[0].as<std::string>();
    const DayFigures now = dayFigures(txn, date);
    const DayFigures before = dayFigures(txn, kpis.previous_date);
    const bool sold_before = before.orders > 0;
    auto value = [](double current, bool has_previous, double previous) {
        KpiValue kpi;
        kpi.current = current;
        if (has_previous) {
            kpi.previous = previous;
        }
        return kpi;
    };
    kpis.revenue = value(now.revenue, sold_before, before.revenue);
    kpis.orders =
        value(static_cast<double>(now.orders), sold_before, static_cast<double>(before.orders));
    kpis.average_order_value =
        value(now.orders > 0 ? now.revenue / static_cast<double>(now.orders) : 0, sold_before,
              sold_before ? before.revenue / static_cast<double>(before.orders) : 0);
    kpis.customers = value(static_cast<double>(now.customers), sold_before,
                           static_cast<double>(before.customers));
    kpis.units =
        value(static_cast<double>(now.units), sold_before, static_cast<double>(before.units));
    kpis.conversion = value(
        now.views > 0 ? 100.0 * static_cast<double>(now.orders) / static_cast<double>(now.views)
                      : 0,
        before.views > 0,
        before.views > 0
            ? 100.0 * static_cast<double>(before.orders) / static_cast<double>(before.views)
            : 0);
    return kpis;
}

std::vector<std::string> readAnalysisDates(Txn& txn) {
    std::vector<std::string> dates;
    for (const auto& row :
         txn.exec("SELECT analysis_date::text FROM (SELECT analysis_date FROM rfm_analysis UNION "
                  "SELECT analysis_date FROM product_performance UNION SELECT analysis_date FROM "
                  "sales_trends UNION SELECT analysis_date FROM cohort_retention UNION SELECT "
                  "analysis_date FROM sales_by_region) d ORDER BY analysis_date DESC")) {
        dates.push_back(row[0].as<std::string>());
    }
    return dates;
}

std::vector<SegmentRow> readSegments(Txn& txn, const std::string& date) {
    std::vector<SegmentRow> rows;
    for (const auto& row : txn.exec_params(
             "SELECT segment_name, customer_count, customer_share_pct::float8, "
             "total_revenue::float8, revenue_share_pct::float8, total_orders, "
             "avg_order_value::float8 FROM customer_segments_history WHERE analysis_date = $1 "
             "ORDER BY customer_count DESC, segment_name",
             date)) {
        SegmentRow segment;
        segment.segment = row[0].as<std::string>();
        segment.customers = row[1].as<std::int64_t>();
        segment.customer_share_pct = row[2].as<double>();
        segment.revenue = row[3].as<double>();
        segment.revenue_share_pct = optionalDouble(row[4]);
        segment.orders = row[5].as<std::int64_t>();
        segment.average_order_value = optionalDouble(row[6]);
        rows.push_back(std::move(segment));
    }
    return rows;
}

std::vector<RfmCell> readRfmCells(Txn& txn, const std::string& date) {
    std::vector<RfmCell> cells;
    for (const auto& row : txn.exec_params(
             "SELECT recency_score, frequency_score, count(*), sum(monetary_value)::float8 FROM "
             "rfm_analysis WHERE analysis_date = $1 GROUP BY 1, 2 ORDER BY 1, 2",
             date)) {
        cells.push_back(RfmCell{row[0].as<int>(), row[1].as<int>(), row[2].as<std::int64_t>(),
                                row[3].as<double>()});
    }
    return cells;
}

std::vector<RfmCustomer> readCellCustomers(Txn& txn, const std::string& date, int recency,
                                           int frequency, int limit) {
    std::vector<RfmCustomer> customers;
    for (const auto& row : txn.exec_params(
             "SELECT user_id, recency_days, frequency_count, monetary_value::float8, rfm_score, "
             "rfm_segment FROM rfm_analysis WHERE analysis_date = $1 AND recency_score = $2 AND "
             "frequency_score = $3 ORDER BY monetary_value DESC, user_id LIMIT $4",
             date, recency, frequency, limit)) {
        customers.push_back(RfmCustomer{row[0].as<std::string>(), row[1].as<int>(),
                                        row[2].as<int>(), row[3].as<double>(), row[4].as<int>(),
                                        row[5].as<std::string>()});
    }
    return customers;
}

std::vector<LifetimeValueRow> readTopCustomers(Txn& txn, int limit) {
    std::vector<LifetimeValueRow> rows;
    for (const auto& row : txn.exec_params(
             "SELECT user_id, country, lifetime_value::float8, total_orders, "
             "avg_order_value::float8, first_transaction_date::text, "
             "last_transaction_date::text, customer_segment FROM v_customer_lifetime_value "
             "ORDER BY lifetime_value DESC, user_id LIMIT $1",
             limit)) {
        LifetimeValueRow customer;
        customer.user_id = row[0].as<std::string>();
        customer.country = text(row[1]);
        customer.lifetime_value = row[2].as<double>();
        customer.orders = row[3].as<std::int64_t>();
        customer.average_order_value = optionalDouble(row[4]);
        customer.first_order_date = text(row[5]);
        customer.last_order_date = text(row[6]);
        customer.segment = text(row[7]);
        rows.push_back(std::move(customer));
    }
    return rows;
}

std::vector<CohortCell> readCohorts(Txn& txn, const std::string& date) {
    std::vector<CohortCell> cells;
    for (const auto& row : txn.exec_params(
             "SELECT to_char(cohort_month, 'YYYY-MM'), month_offset, cohort_size, "
             "active_customers, retention_pct::float8, revenue::float8 FROM cohort_retention "
             "WHERE analysis_date = $1 ORDER BY cohort_month, month_offset",
             date)) {
        cells.push_back(CohortCell{row[0].as<std::string>(), row[1].as<int>(),
                                   row[2].as<std::int64_t>(), row[3].as<std::int64_t>(),
                                   row[4].as<double>(), row[5].as<double>()});
    }
    return cells;
}

std::vector<ProductPerformanceRow> readProducts(Txn& txn, const std::string& date) {
    std::vector<ProductPerformanceRow> rows;
    for (const auto& row : txn.exec_params(
             "SELECT product_id, product_name, category, total_sales, total_quantity, "
             "total_revenue::float8, total_views, cart_adds, conversion_rate::float8, "
             "cart_abandonment_rate::float8, category_rank, overall_rank, "
             "performance_score::float8, performance_tier FROM product_performance WHERE "
             "analysis_date = $1 ORDER BY overall_rank, product_id",
             date)) {
        ProductPerformanceRow product;
        product.product_id = row[0].as<std::string>();
        product.name = text(row[1]);
        product.category = text(row[2]);
        product.orders = row[3].as<std::int64_t>();
        product.quantity = row[4].as<std::int64_t>();
        product.revenue = row[5].as<double>();
        product.views = row[6].as<std::int64_t>();
        product.cart_adds = row[7].as<std::int64_t>();
        product.conversion_pct = optionalDouble(row[8]);
        product.cart_abandonment_pct = optionalDouble(row[9]);
        product.category_rank = row[10].as<int>();
        product.overall_rank = row[11].as<int>();
        product.performance_score = row[12].as<double>();
        product.tier = row[13].as<std::string>();
        rows.push_back(std::move(product));
    }
    return rows;
}

std::vector<TrendPoint> readTrends(Txn& txn, const std::string& date) {
    std::vector<TrendPoint> points;
    for (const auto& row : txn.exec_params(
             "SELECT period_type, period_value, period_start::text, category, total_sales, "
             "total_revenue::float8, total_quantity, unique_customers, growth_rate::float8 FROM "
             "sales_trends WHERE analysis_date = $1 ORDER BY period_type, category NULLS FIRST, "
             "period_start",
             date)) {
        TrendPoint point;
        point.period_type = row[0].as<std::string>();
        point.period_value = row[1].as<std::string>();
        point.period_start = row[2].as<std::string>();
        point.category = text(row[3]);
        point.orders = row[4].as<std::int64_t>();
        point.revenue = row[5].as<double>();
        point.quantity = row[6].as<std::int64_t>();
        point.customers = row[7].as<std::int64_t>();
        point.growth_pct = optionalDouble(row[8]);
        points.push_back(std::move(point));
    }
    return points;
}

std::vector<RegionSales> readRegions(Txn& txn, const std::string& date) {
    std::vector<RegionSales> regions;
    for (const auto& row : txn.exec_params(
             "SELECT country, coalesce(max(region), ''), sum(total_sales), "
             "sum(total_revenue)::float8 FROM sales_by_region WHERE analysis_date = $1 GROUP BY "
             "country ORDER BY 4 DESC, country",
             date)) {
        regions.push_back(RegionSales{row[0].as<std::string>(), row[1].as<std::string>(),
                                      row[2].as<std::int64_t>(), row[3].as<double>()});
    }
    return regions;
}

std::vector<QualityRow> readLastQuality(Txn& txn, std::int64_t* run_id) {
    std::vector<QualityRow> checks;
    std::int64_t last = 0;
    for (const auto& row :
         txn.exec("SELECT run_id, check_name, table_name, expected::text, actual::text, passed "
                  "FROM etl_quality WHERE run_id = (SELECT max(run_id) FROM etl_quality) ORDER BY "
                  "passed, check_name, table_name")) {
        last = row[0].as<std::int64_t>();
        checks.push_back(QualityRow{row[1].as<std::string>(), row[2].as<std::string>(),
                                    row[3].as<std::string>(), row[4].as<std::string>(),
                                    row[5].as<bool>()});
    }
    if (run_id != nullptr) {
        *run_id = last;
    }
    return checks;
}

std::vector<BatchRunRow> readBatchRuns(Txn& txn, int limit) {
    std::vector<BatchRunRow> runs;
    for (const auto& row : txn.exec_params(
             "SELECT run_id, step, analysis_date::text, to_char(started_at, 'YYYY-MM-DD "
             "HH24:MI:SS'), coalesce(extract(epoch FROM finished_at - started_at), 0)::float8, "
             "status, rows, error_message FROM batch_runs ORDER BY run_id DESC, started_at DESC, "
             "step LIMIT $1",
             limit)) {
        BatchRunRow run;
        run.run_id = row[0].as<std::int64_t>();
        run.step = row[1].as<std::string>();
        run.analysis_date = row[2].as<std::string>();
        run.started_at = row[3].as<std::string>();
        run.seconds = row[4].as<double>();
        run.status = row[5].as<std::string>();
        if (!row[6].is_null()) {
            run.rows = row[6].as<std::int64_t>();
        }
        run.error = text(row[7]);
        runs.push_back(std::move(run));
    }
    return runs;
}

bool schemaMigrated(Txn& txn, const std::string& schema) {
    return !txn.exec_params1("SELECT to_regclass($1)", schema + ".sales_by_region")[0].is_null();
}

} // namespace

std::optional<double> KpiValue::changePct() const {
    if (!previous || *previous == 0) {
        return std::nullopt;
    }
    return 100.0 * (current - *previous) / *previous;
}

struct WarehouseReader::Impl {
    std::string schema;
    std::unique_ptr<pqxx::connection> connection;

    template <typename Body> auto read(const char* what, Body&& body) {
        return reading(what, [&] {
            pqxx::read_transaction txn(*connection);
            return body(txn);
        });
    }
};

WarehouseReader::WarehouseReader(const std::string& conninfo, const std::string& schema)
    : impl_(std::make_unique<Impl>()) {
    impl_->schema = schema;
    reading("the warehouse", [&] {
        impl_->connection = std::make_unique<pqxx::connection>(conninfo);
        // Through libpqxx, which sets them again when it reconnects a lost connection.
        impl_->connection->set_variable("search_path",
                                        impl_->connection->quote_name(schema) + ", public");
        impl_->connection->set_variable("TimeZone", "'UTC'");
        impl_->connection->set_variable("jit", "off");
        return 0;
    });
}

WarehouseReader::~WarehouseReader() = default;

bool WarehouseReader::migrated() {
    return impl_->read("the warehouse schema",
                       [&](Txn& txn) { return schemaMigrated(txn, impl_->schema); });
}
std::vector<std::string> WarehouseReader::analysisDates() {
    return impl_->read("analysis dates", [](Txn& txn) { return readAnalysisDates(txn); });
}
WarehouseKpis WarehouseReader::kpis(const std::string& date) {
    return impl_->read("KPIs", [&](Txn& txn) { return readKpis(txn, date); });
}
std::vector<SegmentRow> WarehouseReader::segments(const std::string& date) {
    return impl_->read("customer_segments_history",
                       [&](Txn& txn) { return readSegments(txn, date); });
}
std::vector<RfmCell> WarehouseReader::rfmCells(const std::string& date) {
    return impl_->read("rfm_analysis", [&](Txn& txn) { return readRfmCells(txn, date); });
}
std::vector<RfmCustomer> WarehouseReader::cellCustomers(const std::string& date, int recency_score,
                                                        int frequency_score, int limit) {
    return impl_->read("rfm_analysis", [&](Txn& txn) {
        return readCellCustomers(txn, date, recency_score, frequency_score, limit);
    });
}
std::vector<LifetimeValueRow> WarehouseReader::topCustomers(int limit) {
    return impl_->read("v_customer_lifetime_value",
                       [&](Txn& txn) { return readTopCustomers(txn, limit); });
}
std::vector<CohortCell> WarehouseReader::cohorts(const std::string& date) {
    return impl_->read("cohort_retention", [&](Txn& txn) { return readCohorts(txn, date); });
}
std::vector<ProductPerformanceRow> WarehouseReader::products(const std::string& date) {
    return impl_->read("product_performance", [&](Txn& txn) { return readProducts(txn, date); });
}
std::vector<TrendPoint> WarehouseReader::trends(const std::string& date) {
    return impl_->read("sales_trends", [&](Txn& txn) { return readTrends(txn, date); });
}
std::vector<RegionSales> WarehouseReader::regions(const std::string& date) {
    return impl_->read("sales_by_region", [&](Txn& txn) { return readRegions(txn, date); });
}
std::vector<QualityRow> WarehouseReader::lastQuality(std::int64_t* run_id) {
    return impl_->read("etl_quality", [&](Txn& txn) { return readLastQuality(txn, run_id); });
}
std::vector<BatchRunRow> WarehouseReader::batchRuns(int limit) {
    return impl_->read("batch_runs", [&](Txn& txn) { return readBatchRuns(txn, limit); });
}

WarehouseView WarehouseReader::view(const std::string& date) {
    return reading("the warehouse", [&] {
        // One snapshot: every part of the page shows the same state of the warehouse.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(*impl_->connection);
        WarehouseView view;
        view.migrated = schemaMigrated(txn, impl_->schema);
        if (!view.migrated) {
            return view;
        }
        view.analysis_dates = readAnalysisDates(txn);
        view.quality = readLastQuality(txn, &view.quality_run_id);
        view.batch_runs = readBatchRuns(txn, 200);
        if (view.analysis_dates.empty()) {
            return view;
        }
        view.analysis_date = date.empty() ? view.analysis_dates.front() : date;
        const std::string& day = view.analysis_date;
        view.kpis = readKpis(txn, day);
        view.segments = readSegments(txn, day);
        view.rfm_cells = readRfmCells(txn, day);
        view.top_customers = readTopCustomers(txn, 100);
        view.cohorts = readCohorts(txn, day);
        view.products = readProducts(txn, day);
        view.trends = readTrends(txn, day);
        view.regions = readRegions(txn, day);
        return view;
    });
}

} // namespace gm::warehouse
