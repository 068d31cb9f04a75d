// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"
#include "pipeline/postgres/writer_status.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gm {

class FlushWriter;
class SpillFile;

struct WriterConfig {
    std::string conninfo; // libpq URI or key=value; empty: the PG* environment
    std::size_t flush_rows = 50'000;
    std::chrono::milliseconds flush_interval{500};
    // The memory buffer holds accepted rows not yet committed, up to these limits. Beyond them,
    // push() blocks while the server takes rows (back-pressure: the source slows down), and
    // appends to the spill file while it does not (unreachable, or stopping): memory stays
    // bounded and nothing is dropped.
    std::size_t buffer_rows = 2'000'000;
    std::size_t buffer_bytes = std::size_t{256} << 20;
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{5000};
    // stop() keeps retrying an unreachable server this long before giving up: then what is left
    // goes to the spill file (or, without one, is reported as abandoned in the status).
    std::chrono::milliseconds stop_timeout{10'000};
    // The spill file (SpillFile); empty: none, so a full buffer only blocks and stop() abandons
    // what it cannot write. Rows an earlier run left there are written first, before new ones.
    std::filesystem::path spill_path;
    std::string spill_description; // which database, no secrets: the header of a new spill file
    // Spilling stops (push() blocks again) at this size, or when the disk has less than
    // spill_min_free_bytes left.
    std::uint64_t spill_max_bytes = std::uint64_t{32} << 30;
    std::uint64_t spill_min_free_bytes = std::uint64_t{512} << 20;
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

    // Takes the batch into memory, or into the spill file when memory is full and the server is
    // not taking rows (or the writer is stopping or stopped). Blocks while memory is full and
    // the server is taking rows (so start() must come first). Returns false, the batch not
    // taken, only when it could be neither buffered nor spilled: stopped without a spill file,
    // or the spill file failed. The caller must count such rows as lost; never ignore it.
    // A batch bigger than the whole buffer is still accepted when the buffer is empty.
    [[nodiscard]] bool push(TableBatch&& batch);
    // As push(), waiting at most timeout for room; false (batch not taken) when still full.
    [[nodiscard]] bool tryPush(TableBatch&& batch, std::chrono::milliseconds timeout);
    // False while memory is full, rows wait in the spill file, or a push() is waiting for room:
    // sources that cannot block (or can re-read later, like Kafka) poll this and pause.
    bool acceptingInput() const;
    // From now on push() never waits for room: what does not fit in memory goes to the spill
    // file. For the final flush at stop, which must not hang on a dead server.
    void stopWaitingForRoom();
    // True when rows that cannot be written can go to a spill file.
    bool canSpill() const;

    // Waits until everything pushed so far is committed; false on timeout or when stopped first.
    bool waitUntilWritten(std::chrono::milliseconds timeout);

    // Batches are committed in the order they were accepted. So once committedBatches() reaches
    // the acceptedBatches() read after a push, that push and every one before it are durable
    // (or were refused by the server and counted in rows_failed).
    std::uint64_t acceptedBatches() const;
    std::uint64_t committedBatches() const;

    // Writes what is buffered (retrying up to `write_for`, by default stop_timeout), then ends
    // the thread; what is still unwritten then goes to the spill file, in order (or, without
    // one, is counted as abandoned). stop(0ms) spills at once after the flush under way.
    // Idempotent.
    void stop();
    void stop(std::chrono::milliseconds write_for);

    WriterStatus status() const;

private:
    void run();
    bool connect(FlushWriter& flush);
    void takeWork(std::vector<TableBatch>& inflight, std::unique_lock<std::mutex>& lock);
    void writeIsolated(FlushWriter& flush, std::vector<TableBatch>& batches);
    void committed(const std::vector<TableBatch>& batches);
    bool hasRoom(std::size_t rows, std::size_t bytes) const;
    bool spillHasRoom() const;
    bool spill(const TableBatch& batch);
    void loadFromSpill();
    void spillWhatIsLeft(std::vector<TableBatch>& inflight);
    void setError(const std::string& message);
    bool sleepFor(std::chrono::milliseconds delay);
    bool maySpill() const;

    const WriterConfig config_;

    mutable std::mutex mutex_;
    std::condition_variable work_ready_; // writer thread waits for rows / stop
    std::condition_variable room_ready_; // producers wait for buffer room
    std::condition_variable written_;    // waitUntilWritten() waits for commits
    std::deque<TableBatch> pending_;     // accepted, not yet taken by the writer
    std::chrono::steady_clock::time_point oldest_pending_{};
    std::size_t pending_rows_ = 0;
    std::size_t buffered_rows_ = 0; // in memory: pending + in flight
    std::size_t buffered_bytes_ = 0;
    std::unique_ptr<SpillFile> spill_; // null: none or unusable (status_.spill_problem says why)
    bool spill_writable_ = false;      // false after a failed append (disk full, ...)
    bool no_waiting_ = false;          // stopWaitingForRoom()
    std::chrono::steady_clock::time_point stop_deadline_ =
        std::chrono::steady_clock::time_point::max();
    std::size_t waiting_producers_ = 0;
    std::uint64_t accepted_batches_ = 0;
    std::uint64_t committed_batches_ = 0;
    bool stopping_ = false;
    bool stopped_ = false; // the thread has ended (or never started and stop() was called)
    WriterStatus status_;
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> rate_samples_;
    std::thread thread_;
};

} // namespace gm
