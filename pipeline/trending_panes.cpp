// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/trending_panes.h"

#include "pipeline/product_attributes.h"

#include <algorithm>

namespace gm {

void ViewedLabel::keepNewer(const ViewedLabel& other) {
    if (!other.set) {
        return;
    }
    if (set &&
        (other.time < time ||
         (other.time == time && (other.category != category || other.name != name
                                     ? !preferLabel(other.category, other.name, category, name)
                                     : other.price <= price)))) {
        return;
    }
    *this = other;
}

void TrendingPanes::add(const ProductViewEvent& view) {
    const TimestampUs start = alignDown(view.timestamp, slide_);
    if (cached_ == nullptr || cached_start_ != start) {
        cached_ = &panes_[start];
        cached_start_ = start;
    }
    PaneCell& cell = (*cached_)[view.product];
    ++cell.views;
    cell.duration_sum += view.view_duration;
    cell.users.insert(view.user);
    cell.label.keepNewer({view.timestamp, view.product_name, view.category, view.price, true});
    // A late view (accepted: one of its windows is still open) into a pane already summed.
    if (keepsRunningSums() && start >= run_from_ && start < run_to_) {
        addToRunningSums(view.product, 1, view.view_duration);
    }
}

void TrendingPanes::close(TimestampUs watermark,
                          std::vector<ClosedWindow<ProductId, TrendAcc>>& out) {
    if (panes_.empty() || watermark == kNoWatermark) {
        return; // no time known yet (a Kafka source waiting for all its partitions)
    }
    const TimestampUs last_end = watermark == kFlushWatermark ? panes_.rbegin()->first + window_
                                                              : alignDown(watermark, slide_);
    // Window ends worth visiting: those of windows holding at least one pane, after the ones
    // already closed, up to the watermark. Walking pane by pane skips long empty stretches.
    std::vector<TimestampUs> ends;
    for (const auto& [start, pane] : panes_) {
        TimestampUs from = start + slide_;
        if (closed_through_ != kNoWatermark) {
            from = std::max(from, closed_through_ + slide_);
        }
        if (!ends.empty()) {
            from = std::max(from, ends.back() + slide_);
        }
        for (TimestampUs end = from; end <= std::min(start + window_, last_end); end += slide_) {
            ends.push_back(end);
        }
    }
    for (const TimestampUs end : ends) {
        if (keepsRunningSums()) {
            emitFromRunningSums(end, out);
        } else {
            emitWindow(end, out);
        }
    }
    if (closed_through_ == kNoWatermark || last_end > closed_through_) {
        closed_through_ = last_end;
    }
    while (!panes_.empty() && panes_.begin()->first + window_ <= closed_through_) {
        const TimestampUs start = panes_.begin()->first;
        if (run_from_ < run_to_ && start >= run_from_ && start < run_to_) {
            addPaneToRunningSums(panes_.begin()->second, -1);
            run_from_ = std::min(start + slide_, run_to_);
        }
        panes_.erase(panes_.begin());
    }
    cached_ = nullptr;
}

void TrendingPanes::emitWindow(TimestampUs end,
                               std::vector<ClosedWindow<ProductId, TrendAcc>>& out) {
    const TimestampUs start = end - window_;
    const auto first = panes_.lower_bound(start);
    window_cells_.clear();
    for (auto it = first; it != panes_.end() && it->first < end; ++it) {
        for (auto& [product, cell] : it->second) {
            std::uint32_t& slot = slot_of_[product];
            if (slot == 0) {
                window_cells_.emplace_back(product, TrendAcc{});
                slot = static_cast<std::uint32_t>(window_cells_.size());
            }
            TrendAcc& acc = window_cells_[slot - 1].second;
            acc.views += cell.views;
            acc.duration_sum += cell.duration_sum;
            acc.label.keepNewer(cell.label);
        }
    }
    if (window_cells_.empty()) {
        return;
    }
    // (product, user) pairs of the products that qualify, sorted once: distinct viewers per
    // product fall out of one pass.
    viewers_.clear();
    for (auto it = first; it != panes_.end() && it->first < end; ++it) {
        for (auto& [product, cell] : it->second) {
            if (window_cells_[slot_of_[product] - 1].second.views < min_views_) {
                continue;
            }
            for (const std::uint32_t user : cell.users.items()) {
                viewers_.push_back(static_cast<std::uint64_t>(product) << 32 | user);
            }
        }
    }
    std::sort(viewers_.begin(), viewers_.end());
    for (std::size_t i = 0; i < viewers_.size(); ++i) {
        if (i == 0 || viewers_[i] != viewers_[i - 1]) {
            const auto product = static_cast<ProductId>(viewers_[i] >> 32);
            ++window_cells_[slot_of_[product] - 1].second.viewers;
        }
    }
    ClosedWindow<ProductId, TrendAcc>& closed = out.emplace_back();
    closed.start = start;
    closed.end = end;
    for (auto& cell : window_cells_) {
        slot_of_[cell.first] = 0;
        if (cell.second.views >= min_views_) {
            closed.cells.push_back(cell);
        }
    }
}

void TrendingPanes::addToRunningSums(ProductId product, std::uint64_t views,
                                     std::uint64_t duration_sum) {
    std::uint32_t& slot = running_slot_[product];
    if (slot == 0) {
        running_.push_back(RunningSum{product});
        slot = static_cast<std::uint32_t>(running_.size());
    }
    RunningSum& sum = running_[slot - 1];
    sum.views += views;
    sum.duration_sum += duration_sum;
    if (!sum.listed && sum.views >= min_views_) {
        sum.listed = true;
        listed_.push_back(slot - 1);
    }
}

void TrendingPanes::addPaneToRunningSums(Pane& pane, int sign) {
    if (sign > 0) {
        for (const auto& [product, cell] : pane) {
            addToRunningSums(product, cell.views, cell.duration_sum);
        }
        return;
    }
    for (const auto& [product, cell] : pane) {
        RunningSum& sum = running_[running_slot_[product] - 1];
        sum.views -= cell.views;
        sum.duration_sum -= cell.duration_sum;
    }
}

void TrendingPanes::slideRunningSums(TimestampUs start, TimestampUs end) {
    if (run_from_ == run_to_ || start >= run_to_) {
        // Nothing summed yet, or the window jumped past every summed pane.
        for (auto it = panes_.lower_bound(run_from_); it != panes_.end() && it->first < run_to_;
             ++it) {
            addPaneToRunningSums(it->second, -1);
        }
        run_from_ = start;
        run_to_ = start;
    } else {
        for (auto it = panes_.lower_bound(run_from_); it != panes_.end() && it->first < start;
             ++it) {
            addPaneToRunningSums(it->second, -1);
        }
        run_from_ = start;
    }
    for (auto it = panes_.lower_bound(run_to_); it != panes_.end() && it->first < end; ++it) {
        addPaneToRunningSums(it->second, +1);
    }
    run_to_ = end;
}

void TrendingPanes::emitFromRunningSums(TimestampUs end,
                                        std::vector<ClosedWindow<ProductId, TrendAcc>>& out) {
    const TimestampUs start = end - window_;
    slideRunningSums(start, end);
    window_panes_.clear();
    for (auto it = panes_.lower_bound(start); it != panes_.end() && it->first < end; ++it) {
        window_panes_.push_back(&it->second);
    }
    ClosedWindow<ProductId, TrendAcc> closed;
    closed.start = start;
    closed.end = end;
    std::size_t kept = 0;
    for (const std::uint32_t index : listed_) {
        RunningSum& sum = running_[index];
        if (sum.views < min_views_) {
            sum.listed = false;
            continue;
        }
        listed_[kept++] = index;
        TrendAcc acc;
        acc.views = sum.views;
        acc.duration_sum = sum.duration_sum;
        if (++stamp_ == 0) {
            viewer_stamp_.clear();
            stamp_ = 1;
        }
        for (Pane* pane : window_panes_) {
            if (PaneCell* cell = pane->find(sum.product)) {
                acc.label.keepNewer(cell->label);
                for (const std::uint32_t user : cell->users.items()) {
                    std::uint32_t& stamp = viewer_stamp_[user];
                    if (stamp != stamp_) {
                        stamp = stamp_;
                        ++acc.viewers;
                    }
                }
            }
        }
        closed.cells.emplace_back(sum.product, acc);
    }
    listed_.resize(kept);
    if (!closed.cells.empty()) {
        out.push_back(std::move(closed));
    }
}

} // namespace gm
