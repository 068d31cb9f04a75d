// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/query_canceller.h"

#include <chrono>
#include <pqxx/pqxx>

namespace gm::warehouse {

QueryCanceller::QueryCanceller(std::string conninfo, int backend_pid,
                               const std::atomic<bool>* cancel)
    : conninfo_(std::move(conninfo)), backend_pid_(backend_pid), cancel_(cancel) {
    if (cancel_ != nullptr) {
        thread_ = std::thread([this] { watch(); });
    }
}

QueryCanceller::~QueryCanceller() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void QueryCanceller::watch() {
    constexpr auto kPollEvery = std::chrono::milliseconds(100);
    std::unique_lock lock(mutex_);
    while (!done_) {
        wake_.wait_for(lock, kPollEvery, [this] { return done_; });
        if (done_ || !cancel_->load()) {
            continue;
        }
        lock.unlock();
        try {
            pqxx::connection connection(conninfo_);
            pqxx::nontransaction work(connection);
            work.exec("SELECT pg_cancel_backend(" + std::to_string(backend_pid_) + ")");
            requested_ = true;
        } catch (const std::exception&) {
            // The step then finishes (or fails) on its own; the runner stops before the next.
        }
        return;
    }
}

} // namespace gm::warehouse
