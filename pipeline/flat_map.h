// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace gm {

// Open-addressing hash map (linear probing, power-of-two capacity) for window cells: one
// contiguous array instead of a node per key, no erase (a window's cells are dropped whole).
// The per-event lookup is the pipeline's hottest path; nodes cost a malloc and a cache miss each.
//
// A large map grows incrementally (issue 19: no engine call longer than 50 ms): a doubling
// would move every cell and write a fresh table of twice the size in one call, and on a
// virtual machine each fresh 4 KiB page costs its first write ~10 us (a million 112-byte cells
// took 300 ms). Instead the bigger slot table and entry array are taken (untouched, so not yet
// resident) while the old ones stay, and each insert moves a few old slots and entries across,
// so the new pages are written a few at a time. Lookups look in both while that goes on.
template <typename Key, typename Value, typename Hash> class FlatMap {
public:
    using Entry = std::pair<Key, Value>;

    // Maps with fewer entries than this grow at once (a few hundred KiB at most).
    static constexpr std::size_t kIncrementalFromEntries = 4096;
    // Per insert while growing: old slots rehashed into the new table, entries moved. Enough
    // that a growth is over well before the new table or entry array fills (see startGrowth).
    static constexpr std::size_t kSlotsMovedPerInsert = 8;
    static constexpr std::size_t kEntriesMovedPerInsert = 4;

    Value& operator[](const Key& key) {
        if (size_ >= quiet_until_) [[unlikely]] {
            return insertWithGrowth(key);
        }
        // Not growing and no growth due: one table, one entry array.
        const std::size_t mask = slots_.capacity - 1;
        std::size_t at = index(key, slots_.capacity);
        for (;; at = (at + 1) & mask) {
            const std::uint32_t slot = slots_.at[at];
            if (slot == 0) {
                break;
            }
            if (entries_[slot - 1].first == key) {
                return entries_[slot - 1].second;
            }
        }
        entries_.emplace_back(key, Value{});
        ++size_;
        slots_.at[at] = static_cast<std::uint32_t>(size_);
        return entries_.back().second;
    }

private:
    Value& insertWithGrowth(const Key& key) {
        Value& value = insertGrowing(key);
        updateQuietUntil();
        return value;
    }

    Value& insertGrowing(const Key& key) {
        if (slots_.capacity == 0 || (size_ + 1) * 4 > slots_.capacity * 3) {
            growSlots(slots_.capacity == 0 ? 16 : slots_.capacity * 2);
        }
        if (draining_.capacity() == 0 && entries_.size() >= kIncrementalFromEntries &&
            entries_.size() * 2 >= entries_.capacity()) {
            growEntries();
        }
        advanceGrowth();
        const std::size_t mask = slots_.capacity - 1;
        std::size_t at = index(key, slots_.capacity);
        for (;; at = (at + 1) & mask) {
            const std::uint32_t slot = slots_.at[at];
            if (slot == 0) {
                break;
            }
            if (entryAt(slot - 1).first == key) {
                return entryAt(slot - 1).second;
            }
        }
        if (old_slots_.capacity != 0) {
            if (Value* found = findIn(old_slots_, key)) {
                return *found;
            }
        }
        std::vector<Entry>& appendTo = draining_.capacity() != 0 ? draining_ : entries_;
        appendTo.emplace_back(key, Value{});
        ++size_;
        slots_.at[at] = static_cast<std::uint32_t>(size_);
        return appendTo.back().second;
    }

    // The size up to which operator[] needs no growth step: none under way, the slot table
    // below 3/4 full and the entry array below the half of its capacity that starts a growth.
    void updateQuietUntil() {
        if (growing()) {
            quiet_until_ = 0;
            return;
        }
        quiet_until_ = std::min(slots_.capacity * 3 / 4,
                                std::max(kIncrementalFromEntries, (entries_.capacity() + 1) / 2));
    }

public:
    // The value of `key`, or nullptr; never inserts.
    Value* find(const Key& key) {
        if (slots_.capacity == 0) {
            return nullptr;
        }
        if (Value* found = findIn(slots_, key)) {
            return found;
        }
        return old_slots_.capacity != 0 ? findIn(old_slots_, key) : nullptr;
    }

    void reserve(std::size_t count) {
        finishGrowth();
        entries_.reserve(count);
        std::size_t capacity = 16;
        while (capacity * 3 < count * 4) {
            capacity *= 2;
        }
        if (capacity > slots_.capacity) {
            growSlots(capacity);
            finishGrowth();
        }
        updateQuietUntil();
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // Entries in insertion order, in one array (a growth under way is finished first, by moving
    // the entries already moved back: their old pages are resident, the new ones are not).
    std::vector<Entry>& entries() {
        finishGrowth();
        updateQuietUntil();
        return entries_;
    }

    template <bool Const> class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Entry;
        using difference_type = std::ptrdiff_t;
        using pointer = std::conditional_t<Const, const Entry*, Entry*>;
        using reference = std::conditional_t<Const, const Entry&, Entry&>;
        using Map = std::conditional_t<Const, const FlatMap, FlatMap>;

        Iterator() = default;
        Iterator(Map* map, std::size_t at) : map_(map), at_(at) {}
        reference operator*() const { return map_->entryAt(at_); }
        pointer operator->() const { return &map_->entryAt(at_); }
        Iterator& operator++() {
            ++at_;
            return *this;
        }
        Iterator operator++(int) {
            Iterator before = *this;
            ++at_;
            return before;
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }

    private:
        Map* map_ = nullptr;
        std::size_t at_ = 0;
    };
    using iterator = Iterator<false>;
    using const_iterator = Iterator<true>;
    iterator begin() { return {this, 0}; }
    iterator end() { return {this, size_}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size_}; }

    // True while a growth is under way (for tests).
    bool growing() const { return old_slots_.capacity != 0 || draining_.capacity() != 0; }

private:
    struct FreeSlots {
        void operator()(std::uint32_t* table) const { std::free(table); }
    };
    // 0 = empty, else entry index + 1. From calloc: a large table comes zeroed from the system
    // and its pages become resident when first written, not when taken.
    struct SlotTable {
        std::unique_ptr<std::uint32_t[], FreeSlots> at;
        std::size_t capacity = 0;
    };

    static SlotTable makeSlots(std::size_t capacity) {
        auto* table = static_cast<std::uint32_t*>(std::calloc(capacity, sizeof(std::uint32_t)));
        if (table == nullptr) {
            throw std::bad_alloc();
        }
        return SlotTable{std::unique_ptr<std::uint32_t[], FreeSlots>(table), capacity};
    }

    std::size_t index(const Key& key, std::size_t capacity) const {
        // Fibonacci hashing spreads weak hashes (small integers) over the table.
        const std::uint64_t h = static_cast<std::uint64_t>(Hash{}(key)) * 0x9E3779B97F4A7C15ULL;
        return static_cast<std::size_t>(h >> (64 - std::countr_zero(capacity)));
    }

    // Entry `i` in insertion order: in the new array once moved, else still in the old one.
    Entry& entryAt(std::size_t i) { return i < entries_.size() ? entries_[i] : draining_[i]; }
    const Entry& entryAt(std::size_t i) const {
        return i < entries_.size() ? entries_[i] : draining_[i];
    }

    Value* findIn(const SlotTable& table, const Key& key) {
        const std::size_t mask = table.capacity - 1;
        for (std::size_t at = index(key, table.capacity);; at = (at + 1) & mask) {
            const std::uint32_t slot = table.at[at];
            if (slot == 0) {
                return nullptr;
            }
            if (entryAt(slot - 1).first == key) {
                return &entryAt(slot - 1).second;
            }
        }
    }

    void place(SlotTable& table, std::uint32_t slot) {
        const std::size_t mask = table.capacity - 1;
        std::size_t at = index(entryAt(slot - 1).first, table.capacity);
        while (table.at[at] != 0) {
            at = (at + 1) & mask;
        }
        table.at[at] = slot;
    }

    // Keys are unique and an insert while growing goes to the new table only after looking in
    // the old one, so every old slot is placed in the new table exactly once.
    void growSlots(std::size_t capacity) {
        finishSlotGrowth();
        old_slots_ = std::move(slots_);
        old_slots_moved_ = 0;
        slots_ = makeSlots(capacity);
        if (size_ < kIncrementalFromEntries) {
            finishSlotGrowth();
        }
    }

    // At half full, a new array of twice the capacity. Four entries moved per insert finish the
    // move after a third of the old size more inserts, i.e. before the old array is full (its
    // size then 2/3 of its capacity, and the new one a third full).
    void growEntries() {
        draining_ = std::move(entries_);
        entries_ = std::vector<Entry>();
        entries_.reserve(2 * draining_.capacity());
    }

    void advanceGrowth() {
        if (old_slots_.capacity != 0) {
            const std::size_t until =
                std::min(old_slots_.capacity, old_slots_moved_ + kSlotsMovedPerInsert);
            for (; old_slots_moved_ < until; ++old_slots_moved_) {
                if (const std::uint32_t slot = old_slots_.at[old_slots_moved_]; slot != 0) {
                    place(slots_, slot);
                }
            }
            if (old_slots_moved_ == old_slots_.capacity) {
                old_slots_ = SlotTable{};
            }
        }
        if (draining_.capacity() != 0) {
            const std::size_t until =
                std::min(draining_.size(), entries_.size() + kEntriesMovedPerInsert);
            while (entries_.size() < until) {
                entries_.push_back(std::move(draining_[entries_.size()]));
            }
            if (entries_.size() == draining_.size()) {
                draining_ = std::vector<Entry>();
            } else if (draining_.size() == draining_.capacity()) {
                // Not reached at the rates above; the next append must not reallocate.
                finishEntriesForward();
            }
        }
    }

    void finishSlotGrowth() {
        if (old_slots_.capacity == 0) {
            return;
        }
        for (; old_slots_moved_ < old_slots_.capacity; ++old_slots_moved_) {
            if (const std::uint32_t slot = old_slots_.at[old_slots_moved_]; slot != 0) {
                place(slots_, slot);
            }
        }
        old_slots_ = SlotTable{};
    }

    void finishEntriesForward() {
        while (entries_.size() < draining_.size()) {
            entries_.push_back(std::move(draining_[entries_.size()]));
        }
        draining_ = std::vector<Entry>();
    }

    void finishGrowth() {
        finishSlotGrowth();
        if (draining_.capacity() != 0) {
            for (std::size_t i = 0; i < entries_.size(); ++i) {
                draining_[i] = std::move(entries_[i]);
            }
            entries_ = std::move(draining_);
            draining_ = std::vector<Entry>();
        }
    }

    SlotTable slots_;
    SlotTable old_slots_; // while growing: the table before, frozen
    std::size_t old_slots_moved_ = 0;
    // While growing, entries_ holds the entries moved so far and draining_ all of them (those
    // before entries_.size() moved from); new entries are appended to draining_.
    std::vector<Entry> entries_;
    std::vector<Entry> draining_;
    std::size_t size_ = 0;
    std::size_t quiet_until_ = 0;
};

} // namespace gm
