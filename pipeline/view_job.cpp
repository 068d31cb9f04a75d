// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/view_job.h"

#include "generator/id_dictionary.h"

#include <algorithm>

namespace gm {

void CategoryAcc::merge(const CategoryAcc& other) {
    views += other.views;
    duration_sum += other.duration_sum;
    price_sum += other.price_sum;
    users.merge(other.users);
    products.merge(other.products);
}

void SearchAcc::merge(const SearchAcc& other) {
    searches += other.searches;
    results_sum += other.results_sum;
    users.merge(other.users);
}

void BrowsingAcc::merge(const BrowsingAcc& other) {
    if (!other.seen) {
        return;
    }
    if (!seen) {
        *this = other;
        return;
    }
    views += other.views;
    searches += other.searches;
    filters += other.filters;
    compares += other.compares;
    products.merge(other.products);
    duration_sum += other.duration_sum;
    first = std::min(first, other.first);
    last = std::max(last, other.last);
    events += other.events;
}

ViewShard::ViewShard(const PipelineConfig& config)
    : trending_(config.trending_window, config.trending_slide,
                // Only a shard that sees every view may apply the threshold.
                config.workers <= 1 && !config.exact_partitions ? config.trending_min_views : 1),
      categories_(config.category_window), searches_(config.search_window),
      browsing_(config.browsing_window) {}

std::uint64_t ViewShard::add(std::span<const ProductViewEvent> events,
                             TimestampUs watermark_before) {
    std::uint64_t late = 0;
    for (const ProductViewEvent& event : events) {
        bool dropped = false;
        const TimestampUs time = event.timestamp;
        const bool is_view = event.event_type == ViewEventType::View;
        if (is_view) {
            if (trending_.isLate(time, watermark_before)) {
                dropped = true;
            } else {
                trending_.add(event);
            }
            if (categories_.isLate(time, watermark_before)) {
                dropped = true;
            } else {
                const std::uint32_t key = static_cast<std::uint32_t>(event.category) << 8 |
                                          static_cast<std::uint32_t>(event.country);
                CategoryAcc& acc = categories_.cell(time, key);
                ++acc.views;
                acc.duration_sum += event.view_duration;
                acc.price_sum += event.price;
                acc.users.insert(event.user);
                acc.products.insert(event.product);
            }
        } else if (event.event_type == ViewEventType::Search && event.search_query != kNoQuery) {
            if (searches_.isLate(time, watermark_before)) {
                dropped = true;
            } else {
                const std::uint64_t key = static_cast<std::uint64_t>(event.search_query) << 8 |
                                          static_cast<std::uint64_t>(event.country);
                SearchAcc& acc = searches_.cell(time, key);
                ++acc.searches;
                acc.results_sum += event.results_count;
                acc.users.insert(event.user);
            }
        }
        if (browsing_.isLate(time, watermark_before)) {
            dropped = true;
        } else {
            BrowsingAcc& acc = browsing_.cell(time, SessionKey{event.user, event.session_id});
            if (!acc.seen) {
                acc.seen = true;
                acc.country = event.country;
                acc.first = time;
                acc.last = time;
            }
            acc.first = std::min(acc.first, time);
            acc.last = std::max(acc.last, time);
            ++acc.events;
            switch (event.event_type) {
            case ViewEventType::View:
                ++acc.views;
                acc.duration_sum += event.view_duration;
                acc.products.insert(event.product);
                break;
            case ViewEventType::Search:
                ++acc.searches;
                break;
            case ViewEventType::Filter:
                ++acc.filters;
                break;
            case ViewEventType::Compare:
                ++acc.compares;
                break;
            }
        }
        late += dropped ? 1 : 0;
    }
    return late;
}

void ViewShard::close(TimestampUs watermark, ViewsClosed& out) {
    trending_.close(watermark, out.trending);
    categories_.close(watermark, out.categories);
    searches_.close(watermark, out.searches);
    browsing_.close(watermark, out.browsing);
}

namespace {
double ratio(double sum, std::uint64_t count) {
    return count == 0 ? 0.0 : sum / static_cast<double>(count);
}
} // namespace

void appendBrowsingRows(TimestampUs start, TimestampUs end,
                        std::vector<std::pair<SessionKey, BrowsingAcc>>& cells,
                        const EmitContext& context, RowBatch& out) {
    for (auto& [key, acc] : cells) {
        BrowsingSessionRow& row = out.browsing_sessions.emplace_back();
        row.window_start = start;
        row.window_end = end;
        row.user_id = key.user;
        row.session_id = key.session;
        row.country = acc.country;
        row.views = acc.views;
        row.searches = acc.searches;
        row.filters = acc.filters;
        row.compares = acc.compares;
        row.unique_products_viewed = static_cast<std::uint32_t>(acc.products.count());
        if (acc.views > 0) {
            row.avg_view_duration = ratio(static_cast<double>(acc.duration_sum), acc.views);
        }
        row.first_activity = acc.first;
        row.last_activity = acc.last;
        row.total_events = acc.events;
        row.session_duration_sec = (acc.last - acc.first) / kMicrosPerSecond;
        row.created_at = context.now;
    }
}

void emitViews(std::vector<ViewsClosed*>& parts, const EmitContext& context, RowBatch& out) {
    std::vector<std::vector<ClosedWindow<ProductId, TrendAcc>>*> trending;
    std::vector<std::vector<ClosedWindow<std::uint32_t, CategoryAcc>>*> categories;
    std::vector<std::vector<ClosedWindow<std::uint64_t, SearchAcc>>*> searches;
    for (auto* part : parts) {
        trending.push_back(&part->trending);
        categories.push_back(&part->categories);
        searches.push_back(&part->searches);
    }
    mergeClosedWindows(trending, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (const auto& [product, acc] : cells) {
            if (acc.views < context.config.trending_min_views) {
                continue;
            }
            TrendingProductRow& row = out.trending_products.emplace_back();
            row.window_start = start;
            row.window_end = end;
            row.product_id = product;
            // As the window's newest view sent them; a generated view names no product, so the
            // catalog's name stands in.
            if (acc.label.name != kNoName) {
                row.product_name = productNames().text(acc.label.name);
            } else if (product < context.products.size()) {
                row.product_name = context.products[product].name;
            }
            row.category = acc.label.category;
            row.view_count = acc.views;
            row.unique_viewers = acc.viewers;
            row.avg_view_duration = ratio(static_cast<double>(acc.duration_sum), acc.views);
            row.product_price = acc.label.price;
            row.analyzed_at = context.now;
            row.created_at = context.now;
        }
    });
    mergeClosedWindows(categories, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (auto& [key, acc] : cells) {
            CategoryPerformanceRow& row = out.category_performance.emplace_back();
            row.window_start = start;
            row.window_end = end;
            row.category = static_cast<CategoryId>(key >> 8);
            row.country = static_cast<Country>(key & 0xFF);
            row.total_views = acc.views;
            row.unique_users = acc.users.count();
            row.unique_products = acc.products.count();
            row.avg_view_duration = ratio(static_cast<double>(acc.duration_sum), acc.views);
            row.avg_product_price = ratio(static_cast<double>(acc.price_sum) / 100.0, acc.views);
            row.created_at = context.now;
        }
    });
    mergeClosedWindows(searches, [&](TimestampUs start, TimestampUs end, auto& cells) {
        for (auto& [key, acc] : cells) {
            if (acc.searches < context.config.search_min_count) {
                continue;
            }
            SearchBehaviorRow& row = out.search_behavior.emplace_back();
            row.window_start = start;
            row.window_end = end;
            row.search_query = static_cast<QueryId>(key >> 8);
            row.country = static_cast<Country>(key & 0xFF);
            row.search_count = acc.searches;
            row.unique_searchers = acc.users.count();
            row.avg_results = ratio(static_cast<double>(acc.results_sum), acc.searches);
            row.created_at = context.now;
        }
    });
}

} // namespace gm
