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

// Removes events the jobs cannot index safely (product outside the product table, unknown
// country or category, zero quantity). Full validation happens where events are decoded; this is
// the pipeline's own guard, so a bad producer cannot corrupt state.
RejectedCounts removeInvalidEvents(EventBatch& batch, std::size_t product_count);

// Highest event time in the batch; `fallback` when it is empty.
TimestampUs maxEventTime(const EventBatch& batch, TimestampUs fallback);

} // namespace gm
