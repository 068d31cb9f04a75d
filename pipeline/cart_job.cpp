// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/cart_job.h"

#include <algorithm>

namespace gm {
namespace {

// The per-window metrics and the per-session accumulators count cart events by type alike.
template <typename Accumulator> void countByType(Accumulator& acc, CartEventType type) {
    switch (type) {
    case CartEventType::AddToCart:
        ++acc.adds;
        break;
    case CartEventType::RemoveFromCart:
        ++acc.removes;
        break;
    case CartEventType::UpdateQuantity:
        ++acc.updates;
        break;
    case CartEventType::Checkout:
        ++acc.checkouts;
        break;
    }
}

} // namespace

void CartMetricsAcc::merge(const CartMetricsAcc& other) {
    events += other.events;
    adds += other.adds;
    removes += other.removes;
    updates += other.updates;
    checkouts += other.checkouts;
    value_sum += other.value_sum;
    max_value = std::max(max_value, other.max_value);
}

void CartSessionAcc::merge(const CartSessionAcc& other) {
    if (!seen) {
        country = other.country;
        seen = other.seen;
    }
    adds += other.adds;
    removes += other.removes;
    updates += other.updates;
    checkouts += other.checkouts;
    max_value = std::max(max_value, other.max_value);
    last = std::max(last, other.last);
    events += other.events;
}

CartShard::CartShard(const PipelineConfig& config)
    : metrics_(config.cart_metrics_window), sessions_(config.cart_session_window),
      abandonment_(config.abandonment_timeout) {}

std::uint64_t CartShard::add(std::span<const CartEvent> events, TimestampUs watermark_before,
                             TimestampUs natural_before) {
    std::uint64_t late = 0;
    for (const CartEvent& event : events) {
        // The minute window ends first: an event it refuses is late for the job, even when a
        // longer window still takes it.
        bool dropped = false;
        if (metrics_.isLate(event.timestamp, watermark_before)) {
            dropped = true;
        } else {
            CartMetricsAcc& acc =
                metrics_.cell(event.timestamp, static_cast<std::uint8_t>(event.country));
            ++acc.events;
            acc.value_sum += event.cart_value;
            acc.max_value = std::max(acc.max_value, event.cart_value);
            countByType(acc, event.event_type);
        }
        if (!sessions_.isLate(event.timestamp, watermark_before)) {
            CartSessionAcc& acc =
                sessions_.cell(event.timestamp, SessionKey{event.user, event.session_id});
            if (!acc.seen) {
                acc.seen = true;
                acc.country = event.country;
                acc.last = event.timestamp;
            }
            countByType(acc, event.event_type);
            acc.max_value = std::max(acc.max_value, event.cart_value);
            acc.last = std::max(acc.last, event.timestamp);
            ++acc.events;
        } else {
            dropped = true;
        }
        if (!abandonment_.add(event, natural_before)) {
            dropped = true;
        }
        late += dropped ? 1 : 0;
    }
    return late;
}

bool CartShard::close(TimestampUs watermark, TimestampUs natural, CartsClosed& out,
                      std::size_t session_budget) {
    metrics_.close(watermark, out.metrics);
    sessions_.close(watermark, out.sessions);
    return abandonment_.close(natural, out.abandoned, session_budget);
}

void CartShard::peek(CartsClosed& out) const {
    metrics_.peek(out.metrics);
}

void appendCartSessionRows(TimestampUs start, TimestampUs end,
                           const std::vector<std::pair<SessionKey, CartSessionAcc>>& cells,
                           const EmitContext& context, RowBatch& out) {
    for (const auto& [key, acc] : cells) {
        CartSessionRow& row = out.cart_sessions.emplace_back();
        row.window_start = start;
        row.window_end = end;
        row.user_id = key.user;
        row.session_id = key.session;
        row.country = acc.country;
        row.add_count = acc.adds;
        row.remove_count = acc.removes;
        row.update_count = acc.updates;
        row.checkout_count = acc.checkouts;
        row.max_cart_value = acc.max_value;
        row.last_activity = acc.last;
        row.total_events = acc.events;
        row.session_completed = acc.checkouts > 0;
        row.created_at = context.now;
    }
}

void emitCarts(std::vector<CartsClosed*>& parts, const EmitContext& context, RowBatch& out) {
    std::vector<std::vector<ClosedWindow<std::uint8_t, CartMetricsAcc>>*> metrics;
    for (auto* part : parts) {
        metrics.push_back(&part->metrics);
    }
    mergeClosedWindows(metrics, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (const auto& [country, acc] : cells) {
            if (acc.events == 0) {
                continue;
            }
            CartMetricsRow& row = out.cart_metrics.emplace_back();
            row.window_start = start;
            row.window_end = end;
            row.country = static_cast<Country>(country);
            row.total_cart_events = acc.events;
            row.adds = acc.adds;
            row.removes = acc.removes;
            row.updates = acc.updates;
            row.checkouts = acc.checkouts;
            row.avg_cart_value =
                static_cast<double>(acc.value_sum) / 100.0 / static_cast<double>(acc.events);
            row.max_cart_value = acc.max_value;
            if (acc.adds > 0) {
                const double rate =
                    (static_cast<double>(acc.adds) - static_cast<double>(acc.checkouts)) /
                    static_cast<double>(acc.adds) * 100.0;
                row.abandonment_rate_pct = std::clamp(rate, 0.0, 100.0);
            }
            row.created_at = context.now;
        }
    });
}

} // namespace gm
