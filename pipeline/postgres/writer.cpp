// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/writer.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/flush_writer.h"
#include "pipeline/postgres/pg_session.h"

#include <algorithm>

namespace gm {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRateWindow = std::chrono::seconds(3);

} // namespace

std::string_view writerStateName(WriterState state) {
    switch (state) {
    case WriterState::Connecting:
        return "connecting";
    case WriterState::Connected:
        return "connected";
    case WriterState::Retrying:
        return "retrying";
    case WriterState::Stopped:
        return "stopped";
    }
    return "unknown";
}

PostgresWriter::PostgresWriter(WriterConfig config) : config_(std::move(config)) {}

PostgresWriter::~PostgresWriter() {
    stop();
}

void PostgresWriter::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) {
        return;
    }
    thread_ = std::thread(&PostgresWriter::run, this);
}

bool PostgresWriter::hasRoom(std::size_t rows, std::size_t bytes) const {
    if (buffered_rows_ == 0 && buffered_bytes_ == 0) {
        return true;
    }
    return buffered_rows_ + rows <= config_.buffer_rows &&
           buffered_bytes_ + bytes <= config_.buffer_bytes;
}

bool PostgresWriter::push(TableBatch&& batch) {
    return tryPush(std::move(batch), std::chrono::milliseconds::max());
}

bool PostgresWriter::tryPush(TableBatch&& batch, std::chrono::milliseconds timeout) {
    const std::size_t bytes = batch.bufferedBytes();
    std::unique_lock lock(mutex_);
    const auto ready = [&] { return stopping_ || hasRoom(batch.rows, bytes); };
    if (!ready()) {
        ++waiting_producers_;
        bool got_room = true;
        if (timeout == std::chrono::milliseconds::max()) {
            room_ready_.wait(lock, ready);
        } else {
            got_room = room_ready_.wait_for(lock, timeout, ready);
        }
        --waiting_producers_;
        if (!got_room) {
            return false;
        }
    }
    if (stopping_) {
        return false;
    }
    const bool was_empty = pending_.empty();
    if (was_empty) {
        oldest_pending_ = Clock::now();
    }
    pending_rows_ += batch.rows;
    buffered_rows_ += batch.rows;
    buffered_bytes_ += bytes;
    ++accepted_batches_;
    pending_.push_back(std::move(batch));
    if (was_empty || pending_rows_ >= config_.flush_rows) {
        work_ready_.notify_one();
    }
    return true;
}

bool PostgresWriter::acceptingInput() const {
    std::lock_guard lock(mutex_);
    return !stopping_ && waiting_producers_ == 0 && buffered_rows_ < config_.buffer_rows &&
           buffered_bytes_ < config_.buffer_bytes;
}

bool PostgresWriter::waitUntilWritten(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = accepted_batches_;
    return written_.wait_for(lock, timeout, [&] {
        return committed_batches_ >= target || stopped_;
    }) && committed_batches_ >= target;
}

std::uint64_t PostgresWriter::acceptedBatches() const {
    std::lock_guard lock(mutex_);
    return accepted_batches_;
}

std::uint64_t PostgresWriter::committedBatches() const {
    std::lock_guard lock(mutex_);
    return committed_batches_;
}

void PostgresWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        work_ready_.notify_all();
        room_ready_.notify_all();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    std::lock_guard lock(mutex_);
    if (!stopped_) {
        // Never started: whatever was pushed was not written.
        status_.rows_abandoned = buffered_rows_;
        stopped_ = true;
    }
    status_.state = WriterState::Stopped;
    written_.notify_all();
}

WriterStatus PostgresWriter::status() const {
    std::lock_guard lock(mutex_);
    WriterStatus s = status_;
    s.buffered_rows = buffered_rows_;
    s.buffered_bytes = buffered_bytes_;
    s.buffer_fill_pct =
        100.0 * std::max(static_cast<double>(buffered_rows_) /
                             static_cast<double>(std::max<std::size_t>(config_.buffer_rows, 1)),
                         static_cast<double>(buffered_bytes_) /
                             static_cast<double>(std::max<std::size_t>(config_.buffer_bytes, 1)));
    if (!rate_samples_.empty()) {
        const auto elapsed =
            std::chrono::duration<double>(Clock::now() - rate_samples_.front().first).count();
        if (elapsed > 0.1) {
            s.rows_per_second =
                static_cast<double>(status_.rows_written - rate_samples_.front().second) / elapsed;
        }
    }
    return s;
}

void PostgresWriter::setError(const std::string& message) {
    std::lock_guard lock(mutex_);
    status_.last_error = firstLine(message);
}

bool PostgresWriter::connect(FlushWriter& flush) {
    try {
        flush.connect();
        std::lock_guard lock(mutex_);
        status_.state = WriterState::Connected;
        return true;
    } catch (const PgError& e) {
        flush.disconnect();
        std::lock_guard lock(mutex_);
        status_.state = WriterState::Retrying;
        status_.last_error = firstLine(e.what());
        ++status_.retries;
        return false;
    }
}

void PostgresWriter::takeWork(std::vector<TableBatch>& inflight, std::unique_lock<std::mutex>&) {
    std::size_t rows = 0;
    while (!pending_.empty() && (inflight.empty() || rows < config_.flush_rows)) {
        rows += pending_.front().rows;
        inflight.push_back(std::move(pending_.front()));
        pending_.pop_front();
    }
    pending_rows_ -= std::min(pending_rows_, rows);
    // oldest_pending_ is left as it was: what remains is at least that old, so the next round
    // flushes it without waiting another interval.
}

void PostgresWriter::writeIsolated(FlushWriter& flush, std::vector<TableBatch>& batches) {
    // Some row of this flush breaks a constraint or a type. Write batch by batch so that only
    // the offending batches are refused; those are counted and reported, the rest commits.
    while (!batches.empty()) {
        std::vector<TableBatch> one;
        one.push_back(std::move(batches.front()));
        try {
            flush.write(one);
            committed(one);
        } catch (const PgError& e) {
            if (e.connectionLost()) {
                batches.front() = std::move(one.front()); // retried with the rest
                throw;
            }
            std::lock_guard lock(mutex_);
            status_.rows_failed += one.front().rows;
            status_.last_error = firstLine(one.front().table + ": " + e.what());
            buffered_rows_ -= std::min(buffered_rows_, one.front().rows);
            buffered_bytes_ -= std::min(buffered_bytes_, one.front().bufferedBytes());
            ++committed_batches_;
            room_ready_.notify_all();
            written_.notify_all();
        }
        batches.erase(batches.begin());
    }
}

void PostgresWriter::committed(const std::vector<TableBatch>& batches) {
    std::lock_guard lock(mutex_);
    for (const TableBatch& batch : batches) {
        if (batch.rows > 0) {
            status_.rows_by_table[batch.table] += batch.rows;
        }
        status_.rows_written += batch.rows;
        buffered_rows_ -= std::min(buffered_rows_, batch.rows);
        buffered_bytes_ -= std::min(buffered_bytes_, batch.bufferedBytes());
        ++committed_batches_;
    }
    ++status_.flushes;
    status_.state = WriterState::Connected;
    const auto now = Clock::now();
    rate_samples_.emplace_back(now, status_.rows_written);
    while (rate_samples_.size() > 1 && now - rate_samples_[1].first > kRateWindow) {
        rate_samples_.pop_front();
    }
    room_ready_.notify_all();
    written_.notify_all();
}

bool PostgresWriter::sleepFor(std::chrono::milliseconds delay, Clock::time_point deadline) {
    // A stop() during the backoff ends the wait, so that the final attempts start at once.
    std::unique_lock lock(mutex_);
    const bool was_stopping = stopping_;
    work_ready_.wait_until(lock, std::min(Clock::now() + delay, deadline),
                           [&] { return stopping_ != was_stopping; });
    return Clock::now() < deadline;
}

void PostgresWriter::run() {
    FlushWriter flush(config_.conninfo, config_.sessions);
    std::vector<TableBatch> inflight;
    auto backoff = config_.backoff_min;
    auto stop_deadline = Clock::time_point::max();

    {
        std::lock_guard lock(mutex_);
        rate_samples_.emplace_back(Clock::now(), 0); // the rate's starting point
    }
    connect(flush); // early, so that status() shows a bad URL before the first rows arrive

    while (true) {
        {
            std::unique_lock lock(mutex_);
            while (inflight.empty()) {
                const bool due =
                    !pending_.empty() && (stopping_ || pending_rows_ >= config_.flush_rows ||
                                          Clock::now() - oldest_pending_ >= config_.flush_interval);
                if (due) {
                    takeWork(inflight, lock);
                    break;
                }
                if (stopping_) {
                    break; // nothing left
                }
                if (pending_.empty()) {
                    work_ready_.wait(lock);
                } else {
                    work_ready_.wait_until(lock, oldest_pending_ + config_.flush_interval);
                }
            }
            if (stopping_ && stop_deadline == Clock::time_point::max()) {
                stop_deadline = Clock::now() + config_.stop_timeout;
            }
        }
        if (inflight.empty()) {
            break;
        }

        if (!flush.connected()) {
            if (!connect(flush)) {
                if (!sleepFor(backoff, stop_deadline)) {
                    break;
                }
                backoff = std::min(backoff * 2, config_.backoff_max);
                continue;
            }
        }
        try {
            try {
                flush.write(inflight);
                committed(inflight);
            } catch (const PgError& e) {
                if (e.connectionLost()) {
                    throw;
                }
                setError(e.what());
                writeIsolated(flush, inflight);
            }
            inflight.clear();
            backoff = config_.backoff_min;
        } catch (const PgError& e) {
            // Connection lost mid-flush: the primary transaction (upserts, progress) was not
            // committed, so the whole flush is written again on the next connection; raw rows
            // another session did commit are skipped then (ON CONFLICT DO NOTHING).
            flush.disconnect();
            {
                std::lock_guard lock(mutex_);
                status_.state = WriterState::Retrying;
                status_.last_error = firstLine(e.what());
                ++status_.retries;
            }
            if (!sleepFor(backoff, stop_deadline)) {
                break;
            }
            backoff = std::min(backoff * 2, config_.backoff_max);
        }
    }

    std::lock_guard lock(mutex_);
    status_.rows_abandoned = buffered_rows_;
    if (buffered_rows_ > 0) {
        status_.last_error = "stopped with " + std::to_string(buffered_rows_) +
                             " rows not written: " + status_.last_error;
    }
    status_.state = WriterState::Stopped;
    stopped_ = true;
    written_.notify_all();
    room_ready_.notify_all();
}

} // namespace gm
