// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace gm::warehouse {

// Makes a cancel request take effect within a statement, not only between steps: a step of a big
// load runs for minutes in one statement. While it lives, a thread of its own watches `cancel`;
// once it becomes true it asks the server, over a connection of its own, to cancel whatever the
// backend `backend_pid` is running (pg_cancel_backend: the statement fails with "canceling
// statement due to user request" and its transaction rolls back, so the step leaves the
// warehouse as it was). It asks once: a request that lands between two statements cancels
// nothing, and the runner then stops before the next step as before.
class QueryCanceller {
public:
    QueryCanceller(std::string conninfo, int backend_pid, const std::atomic<bool>* cancel);
    ~QueryCanceller();
    QueryCanceller(const QueryCanceller&) = delete;
    QueryCanceller& operator=(const QueryCanceller&) = delete;

    // True once the server was asked to cancel (for the report's wording).
    bool requested() const { return requested_; }

private:
    void watch();

    const std::string conninfo_;
    const int backend_pid_;
    const std::atomic<bool>* cancel_;
    std::atomic<bool> requested_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;
    std::thread thread_;
};

} // namespace gm::warehouse
