// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/shard.h"
#include "pipeline/sliced_sort.h"

#include <tuple>
#include <vector>

namespace gm {

// The tables that grow with the number of sessions (cart_sessions, browsing_sessions,
// abandoned_carts): a jump of event time can close a million sessions at once, and merging,
// sorting and turning them into rows in one call would stop the pipeline for seconds. Their
// closed state is taken over here and emitted in slices of bounded work. Per table, the rows
// and their order are exactly those of one call: windows ascending, keys ascending inside a
// window; abandoned carts by (window_end, user, session) over all the sessions the work closed.
class SessionTablesEmitter {
public:
    // `run_length`: cells or rows sorted at a time (about one step's budget).
    explicit SessionTablesEmitter(std::size_t run_length)
        : cart_sessions_(run_length), browsing_(run_length), abandoned_order_(run_length) {}

    // Moves the session tables' closed state out of the shards' outputs. Called after each
    // closing step of one work (a batch, an idle advance, the flush).
    void take(std::vector<ShardOutput>& outputs);
    // Every session of the work is closed: rows may leave from now on.
    void seal();
    // Nothing held: the work's session rows have all been emitted.
    bool idle() const;
    // Appends the next rows to `out`, at most about `budget` cells or rows of work (sorting
    // counts). Rows are stamped with context.now. Returns the work done.
    std::size_t step(std::size_t budget, const EmitContext& context, RowBatch& out);

private:
    struct AbandonedOrder {
        bool operator()(const AbandonedCartRow& a, const AbandonedCartRow& b) const {
            return std::tie(a.window_end, a.user_id, a.session_id) <
                   std::tie(b.window_end, b.user_id, b.session_id);
        }
    };

    SlicedWindowMerge<SessionKey, CartSessionAcc> cart_sessions_;
    SlicedWindowMerge<SessionKey, BrowsingAcc> browsing_;
    // One part per take(), kept as the shards made them: appending a mass expiry's rows to one
    // array would copy them all, to fresh pages, at every doubling (issue 19, 2026-12-06).
    std::vector<std::vector<AbandonedCartRow>> abandoned_;
    SlicedSort<AbandonedCartRow, AbandonedOrder> abandoned_order_;
    bool sealed_ = false;
};

} // namespace gm
