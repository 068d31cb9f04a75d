// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/run_options.h"

#include <optional>
#include <string>

namespace gm {

// The longest history a backfill generates (ten years).
inline constexpr int kMaxBackfillDays = 3650;

// Why `days` cannot be backfilled ("'0' is not a number of days from 1 to 3650"); nothing when
// it can. The caller puts its option or field name in front.
std::optional<std::string> backfillDaysProblem(int days);

// Turns `options` into a backfill of `days` days of history ending at `end`, the same for
// --backfill-days and the window's Backfill dialog: simulated time runs from end - days to end
// as fast as the machine allows, at about 11 events per user and simulated day (about one order
// per user and day over the mix) unless the caller keeps its own acceleration, and the event
// limit ends the history exactly at `end` unless the caller keeps its own limit. The catalog
// (users, products) must be set first: the pace depends on the number of users.
void planBackfill(RunOptions& options, int days, TimestampUs end, bool keep_acceleration,
                  bool keep_event_limit);

} // namespace gm
