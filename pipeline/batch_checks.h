// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <cstddef>

namespace gm {

struct RejectedCounts {
    std::size_t views = 0;
    std::size_t carts = 0;
    std::size_t transactions = 0;
};

// Removes events the jobs cannot index safely (unknown country or category, zero quantity). Any
// product index is fine: the product table is only one source of products (docs/dictionaries.md).
// Full validation happens where events are decoded; this is the pipeline's own guard, so a bad
// producer cannot corrupt state.
RejectedCounts removeInvalidEvents(EventBatch& batch);

// Highest event time in the batch; `fallback` when it is empty.
TimestampUs maxEventTime(const EventBatch& batch, TimestampUs fallback);

} // namespace gm
