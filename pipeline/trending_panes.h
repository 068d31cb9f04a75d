// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "pipeline/distinct_set.h"
#include "pipeline/flat_map.h"
#include "pipeline/paged_slots.h"
#include "pipeline/tumbling_windows.h"

#include <map>
#include <unordered_map>
#include <vector>

namespace gm {

// What the newest view of a product in a window said about it: the trending row shows the
// shop's name, category and price as of its window, whatever came later. Newest event time wins;
// equal times go to the larger (category, name text, price), so the choice does not depend on
// arrival order, sharding or batching.
struct ViewedLabel {
    TimestampUs time = 0;
    NameId name = kNoName;
    CategoryId category = kNoCategory;
    Cents price = 0;
    bool set = false;
    void keepNewer(const ViewedLabel& other);
};

// One shard's partial of a trending window for one product. unique_viewers may be summed
// across shards because every user belongs to exactly one shard.
struct TrendAcc {
    std::uint64_t views = 0;
    std::uint64_t duration_sum = 0;
    std::uint64_t viewers = 0;
    ViewedLabel label;
    void merge(const TrendAcc& other) {
        views += other.views;
        duration_sum += other.duration_sum;
        viewers += other.viewers;
        label.keepNewer(other.label);
    }
};

// Sliding windows (length W, slide S, W a multiple of S) built from panes of length S: an event
// updates one pane, and a window is the union of its W/S panes when it closes. A pane is freed
// when the last window containing it has closed.
class TrendingPanes {
public:
    // Products with fewer than `min_views` views in this shard's window leave without a
    // distinct-viewer count (and are dropped). Only a single shard, which sees all views, may
    // pass the table's threshold here; with several shards it must be 1.
    TrendingPanes(TimestampUs window, TimestampUs slide, std::uint64_t min_views)
        : window_(window), slide_(slide), min_views_(min_views) {}

    // Late only when every window holding the event has closed.
    bool isLate(TimestampUs time, TimestampUs watermark_before) const {
        return watermark_before != kNoWatermark &&
               alignDown(time, slide_) + window_ <= watermark_before;
    }
    void add(const ProductViewEvent& view);
    void close(TimestampUs watermark, std::vector<ClosedWindow<ProductId, TrendAcc>>& out);
    std::size_t openPanes() const { return panes_.size(); }
    TimestampUs oldestOpenStart() const {
        return panes_.empty() ? kFlushWatermark : panes_.begin()->first;
    }
    // A run resuming where an earlier one stopped: every window ending at or before
    // `watermark` was emitted then, and must not be emitted again from part of its events.
    void resumeFrom(TimestampUs watermark) {
        if (watermark != kNoWatermark) {
            closed_through_ = alignDown(watermark, slide_);
        }
    }

private:
    struct PaneCell {
        std::uint64_t views = 0;
        std::uint64_t duration_sum = 0;
        DistinctSet users;
        ViewedLabel label;
    };
    using Pane = FlatMap<ProductId, PaneCell, std::hash<ProductId>>;

    void emitWindow(TimestampUs end, std::vector<ClosedWindow<ProductId, TrendAcc>>& out);
    void emitFromRunningSums(TimestampUs end, std::vector<ClosedWindow<ProductId, TrendAcc>>& out);
    void slideRunningSums(TimestampUs start, TimestampUs end);
    void addToRunningSums(ProductId product, std::uint64_t views, std::uint64_t duration_sum);
    void addPaneToRunningSums(Pane& pane, int sign);
    bool keepsRunningSums() const { return min_views_ > 1; }

    TimestampUs window_;
    TimestampUs slide_;
    std::uint64_t min_views_;
    std::map<TimestampUs, Pane> panes_;
    TimestampUs closed_through_ = kNoWatermark; // every window ending at or before has closed
    Pane* cached_ = nullptr;
    TimestampUs cached_start_ = 0;
    // Scratch of emitWindow(), kept between windows: with a catalog of 250K products a window
    // merges ten panes of ~60K cells each every minute, and a hash map rebuilt from empty for
    // each window made that the longest step of the pipeline. slot_of_[product] is the index of
    // the product's cell in window_cells_ + 1, or 0; reset to 0 after every window.
    PagedSlots slot_of_;
    std::vector<std::pair<ProductId, TrendAcc>> window_cells_;
    std::vector<std::uint64_t> viewers_;

    // With a threshold (one shard sees every view), windows slide by sums instead: views and
    // view time per product over the panes [run_from_, run_to_) change by the pane entering
    // and the pane leaving, and only the products at or above the threshold (listed_) are
    // looked up in the window's panes for their distinct viewers and label. A window then costs
    // two panes and its trending products, not ten panes. Products are never removed from
    // running_ (it is bounded by the products seen, like the dictionaries).
    struct RunningSum {
        ProductId product = 0;
        std::uint64_t views = 0;
        std::uint64_t duration_sum = 0;
        bool listed = false;
    };
    PagedSlots running_slot_; // index in running_ + 1, or 0
    std::vector<RunningSum> running_;
    std::vector<std::uint32_t> listed_; // indexes in running_; entries below the threshold are
                                        // dropped at the next window
    TimestampUs run_from_ = 0;
    TimestampUs run_to_ = 0; // run_from_ == run_to_: no pane summed
    std::vector<Pane*> window_panes_;
    // Distinct viewers of one product over the window's panes (each pane's users are sorted,
    // unique): a user counts when its slot does not hold this product's stamp yet. Indexing a
    // user's slot is cheaper than sorting the union (1K products x ~700 viewers per window).
    PagedSlots viewer_stamp_;
    std::uint32_t stamp_ = 0;
};

} // namespace gm
