// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace gm {

// Open-addressing hash map (linear probing, power-of-two capacity) for window cells: one
// contiguous array instead of a node per key, no erase (a window's cells are dropped whole).
// The per-event lookup is the pipeline's hottest path; nodes cost a malloc and a cache miss each.
template <typename Key, typename Value, typename Hash> class FlatMap {
public:
    using Entry = std::pair<Key, Value>;

    Value& operator[](const Key& key) {
        if ((size_ + 1) * 4 > slots_.size() * 3) {
            grow(slots_.empty() ? 16 : slots_.size() * 2);
        }
        std::size_t at = index(key);
        for (;;) {
            const std::uint32_t slot = slots_[at];
            if (slot == 0) {
                entries_.emplace_back(key, Value{});
                slots_[at] = static_cast<std::uint32_t>(entries_.size());
                ++size_;
                return entries_.back().second;
            }
            if (entries_[slot - 1].first == key) {
                return entries_[slot - 1].second;
            }
            at = (at + 1) & (slots_.size() - 1);
        }
    }

    // The value of `key`, or nullptr; never inserts.
    Value* find(const Key& key) {
        if (slots_.empty()) {
            return nullptr;
        }
        for (std::size_t at = index(key);; at = (at + 1) & (slots_.size() - 1)) {
            const std::uint32_t slot = slots_[at];
            if (slot == 0) {
                return nullptr;
            }
            if (entries_[slot - 1].first == key) {
                return &entries_[slot - 1].second;
            }
        }
    }

    void reserve(std::size_t count) {
        entries_.reserve(count);
        std::size_t capacity = 16;
        while (capacity * 3 < count * 4) {
            capacity *= 2;
        }
        if (capacity > slots_.size()) {
            grow(capacity);
        }
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // Entries in insertion order.
    std::vector<Entry>& entries() { return entries_; }
    const std::vector<Entry>& entries() const { return entries_; }
    auto begin() { return entries_.begin(); }
    auto end() { return entries_.end(); }
    auto begin() const { return entries_.begin(); }
    auto end() const { return entries_.end(); }

private:
    std::size_t index(const Key& key) const {
        // Fibonacci hashing spreads weak hashes (small integers) over the table.
        const std::uint64_t h = static_cast<std::uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ULL;
        return static_cast<std::size_t>(h >> (64 - std::countr_zero(slots_.size())));
    }

    void grow(std::size_t capacity) {
        slots_.assign(capacity, 0);
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            std::size_t at = index(entries_[i].first);
            while (slots_[at] != 0) {
                at = (at + 1) & (slots_.size() - 1);
            }
            slots_[at] = static_cast<std::uint32_t>(i + 1);
        }
    }

    std::vector<std::uint32_t> slots_; // 0 = empty, else entry index + 1
    std::vector<Entry> entries_;
    std::size_t size_ = 0;
};

} // namespace gm
