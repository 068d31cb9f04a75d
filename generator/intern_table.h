// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace gm {

// Texts as dense 32-bit ids, 0, 1, 2, ... in order of first sight: the open dictionaries of
// user ids, product ids and product names of other producers' events (docs/dictionaries.md).
//
// Thread-safe. intern() takes one of 64 shard locks (so decoder threads rarely meet);
// text() takes no lock at all: an id reaches a reader through whatever handed it over (a queue,
// a batch), which orders the text's publication before the read. Texts never move and are never
// freed before the table: a string_view from text() stays valid for the table's lifetime.
//
// Policy: the table is capped, by count and by bytes of text. Once full, intern() refuses new
// texts (nullopt) and counts them in refused(); texts already in it keep their ids. The decoder
// turns a refusal into the dead-letter reason `dictionary_full`.
class InternTable {
public:
    static constexpr std::uint32_t kMaxCapacity = std::uint32_t{1} << 28;

    InternTable(std::uint32_t max_entries, std::size_t max_text_bytes);
    ~InternTable();
    InternTable(const InternTable&) = delete;
    InternTable& operator=(const InternTable&) = delete;

    std::optional<std::uint32_t> intern(std::string_view text);
    std::optional<std::uint32_t> find(std::string_view text) const;
    // Starts loading the text's hash slot into the cache, without a lock (see IdTable::prefetch).
    void prefetch(std::string_view text) const;
    // The same with the text's hash (hashOf) computed once: the decoder prefetches a name and
    // interns it moments later.
    static std::uint64_t hashOf(std::string_view text);
    void prefetchHashed(std::uint64_t hash) const;
    // hash = hashOf(text).
    std::optional<std::uint32_t> intern(std::string_view text, std::uint64_t hash);
    // id must come from intern() or find() of this table.
    std::string_view text(std::uint32_t id) const;

    std::uint32_t size() const { return size_.load(std::memory_order_acquire); }
    std::uint32_t maxEntries() const { return max_entries_.load(std::memory_order_relaxed); }
    // Moves the cap on entries, up to the capacity the table was built with (tests use it to
    // reach the cap without filling millions of entries).
    void setMaxEntries(std::uint32_t max_entries);
    std::uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
    // Memory held: hash slots, text blocks and the id directory.
    std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

private:
    static constexpr int kShardBits = 6;
    static constexpr std::uint32_t kChunkBits = 14; // ids per directory chunk: 16,384
    static constexpr std::size_t kBlockBytes = std::size_t{1} << 16;

    // The text's address sits beside its tag, so that a found text costs two cache misses (the
    // slot, the text), not three (and the directory).
    struct Slot {
        std::uint64_t head = 0; // tag << 32 | (id + 1); 0 = empty
        const char* stored = nullptr;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::vector<Slot> table;
        std::uint32_t used = 0;
        // The table's address and mask, for prefetch() (which takes no lock).
        std::atomic<const Slot*> prefetch_base{nullptr};
        std::atomic<std::size_t> prefetch_mask{0};
        char* block = nullptr; // current text block
        std::size_t block_left = 0;
        std::vector<std::unique_ptr<char[]>> blocks;
    };
    using Chunk = std::atomic<const char*>;

    static std::string_view decode(const char* stored);
    std::optional<std::uint32_t> findLocked(const Shard& shard, std::uint64_t hash,
                                            std::string_view text) const;
    void insertSlot(Shard& shard, Slot slot);
    const char* store(Shard& shard, std::string_view text);
    void publish(std::uint32_t id, const char* stored);

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
