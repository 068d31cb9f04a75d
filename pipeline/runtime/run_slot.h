// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/runtime.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace gm {

// Commands the owner of a run accepts from elsewhere (the HTTP API), carried out the owner's
// way: the headless run calls the generator directly, the window goes through its session so
// that its controls follow. Each may be empty: not offered.
struct RunCommands {
    std::function<void()> pause;
    std::function<void()> resume;
    std::function<void(double)> set_rate; // events per second
    // Told after the API stored an acknowledgement, so that the window shows it too.
    std::function<void(std::uint64_t)> acknowledged; // alert id
};

// The run the HTTP server reports on, handed over between threads: the headless run or the
// window sets it once the run has started and clears it before stopping it, so a request never
// reads a run that is being torn down. Empty: no run (not started yet, stopping, or stopped).
class RunSlot {
public:
    void set(std::shared_ptr<Runtime> runtime, RunCommands commands = {}) {
        std::lock_guard lock(mutex_);
        runtime_ = std::move(runtime);
        commands_ = std::move(commands);
    }
    void clear() { set(nullptr); }
    std::shared_ptr<Runtime> runtime() const {
        std::lock_guard lock(mutex_);
        return runtime_;
    }
    RunCommands commands() const {
        std::lock_guard lock(mutex_);
        return commands_;
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<Runtime> runtime_;
    RunCommands commands_;
};

} // namespace gm
