// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/bounded_queue.h"
#include "generator/catalog.h"
#include "generator/events.h"
#include "generator/simulation_clock.h"
#include "generator/simulator.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace gm {

struct GeneratorSettings {
    double rate = 1000.0;          // events per real second, over the whole mix
    double acceleration = 1.0;     // simulated seconds per real second
    bool max_speed = false;        // do not wait for the wall clock (backfill)
    std::uint64_t event_limit = 0; // stop after this many events; 0 = no limit
    std::size_t max_batch = 4096;
};

struct GeneratorStatus {
    SimulatorStats stats;
    TimestampUs sim_time = 0;  // timestamp of the next event
    double behind_seconds = 0; // how far event time trails the simulation clock, in real seconds
    double missed_events = 0;  // events the rate asked for that could not be produced in time
    double rate = 0;           // events per second asked for
    // Events per second the shop is simulated at: the rate asked, or less while thinned to what
    // this machine delivers (ShopThinning).
    double simulated_rate = 0;
    bool thinned = false;
    double thinned_seconds = 0; // real seconds spent thinned so far
    double acceleration = 1;
    std::size_t active_visits = 0;
    bool paused = false;
    bool finished = false;
    bool reached_latest_time = false; // finished because event time reached kLatestEventTime
    // Generated (and in stats) but never taken by the consumer: it stopped taking batches.
    std::uint64_t undelivered_events = 0;
};

// Drives a ShopSimulator on its own thread at the rate the RateController allows and pushes
// EventBatches into a bounded queue (a full queue slows generation: back-pressure). A paced run
// that falls behind is thinned to what the machine delivers (ShopThinning) and then paced by the
// simulation clock instead: event time may not run ahead of it. Commands
// from other threads (rate, pause, ...) take effect at the next batch. Closes the queue when it
// stops, so the consumer can drain it.
class GeneratorRunner {
public:
    GeneratorRunner(const Catalog& catalog, const SimulatorConfig& config,
                    const GeneratorSettings& settings, SimulationClock& clock,
                    BoundedQueue<EventBatch>& output);
    ~GeneratorRunner();
    GeneratorRunner(const GeneratorRunner&) = delete;
    GeneratorRunner& operator=(const GeneratorRunner&) = delete;

    void start();
    void stop();
    void pause();
    void resume();
    void setRate(double events_per_second);
    void setAcceleration(double acceleration);
    void setViewShare(double share);
    void setAnomalyRate(double rate);

    GeneratorStatus status() const;

private:
    struct Commands {
        bool dirty = false;
        double rate = 0;
        double acceleration = 1;
        double view_share = 0;
        double anomaly_rate = 0;
        bool paused = false;
    };
    void run();
    void applyCommands(class RateController& controller, class ShopThinning& thinning,
                       bool& paused);
    void followThinning(const class ShopThinning& thinning);
    double behindSeconds() const;
    void publishStatus(const class RateController& controller, const class ShopThinning& thinning,
                       bool paused, bool finished);
    void waitFor(double seconds);

    const SimulatorConfig initial_config_;
    const GeneratorSettings settings_;
    SimulationClock& clock_;
    BoundedQueue<EventBatch>& output_;
    ShopSimulator simulator_;

    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    Commands commands_;
    GeneratorStatus status_;
    std::thread thread_;
};

} // namespace gm
