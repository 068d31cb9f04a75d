// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/worker_pool.h"

namespace gm {

WorkerPool::WorkerPool(int workers) {
    for (int i = 1; i < workers; ++i) {
        threads_.emplace_back([this, i] { loop(i); });
    }
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    start_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
}

void WorkerPool::run(const std::function<void(int)>& task) {
    if (threads_.empty()) {
        task(0);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        task_ = &task;
        pending_ = static_cast<int>(threads_.size());
        ++generation_;
    }
    start_.notify_all();
    task(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_ == 0; });
    task_ = nullptr;
}

void WorkerPool::loop(int index) {
    std::uint64_t seen = 0;
    for (;;) {
        const std::function<void(int)>* task = nullptr;
        {
            std::unique_lock lock(mutex_);
            start_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) {
                return;
            }
            seen = generation_;
            task = task_;
        }
        (*task)(index);
        std::lock_guard lock(mutex_);
        if (--pending_ == 0) {
            done_.notify_one();
        }
    }
}

} // namespace gm
