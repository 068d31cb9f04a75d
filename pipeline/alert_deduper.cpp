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
    // Sorted by pointer: a candidate holds three strings, and moving thousands of them about
    // was half of this function's work.
    std::vector<AlertCandidate*> ordered;
    ordered.reserve(candidates.size());
    for (AlertCandidate& candidate : candidates) {
        ordered.push_back(&candidate);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
        return std::tie(a->time, a->kind, a->subject) < std::tie(b->time, b->kind, b->subject);
    });
    // Alerts created or changed, by creation order: copied out once, in their final state (a
    // window closing with thousands of restock rows touches the same alerts over and over).
    // Pointers into active_ stay valid: it is node-based and nothing is erased here.
    std::vector<std::pair<std::uint64_t, const AlertRow*>> touched;
    // Alerts replaced by a new one of the same kind and subject (a recurrence after the dedup
    // window) in this call: their final state, since their place in active_ is taken.
    std::map<std::uint64_t, AlertRow> replaced;
    for (AlertCandidate* next : ordered) {
        AlertCandidate& candidate = *next;
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
            touched.emplace_back(found->second.created, &alert);
            continue;
        }
        if (found != active_.end()) {
            replaced.emplace(found->second.created, found->second.row);
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
        ActiveAlert& active = active_[key];
        active = ActiveAlert{std::move(alert), raised_};
        touched.emplace_back(raised_, &active.row);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    for (const auto& [created, alert] : touched) {
        const auto old = replaced.find(created);
        changed.push_back(old != replaced.end() ? old->second : *alert);
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
