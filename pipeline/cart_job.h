// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/abandonment_tracker.h"
#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/tumbling_windows.h"

#include <span>

namespace gm {

// Job 2: cart_metrics (minute x country), cart_sessions (5 min x user session) and
// abandoned_carts (session windows).
struct CartMetricsAcc {
    std::uint64_t events = 0;
    std::uint64_t adds = 0;
    std::uint64_t removes = 0;
    std::uint64_t updates = 0;
    std::uint64_t checkouts = 0;
    Cents value_sum = 0;
    Cents max_value = 0;
    void merge(const CartMetricsAcc& other);
};

struct CartSessionAcc {
    bool seen = false;
    Country country = Country::USA; // of the session's first event in the stream
    std::uint32_t adds = 0;
    std::uint32_t removes = 0;
    std::uint32_t updates = 0;
    std::uint32_t checkouts = 0;
    Cents max_value = 0;
    TimestampUs last = 0;
    std::uint32_t events = 0;
    void merge(const CartSessionAcc& other);
};

struct CartsClosed {
    std::vector<ClosedWindow<std::uint8_t, CartMetricsAcc>> metrics;
    std::vector<ClosedWindow<SessionKey, CartSessionAcc>> sessions;
    std::vector<AbandonedCartRow> abandoned;
    void clear() {
        metrics.clear();
        sessions.clear();
        abandoned.clear();
    }
};

class CartShard {
public:
    explicit CartShard(const PipelineConfig& config);
    // `natural_*`: the watermarks without a resumed run's floor (Watermarks), for sessions.
    std::uint64_t add(std::span<const CartEvent> events, TimestampUs watermark_before,
                      TimestampUs natural_before);
    // False when expired sessions are left after looking at `session_budget` of them (see
    // AbandonmentTracker::close).
    bool close(TimestampUs watermark, TimestampUs natural, CartsClosed& out,
               std::size_t session_budget);
    void peek(CartsClosed& out) const;
    std::size_t openWindows() const { return metrics_.openWindows() + sessions_.openWindows(); }
    std::size_t openSessions() const { return abandonment_.openSessions(); }
    void resumeFrom(TimestampUs watermark) { abandonment_.resumeFrom(watermark); }
    // Event time of the oldest state still open (kFlushWatermark: none): no event older than
    // this can change a row that is still to come.
    TimestampUs oldestOpenStart() const {
        return std::min({metrics_.oldestOpenStart(), sessions_.oldestOpenStart(),
                         abandonment_.oldestOpenStart()});
    }

private:
    TumblingWindows<std::uint8_t, CartMetricsAcc> metrics_;
    TumblingWindows<SessionKey, CartSessionAcc, SessionKeyHash> sessions_;
    AbandonmentTracker abandonment_;
};

// cart_metrics rows. cart_sessions and abandoned_carts grow with the number of sessions: their
// closed state is emitted in bounded slices by SessionTablesEmitter (session_emitter.h).
void emitCarts(std::vector<CartsClosed*>& parts, const EmitContext& context, RowBatch& out);
// cart_sessions rows of one window's merged cells (in key order).
void appendCartSessionRows(TimestampUs start, TimestampUs end,
                           const std::vector<std::pair<SessionKey, CartSessionAcc>>& cells,
                           const EmitContext& context, RowBatch& out);

} // namespace gm
