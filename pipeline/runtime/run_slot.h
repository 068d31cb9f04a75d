// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/runtime.h"

#include <memory>
#include <mutex>

namespace gm {

// The run the HTTP server reports on, handed over between threads: the headless run or the
// window sets it once the run has started and clears it before stopping it, so a request never
// reads a run that is being torn down. Empty: no run (not started yet, stopping, or stopped).
class RunSlot {
public:
    void set(std::shared_ptr<Runtime> runtime) {
        std::lock_guard lock(mutex_);
        runtime_ = std::move(runtime);
    }
    void clear() { set(nullptr); }
    std::shared_ptr<Runtime> runtime() const {
        std::lock_guard lock(mutex_);
        return runtime_;
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<Runtime> runtime_;
};

} // namespace gm
