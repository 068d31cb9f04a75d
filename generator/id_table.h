// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace gm {

// Ids of the pattern PREFIX<digits> as dense 32-bit indexes, 0, 1, 2, ... in order of first
// sight: the interned part of an IdDictionary (docs/dictionaries.md).
//
// An id is kept as a 64-bit key, its digit count and its value (keyOf below), not as text: the
// prefix is the dictionary's and the digits can be written back exactly from the two (leading
// zeros included), so a lookup compares numbers inside one hash slot and never reads text
// elsewhere in memory. That is one cache miss per found id instead of three (slot, directory,
// text) for an InternTable.
//
// Thread-safe: 64 shards with a lock each (decoder threads rarely meet); key() takes no lock
// (an index reaches a reader through a queue or a batch, which orders its publication before
// the read). Capped by count and by the bytes the ids' texts would take (the text is counted,
// not stored); once full, intern() refuses new keys (nullopt) and counts them in refused().
class IdTable {
public:
    static constexpr std::uint32_t kMaxCapacity = std::uint32_t{1} << 28;
    static constexpr std::size_t kMaxDigits = 16;

    // digits: 1 to kMaxDigits ASCII digits, value: their number (below 10^16 < 2^54).
    static constexpr std::uint64_t keyOf(std::size_t digits, std::uint64_t value) {
        return std::uint64_t{digits} << 54 | value;
    }
    static constexpr std::size_t digitsOf(std::uint64_t key) { return key >> 54; }
    static constexpr std::uint64_t valueOf(std::uint64_t key) {
        return key & ((std::uint64_t{1} << 54) - 1);
    }

    IdTable(std::uint32_t max_entries, std::size_t max_text_bytes);
    ~IdTable();
    IdTable(const IdTable&) = delete;
    IdTable& operator=(const IdTable&) = delete;

    // text_length: the length of the id's text, for the cap on text bytes.
    std::optional<std::uint32_t> intern(std::uint64_t key, std::size_t text_length);
    std::optional<std::uint32_t> find(std::uint64_t key) const;
    // Starts loading the key's slot into the cache, without a lock, so that a lookup moments
    // later does not wait for memory: the decoder prefetches an event's ids before its other
    // fields. Harmless if the table grows meanwhile (a prefetch never faults).
    void prefetch(std::uint64_t key) const;
    // id must come from intern() or find() of this table; 0 for any other.
    std::uint64_t key(std::uint32_t id) const;

    std::uint32_t size() const { return size_.load(std::memory_order_acquire); }
    std::uint32_t maxEntries() const { return max_entries_.load(std::memory_order_relaxed); }
    // Moves the cap on entries, up to the capacity the table was built with.
    void setMaxEntries(std::uint32_t max_entries);
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
    // Memory held: hash slots and the id directory.
    std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

private:
    static constexpr int kShardBits = 6;
    static constexpr std::uint32_t kChunkBits = 14; // ids per directory chunk: 16,384

    struct Slot {
        std::uint64_t key = 0; // 0 = empty (a key always has at least one digit)
        std::uint32_t id = 0;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::vector<Slot> table;
        std::uint32_t used = 0;
        // The table's address and mask, for prefetch() (which takes no lock).
        std::atomic<const Slot*> prefetch_base{nullptr};
        std::atomic<std::size_t> prefetch_mask{0};
    };
    using Chunk = std::atomic<std::uint64_t>;

    static std::uint64_t hashOf(std::uint64_t key);
    static std::optional<std::uint32_t> findLocked(const Shard& shard, std::uint64_t hash,
                                                   std::uint64_t key);
    void insertSlot(Shard& shard, std::uint64_t hash, Slot slot);
    void publish(std::uint32_t id, std::uint64_t key);

    std::uint32_t capacity_; // fixed: the directory covers it
    std::atomic<std::uint32_t> max_entries_;
    std::size_t max_text_bytes_;
    std::array<Shard, std::size_t{1} << kShardBits> shards_;
    std::vector<std::atomic<Chunk*>> directory_;
    std::mutex id_mutex_; // orders id allocation with the caps
    std::size_t text_bytes_ = 0;
    std::atomic<std::uint32_t> size_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::size_t> bytes_{0};
};

} // namespace gm
