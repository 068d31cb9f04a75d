// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/tumbling_windows.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace gm {

// A stable sort done in bounded steps, so that a million closed sessions never cost one long
// call: the ranges handed in are cut into runs of at most `run_length` elements, sortRuns()
// sorts whole runs until a budget is spent, and then the runs are merged one element at a time
// (top()/pop()). The order is that of std::stable_sort over the ranges concatenated in the order
// they were added. The ranges stay owned by the caller and must outlive the sort.
template <typename T, typename Less> class SlicedSort {
public:
    explicit SlicedSort(std::size_t run_length = 16384, Less less = Less{})
        : run_length_(std::max<std::size_t>(1, run_length)), less_(less) {}

    void clear() {
        runs_.clear();
        heap_.clear();
        sorted_runs_ = 0;
    }

    void add(T* first, T* last) {
        while (first != last) {
            const auto length =
                std::min<std::size_t>(run_length_, static_cast<std::size_t>(last - first));
            runs_.push_back({first, first + length});
            first += length;
        }
    }

    bool sorted() const { return sorted_runs_ == runs_.size(); }

    // Sorts whole runs until `budget` elements have been sorted (at least one run, so the work
    // of one call is at most budget + run_length). Returns the elements sorted.
    std::size_t sortRuns(std::size_t budget) {
        std::size_t done = 0;
        while (sorted_runs_ < runs_.size() && (done == 0 || done < budget)) {
            Run& run = runs_[sorted_runs_];
            std::stable_sort(run.next, run.end, less_);
            done += static_cast<std::size_t>(run.end - run.next);
            ++sorted_runs_;
            if (sorted_runs_ == runs_.size()) {
                for (std::size_t i = 0; i < runs_.size(); ++i) {
                    if (runs_[i].next != runs_[i].end) {
                        heap_.push_back(i);
                    }
                }
                std::make_heap(heap_.begin(), heap_.end(), heapOrder());
            }
        }
        return done;
    }

    // Merging (after sorted()): the smallest element left; equal elements in the order added.
    bool empty() const { return heap_.empty(); }
    T& top() { return *runs_[heap_.front()].next; }
    void pop() {
        std::pop_heap(heap_.begin(), heap_.end(), heapOrder());
        Run& run = runs_[heap_.back()];
        if (++run.next == run.end) {
            heap_.pop_back();
        } else {
            std::push_heap(heap_.begin(), heap_.end(), heapOrder());
        }
    }

private:
    struct Run {
        T* next;
        T* end;
    };

    // std heaps keep the largest on top: "a after b" puts the smallest (then the earliest run)
    // first.
    auto heapOrder() const {
        return [this](std::size_t a, std::size_t b) {
            const T& x = *runs_[a].next;
            const T& y = *runs_[b].next;
            if (less_(y, x)) {
                return true;
            }
            if (less_(x, y)) {
                return false;
            }
            return a > b;
        };
    }

    std::size_t run_length_;
    Less less_;
    std::vector<Run> runs_;
    std::size_t sorted_runs_ = 0;
    std::vector<std::size_t> heap_; // runs not yet exhausted
};

// mergeClosedWindows() in bounded steps: the closed windows of all shards are taken over at
// start(), and each step() hands out at most about `budget` cells' worth of work, calling
// deliver(start, end, cells) with the next merged cells of one window (in key order, cells of equal
// keys combined with Acc::merge). Concatenated, the cells of all calls are exactly those
// mergeClosedWindows() would have handed out for the same windows.
template <typename Key, typename Acc> class SlicedWindowMerge {
public:
    using Window = ClosedWindow<Key, Acc>;
    using Cell = std::pair<Key, Acc>;

    // Windows' cells are sorted in runs of this many (the work of one sorting step).
    explicit SlicedWindowMerge(std::size_t run_length = 16384) : sort_(run_length) {}

    // Takes the windows out of the parts (left empty), ascending by start, stable.
    void start(std::vector<std::vector<Window>*>& parts) {
        const std::size_t held = windows_.size();
        for (auto* part : parts) {
            for (Window& window : *part) {
                windows_.push_back(std::move(window));
            }
            part->clear();
        }
        if (windows_.size() == held) {
            return;
        }
        // Windows keep their cells' buffers when moved, so an open group's runs stay valid; a
        // caller adds windows only between works, never older than those already held.
        std::stable_sort(
            windows_.begin() + static_cast<std::ptrdiff_t>(group_open_ ? group_end_ : group_begin_),
            windows_.end(), [](const Window& a, const Window& b) { return a.start < b.start; });
    }

    bool done() const { return group_begin_ == windows_.size(); }
    std::size_t windowsLeft() const { return windows_.size() - group_begin_; }

    template <typename Emit> std::size_t step(std::size_t budget, Emit&& deliver) {
        budget = std::max<std::size_t>(1, budget);
        std::size_t work = 0;
        while (!done() && work < budget) {
            if (!group_open_) {
                openGroup();
            }
            if (!sort_.sorted()) {
                work += sort_.sortRuns(budget - std::min(budget, work));
                continue;
            }
            cells_.clear();
            while (!sort_.empty() && work < budget) {
                Cell& cell = sort_.top();
                if (pending_ && pending_->first == cell.first) {
                    pending_->second.merge(cell.second);
                } else {
                    if (pending_) {
                        cells_.push_back(std::move(*pending_));
                    }
                    pending_.emplace(std::move(cell));
                }
                sort_.pop();
                ++work;
            }
            const bool group_done = sort_.empty();
            if (group_done && pending_) {
                cells_.push_back(std::move(*pending_));
                pending_.reset();
            }
            if (!cells_.empty()) {
                deliver(windows_[group_begin_].start, windows_[group_begin_].end, cells_);
            }
            if (group_done) {
                closeGroup();
            }
        }
        if (done()) {
            windows_.clear();
            group_begin_ = 0;
        }
        return work;
    }

private:
    struct KeyLess {
        bool operator()(const Cell& a, const Cell& b) const { return a.first < b.first; }
    };

    void openGroup() {
        group_end_ = group_begin_;
        while (group_end_ < windows_.size() &&
               windows_[group_end_].start == windows_[group_begin_].start) {
            ++group_end_;
        }
        sort_.clear();
        for (std::size_t i = group_begin_; i < group_end_; ++i) {
            auto& cells = windows_[i].cells;
            sort_.add(cells.data(), cells.data() + cells.size());
        }
        group_open_ = true;
    }

    void closeGroup() {
        for (std::size_t i = group_begin_; i < group_end_; ++i) {
            std::vector<Cell>().swap(windows_[i].cells); // give the memory back now
        }
        group_begin_ = group_end_;
        group_open_ = false;
        sort_.clear();
    }

    std::vector<Window> windows_;
    std::size_t group_begin_ = 0; // windows before it are emitted
    std::size_t group_end_ = 0;
    bool group_open_ = false;
    SlicedSort<Cell, KeyLess> sort_;
    std::optional<Cell> pending_; // the last merged cell: a later one may still have its key
    std::vector<Cell> cells_;
};

} // namespace gm
