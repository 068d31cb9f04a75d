// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/id_table.h"

#include <algorithm>

namespace gm {

IdTable::IdTable(std::uint32_t max_entries, std::size_t max_text_bytes)
    : capacity_(std::min(max_entries, kMaxCapacity)), max_entries_(capacity_),
      max_text_bytes_(max_text_bytes), directory_((std::size_t{capacity_} >> kChunkBits) + 1) {
    bytes_ = directory_.size() * sizeof(std::atomic<Chunk*>);
}

IdTable::~IdTable() {
    for (auto& chunk : directory_) {
        delete[] chunk.load(std::memory_order_relaxed);
    }
}

std::uint64_t IdTable::hashOf(std::uint64_t key) {
    // murmur3's finalizer: consecutive numbers spread over shards (low bits) and slots.
    key ^= key >> 33;
    key *= 0xFF51AFD7ED558CCDULL;
    key ^= key >> 33;
    key *= 0xC4CEB9FE1A85EC53ULL;
    key ^= key >> 33;
    return key;
}

std::optional<std::uint32_t> IdTable::findLocked(const Shard& shard, std::uint64_t hash,
                                                 std::uint64_t key) {
    if (shard.table.empty()) {
        return std::nullopt;
    }
    const std::size_t mask = shard.table.size() - 1;
    for (std::size_t pos = (hash >> kShardBits) & mask;; pos = (pos + 1) & mask) {
        const Slot& slot = shard.table[pos];
        if (slot.key == key) {
            return slot.id;
        }
        if (slot.key == 0) {
            return std::nullopt;
        }
    }
}

void IdTable::insertSlot(Shard& shard, std::uint64_t hash, Slot slot) {
    // Grown at 70% full: linear probing stays within a cache line or two (4 slots a line).
    if ((std::size_t{shard.used} + 1) * 10 > shard.table.size() * 7) {
        std::vector<Slot> old = std::move(shard.table);
        const std::size_t grown = std::max<std::size_t>(64, old.size() * 2);
        shard.table.assign(grown, Slot{});
        bytes_ += (grown - old.size()) * sizeof(Slot);
        for (const Slot& entry : old) {
            if (entry.key != 0) {
                const std::size_t mask = grown - 1;
                std::size_t pos = (hashOf(entry.key) >> kShardBits) & mask;
                while (shard.table[pos].key != 0) {
                    pos = (pos + 1) & mask;
                }
                shard.table[pos] = entry;
            }
        }
        shard.prefetch_base.store(shard.table.data(), std::memory_order_relaxed);
        shard.prefetch_mask.store(grown - 1, std::memory_order_relaxed);
    }
    const std::size_t mask = shard.table.size() - 1;
    std::size_t pos = (hash >> kShardBits) & mask;
    while (shard.table[pos].key != 0) {
        pos = (pos + 1) & mask;
    }
    shard.table[pos] = slot;
    ++shard.used;
}

void IdTable::publish(std::uint32_t id, std::uint64_t key) {
    std::atomic<Chunk*>& entry = directory_[id >> kChunkBits];
    Chunk* chunk = entry.load(std::memory_order_acquire);
    if (chunk == nullptr) {
        // Only the holder of id_mutex_ allocates, so no race between two allocations.
        chunk = new Chunk[std::size_t{1} << kChunkBits]();
        entry.store(chunk, std::memory_order_release);
        bytes_ += (std::size_t{1} << kChunkBits) * sizeof(Chunk);
    }
    chunk[id & ((1U << kChunkBits) - 1)].store(key, std::memory_order_release);
}

void IdTable::prefetch(std::uint64_t key) const {
    const std::uint64_t hash = hashOf(key);
    const Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    const Slot* base = shard.prefetch_base.load(std::memory_order_relaxed);
    if (base != nullptr) {
        const std::size_t mask = shard.prefetch_mask.load(std::memory_order_relaxed);
        __builtin_prefetch(base + ((hash >> kShardBits) & mask));
    }
}

std::optional<std::uint32_t> IdTable::find(std::uint64_t key) const {
    const std::uint64_t hash = hashOf(key);
    const Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    std::lock_guard lock(shard.mutex);
    return findLocked(shard, hash, key);
}

std::optional<std::uint32_t> IdTable::intern(std::uint64_t key, std::size_t text_length) {
    const std::uint64_t hash = hashOf(key);
    Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    std::lock_guard lock(shard.mutex);
    if (auto found = findLocked(shard, hash, key)) {
        return found;
    }
    std::lock_guard id_lock(id_mutex_);
    const std::uint32_t id = size_.load(std::memory_order_relaxed);
    if (id >= max_entries_.load(std::memory_order_relaxed) ||
        text_bytes_ + text_length > max_text_bytes_) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    text_bytes_ += text_length;
    publish(id, key);
    insertSlot(shard, hash, Slot{key, id});
    size_.store(id + 1, std::memory_order_release);
    return id;
}

void IdTable::setMaxEntries(std::uint32_t max_entries) {
    std::lock_guard id_lock(id_mutex_);
    max_entries_.store(std::min(max_entries, capacity_), std::memory_order_relaxed);
}

std::uint64_t IdTable::key(std::uint32_t id) const {
    if (id >= capacity_) {
        return 0;
    }
    const Chunk* chunk = directory_[id >> kChunkBits].load(std::memory_order_acquire);
    if (chunk == nullptr) {
        return 0;
    }
    return chunk[id & ((1U << kChunkBits) - 1)].load(std::memory_order_acquire);
}

} // namespace gm
