// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/writer.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/flush_writer.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/spill_file.h"

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

PostgresWriter::PostgresWriter(WriterConfig config) : config_(std::move(config)) {
    if (config_.spill_path.empty()) {
        return;
    }
    try {
        spill_ = SpillFile::open(config_.spill_path, config_.spill_description);
        spill_writable_ = true;
        const SpillFile::Found& found = spill_->found();
        // Rows an earlier run left: accepted before anything pushed now, so written first.
        accepted_batches_ = found.batches;
        status_.rows_from_earlier_run = found.rows;
        status_.spill_problem = found.torn_note;
        status_.spill_path = config_.spill_path.string();
    } catch (const SpillError& e) {
        status_.spill_problem = firstLine(e.what());
    }
}

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
    if (spill_ && !spill_->empty()) {
        return false; // newer rows must queue behind the spilled ones
    }
    if (buffered_rows_ == 0 && buffered_bytes_ == 0) {
        return true;
    }
    return buffered_rows_ + rows <= config_.buffer_rows &&
           buffered_bytes_ + bytes <= config_.buffer_bytes;
}

bool PostgresWriter::spillHasRoom() const {
    if (spill_->unreadBytes() >= config_.spill_max_bytes) {
        return false;
    }
    std::error_code ec;
    const auto space = std::filesystem::space(config_.spill_path.parent_path(), ec);
    return ec || space.available >= config_.spill_min_free_bytes;
}

bool PostgresWriter::maySpill() const {
    // While the server takes rows, a full buffer blocks the source instead: spilling would only
    // move the backlog to disk and let it grow.
    return spill_ && spill_writable_ &&
           (no_waiting_ || stopping_ || stopped_ || status_.state != WriterState::Connected) &&
           spillHasRoom();
}

bool PostgresWriter::spill(const TableBatch& batch) {
    try {
        spill_->append(batch);
    } catch (const SpillError& e) {
        spill_writable_ = false;
        status_.spill_problem = firstLine(e.what());
        return false;
    }
    ++accepted_batches_;
    status_.spill_path = config_.spill_path.string();
    work_ready_.notify_one();
    return true;
}

bool PostgresWriter::push(TableBatch&& batch) {
    return tryPush(std::move(batch), std::chrono::milliseconds::max());
}

bool PostgresWriter::tryPush(TableBatch&& batch, std::chrono::milliseconds timeout) {
    const std::size_t bytes = batch.bufferedBytes();
    const auto deadline = timeout == std::chrono::milliseconds::max() ? Clock::time_point::max()
                                                                      : Clock::now() + timeout;
    std::unique_lock lock(mutex_);
    while (true) {
        if (stopping_ && !spill_) {
            return false; // no spill file: nothing is taken once stopping
        }
        if (!stopped_ && hasRoom(batch.rows, bytes)) {
            break;
        }
        if (maySpill() && spill(batch)) {
            return true;
        }
        if (stopped_ || ((no_waiting_ || stopping_) && !spill_writable_)) {
            return false; // nowhere to go: the caller counts the rows as lost
        }
        ++waiting_producers_;
        const bool woken =
            deadline == Clock::time_point::max()
                ? (room_ready_.wait(lock), true)
                : room_ready_.wait_until(lock, deadline) == std::cv_status::no_timeout;
        --waiting_producers_;
        if (!woken && !hasRoom(batch.rows, bytes) && !maySpill()) {
            return false;
        }
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
    return !stopping_ && waiting_producers_ == 0 && (!spill_ || spill_->empty()) &&
           buffered_rows_ < config_.buffer_rows && buffered_bytes_ < config_.buffer_bytes;
}

void PostgresWriter::stopWaitingForRoom() {
    std::lock_guard lock(mutex_);
    no_waiting_ = true;
    room_ready_.notify_all();
}

bool PostgresWriter::canSpill() const {
    std::lock_guard lock(mutex_);
    return spill_ && spill_writable_;
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
    stop(config_.stop_timeout);
}

void PostgresWriter::stop(std::chrono::milliseconds write_for) {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        stop_deadline_ = std::min(stop_deadline_, Clock::now() + write_for);
        work_ready_.notify_all();
        room_ready_.notify_all();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    std::unique_lock lock(mutex_);
    if (!stopped_) {
        // Never started: whatever was pushed was not written.
        std::vector<TableBatch> none;
        spillWhatIsLeft(none);
        stopped_ = true;
    }
    status_.state = WriterState::Stopped;
    written_.notify_all();
    room_ready_.notify_all();
}

void PostgresWriter::spillWhatIsLeft(std::vector<TableBatch>& inflight) {
    if (buffered_rows_ == 0 && inflight.empty() && pending_.empty()) {
        if (spill_) {
            spill_->sync();
        }
        return;
    }
    if (spill_ && spill_writable_) {
        // Memory holds the oldest rows, the spill file the newer ones: memory goes in front.
        std::vector<const TableBatch*> front;
        for (const TableBatch& batch : inflight) {
            front.push_back(&batch);
        }
        for (const TableBatch& batch : pending_) {
            front.push_back(&batch);
        }
        try {
            spill_->rewriteWithFront(front);
            inflight.clear();
            pending_.clear();
            pending_rows_ = 0;
            buffered_rows_ = 0;
            buffered_bytes_ = 0;
            status_.spill_path = config_.spill_path.string();
            return;
        } catch (const SpillError& e) {
            spill_writable_ = false;
            status_.spill_problem = firstLine(e.what());
        }
    }
    status_.rows_abandoned += buffered_rows_;
    status_.last_error = "stopped with " + std::to_string(buffered_rows_) +
                         " rows neither written nor spilled: " + status_.last_error;
    buffered_rows_ = 0;
    buffered_bytes_ = 0;
    pending_.clear();
    pending_rows_ = 0;
    inflight.clear();
}

void PostgresWriter::loadFromSpill() {
    try {
        std::vector<TableBatch> batches = spill_->readNext(std::size_t{16} << 20);
        if (pending_.empty()) {
            oldest_pending_ = Clock::now() - config_.flush_interval; // old rows: due at once
        }
        for (TableBatch& batch : batches) {
            pending_rows_ += batch.rows;
            buffered_rows_ += batch.rows;
            buffered_bytes_ += batch.bufferedBytes();
            pending_.push_back(std::move(batch));
        }
    } catch (const SpillError& e) {
        // The records stay in the file for the next run; this one cannot read them.
        status_.spill_problem =
            firstLine(std::string(e.what()) + " (the unread rows stay in the spill file)");
        status_.rows_abandoned += spill_->unreadRows();
        spill_.reset();
        spill_writable_ = false;
    }
    if (!spill_ || spill_->empty()) {
        room_ready_.notify_all(); // pushes may use memory again
    }
}

WriterStatus PostgresWriter::status() const {
    std::lock_guard lock(mutex_);
    WriterStatus s = status_;
    s.spilled_rows = spill_ ? spill_->unreadRows() : 0;
    s.buffered_rows = buffered_rows_ + s.spilled_rows;
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
        room_ready_.notify_all(); // blocked producers may spill now
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

bool PostgresWriter::sleepFor(std::chrono::milliseconds delay) {
    // A stop() during the backoff ends the wait, so that the final attempts start at once.
    std::unique_lock lock(mutex_);
    const bool was_stopping = stopping_;
    const auto deadline = stop_deadline_;
    work_ready_.wait_until(lock, std::min(Clock::now() + delay, deadline),
                           [&] { return stopping_ != was_stopping || stop_deadline_ != deadline; });
    return Clock::now() < stop_deadline_;
}

void PostgresWriter::run() {
    FlushWriter flush(config_.conninfo, config_.sessions);
    std::vector<TableBatch> inflight;
    auto backoff = config_.backoff_min;

    {
        std::lock_guard lock(mutex_);
        rate_samples_.emplace_back(Clock::now(), 0); // the rate's starting point
    }
    connect(flush); // early, so that status() shows a bad URL before the first rows arrive

    while (true) {
        {
            std::unique_lock lock(mutex_);
            while (inflight.empty()) {
                if (stopping_ && Clock::now() >= stop_deadline_) {
                    break; // out of time: what is left goes to the spill file
                }
                if (pending_.empty() && spill_ && !spill_->empty()) {
                    loadFromSpill(); // the oldest rows are on disk: they go next
                }
                const bool due =
                    !pending_.empty() && (stopping_ || pending_rows_ >= config_.flush_rows ||
                                          Clock::now() - oldest_pending_ >= config_.flush_interval);
                if (due) {
                    takeWork(inflight, lock);
                    break;
                }
                if (stopping_ && pending_.empty()) {
                    break; // nothing left
                }
                if (pending_.empty()) {
                    work_ready_.wait(lock);
                } else {
                    work_ready_.wait_until(lock, oldest_pending_ + config_.flush_interval);
                }
            }
        }
        if (inflight.empty()) {
            break;
        }

        if (!flush.connected()) {
            if (!connect(flush)) {
                if (!sleepFor(backoff)) {
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
                room_ready_.notify_all(); // blocked producers may spill now
            }
            if (!sleepFor(backoff)) {
                break;
            }
            backoff = std::min(backoff * 2, config_.backoff_max);
        }
    }

    std::lock_guard lock(mutex_);
    spillWhatIsLeft(inflight);
    status_.state = WriterState::Stopped;
    stopped_ = true;
    written_.notify_all();
    room_ready_.notify_all();
}

} // namespace gm
