// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/distinct_set.h"
#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/trending_panes.h"
#include "pipeline/tumbling_windows.h"

#include <span>

namespace gm {

// Job 3: trending_products (sliding), category_performance, search_behavior and
// browsing_sessions (tumbling).
struct CategoryAcc {
    std::uint64_t views = 0;
    std::uint64_t duration_sum = 0;
    Cents price_sum = 0;
    DistinctSet users;
    DistinctSet products;
    void merge(const CategoryAcc& other);
};

struct SearchAcc {
    std::uint64_t searches = 0;
    std::uint64_t results_sum = 0;
    DistinctSet users;
    void merge(const SearchAcc& other);
};

struct BrowsingAcc {
    bool seen = false;
    Country country = Country::USA;
    std::uint32_t views = 0;
    std::uint32_t searches = 0;
    std::uint32_t filters = 0;
    std::uint32_t compares = 0;
    DistinctSet products;
    std::uint64_t duration_sum = 0;
    TimestampUs first = 0;
    TimestampUs last = 0;
    std::uint32_t events = 0;
    void merge(const BrowsingAcc& other);
};

struct ViewsClosed {
    std::vector<ClosedWindow<ProductId, TrendAcc>> trending;
    std::vector<ClosedWindow<std::uint32_t, CategoryAcc>> categories; // category << 8 | country
    std::vector<ClosedWindow<std::uint64_t, SearchAcc>> searches;     // query << 8 | country
    std::vector<ClosedWindow<SessionKey, BrowsingAcc>> browsing;
    void clear() {
        trending.clear();
        categories.clear();
        searches.clear();
        browsing.clear();
    }
};

class ViewShard {
public:
    explicit ViewShard(const PipelineConfig& config);
    std::uint64_t add(std::span<const ProductViewEvent> events, TimestampUs watermark_before);
    void close(TimestampUs watermark, ViewsClosed& out);
    std::size_t openWindows() const {
        return trending_.openPanes() + categories_.openWindows() + searches_.openWindows() +
               browsing_.openWindows();
    }
    // Event time of the oldest state still open (kFlushWatermark: none): no event older than
    // this can change a row that is still to come.
    TimestampUs oldestOpenStart() const {
        return std::min({trending_.oldestOpenStart(), categories_.oldestOpenStart(),
                         searches_.oldestOpenStart(), browsing_.oldestOpenStart()});
    }
    void resumeFrom(TimestampUs watermark) { trending_.resumeFrom(watermark); }

private:
    TrendingPanes trending_;
    TumblingWindows<std::uint32_t, CategoryAcc> categories_;
    TumblingWindows<std::uint64_t, SearchAcc> searches_;
    TumblingWindows<SessionKey, BrowsingAcc, SessionKeyHash> browsing_;
};

// trending_products, category_performance, search_behavior. browsing_sessions grows with the
// number of sessions: SessionTablesEmitter (session_emitter.h) emits it in bounded slices.
void emitViews(std::vector<ViewsClosed*>& parts, const EmitContext& context, RowBatch& out);
// browsing_sessions rows of one window's merged cells (in key order).
void appendBrowsingRows(TimestampUs start, TimestampUs end,
                        std::vector<std::pair<SessionKey, BrowsingAcc>>& cells,
                        const EmitContext& context, RowBatch& out);

} // namespace gm
