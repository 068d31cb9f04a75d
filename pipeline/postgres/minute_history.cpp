// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/minute_history.h"

#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace gm {
namespace {

// Window starts in microseconds since the epoch, the unit every series uses.
constexpr const char* kStartUs = "(extract(epoch FROM window_start) * 1000000)::bigint";

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
        // Nothing is asked of a table the caller did not want.
        const auto query = [&](StoredTables table, const std::string& columns,
                               const std::string& rest) {
            return (tables & table) == 0
                       ? pqxx::result()
                       : work.exec_params(
                             std::string("SELECT ") + kStartUs + columns + range + rest, from, to);
        };
        for (const auto& row : query(kStoredSales,
                                     ", total_revenue::float8, total_transactions::float8,"
                                     " avg_order_value::float8 FROM sales_per_minute",
                                     " ORDER BY window_start")) {
            const auto start = row[0].as<TimestampUs>();
            out.revenue.push_back({start, row[1].as<double>()});
            out.orders.push_back({start, row[2].as<double>()});
            out.avg_order.push_back({start, row[3].as<double>()});
        }
        for (const auto& row :
             query(kStoredInventory, ", sum(total_units_sold)::float8 FROM inventory_metrics",
                   " GROUP BY window_start ORDER BY window_start")) {
            out.units_sold.push_back({row[0].as<TimestampUs>(), row[1].as<double>()});
        }
        // Per country and summed in one pass: rows come ordered by window, then country.
        TimestampUs window = 0;
        double adds = 0;
        double checkouts = 0;
        const auto closeWindow = [&] {
            out.cart_adds.push_back({window, adds});
            out.cart_checkouts.push_back({window, checkouts});
            out.abandonment_total.push_back({window, abandonment(adds, checkouts)});
        };
        bool any = false;
        for (const auto& row : query(kStoredCarts,
                                     ", country, adds::float8, checkouts::float8,"
                                     " abandonment_rate_pct FROM cart_metrics",
                                     " ORDER BY window_start, country")) {
            const auto start = row[0].as<TimestampUs>();
            if (any && start != window) {
                closeWindow();
                adds = checkouts = 0;
            }
            any = true;
            window = start;
            adds += row[2].as<double>();
            checkouts += row[3].as<double>();
            if (const auto country = parseCountry(row[1].as<std::string>())) {
                out.abandonment[static_cast<std::size_t>(*country)].push_back(
                    {start, row[4].as<double>()});
            }
        }
        if (any) {
            closeWindow();
        }
        for (const auto& row : query(kStoredAnomalies,
                                     ", sum(critical_count)::float8,"
                                     " sum(high_severity_count)::float8,"
                                     " sum(medium_severity_count)::float8 FROM anomaly_stats",
                                     " GROUP BY window_start ORDER BY window_start")) {
            const auto start = row[0].as<TimestampUs>();
            for (std::size_t i = 0; i < out.anomalies.size(); ++i) {
                out.anomalies[i].push_back({start, row[static_cast<int>(i) + 1].as<double>()});
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
