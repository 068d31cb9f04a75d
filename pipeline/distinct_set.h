// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace gm {

// An exact set of small ids for distinct counts. Appending is the hot path (no hashing, no
// nodes); duplicates are squeezed out by sort + unique whenever the vector doubles, so memory
// stays proportional to the number of distinct ids.
class DistinctSet {
public:
    void insert(std::uint32_t id) {
        if (!items_.empty() && items_.back() == id) {
            return;
        }
        items_.push_back(id);
        if (items_.size() >= compact_at_) {
            compact();
        }
    }
    void merge(const DistinctSet& other) {
        items_.insert(items_.end(), other.items_.begin(), other.items_.end());
        compact();
    }
    std::size_t count() {
        compact();
        return items_.size();
    }
    // Sorted, unique ids.
    const std::vector<std::uint32_t>& items() {
        compact();
        return items_;
    }

private:
    void compact() {
        std::sort(items_.begin(), items_.end());
        items_.erase(std::unique(items_.begin(), items_.end()), items_.end());
        compact_at_ = std::max<std::size_t>(16, items_.size() * 2);
    }

    std::vector<std::uint32_t> items_;
    std::size_t compact_at_ = 16;
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
