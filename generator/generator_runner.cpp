// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/generator_runner.h"

#include "generator/rate_controller.h"
#include "generator/shop_thinning.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace gm {
namespace {

double steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

GeneratorRunner::GeneratorRunner(const Catalog& catalog, const SimulatorConfig& config,
                                 const GeneratorSettings& settings, SimulationClock& clock,
                                 BoundedQueue<EventBatch>& output)
    : initial_config_(config), settings_(settings), clock_(clock), output_(output),
      simulator_(catalog, config, clock.startTime()) {
    commands_.rate = settings.rate;
    commands_.acceleration = settings.acceleration;
    commands_.view_share = config.view_share;
    commands_.anomaly_rate = config.anomaly_rate;
    simulator_.setShopRate(settings.rate / settings.acceleration);
    status_.sim_time = std::min(simulator_.now(), kLatestEventTime);
    status_.rate = settings.rate;
    status_.simulated_rate = settings.rate;
    status_.acceleration = settings.acceleration;
}

GeneratorRunner::~GeneratorRunner() {
    stop();
}

void GeneratorRunner::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
    }
}

void GeneratorRunner::stop() {
    stopping_ = true;
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    output_.close();
}

void GeneratorRunner::pause() {
    std::lock_guard lock(mutex_);
    commands_.paused = true;
    commands_.dirty = true;
    wake_.notify_all();
}

void GeneratorRunner::resume() {
    std::lock_guard lock(mutex_);
    commands_.paused = false;
    commands_.dirty = true;
    wake_.notify_all();
}

void GeneratorRunner::setRate(double events_per_second) {
    std::lock_guard lock(mutex_);
    commands_.rate = std::max(events_per_second, 1e-3);
    commands_.dirty = true;
    wake_.notify_all();
}

void GeneratorRunner::setAcceleration(double acceleration) {
    std::lock_guard lock(mutex_);
    commands_.acceleration = std::max(acceleration, 1e-3);
    commands_.dirty = true;
    wake_.notify_all();
}

void GeneratorRunner::setViewShare(double share) {
    std::lock_guard lock(mutex_);
    commands_.view_share = share;
    commands_.dirty = true;
}

void GeneratorRunner::setAnomalyRate(double rate) {
    std::lock_guard lock(mutex_);
    commands_.anomaly_rate = rate;
    commands_.dirty = true;
}

GeneratorStatus GeneratorRunner::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void GeneratorRunner::applyCommands(RateController& controller, ShopThinning& thinning,
                                    bool& paused) {
    Commands commands;
    {
        std::lock_guard lock(mutex_);
        if (!commands_.dirty) {
            return;
        }
        commands = commands_;
        commands_.dirty = false;
    }
    const double now = steadySeconds();
    if (commands.rate != controller.rate()) {
        controller.setRate(commands.rate, now);
    }
    if (commands.acceleration != clock_.acceleration()) {
        clock_.setAcceleration(commands.acceleration);
    }
    thinning.setRequestedRate(commands.rate);
    followThinning(thinning);
    if (commands.view_share != simulator_.config().view_share) {
        simulator_.setViewShare(commands.view_share);
    }
    if (commands.anomaly_rate != simulator_.config().anomaly_rate) {
        simulator_.setAnomalyRate(commands.anomaly_rate);
    }
    if (!paused && commands.paused) {
        // Simulated time stops with the generator: nothing happens in the shop while paused.
        clock_.pause();
    }
    if (paused && !commands.paused) {
        // Continue from the instant the pause froze, so the event stream has no gap, and
        // without a burst of tokens earned while paused.
        clock_.resume();
        controller = RateController(commands.rate);
    }
    paused = commands.paused;
}

// Unthinned this is rate / acceleration exactly, as it always was: the same event times.
void GeneratorRunner::followThinning(const ShopThinning& thinning) {
    const double density = thinning.simulatedRate() / clock_.acceleration();
    if (density != simulator_.shopRate()) {
        simulator_.setShopRate(density);
    }
}

// How far event time trails the paced clock, in real seconds; negative when it is ahead.
double GeneratorRunner::behindSeconds() const {
    const double behind_us = static_cast<double>(clock_.now() - simulator_.now());
    return behind_us / 1e6 / clock_.acceleration();
}

void GeneratorRunner::publishStatus(const RateController& controller, const ShopThinning& thinning,
                                    bool paused, bool finished) {
    const double behind = clock_.paced() && !paused ? std::max(0.0, behindSeconds()) : 0.0;
    std::lock_guard lock(mutex_);
    status_.stats = simulator_.stats();
    status_.sim_time = std::min(simulator_.now(), kLatestEventTime);
    status_.rate = controller.rate();
    status_.simulated_rate = thinning.simulatedRate();
    status_.thinned = thinning.thinned();
    status_.thinned_seconds = thinning.thinnedSeconds();
    status_.acceleration = clock_.acceleration();
    status_.active_visits = simulator_.activeVisits();
    status_.paused = paused;
    status_.finished = finished;
    status_.behind_seconds = behind;
}

void GeneratorRunner::waitFor(double seconds) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::duration<double>(seconds),
                   [&] { return stopping_.load() || commands_.dirty; });
}

namespace {
constexpr auto kStopDeliveryWait = std::chrono::seconds(2);
} // namespace

void GeneratorRunner::run() {
    RateController controller(settings_.rate);
    ShopThinning thinning(settings_.rate);
    bool paused = false;
    double missed_before_reset = 0;
    double missed_recorded = 0;
    std::uint64_t produced = 0;
    while (!stopping_) {
        const double missed_now = controller.missedEvents();
        applyCommands(controller, thinning, paused);
        if (controller.missedEvents() < missed_now) {
            missed_before_reset += missed_now; // the controller was replaced on resume
        }
        if (paused) {
            publishStatus(controller, thinning, true, false);
            waitFor(0.1);
            continue;
        }
        std::size_t count = settings_.max_batch;
        if (!settings_.max_speed) {
            const double now = steadySeconds();
            const std::size_t batch = controller.batchSize(settings_.max_batch);
            if (thinning.thinned()) {
                // Paced by the clock, not by the rate asked: produce as fast as the machine can
                // until event time has caught up, never ahead of it. The bucket still counts
                // what the rate asked for and did not get.
                const double ahead = -behindSeconds();
                if (ahead > 0) {
                    waitFor(std::min(ahead, 0.05));
                    continue;
                }
                count = batch;
                controller.take(count, now);
            } else {
                const double wait = controller.secondsUntil(batch, now);
                if (wait > 0) {
                    waitFor(std::min(wait, 0.05));
                    continue;
                }
                count = controller.take(settings_.max_batch, now);
            }
        }
        if (settings_.event_limit != 0) {
            count = std::min<std::uint64_t>(count, settings_.event_limit - produced);
        }
        // Event i of the batch is stamped now + i x step; none may pass kLatestEventTime.
        const double room_us = static_cast<double>(kLatestEventTime - simulator_.now());
        const double fits =
            room_us < 0 ? 0.0 : std::floor(room_us * simulator_.shopRate() / 1e6) + 1;
        const bool out_of_time = fits <= static_cast<double>(count);
        if (out_of_time) {
            count = static_cast<std::size_t>(fits);
        }
        const double work_started = steadySeconds();
        EventBatch batch;
        batch.first_sequence = produced;
        simulator_.generate(count, batch);
        produced += count;
        if (!clock_.paced()) {
            clock_.follow(std::min(simulator_.now(), kLatestEventTime));
        }
        // A batch already generated is still delivered while a stop is under way (the consumer
        // drains until the queue closes), so the figures count only events the consumer got. A
        // consumer that takes nothing for kStopDeliveryWait loses it; that is counted.
        const auto stop_deadline = std::chrono::steady_clock::now() + kStopDeliveryWait;
        bool delivered = false;
        while (!(delivered = output_.pushFor(std::move(batch), std::chrono::milliseconds(50)))) {
            if (output_.closed() ||
                (stopping_ && std::chrono::steady_clock::now() >= stop_deadline)) {
                stopping_ = true;
                break;
            }
        }
        if (!delivered) {
            std::lock_guard lock(mutex_);
            status_.undelivered_events += count;
        }
        const double missed_total = missed_before_reset + controller.missedEvents();
        if (clock_.paced()) {
            const double work_ended = steadySeconds();
            thinning.record(work_ended, count, work_ended - work_started,
                            missed_total - missed_recorded, behindSeconds());
            followThinning(thinning);
        }
        missed_recorded = missed_total;
        const bool finished =
            out_of_time || (settings_.event_limit != 0 && produced >= settings_.event_limit);
        {
            std::lock_guard lock(mutex_);
            status_.missed_events = missed_total;
            status_.reached_latest_time = out_of_time;
        }
        publishStatus(controller, thinning, false, finished);
        if (finished) {
            break;
        }
    }
    output_.close();
}

} // namespace gm
