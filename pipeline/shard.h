// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/anomaly_job.h"
#include "pipeline/cart_job.h"
#include "pipeline/inventory_job.h"
#include "pipeline/sales_job.h"
#include "pipeline/view_job.h"

#include <array>
#include <span>

namespace gm {

// What one shard hands to the merge after a batch: windows it closed, per-event rows, and how
// many of its events each job dropped as late.
struct ShardOutput {
    SalesClosed sales;
    CartsClosed carts;
    ViewsClosed views;
    AnomaliesClosed anomalies;
    InventoryClosed inventory;
    std::array<std::uint64_t, kJobCount> late{};
    void clear();
};

// All five jobs' window state for the users of one hash range. Owned and touched by one worker
// at a time.
class Shard {
public:
    explicit Shard(const PipelineConfig& config);
    // Adds the events (lateness judged against watermarks.before), then closes what
    // watermarks.after allows. `out` is cleared first. Closes at most `session_budget` cart
    // sessions: returns false when expired ones are left, for another call with the same
    // watermarks and no events (the windows are all closed by the first).
    bool process(const EventBatch& events, const Watermarks& watermarks, ShardOutput& out,
                 std::size_t session_budget) {
        return process(events.views, events.carts, events.transactions, watermarks, out,
                       session_budget);
    }
    bool process(std::span<const ProductViewEvent> views, std::span<const CartEvent> carts,
                 std::span<const Transaction> transactions, const Watermarks& watermarks,
                 ShardOutput& out, std::size_t session_budget);
    // Copies of open windows for live values (see PipelineSnapshot::partial).
    void peek(ShardOutput& out) const;
    std::array<std::size_t, kJobCount> openWindows() const;
    std::size_t openSessions() const { return carts_.openSessions(); }
    // Event time of the oldest window or session still open in any job; kFlushWatermark: none.
    TimestampUs oldestOpenStart() const;
    // See StreamEngine::resumeFrom.
    void resumeFrom(const std::array<TimestampUs, kJobCount>& watermarks);

private:
    SalesShard sales_;
    CartShard carts_;
    ViewShard views_;
    AnomalyShard anomalies_;
    InventoryShard inventory_;
};

// Which shard owns a user: a multiplicative hash mapped onto [0, shards) by range, so each
// shard owns a contiguous range of hash values.
inline int shardOf(UserId user, int shards) {
    const std::uint32_t hash = static_cast<std::uint32_t>(
        (static_cast<std::uint64_t>(user) * 0x9E3779B97F4A7C15ULL) >> 32);
    return static_cast<int>(
        (static_cast<std::uint64_t>(hash) * static_cast<std::uint64_t>(shards)) >> 32);
}

} // namespace gm
