// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/flat_map.h"
#include "pipeline/window_math.h"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace gm {

// A window closed by one shard: its cells (key -> partial aggregate), not yet merged with the
// other shards' cells for the same window.
template <typename Key, typename Acc> struct ClosedWindow {
    TimestampUs start = 0;
    TimestampUs end = 0;
    std::vector<std::pair<Key, Acc>> cells;
};

// Epoch-aligned tumbling windows of one length, keyed cells inside each. One shard's state for
// one table. Closed windows are handed out whole and their memory freed.
template <typename Key, typename Acc, typename Hash = std::hash<Key>> class TumblingWindows {
public:
    using Closed = ClosedWindow<Key, Acc>;

    explicit TumblingWindows(TimestampUs length) : length_(length) {}

    TimestampUs length() const { return length_; }

    // True when the window holding `time` had closed before this batch: the event is late.
    bool isLate(TimestampUs time, TimestampUs watermark_before) const {
        return watermark_before != kNoWatermark &&
               alignDown(time, length_) + length_ <= watermark_before;
    }

    // The cell of `key` in the window holding `time`, created on first use. Callers check
    // isLate first.
    Acc& cell(TimestampUs time, const Key& key) { return window(alignDown(time, length_))[key]; }

    // Moves every window whose end is at or before the watermark to `out`, oldest first.
    void close(TimestampUs watermark, std::vector<Closed>& out) {
        while (!open_.empty() &&
               (watermark == kFlushWatermark || open_.begin()->first + length_ <= watermark)) {
            auto node = open_.extract(open_.begin());
            expected_cells_ = std::max(expected_cells_, node.mapped().size());
            Closed& closed = out.emplace_back();
            closed.start = node.key();
            closed.end = node.key() + length_;
            closed.cells = std::move(node.mapped().entries());
            // The cached window may be the one just closed. Only then: exact mode closes after
            // every event, and a lookup per event and table would cost more than the close.
            cached_ = nullptr;
        }
    }

    // Copies of the open windows' cells (live partial values), oldest first.
    void peek(std::vector<Closed>& out) const {
        for (const auto& [start, cells] : open_) {
            Closed& copy = out.emplace_back();
            copy.start = start;
            copy.end = start + length_;
            copy.cells.assign(cells.begin(), cells.end());
        }
    }

    std::size_t openWindows() const { return open_.size(); }
    // Start of the oldest open window (no event it holds is older); kFlushWatermark when none.
    TimestampUs oldestOpenStart() const {
        return open_.empty() ? kFlushWatermark : open_.begin()->first;
    }

private:
    using Cells = FlatMap<Key, Acc, Hash>;

    Cells& window(TimestampUs start) {
        // Events arrive mostly in time order: the last window used is nearly always the one.
        if (cached_ != nullptr && cached_start_ == start) {
            return *cached_;
        }
        const auto [it, created] = open_.try_emplace(start);
        if (created) {
            // Sized like the largest window so far: growing a big hash table step by step
            // rehashes every cell several times.
            it->second.reserve(expected_cells_);
        }
        cached_ = &it->second;
        cached_start_ = start;
        return *cached_;
    }

    TimestampUs length_;
    std::map<TimestampUs, Cells> open_;
    Cells* cached_ = nullptr;
    TimestampUs cached_start_ = 0;
    std::size_t expected_cells_ = 0;
};

// Merges the closed windows of all shards: windows with the same start become one, cells with
// the same key are combined with Acc::merge, and emit(start, end, cells) is called per window in
// ascending start with cells sorted by key. The result does not depend on the number of shards
// nor on their order, which is what makes the output identical for any worker count.
template <typename Key, typename Acc, typename Emit>
void mergeClosedWindows(std::vector<std::vector<ClosedWindow<Key, Acc>>*>& parts, Emit&& emit) {
    std::vector<ClosedWindow<Key, Acc>*> windows;
    for (auto* part : parts) {
        for (auto& window : *part) {
            windows.push_back(&window);
        }
    }
    std::stable_sort(windows.begin(), windows.end(),
                     [](const auto* a, const auto* b) { return a->start < b->start; });
    std::vector<std::pair<Key, Acc>> cells;
    for (std::size_t i = 0; i < windows.size();) {
        std::size_t j = i;
        cells.clear();
        for (; j < windows.size() && windows[j]->start == windows[i]->start; ++j) {
            for (auto& cell : windows[j]->cells) {
                cells.push_back(std::move(cell));
            }
        }
        std::stable_sort(cells.begin(), cells.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t out = 0;
        for (std::size_t k = 0; k < cells.size(); ++k) {
            if (out > 0 && cells[out - 1].first == cells[k].first) {
                cells[out - 1].second.merge(cells[k].second);
            } else {
                if (out != k) {
                    cells[out] = std::move(cells[k]);
                }
                ++out;
            }
        }
        cells.resize(out);
        emit(windows[i]->start, windows[i]->end, cells);
        i = j;
    }
}

} // namespace gm
