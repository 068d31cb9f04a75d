// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QThreadPool>
#include <memory>

namespace gm {

// Drops the last reference to big immutable objects (pipeline snapshots) on a thread of its
// own: freeing the rows of a snapshot at 200,000 events/s took 29 ms of the UI thread, more than
// half of the event loop's 50 ms budget (BENCHMARKS.md, "At 200,000 events/s").
class OffThreadReleaser {
public:
    OffThreadReleaser() { pool_.setMaxThreadCount(1); }
    // Waits until everything handed over has been released.
    ~OffThreadReleaser() { pool_.waitForDone(); }
    OffThreadReleaser(const OffThreadReleaser&) = delete;
    OffThreadReleaser& operator=(const OffThreadReleaser&) = delete;

    // Takes `object`. When this was its only reference, it is destroyed on the worker thread;
    // otherwise whoever holds the last one destroys it, as before.
    template <typename T> void release(std::shared_ptr<T> object) {
        if (!object || object.use_count() > 1) {
            return;
        }
        pool_.start([object = std::move(object)]() mutable { object.reset(); });
    }

    void waitForDone() { pool_.waitForDone(); }

private:
    QThreadPool pool_;
};

} // namespace gm
