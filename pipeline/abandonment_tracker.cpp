// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/abandonment_tracker.h"

#include "pipeline/window_math.h"

#include <algorithm>

namespace gm {

bool AbandonmentTracker::add(const CartEvent& event, TimestampUs watermark_before) {
    const SessionKey key{event.user, event.session_id};
    auto& open = partOf(key);
    auto found = open.find(key);
    if (found == open.end()) {
        if (watermark_before != kNoWatermark && event.timestamp + timeout_ <= watermark_before) {
            return false;
        }
        found = open.emplace(key, OpenCart{}).first;
        ++open_count_;
        OpenCart& cart = found->second;
        cart.first = event.timestamp;
        cart.last = event.timestamp;
        cart.country = event.country;
        expiries_.push_back({event.timestamp + timeout_, key});
        std::push_heap(expiries_.begin(), expiries_.end(), later);
    }
    OpenCart& cart = found->second;
    cart.first = std::min(cart.first, event.timestamp);
    // The cart's state is that of its latest event; on equal times the later one in the stream.
    if (event.timestamp >= cart.last) {
        cart.last = event.timestamp;
        cart.last_value = event.cart_value;
        cart.last_size = event.cart_size;
    }
    ++cart.events;
    if (event.event_type == CartEventType::AddToCart) {
        ++cart.items_added;
    } else if (event.event_type == CartEventType::Checkout) {
        cart.checked_out = true;
    }
    return true;
}

bool AbandonmentTracker::close(TimestampUs watermark, std::vector<AbandonedCartRow>& out,
                               std::size_t budget) {
    std::size_t looked_at = 0;
    while (!expiries_.empty()) {
        if (watermark != kFlushWatermark && expiries_.front().at > watermark) {
            break;
        }
        if (looked_at >= budget) {
            return false;
        }
        std::pop_heap(expiries_.begin(), expiries_.end(), later);
        const SessionKey key = expiries_.back().key;
        expiries_.pop_back();
        ++looked_at;
        auto& open = partOf(key);
        const auto found = open.find(key);
        if (found == open.end()) {
            continue;
        }
        const OpenCart& cart = found->second;
        const TimestampUs expiry = cart.last + timeout_;
        if (watermark != kFlushWatermark && expiry > watermark) {
            expiries_.push_back({expiry, key});
            std::push_heap(expiries_.begin(), expiries_.end(), later);
            continue;
        }
        const bool emitted_before_resume = resumed_ != kNoWatermark && expiry <= resumed_;
        if (!cart.checked_out && cart.last_size > 0 && !emitted_before_resume) {
            AbandonedCartRow& row = out.emplace_back();
            row.window_start = cart.first;
            row.window_end = expiry;
            row.user_id = key.user;
            row.session_id = key.session;
            row.country = cart.country;
            row.items_added = cart.items_added;
            row.abandoned_cart_value = cart.last_value;
            row.last_activity = cart.last;
            row.total_events = cart.events;
        }
        open.erase(found);
        --open_count_;
    }
    // Once a burst's sessions have closed, its peak is given back rather than kept for good.
    if (expiries_.capacity() > 4 * expiries_.size() + 4096) {
        expiries_.shrink_to_fit();
    }
    return true;
}

TimestampUs AbandonmentTracker::oldestOpenStart() const {
    TimestampUs oldest = kFlushWatermark;
    for (const auto& open : open_) {
        for (const auto& [key, cart] : open) {
            oldest = std::min(oldest, cart.first);
        }
    }
    return oldest;
}

} // namespace gm
