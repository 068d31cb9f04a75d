// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/minute_history.h"

#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace gm {
namespace {

// Window starts in microseconds since the epoch, the unit every series uses.
constexpr const char* kStartUs = "(extract(epoch FROM window_start) * 1000000)::bigint";
// The window's end, to tell whether a run's start or stop cut it short (RunEdges).
constexpr const char* kPartial = ", (extract(epoch FROM window_end) * 1000000)::bigint";
constexpr const char* kAnyPartial = ", (extract(epoch FROM max(window_end)) * 1000000)::bigint";

// window_is_partial (sql/migrations/0007) in memory: the SQL function probes generator_runs once
// per row, which made a week of per-country rows several times slower to read. The runs are few;
// their edges are read once and searched.
class RunEdges {
public:
    explicit RunEdges(pqxx::read_transaction& work) {
        for (const auto& row : work.exec(
                 "SELECT (extract(epoch FROM events_from) * 1000000)::bigint,"
                 " (extract(epoch FROM events_until) * 1000000)::bigint FROM generator_runs")) {
            starts_.push_back(row[0].as<TimestampUs>());
            if (!row[1].is_null()) {
                stops_.push_back(row[1].as<TimestampUs>());
            }
        }
        std::sort(starts_.begin(), starts_.end());
        std::sort(stops_.begin(), stops_.end());
    }
    // A run started strictly inside the window, or its last event lies in [start, end).
    bool partial(TimestampUs start, TimestampUs end) const {
        const auto started = std::upper_bound(starts_.begin(), starts_.end(), start);
        const auto stopped = std::lower_bound(stops_.begin(), stops_.end(), start);
        return (started != starts_.end() && *started < end) ||
               (stopped != stops_.end() && *stopped < end);
    }

private:
    std::vector<TimestampUs> starts_;
    std::vector<TimestampUs> stops_;
};

double abandonment(double adds, double checkouts) {
    if (adds <= 0) {
        return 0;
    }
    return std::clamp((adds - checkouts) / adds * 100.0, 0.0, 100.0);
}

} // namespace

std::size_t StoredMinutes::rowCount() const {
    std::size_t rows = revenue.size() + orders.size() + avg_order.size() + units_sold.size() +
                       cart_adds.size() + cart_checkouts.size() + abandonment_total.size();
    for (const auto& series : abandonment) {
        rows += series.size();
    }
    for (const auto& series : anomalies) {
        rows += series.size();
    }
    return rows;
}

StoredMinutes readStoredMinutes(const std::string& conninfo, TimestampUs from, TimestampUs to,
                                unsigned tables) {
    StoredMinutes out;
    out.from = from;
    out.to = to;
    const std::string range = " WHERE window_start >= to_timestamp($1::double precision / 1e6)"
                              " AND window_start < to_timestamp($2::double precision / 1e6)";
    try {
        pqxx::connection connection(conninfo);
        pqxx::read_transaction work(connection);
        const RunEdges edges(work);
        // Nothing is asked of a table the caller did not want.
        const auto query = [&](StoredTables table, const std::string& columns,
                               const std::string& rest) {
            return (tables & table) == 0
                       ? pqxx::result()
                       : work.exec_params(
                             std::string("SELECT ") + kStartUs + columns + range + rest, from, to);
        };
        for (const auto& row :
             query(kStoredSales,
                   std::string(kPartial) + ", total_revenue::float8, total_transactions::float8,"
                                           " avg_order_value::float8 FROM sales_per_minute",
                   " ORDER BY window_start")) {
            const auto start = row[0].as<TimestampUs>();
            const bool partial = edges.partial(start, row[1].as<TimestampUs>());
            out.revenue.push_back({start, row[2].as<double>(), partial});
            out.orders.push_back({start, row[3].as<double>(), partial});
            out.avg_order.push_back({start, row[4].as<double>(), partial});
        }
        for (const auto& row : query(kStoredInventory,
                                     std::string(kAnyPartial) +
                                         ", sum(total_units_sold)::float8 FROM inventory_metrics",
                                     " GROUP BY window_start ORDER BY window_start")) {
            out.units_sold.push_back(
                {row[0].as<TimestampUs>(), row[2].as<double>(),
                 edges.partial(row[0].as<TimestampUs>(), row[1].as<TimestampUs>())});
        }
        // Per country and summed in one pass: rows come ordered by window, then country.
        TimestampUs window = 0;
        double adds = 0;
        double checkouts = 0;
        bool window_partial = false;
        const auto closeWindow = [&] {
            out.cart_adds.push_back({window, adds, window_partial});
            out.cart_checkouts.push_back({window, checkouts, window_partial});
            out.abandonment_total.push_back({window, abandonment(adds, checkouts), window_partial});
        };
        bool any = false;
        for (const auto& row :
             query(kStoredCarts,
                   std::string(kPartial) + ", country, adds::float8, checkouts::float8,"
                                           " abandonment_rate_pct FROM cart_metrics",
                   " ORDER BY window_start, country")) {
            const auto start = row[0].as<TimestampUs>();
            if (any && start != window) {
                closeWindow();
                adds = checkouts = 0;
                window_partial = false;
            }
            any = true;
            window = start;
            const bool partial = edges.partial(start, row[1].as<TimestampUs>());
            window_partial = window_partial || partial;
            adds += row[3].as<double>();
            checkouts += row[4].as<double>();
            if (const auto country = parseCountry(row[2].as<std::string>())) {
                const auto index = static_cast<std::size_t>(*country);
                if (index >= out.abandonment.size()) {
                    out.abandonment.resize(index + 1);
                }
                out.abandonment[index].push_back({start, row[5].as<double>(), partial});
            }
        }
        if (any) {
            closeWindow();
        }
        for (const auto& row : query(kStoredAnomalies,
                                     std::string(kAnyPartial) +
                                         ", sum(critical_count)::float8,"
                                         " sum(high_severity_count)::float8,"
                                         " sum(medium_severity_count)::float8 FROM anomaly_stats",
                                     " GROUP BY window_start ORDER BY window_start")) {
            const auto start = row[0].as<TimestampUs>();
            const bool partial = edges.partial(start, row[1].as<TimestampUs>());
            for (std::size_t i = 0; i < out.anomalies.size(); ++i) {
                out.anomalies[i].push_back(
                    {start, row[static_cast<int>(i) + 2].as<double>(), partial});
            }
        }
    } catch (const std::exception& e) {
        out = StoredMinutes{};
        out.from = from;
        out.to = to;
        out.error = firstLine(e.what());
    }
    return out;
}

} // namespace gm
