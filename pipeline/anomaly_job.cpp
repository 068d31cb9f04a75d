// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/anomaly_job.h"

#include "pipeline/table_schema.h"

#include <algorithm>
#include <tuple>

namespace gm {

void SuspiciousAcc::merge(const SuspiciousAcc& other) {
    if (!other.seen) {
        return;
    }
    if (!seen) {
        *this = other;
        return;
    }
    transactions += other.transactions;
    spent += other.spent;
    max_amount = std::max(max_amount, other.max_amount);
    first = std::min(first, other.first);
    last = std::max(last, other.last);
}

void AnomalyStatsAcc::merge(const AnomalyStatsAcc& other) {
    high_value += other.high_value;
    high_quantity += other.high_quantity;
    critical += other.critical;
    high += other.high;
    medium += other.medium;
}

Severity highValueSeverity(Cents amount, const PipelineConfig& config) {
    if (amount >= config.high_value_critical) {
        return Severity::Critical;
    }
    return amount >= config.high_value_high ? Severity::High : Severity::Medium;
}

Severity highQuantitySeverity(std::uint32_t quantity, const PipelineConfig& config) {
    if (quantity >= config.high_quantity_critical) {
        return Severity::Critical;
    }
    return quantity >= config.high_quantity_high ? Severity::High : Severity::Medium;
}

std::string highValueReason(Cents amount, const PipelineConfig& config) {
    return "Transaction total $" + formatCents(amount) + " exceeds the high-value threshold of $" +
           formatCents(config.high_value_threshold);
}

std::string highQuantityReason(std::uint32_t quantity, const PipelineConfig& config) {
    return "Order line quantity " + std::to_string(quantity) +
           " reaches the high-quantity threshold of " +
           std::to_string(config.high_quantity_threshold);
}

std::string suspiciousReason(std::uint64_t transactions, Cents spent,
                             const PipelineConfig& config) {
    std::string reason = std::to_string(transactions) + " transactions totalling $" +
                         formatCents(spent) + " within " +
                         std::to_string(config.suspicious_window / kMicrosPerMinute) + " minutes";
    const bool many = transactions >= config.suspicious_min_transactions;
    const bool big = spent > config.suspicious_spend;
    if (many && big) {
        reason += " (both rules)";
    } else if (many) {
        reason +=
            " (at least " + std::to_string(config.suspicious_min_transactions) + " transactions)";
    } else {
        reason += " (over $" + formatCents(config.suspicious_spend) + ")";
    }
    return reason;
}

AnomalyShard::AnomalyShard(const PipelineConfig& config)
    : config_(config), suspicious_(config.suspicious_window), stats_(config.anomaly_stats_window) {}

namespace {
void countSeverity(AnomalyStatsAcc& acc, Severity severity) {
    switch (severity) {
    case Severity::Critical:
        ++acc.critical;
        break;
    case Severity::High:
        ++acc.high;
        break;
    default:
        ++acc.medium;
        break;
    }
}
} // namespace

std::uint64_t AnomalyShard::add(std::span<const Transaction> transactions,
                                TimestampUs watermark_before, AnomaliesClosed& out) {
    std::uint64_t late = 0;
    for (const Transaction& tx : transactions) {
        const bool stats_late = stats_.isLate(tx.timestamp, watermark_before);
        // Per-event rows are not windowed: a late transaction still is an anomaly.
        if (tx.total_amount > config_.high_value_threshold) {
            HighValueAnomalyRow& row = out.high_value.emplace_back();
            row.transaction_id = tx.transaction_id;
            row.user_id = tx.user;
            row.timestamp = tx.timestamp;
            row.total_amount = tx.total_amount;
            row.payment_method = tx.payment_method;
            row.country = tx.country;
            row.anomaly_reason = highValueReason(tx.total_amount, config_);
            row.severity = highValueSeverity(tx.total_amount, config_);
            if (!stats_late) {
                AnomalyStatsAcc& acc =
                    stats_.cell(tx.timestamp, static_cast<std::uint8_t>(tx.country));
                ++acc.high_value;
                countSeverity(acc, row.severity);
            }
        }
        for (const OrderLine& line : tx.products) {
            if (line.quantity < config_.high_quantity_threshold) {
                continue;
            }
            HighQuantityAnomalyRow& row = out.high_quantity.emplace_back();
            row.transaction_id = tx.transaction_id;
            row.product_id = line.product;
            row.user_id = tx.user;
            row.timestamp = tx.timestamp;
            row.total_amount = tx.total_amount;
            row.payment_method = tx.payment_method;
            row.country = tx.country;
            row.quantity = line.quantity;
            row.anomaly_reason = highQuantityReason(line.quantity, config_);
            row.severity = highQuantitySeverity(line.quantity, config_);
            if (!stats_late) {
                AnomalyStatsAcc& acc =
                    stats_.cell(tx.timestamp, static_cast<std::uint8_t>(tx.country));
                ++acc.high_quantity;
                countSeverity(acc, row.severity);
            }
        }
        bool dropped = stats_late;
        if (suspicious_.isLate(tx.timestamp, watermark_before)) {
            dropped = true;
        } else {
            SuspiciousAcc& acc = suspicious_.cell(tx.timestamp, tx.user);
            if (!acc.seen) {
                acc.seen = true;
                acc.country = tx.country;
                acc.first = tx.timestamp;
                acc.last = tx.timestamp;
            }
            ++acc.transactions;
            acc.spent += tx.total_amount;
            acc.max_amount = std::max(acc.max_amount, tx.total_amount);
            acc.first = std::min(acc.first, tx.timestamp);
            acc.last = std::max(acc.last, tx.timestamp);
        }
        late += dropped ? 1 : 0;
    }
    return late;
}

void AnomalyShard::close(TimestampUs watermark, AnomaliesClosed& out) {
    suspicious_.close(watermark, out.suspicious);
    stats_.close(watermark, out.stats);
}

void AnomalyShard::peek(AnomaliesClosed& out) const {
    stats_.peek(out.stats);
}

void emitAnomalies(std::vector<AnomaliesClosed*>& parts, const EmitContext& context,
                   RowBatch& out) {
    const PipelineConfig& config = context.config;
    std::vector<std::vector<ClosedWindow<UserId, SuspiciousAcc>>*> suspicious;
    std::vector<std::vector<ClosedWindow<std::uint8_t, AnomalyStatsAcc>>*> stats;
    const std::size_t value_from = out.high_value_anomalies.size();
    const std::size_t quantity_from = out.high_quantity_anomalies.size();
    for (auto* part : parts) {
        suspicious.push_back(&part->suspicious);
        stats.push_back(&part->stats);
        out.high_value_anomalies.insert(out.high_value_anomalies.end(), part->high_value.begin(),
                                        part->high_value.end());
        out.high_quantity_anomalies.insert(out.high_quantity_anomalies.end(),
                                           part->high_quantity.begin(), part->high_quantity.end());
    }
    auto value_first = out.high_value_anomalies.begin() + static_cast<std::ptrdiff_t>(value_from);
    std::sort(value_first, out.high_value_anomalies.end(), [](const auto& a, const auto& b) {
        return std::tie(a.timestamp, a.transaction_id) < std::tie(b.timestamp, b.transaction_id);
    });
    for (auto it = value_first; it != out.high_value_anomalies.end(); ++it) {
        it->detected_at = context.now;
        it->created_at = context.now;
    }
    auto quantity_first =
        out.high_quantity_anomalies.begin() + static_cast<std::ptrdiff_t>(quantity_from);
    std::sort(quantity_first, out.high_quantity_anomalies.end(), [](const auto& a, const auto& b) {
        return std::tie(a.timestamp, a.transaction_id, a.product_id) <
               std::tie(b.timestamp, b.transaction_id, b.product_id);
    });
    for (auto it = quantity_first; it != out.high_quantity_anomalies.end(); ++it) {
        it->detected_at = context.now;
        it->created_at = context.now;
    }
    mergeClosedWindows(suspicious, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (const auto& [user, acc] : cells) {
            const bool many = acc.transactions >= config.suspicious_min_transactions;
            const bool big = acc.spent > config.suspicious_spend;
            if (!many && !big) {
                continue;
            }
            SuspiciousPatternRow& row = out.suspicious_patterns.emplace_back();
            row.window_start = start;
            row.window_end = end;
            row.user_id = user;
            row.country = acc.country;
            row.transaction_count = acc.transactions;
            row.total_spent = acc.spent;
            row.avg_transaction =
                static_cast<double>(acc.spent) / 100.0 / static_cast<double>(acc.transactions);
            row.max_transaction = acc.max_amount;
            row.first_transaction = acc.first;
            row.last_transaction = acc.last;
            row.anomaly_reason = suspiciousReason(acc.transactions, acc.spent, config);
            row.severity = many && big ? Severity::Critical : Severity::High;
            row.detected_at = context.now;
            row.created_at = context.now;
        }
    });
    mergeClosedWindows(stats, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (const auto& [country, acc] : cells) {
            const std::uint64_t total = acc.high_value + acc.high_quantity;
            if (total == 0) {
                continue;
            }
            out.anomaly_stats.push_back({start, end, static_cast<Country>(country), total,
                                         acc.high_value, acc.high_quantity, acc.critical, acc.high,
                                         acc.medium, context.now});
        }
    });
}

} // namespace gm
