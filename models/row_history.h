// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

namespace gm {

// The newest `capacity` distinct rows of one table, gathered across snapshots. Snapshots repeat
// the same recent rows, so rows merge by key: a row seen again replaces the stored one (alerts
// are re-emitted with more occurrences), a new key evicts the oldest when full.
// Rows that never change once emitted (anomalies, closed windows) need no comparison.
struct RowsNeverChange {
    template <typename Row> bool operator()(const Row&, const Row&) const { return true; }
};

template <typename Row, typename KeyFn, typename SameFn = RowsNeverChange> class RowHistory {
public:
    using Key = decltype(std::declval<KeyFn>()(std::declval<const Row&>()));

    explicit RowHistory(std::size_t capacity, KeyFn key = {}) : capacity_(capacity), key_(key) {}

    // Returns true when anything changed (a new key, or a row that differs per SameFn).
    bool merge(const std::vector<Row>& rows) {
        bool changed = false;
        for (const Row& row : rows) {
            Key key = key_(row);
            auto found = rows_.find(key);
            if (found != rows_.end()) {
                if (!SameFn{}(found->second, row)) {
                    found->second = row;
                    changed = true;
                }
                continue;
            }
            rows_.emplace(key, row);
            order_.push_back(std::move(key));
            changed = true;
            if (order_.size() > capacity_) {
                rows_.erase(order_.front());
                order_.pop_front();
            }
        }
        if (changed) {
            ++version_;
        }
        return changed;
    }
    // Grows whenever the contents change: views redraw only when it moved.
    std::uint64_t version() const { return version_; }

    // Oldest first.
    std::vector<Row> rows() const {
        std::vector<Row> out;
        out.reserve(order_.size());
        for (const Key& key : order_) {
            out.push_back(rows_.at(key));
        }
        return out;
    }
    std::size_t size() const { return order_.size(); }
    void clear() {
        rows_.clear();
        order_.clear();
        ++version_;
    }

private:
    std::size_t capacity_;
    KeyFn key_;
    std::map<Key, Row> rows_;
    std::deque<Key> order_;
    std::uint64_t version_ = 0;
};

} // namespace gm
