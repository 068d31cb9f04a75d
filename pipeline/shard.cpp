// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/shard.h"

#include <algorithm>

namespace gm {

void ShardOutput::clear() {
    sales.clear();
    carts.clear();
    views.clear();
    anomalies.clear();
    inventory.clear();
    late.fill(0);
}

Shard::Shard(const PipelineConfig& config)
    : sales_(config), carts_(config), views_(config), anomalies_(config), inventory_(config) {}

bool Shard::process(std::span<const ProductViewEvent> views, std::span<const CartEvent> carts,
                    std::span<const Transaction> transactions, const Watermarks& watermarks,
                    ShardOutput& out, std::size_t session_budget) {
    out.clear();
    auto late = [&](JobId job) -> std::uint64_t& { return out.late[static_cast<int>(job)]; };
    late(JobId::Sales) = sales_.add(transactions, watermarks.beforeOf(JobId::Sales));
    late(JobId::Carts) = carts_.add(carts, watermarks.beforeOf(JobId::Carts),
                                    watermarks.natural_before[static_cast<int>(JobId::Carts)]);
    late(JobId::Views) = views_.add(views, watermarks.beforeOf(JobId::Views));
    late(JobId::Anomalies) =
        anomalies_.add(transactions, watermarks.beforeOf(JobId::Anomalies), out.anomalies);
    late(JobId::Inventory) = inventory_.add(transactions, watermarks.beforeOf(JobId::Inventory));
    sales_.close(watermarks.afterOf(JobId::Sales), out.sales);
    const bool sessions_closed = carts_.close(
        watermarks.afterOf(JobId::Carts), watermarks.natural_after[static_cast<int>(JobId::Carts)],
        out.carts, session_budget);
    views_.close(watermarks.afterOf(JobId::Views), out.views);
    anomalies_.close(watermarks.afterOf(JobId::Anomalies), out.anomalies);
    inventory_.close(watermarks.afterOf(JobId::Inventory), out.inventory);
    return sessions_closed;
}

void Shard::peek(ShardOutput& out) const {
    out.clear();
    sales_.peek(out.sales);
    carts_.peek(out.carts);
    anomalies_.peek(out.anomalies);
    inventory_.peek(out.inventory);
}

TimestampUs Shard::oldestOpenStart() const {
    return std::min({sales_.oldestOpenStart(), carts_.oldestOpenStart(), views_.oldestOpenStart(),
                     anomalies_.oldestOpenStart(), inventory_.oldestOpenStart()});
}

void Shard::resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks) {
    carts_.resumeFrom(watermarks[static_cast<int>(JobId::Carts)]);
    views_.resumeFrom(watermarks[static_cast<int>(JobId::Views)]);
}

std::array<std::size_t, kJobCount> Shard::openWindows() const {
    return {sales_.openWindows(), carts_.openWindows(), views_.openWindows(),
            anomalies_.openWindows(), inventory_.openWindows()};
}

} // namespace gm
