// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/intern_table.h"

#include <algorithm>
#include <cstring>
#include <functional>

namespace gm {

InternTable::InternTable(std::uint32_t max_entries, std::size_t max_text_bytes)
    : capacity_(std::min(max_entries, kMaxCapacity)), max_entries_(capacity_),
      max_text_bytes_(max_text_bytes), directory_((std::size_t{capacity_} >> kChunkBits) + 1) {
    bytes_ = directory_.size() * sizeof(std::atomic<Chunk*>);
}

InternTable::~InternTable() {
    for (auto& chunk : directory_) {
        delete[] chunk.load(std::memory_order_relaxed);
    }
}

std::uint64_t InternTable::hashOf(std::string_view text) {
    // std::hash spreads its low bits well; mix so the shard (low bits) and the slot tag (high
    // bits) do not correlate.
    std::uint64_t h = std::hash<std::string_view>{}(text);
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    return h;
}

std::string_view InternTable::decode(const char* stored) {
    std::uint32_t length = 0;
    std::memcpy(&length, stored, sizeof length);
    return {stored + sizeof length, length};
}

std::optional<std::uint32_t> InternTable::findLocked(const Shard& shard, std::uint64_t hash,
                                                     std::string_view text) const {
    if (shard.table.empty()) {
        return std::nullopt;
    }
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    const std::size_t mask = shard.table.size() - 1;
    for (std::size_t pos = tag & mask;; pos = (pos + 1) & mask) {
        const Slot& slot = shard.table[pos];
        if (slot.head == 0) {
            return std::nullopt;
        }
        if (static_cast<std::uint32_t>(slot.head >> 32) == tag && decode(slot.stored) == text) {
            return static_cast<std::uint32_t>(slot.head) - 1;
        }
    }
}

void InternTable::insertSlot(Shard& shard, Slot slot) {
    if ((shard.used + 1) * 2 > shard.table.size()) {
        std::vector<Slot> old = std::move(shard.table);
        const std::size_t grown = std::max<std::size_t>(64, old.size() * 2);
        shard.table.assign(grown, Slot{});
        bytes_ += (grown - old.size()) * sizeof(Slot);
        for (const Slot& entry : old) {
            if (entry.head != 0) {
                const std::size_t mask = grown - 1;
                std::size_t pos = (entry.head >> 32) & mask;
                while (shard.table[pos].head != 0) {
                    pos = (pos + 1) & mask;
                }
                shard.table[pos] = entry;
            }
        }
        shard.prefetch_base.store(shard.table.data(), std::memory_order_relaxed);
        shard.prefetch_mask.store(grown - 1, std::memory_order_relaxed);
    }
    const std::size_t mask = shard.table.size() - 1;
    std::size_t pos = (slot.head >> 32) & mask;
    while (shard.table[pos].head != 0) {
        pos = (pos + 1) & mask;
    }
    shard.table[pos] = slot;
    ++shard.used;
}

const char* InternTable::store(Shard& shard, std::string_view text) {
    const std::size_t need = sizeof(std::uint32_t) + text.size();
    if (need > shard.block_left) {
        const std::size_t size = std::max(kBlockBytes, need);
        shard.blocks.push_back(std::make_unique<char[]>(size));
        shard.block = shard.blocks.back().get();
        shard.block_left = size;
        bytes_ += size;
    }
    char* out = shard.block;
    const auto length = static_cast<std::uint32_t>(text.size());
    std::memcpy(out, &length, sizeof length);
    std::memcpy(out + sizeof length, text.data(), text.size());
    shard.block += need;
    shard.block_left -= need;
    return out;
}

void InternTable::publish(std::uint32_t id, const char* stored) {
    std::atomic<Chunk*>& entry = directory_[id >> kChunkBits];
    Chunk* chunk = entry.load(std::memory_order_acquire);
    if (chunk == nullptr) {
        // Only the holder of id_mutex_ allocates, so no race between two allocations.
        chunk = new Chunk[std::size_t{1} << kChunkBits]();
        entry.store(chunk, std::memory_order_release);
        bytes_ += (std::size_t{1} << kChunkBits) * sizeof(Chunk);
    }
    chunk[id & ((1U << kChunkBits) - 1)].store(stored, std::memory_order_release);
}

void InternTable::prefetch(std::string_view text) const {
    prefetchHashed(hashOf(text));
}

void InternTable::prefetchHashed(std::uint64_t hash) const {
    const Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    const Slot* base = shard.prefetch_base.load(std::memory_order_relaxed);
    if (base != nullptr) {
        const std::size_t mask = shard.prefetch_mask.load(std::memory_order_relaxed);
        __builtin_prefetch(base + (static_cast<std::uint32_t>(hash >> 32) & mask));
    }
}

std::optional<std::uint32_t> InternTable::find(std::string_view text) const {
    const std::uint64_t hash = hashOf(text);
    const Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    std::lock_guard lock(shard.mutex);
    return findLocked(shard, hash, text);
}

std::optional<std::uint32_t> InternTable::intern(std::string_view text) {
    return intern(text, hashOf(text));
}

std::optional<std::uint32_t> InternTable::intern(std::string_view text, std::uint64_t hash) {
    Shard& shard = shards_[hash & ((1U << kShardBits) - 1)];
    std::lock_guard lock(shard.mutex);
    if (auto found = findLocked(shard, hash, text)) {
        return found;
    }
    std::lock_guard id_lock(id_mutex_);
    const std::uint32_t id = size_.load(std::memory_order_relaxed);
    if (id >= max_entries_.load(std::memory_order_relaxed) ||
        text_bytes_ + text.size() > max_text_bytes_) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    text_bytes_ += text.size();
    const char* stored = store(shard, text);
    publish(id, stored);
    insertSlot(shard, Slot{(hash >> 32) << 32 | (std::uint64_t{id} + 1), stored});
    size_.store(id + 1, std::memory_order_release);
    return id;
}

void InternTable::setMaxEntries(std::uint32_t max_entries) {
    std::lock_guard id_lock(id_mutex_);
    max_entries_.store(std::min(max_entries, capacity_), std::memory_order_relaxed);
}

std::string_view InternTable::text(std::uint32_t id) const {
    if (id >= capacity_) {
        return {};
    }
    const Chunk* chunk = directory_[id >> kChunkBits].load(std::memory_order_acquire);
    if (chunk == nullptr) {
        return {};
    }
    const char* stored = chunk[id & ((1U << kChunkBits) - 1)].load(std::memory_order_acquire);
    return stored == nullptr ? std::string_view() : decode(stored);
}

} // namespace gm
