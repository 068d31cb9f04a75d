// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"
#include "pipeline/postgres/writer_status.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gm {

class FlushWriter;

struct WriterConfig {
    std::string conninfo; // libpq URI or key=value; empty: the PG* environment
    std::size_t flush_rows = 50'000;
    std::chrono::milliseconds flush_interval{500};
    // The buffer holds everything accepted and not yet committed. When either limit is reached,
    // push() blocks: that is the back-pressure on the source. Nothing is ever dropped.
    std::size_t buffer_rows = 2'000'000;
    std::size_t buffer_bytes = std::size_t{512} << 20;
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{5000};
    // stop() keeps retrying an unreachable server this long before giving up (and reporting the
    // rows as abandoned in the status).
    std::chrono::milliseconds stop_timeout{10'000};
    // Connections. The first carries the upserted tables and the progress marks in one
    // transaction per flush; the others write insert-only tables (raw events) in parallel, so
    // that the server can use more than one core (FlushWriter).
    std::size_t sessions = 2;
};

// The background PostgreSQL writer: one thread that owns the connections, buffers table batches
// and writes them in flushes (every flush_rows rows or flush_interval): per table a COPY
// (straight into the table when the keys are new, else into a temp staging table followed by
// INSERT ... ON CONFLICT), with the jobs' progress marks in the same transaction as the upserted
// rows (FlushWriter). Upserts on natural keys make retries and replays safe, so after a
// connection loss it reconnects with exponential backoff and writes the whole flush again.
class PostgresWriter {
public:
    explicit PostgresWriter(WriterConfig config);
    ~PostgresWriter(); // stop()
    PostgresWriter(const PostgresWriter&) = delete;
    PostgresWriter& operator=(const PostgresWriter&) = delete;

    void start();

    // Blocks while the buffer is full (so start() must come first). Returns false only once
    // stopped (the batch is not taken).
    // A batch bigger than the whole buffer is still accepted when the buffer is empty.
    bool push(TableBatch&& batch);
    // As push(), waiting at most timeout for room; false (batch not taken) when still full.
    bool tryPush(TableBatch&& batch, std::chrono::milliseconds timeout);
    // False while the buffer is full or a push() is waiting for room: sources that cannot block
    // poll this and pause.
    bool acceptingInput() const;

    // Waits until everything pushed so far is committed; false on timeout or when stopped first.
    bool waitUntilWritten(std::chrono::milliseconds timeout);

    // Batches are committed in the order they were accepted. So once committedBatches() reaches
    // the acceptedBatches() read after a push, that push and every one before it are durable
    // (or were refused by the server and counted in rows_failed).
    std::uint64_t acceptedBatches() const;
    std::uint64_t committedBatches() const;

    // Writes what is buffered (retrying up to stop_timeout), then ends the thread. Idempotent.
    void stop();

    WriterStatus status() const;

private:
    void run();
    bool connect(FlushWriter& flush);
    void takeWork(std::vector<TableBatch>& inflight, std::unique_lock<std::mutex>& lock);
    void writeIsolated(FlushWriter& flush, std::vector<TableBatch>& batches);
    void committed(const std::vector<TableBatch>& batches);
    bool hasRoom(std::size_t rows, std::size_t bytes) const;
    void setError(const std::string& message);
    bool sleepFor(std::chrono::milliseconds delay, std::chrono::steady_clock::time_point deadline);

    const WriterConfig config_;

    mutable std::mutex mutex_;
    std::condition_variable work_ready_; // writer thread waits for rows / stop
    std::condition_variable room_ready_; // producers wait for buffer room
    std::condition_variable written_;    // waitUntilWritten() waits for commits
    std::deque<TableBatch> pending_;     // accepted, not yet taken by the writer
    std::chrono::steady_clock::time_point oldest_pending_{};
    std::size_t pending_rows_ = 0;
    std::size_t buffered_rows_ = 0; // pending + in flight
    std::size_t buffered_bytes_ = 0;
    std::size_t waiting_producers_ = 0;
    std::uint64_t accepted_batches_ = 0;
    std::uint64_t committed_batches_ = 0;
    bool stopping_ = false;
    bool stopped_ = false;
    WriterStatus status_;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> rate_samples_;
    std::thread thread_;
};

} // namespace gm
