// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/emit_context.h"
#include "pipeline/rows.h"

#include <array>
#include <limits>
#include <unordered_map>
#include <vector>

namespace gm {

// Session (inactivity) windows over one shard's cart events. A session closes when the
// watermark passes its last activity + the abandonment timeout; it is abandoned when its cart
// still held items then and it never checked out. One row per abandoned session.
class AbandonmentTracker {
public:
    explicit AbandonmentTracker(TimestampUs timeout) : timeout_(timeout) {}

    // False when the event is late: no open session takes it and its own session would
    // already have closed.
    bool add(const CartEvent& event, TimestampUs watermark_before);
    // Closes sessions expired at the watermark; appends abandoned ones (processing-time columns
    // left 0 for the caller to stamp). Looks at no more than `budget` sessions: returns false
    // when some expired ones are left, for another call with the same watermark (before any
    // add()).
    bool close(TimestampUs watermark, std::vector<AbandonedCartRow>& out,
               std::size_t budget = std::numeric_limits<std::size_t>::max());
    std::size_t openSessions() const { return open_count_; }
    // First event time of the oldest open session; kFlushWatermark when none. A pass over the
    // open sessions: called a few times a second, not per event.
    TimestampUs oldestOpenStart() const;
    // A run resuming where an earlier one stopped at `watermark`. Sessions expiring at or before
    // it were emitted then, whole; sessions that end after it are re-formed from the replayed
    // events and emitted. Which is which is known only once a session's last event is in, so
    // add() and close() get the watermark of this run's own events (Watermarks::natural_*),
    // not one raised to `watermark`: a replayed session must stay open until its later events,
    // further on in the replay, have had their chance to extend it.
    void resumeFrom(TimestampUs watermark) { resumed_ = watermark; }

private:
    struct OpenCart {
        TimestampUs first = 0;
        TimestampUs last = 0;
        Country country = Country::USA;
        std::uint32_t items_added = 0;
        std::uint32_t events = 0;
        Cents last_value = 0;
        std::uint32_t last_size = 0;
        bool checked_out = false;
    };

    TimestampUs timeout_;
    TimestampUs resumed_ = std::numeric_limits<TimestampUs>::min();
    // Open sessions in 64 hash tables by a few bits of the key's hash: a table that grows
    // rehashes all its entries in one go, and a burst of a million sessions must not make one
    // call rehash a million (issue 19: bounded calls).
    using OpenCarts = std::unordered_map<SessionKey, OpenCart, SessionKeyHash>;
    static constexpr std::size_t kParts = 64;
    OpenCarts& partOf(const SessionKey& key) {
        const std::uint64_t mixed = SessionKeyHash{}(key)*0x9E3779B97F4A7C15ULL;
        return open_[static_cast<std::size_t>(mixed >> 58)];
    }
    std::array<OpenCarts, kParts> open_;
    std::size_t open_count_ = 0;
    // Sessions by the expiry they had when last filed, as a min-heap: 32 bytes a session
    // instead of an ordered map's node and a vector per expiry time (event times are in
    // microseconds, so nearly every session had a time of its own). Activity does not re-file a
    // session (that would cost a heap operation per event); close() re-files those that moved
    // on.
    struct Expiry {
        TimestampUs at = 0;
        SessionKey key;
    };
    static bool later(const Expiry& a, const Expiry& b) { return a.at > b.at; }
    std::vector<Expiry> expiries_;
};

} // namespace gm
