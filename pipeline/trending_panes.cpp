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
        emitWindow(end, out);
    }
    if (closed_through_ == kNoWatermark || last_end > closed_through_) {
        closed_through_ = last_end;
    }
    while (!panes_.empty() && panes_.begin()->first + window_ <= closed_through_) {
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

} // namespace gm
