// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/backfill_plan.h"

#include <algorithm>

namespace gm {

std::optional<std::string> backfillDaysProblem(int days) {
    if (days < 1 || days > kMaxBackfillDays) {
        return "'" + std::to_string(days) + "' is not a number of days from 1 to " +
               std::to_string(kMaxBackfillDays);
    }
    return std::nullopt;
}

void planBackfill(RunOptions& options, int days, TimestampUs end, bool keep_acceleration,
                  bool keep_event_limit) {
    constexpr double kEventsPerUserAndDay = 11.0;
    options.stop_at_sim_time = end;
    options.start_time = end - static_cast<TimestampUs>(days) * 86'400'000'000;
    options.catalog.reference_time = options.start_time;
    options.generator.max_speed = true;
    // Customers arrive over the history and some lapse: cohorts and recency to analyse.
    options.simulator.lifecycle.begin = options.start_time;
    options.simulator.lifecycle.end = end;
    if (!keep_acceleration) {
        // At max speed the clock advances accelerate / rate per event, whatever --rate is.
        options.generator.acceleration =
            options.generator.rate * 86'400.0 /
            (kEventsPerUserAndDay *
             static_cast<double>(std::max<std::uint32_t>(options.catalog.users, 1)));
    }
    if (!keep_event_limit) {
        // Stopping after this many events ends the history at `end`; the generator loop's clock
        // check alone overshoots by what one batch covers.
        const double seconds = static_cast<double>(end - options.start_time) / 1e6;
        options.generator.event_limit = static_cast<std::uint64_t>(
            seconds * options.generator.rate / options.generator.acceleration);
    }
}

} // namespace gm
