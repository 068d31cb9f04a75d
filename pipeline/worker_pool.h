// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gm {

// Fork-join over a fixed set of threads: run(n, task) calls task(0..n-1) in parallel (task 0 on
// the caller) and returns when all are done. Each batch of the pipeline is one run, so shards
// never race each other and the merge that follows sees finished partials.
class WorkerPool {
public:
    explicit WorkerPool(int workers);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int size() const { return static_cast<int>(threads_.size()) + 1; }
    void run(const std::function<void(int)>& task);

private:
    void loop(int index);

    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable done_;
    const std::function<void(int)>* task_ = nullptr;
    std::uint64_t generation_ = 0;
    int pending_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

} // namespace gm
