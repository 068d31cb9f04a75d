// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/tumbling_windows.h"

#include <span>
#include <string>

namespace gm {

// Job 4: per-event high_value_anomalies and high_quantity_anomalies, windowed
// suspicious_patterns (5 min x user) and anomaly_stats (minute x country).
struct SuspiciousAcc {
    bool seen = false;
    Country country = Country::USA;
    std::uint64_t transactions = 0;
    Cents spent = 0;
    Cents max_amount = 0;
    TimestampUs first = 0;
    TimestampUs last = 0;
    void merge(const SuspiciousAcc& other);
};

struct AnomalyStatsAcc {
    std::uint64_t high_value = 0;
    std::uint64_t high_quantity = 0;
    std::uint64_t critical = 0;
    std::uint64_t high = 0;
    std::uint64_t medium = 0;
    void merge(const AnomalyStatsAcc& other);
};

struct AnomaliesClosed {
    std::vector<HighValueAnomalyRow> high_value; // per event: emitted with the batch
    std::vector<HighQuantityAnomalyRow> high_quantity;
    std::vector<ClosedWindow<UserId, SuspiciousAcc>> suspicious;
    std::vector<ClosedWindow<std::uint8_t, AnomalyStatsAcc>> stats;
    void clear() {
        high_value.clear();
        high_quantity.clear();
        suspicious.clear();
        stats.clear();
    }
};

Severity highValueSeverity(Cents amount, const PipelineConfig& config);
Severity highQuantitySeverity(std::uint32_t quantity, const PipelineConfig& config);
std::string highValueReason(Cents amount, const PipelineConfig& config);
std::string highQuantityReason(std::uint32_t quantity, const PipelineConfig& config);
std::string suspiciousReason(std::uint64_t transactions, Cents spent, const PipelineConfig& config);

class AnomalyShard {
public:
    explicit AnomalyShard(const PipelineConfig& config);
    std::uint64_t add(std::span<const Transaction> transactions, TimestampUs watermark_before,
                      AnomaliesClosed& out);
    void close(TimestampUs watermark, AnomaliesClosed& out);
    void peek(AnomaliesClosed& out) const;
    std::size_t openWindows() const { return suspicious_.openWindows() + stats_.openWindows(); }
    // Event time of the oldest state still open (kFlushWatermark: none): no event older than
    // this can change a row that is still to come.
    TimestampUs oldestOpenStart() const {
        return std::min(suspicious_.oldestOpenStart(), stats_.oldestOpenStart());
    }

private:
    const PipelineConfig& config_;
    TumblingWindows<UserId, SuspiciousAcc> suspicious_;
    TumblingWindows<std::uint8_t, AnomalyStatsAcc> stats_;
};

void emitAnomalies(std::vector<AnomaliesClosed*>& parts, const EmitContext& context, RowBatch& out);

} // namespace gm
