// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gm {

// Reading or writing the spill file failed (disk full, permissions, ...). One line.
class SpillError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The writer's overflow on disk: table batches the writer accepted but could not keep in memory
// or write to the server, in the order they were accepted. Append-only records, each
// length-prefixed and checksummed (CRC-32), so that a tail torn by a crash while spilling is
// detected, cut off and reported instead of being read as rows. Records are read back from the
// front; once all are read the file is removed. The format is in pipeline/postgres/README.md.
//
// Not thread-safe: the writer calls it under its own lock. One process at a time: open() takes
// an exclusive lock (flock on <path>.lock) for the object's lifetime.
class SpillFile {
public:
    // What open() found from an earlier run.
    struct Found {
        std::uint64_t batches = 0;
        std::uint64_t rows = 0;
        // Bytes after the last intact record, moved to <path>.torn; 0 when the file was whole.
        std::uint64_t torn_bytes = 0;
        std::uint64_t torn_rows = 0; // as far as the torn record's header tells; 0 if unknown
        std::string torn_note;       // one line when torn_bytes > 0
    };

    // Locks <path>.lock and checks an existing <path> record by record. `description` (which
    // database the rows are for, without secrets) goes into the header of a new file. Throws
    // SpillError when the directory or lock cannot be had, or another process holds the lock.
    static std::unique_ptr<SpillFile> open(const std::filesystem::path& path,
                                           const std::string& description);
    ~SpillFile();
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    const std::filesystem::path& path() const { return path_; }
    const Found& found() const { return found_; }

    // Appends one record (creating the file if it was removed). Throws SpillError; then the file
    // is as before the call.
    void append(const TableBatch& batch);
    // Records not read yet, oldest first, as many as fit max_bytes of COPY text (at least one).
    // Removes the file once the last record has been read. Throws SpillError.
    std::vector<TableBatch> readNext(std::size_t max_bytes);
    // Replaces the file by `front` followed by the records not read yet, atomically (a new file
    // renamed over the old one) and synced: the writer's memory goes before the newer rows that
    // overflowed to disk. Throws SpillError; the old file is then unchanged.
    void rewriteWithFront(const std::vector<const TableBatch*>& front);
    // fsync, so that what was spilled survives a machine crash.
    void sync();

    bool empty() const { return unread_batches_ == 0; }
    std::uint64_t unreadBatches() const { return unread_batches_; }
    std::uint64_t unreadRows() const { return unread_rows_; }
    std::uint64_t unreadBytes() const { return end_ - read_; }

    // Serialised form of one record (header + payload), exposed for the tests of torn tails.
    static std::string encodeRecord(const TableBatch& batch);

private:
    SpillFile(std::filesystem::path path, std::string description);
    void scan();
    void create();
    void removeFile();

    std::filesystem::path path_;
    std::string description_;
    int lock_fd_ = -1;
    int fd_ = -1;            // -1 while there is no file
    std::uint64_t read_ = 0; // offset of the first unread record
    std::uint64_t end_ = 0;  // offset after the last intact record
    std::uint64_t unread_batches_ = 0;
    std::uint64_t unread_rows_ = 0;
    Found found_;
};

} // namespace gm
