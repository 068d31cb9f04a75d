// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace gm {

// Decides how dense the simulated shop is (events per real second at the current acceleration)
// when the machine cannot deliver the rate asked. Event times are stamped at the shop's density,
// and the pipeline must keep every session open for 35 simulated minutes: a shop simulated at a
// density the machine cannot produce falls ever further behind the clock while its open state
// grows without bound. So once the generator has fallen behind by more than
// kFallenBehindSeconds through events it could not produce in time, the shop is thinned to what
// the machine delivers (smoothed, with headroom so that event time catches up with the clock),
// and it returns to the density asked once the machine delivers that again and event time has
// caught up. A run that keeps pace is never thinned: its events stay a function of seed, rate,
// acceleration and sequence number (docs/generator.md, "Time").
// Time is passed in (seconds on any monotonic clock) so that it can be tested without sleeping.
class ShopThinning {
public:
    // The System page's "cannot keep up" threshold (GeneratorPace::kOnTimeSeconds).
    static constexpr double kFallenBehindSeconds = 0.5;
    // Simulate this share of what the machine delivers: the rest lets event time catch up.
    static constexpr double kHeadroom = 0.9;
    // Event time within this of the clock counts as caught up.
    static constexpr double kCaughtUpSeconds = 0.1;
    // How long the machine's delivery rate is averaged over.
    static constexpr double kSmoothingSeconds = 3.0;

    explicit ShopThinning(double requested_rate);

    void setRequestedRate(double events_per_second);
    double requestedRate() const { return requested_; }

    // After each batch, at `now`: `events` were generated and handed over in `busy_seconds` of
    // work (waiting for a full queue included, waiting for the clock not), the rate asked for
    // `missed_events` more than were produced since the previous call, and event time trails the
    // simulation clock by `behind_seconds` (real seconds; 0 or less when on time).
    void record(double now, std::size_t events, double busy_seconds, double missed_events,
                double behind_seconds);

    bool thinned() const { return thinned_; }
    // Events per real second the shop is simulated at: the rate asked unless thinned, and never
    // above it.
    double simulatedRate() const;
    // What the machine delivers per second of work, smoothed (0 until measured).
    double deliverableRate() const;
    // Real seconds spent thinned so far.
    double thinnedSeconds() const { return thinned_seconds_; }

private:
    double requested_;
    bool thinned_ = false;
    double fallen_behind_seconds_ = 0; // caused by missed events since the shop was last full
    double smoothed_events_ = 0;
    double smoothed_busy_ = 0;
    double last_ = -1;
    double thinned_seconds_ = 0;
};

} // namespace gm
