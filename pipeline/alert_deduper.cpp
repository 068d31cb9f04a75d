// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/alert_deduper.h"

#include "pipeline/table_schema.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace gm {

std::vector<AlertCandidate> alertCandidates(const RowBatch& rows,
                                            const std::vector<TimestampUs>& low_stock_times,
                                            const PipelineConfig& config) {
    std::vector<AlertCandidate> out;
    for (const auto& row : rows.high_value_anomalies) {
        out.push_back({AlertKind::HighValue, row.severity, toString(row.transaction_id),
                       "High-value transaction", row.anomaly_reason, row.timestamp});
    }
    for (const auto& row : rows.high_quantity_anomalies) {
        out.push_back({AlertKind::HighQuantity, row.severity,
                       toString(row.transaction_id) + "/" + formatProductId(row.product_id),
                       "High-quantity order line", row.anomaly_reason, row.timestamp});
    }
    for (const auto& row : rows.suspicious_patterns) {
        out.push_back({AlertKind::SuspiciousPattern, row.severity, formatUserId(row.user_id),
                       "Suspicious purchase pattern", row.anomaly_reason, row.window_end});
    }
    for (const auto& row : rows.high_demand_alerts) {
        const std::string product = formatProductId(row.product_id);
        out.push_back({AlertKind::HighDemand, row.demand_level, product,
                       "High demand for " + product,
                       std::to_string(row.units_sold) + " units sold in " +
                           std::to_string(config.high_demand_window / kMicrosPerMinute) +
                           " minutes ($" + formatCents(row.total_revenue) + ")",
                       row.window_end});
    }
    for (const auto& row : rows.restock_alerts) {
        const std::string product = formatProductId(row.product_id);
        const std::string country(countryName(row.country));
        out.push_back({AlertKind::Restock, row.urgency, product + "/" + country,
                       "Restock " + product + " in " + country,
                       std::to_string(row.units_sold) + " units sold in " +
                           std::to_string(config.velocity_window / kMicrosPerMinute) +
                           " minutes (" + formatDecimal2(row.sales_rate_per_min) + " per minute)",
                       row.window_end});
    }
    for (std::size_t i = 0; i < rows.low_stock_alerts.size(); ++i) {
        const auto& row = rows.low_stock_alerts[i];
        const std::string product = formatProductId(row.product_id);
        out.push_back({AlertKind::LowStock, row.severity, product, "Low stock: " + product,
                       "Stock on hand " + std::to_string(row.stock_on_hand) + " (threshold " +
                           std::to_string(row.threshold) + ")",
                       low_stock_times[i]});
    }
    return out;
}

void AlertDeduper::process(std::vector<AlertCandidate>& candidates,
                           std::vector<AlertRow>& changed) {
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(a.time, a.kind, a.subject) < std::tie(b.time, b.kind, b.subject);
    });
    std::map<std::uint64_t, AlertRow> touched; // by creation order
    for (AlertCandidate& candidate : candidates) {
        std::string key;
        key.reserve(candidate.subject.size() + 1);
        key.push_back(static_cast<char>('a' + static_cast<int>(candidate.kind)));
        key += candidate.subject;
        auto found = active_.find(key);
        if (found != active_.end() && candidate.time - found->second.row.last_seen <= window_ &&
            found->second.row.first_seen - candidate.time <= window_) {
            AlertRow& alert = found->second.row;
            ++alert.occurrences;
            alert.first_seen = std::min(alert.first_seen, candidate.time);
            alert.last_seen = std::max(alert.last_seen, candidate.time);
            if (candidate.severity >= alert.severity) {
                alert.severity = candidate.severity;
                alert.title = std::move(candidate.title);
                alert.message = std::move(candidate.message);
            }
            touched[found->second.created] = alert;
            continue;
        }
        AlertRow alert;
        alert.alert_id = alertIdOf(candidate.kind, candidate.subject, candidate.time);
        ++raised_;
        alert.kind = candidate.kind;
        alert.severity = candidate.severity;
        alert.subject = std::move(candidate.subject);
        alert.title = std::move(candidate.title);
        alert.message = std::move(candidate.message);
        alert.first_seen = candidate.time;
        alert.last_seen = candidate.time;
        alert.occurrences = 1;
        touched[raised_] = alert;
        active_[key] = ActiveAlert{std::move(alert), raised_};
    }
    for (auto& [id, alert] : touched) {
        changed.push_back(std::move(alert));
    }
}

std::uint64_t alertIdOf(AlertKind kind, std::string_view subject, TimestampUs raised_at) {
    // FNV-1a, 64 bit: stable across builds and platforms (std::hash is not).
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    const auto mix = [&hash](unsigned char byte) {
        hash ^= byte;
        hash *= 0x100000001b3ULL;
    };
    mix(static_cast<unsigned char>(kind));
    for (const char c : subject) {
        mix(static_cast<unsigned char>(c));
    }
    for (int shift = 0; shift < 64; shift += 8) {
        mix(static_cast<unsigned char>(static_cast<std::uint64_t>(raised_at) >> shift));
    }
    hash &= 0x7FFFFFFFFFFFFFFFULL;
    return hash == 0 ? 1 : hash;
}

void AlertDeduper::expire(TimestampUs time) {
    std::erase_if(active_,
                  [&](const auto& entry) { return entry.second.row.last_seen < time - window_; });
}

} // namespace gm
