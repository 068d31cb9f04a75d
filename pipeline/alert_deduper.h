// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"
#include "pipeline/rows.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gm {

// One alert-worthy row before deduplication. `time` is event time (the transaction's time, or
// the window's end), so deduplication does not depend on how fast the pipeline runs.
struct AlertCandidate {
    AlertKind kind = AlertKind::HighValue;
    Severity severity = Severity::Medium;
    std::string subject;
    std::string title;
    std::string message;
    TimestampUs time = 0;
};

// Builds the candidates of a batch's rows: every row of the per-event anomaly tables,
// suspicious_patterns, high_demand_alerts, restock_alerts and low_stock_alerts.
std::vector<AlertCandidate> alertCandidates(const RowBatch& rows,
                                            const std::vector<TimestampUs>& low_stock_times,
                                            const PipelineConfig& config);

// The alerts table: the same kind and subject within the dedup window (of the alert's last
// occurrence) raise `occurrences` instead of a new alert. The severity is the highest seen; title
// and message follow the latest occurrence at that severity.
// An alert's id: a hash of its kind, subject and the event time that raised it, so that a run
// replaying the same events (after a crash) gives its alerts the same ids, and ids from runs
// over different events do not collide in the database. Positive, fits a bigint.
std::uint64_t alertIdOf(AlertKind kind, std::string_view subject, TimestampUs raised_at);

class AlertDeduper {
public:
    explicit AlertDeduper(TimestampUs window) : window_(window) {}

    // Candidates are handled in (time, kind, subject) order; every alert created or changed is
    // appended once, in its latest state, in the order the alerts were created.
    void process(std::vector<AlertCandidate>& candidates, std::vector<AlertRow>& changed);
    // Forgets alerts that no candidate at or after `time` could join.
    void expire(TimestampUs time);
    std::size_t activeAlerts() const { return active_.size(); }
    std::uint64_t alertsRaised() const { return raised_; }

private:
    TimestampUs window_;
    struct ActiveAlert {
        AlertRow row;
        std::uint64_t created; // order of creation: changed alerts leave in this order
    };
    std::unordered_map<std::string, ActiveAlert> active_; // by kind + subject
    std::uint64_t raised_ = 0;
};

} // namespace gm
