// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace gm {

// An exact set of small ids for distinct counts. Appending is the hot path (no hashing, no
// nodes); duplicates are squeezed out by sort + unique whenever the storage fills up, so memory
// stays proportional to the number of distinct ids. The first kInline ids live inside the object:
// most sets are small (a browsing session's products, a product's viewers in one minute), and a
// heap block for each cost a malloc and a free per open session and pane cell.
class DistinctSet {
public:
    static constexpr std::uint32_t kInline = 5;

    DistinctSet() = default;
    DistinctSet(const DistinctSet& other) { assign(other); }
    DistinctSet(DistinctSet&& other) noexcept { take(other); }
    DistinctSet& operator=(const DistinctSet& other) {
        if (this != &other) {
            release();
            assign(other);
        }
        return *this;
    }
    DistinctSet& operator=(DistinctSet&& other) noexcept {
        if (this != &other) {
            release();
            take(other);
        }
        return *this;
    }
    ~DistinctSet() { release(); }

    void insert(std::uint32_t id) {
        if (size_ > 0 && data()[size_ - 1] == id) {
            return;
        }
        if (size_ == capacity_) {
            compact();
            if (size_ * 2 > capacity_) {
                grow(std::max<std::uint32_t>(16, capacity_ * 2));
            }
        }
        data()[size_++] = id;
    }
    void merge(const DistinctSet& other) {
        if (size_ + other.size_ > capacity_) {
            grow(std::max(capacity_ * 2, (size_ + other.size_) * 2));
        }
        std::copy(other.data(), other.data() + other.size_, data() + size_);
        size_ += other.size_;
        compact();
    }
    std::size_t count() {
        compact();
        return size_;
    }
    // Sorted, unique ids.
    std::span<const std::uint32_t> items() {
        compact();
        return {data(), size_};
    }
    // The ids as held, for a reader that may not compact (a const one): unsorted, may repeat.
    std::span<const std::uint32_t> held() const { return {data(), size_}; }

private:
    bool onHeap() const { return capacity_ > kInline; }
    std::uint32_t* data() { return onHeap() ? heap_ : inline_; }
    const std::uint32_t* data() const { return onHeap() ? heap_ : inline_; }

    void compact() {
        if (sorted_ == size_) {
            return; // nothing appended since the last compaction
        }
        std::uint32_t* first = data();
        std::sort(first, first + size_);
        size_ = static_cast<std::uint32_t>(std::unique(first, first + size_) - first);
        sorted_ = size_;
    }
    void grow(std::uint32_t capacity) {
        auto* bigger = new std::uint32_t[capacity];
        std::copy(data(), data() + size_, bigger);
        release();
        heap_ = bigger;
        capacity_ = capacity;
    }
    void assign(const DistinctSet& other) {
        if (other.size_ > kInline) {
            heap_ = new std::uint32_t[other.size_];
            capacity_ = other.size_;
        } else {
            capacity_ = kInline;
        }
        std::copy(other.data(), other.data() + other.size_, data());
        size_ = other.size_;
        sorted_ = other.sorted_;
    }
    void take(DistinctSet& other) {
        size_ = other.size_;
        sorted_ = other.sorted_;
        capacity_ = other.capacity_;
        if (other.onHeap()) {
            heap_ = other.heap_;
        } else {
            std::copy(other.inline_, other.inline_ + other.size_, inline_);
        }
        other.size_ = 0;
        other.sorted_ = 0;
        other.capacity_ = kInline;
    }
    void release() {
        if (onHeap()) {
            delete[] heap_;
        }
        capacity_ = kInline;
    }

    std::uint32_t size_ = 0;
    std::uint32_t sorted_ = 0; // the first sorted_ ids are sorted and unique (0: unknown)
    std::uint32_t capacity_ = kInline;
    union {
        std::uint32_t inline_[kInline];
        std::uint32_t* heap_;
    };
};

// Units per id (e.g. per product), kept the same way: appended, then summed per id on demand.
class CountPerId {
public:
    void add(std::uint32_t id, std::int64_t amount) {
        if (!items_.empty() && items_.back().first == id) {
            items_.back().second += amount;
            return;
        }
        items_.emplace_back(id, amount);
        if (items_.size() >= compact_at_) {
            compact();
        }
    }
    void merge(const CountPerId& other) {
        items_.insert(items_.end(), other.items_.begin(), other.items_.end());
        compact();
    }
    // Sorted by id, one entry per id.
    const std::vector<std::pair<std::uint32_t, std::int64_t>>& items() {
        compact();
        return items_;
    }
    // The entries as held, for a reader that may not compact: unsorted, an id may repeat.
    const std::vector<std::pair<std::uint32_t, std::int64_t>>& held() const { return items_; }

private:
    void compact() {
        std::sort(items_.begin(), items_.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t out = 0;
        for (std::size_t i = 0; i < items_.size(); ++i) {
            if (out > 0 && items_[out - 1].first == items_[i].first) {
                items_[out - 1].second += items_[i].second;
            } else {
                items_[out++] = items_[i];
            }
        }
        items_.resize(out);
        compact_at_ = std::max<std::size_t>(16, items_.size() * 2);
    }

    std::vector<std::pair<std::uint32_t, std::int64_t>> items_;
    std::size_t compact_at_ = 16;
};

} // namespace gm
