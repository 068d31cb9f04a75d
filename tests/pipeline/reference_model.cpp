// SPDX-License-Identifier: GPL-3.0-or-later
#include "reference_model.h"

#include "generator/id_dictionary.h"
#include "pipeline/alert_deduper.h"
#include "pipeline/anomaly_job.h"
#include "pipeline/inventory_job.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

namespace gm::test {
namespace {

TimestampUs floorTo(TimestampUs t, TimestampUs length) {
    TimestampUs r = t / length * length;
    return r > t ? r - length : r;
}

struct Session {
    UserId user;
    Uuid id;
    bool operator<(const Session& o) const { return std::tie(user, id) < std::tie(o.user, o.id); }
};

} // namespace

RowBatch referenceRows(const std::vector<EventBatch>& batches, const ProductTable& products,
                       const PipelineConfig& c) {
    std::vector<const Transaction*> txs;
    std::vector<const CartEvent*> carts;
    std::vector<const ProductViewEvent*> views;
    for (const EventBatch& b : batches) {
        for (const auto& e : b.transactions) {
            txs.push_back(&e);
        }
        for (const auto& e : b.carts) {
            carts.push_back(&e);
        }
        for (const auto& e : b.views) {
            views.push_back(&e);
        }
    }
    RowBatch out;

    // Sales.
    std::map<std::pair<TimestampUs, int>, std::pair<std::uint64_t, Cents>> sales;
    for (const auto* t : txs) {
        auto& s = sales[{floorTo(t->timestamp, c.sales_window), static_cast<int>(t->country)}];
        s.first += 1;
        s.second += t->total_amount;
    }
    std::map<TimestampUs, std::pair<std::uint64_t, Cents>> per_minute;
    for (const auto& [key, s] : sales) {
        SalesByCountryRow r;
        r.window_start = key.first;
        r.window_end = key.first + c.sales_window;
        r.country = static_cast<Country>(key.second);
        r.total_transactions = s.first;
        r.total_revenue = s.second;
        r.avg_order_value = s.second / 100.0 / s.first;
        out.sales_by_country.push_back(r);
        per_minute[key.first].first += s.first;
        per_minute[key.first].second += s.second;
    }
    for (const auto& [start, s] : per_minute) {
        out.sales_per_minute.push_back(
            {start, start + c.sales_window, s.first, s.second, s.second / 100.0 / s.first, 0});
    }

    // Cart metrics and cart sessions.
    struct Metric {
        std::uint64_t n = 0, adds = 0, removes = 0, updates = 0, checkouts = 0;
        Cents sum = 0, max = 0;
    };
    std::map<std::pair<TimestampUs, int>, Metric> metrics;
    struct CartWin {
        Country country{};
        std::uint32_t counts[4] = {0, 0, 0, 0};
        Cents max = 0;
        TimestampUs last = 0;
        std::uint32_t n = 0;
    };
    std::map<std::tuple<TimestampUs, UserId, Uuid>, CartWin> cart_windows;
    struct CartSess {
        std::vector<const CartEvent*> events;
    };
    std::map<Session, CartSess> cart_sessions;
    for (const auto* e : carts) {
        auto& m =
            metrics[{floorTo(e->timestamp, c.cart_metrics_window), static_cast<int>(e->country)}];
        m.n++;
        m.sum += e->cart_value;
        m.max = std::max(m.max, e->cart_value);
        const int type = static_cast<int>(e->event_type);
        m.adds += type == 0;
        m.removes += type == 1;
        m.updates += type == 2;
        m.checkouts += type == 3;
        const auto key =
            std::make_tuple(floorTo(e->timestamp, c.cart_session_window), e->user, e->session_id);
        const bool fresh = cart_windows.find(key) == cart_windows.end();
        auto& w = cart_windows[key];
        if (fresh) {
            w.country = e->country;
        }
        w.counts[type]++;
        w.max = std::max(w.max, e->cart_value);
        w.last = std::max(w.last, e->timestamp);
        w.n++;
        cart_sessions[{e->user, e->session_id}].events.push_back(e);
    }
    for (const auto& [key, m] : metrics) {
        CartMetricsRow r;
        r.window_start = key.first;
        r.window_end = key.first + c.cart_metrics_window;
        r.country = static_cast<Country>(key.second);
        r.total_cart_events = m.n;
        r.adds = m.adds;
        r.removes = m.removes;
        r.updates = m.updates;
        r.checkouts = m.checkouts;
        r.avg_cart_value = m.sum / 100.0 / m.n;
        r.max_cart_value = m.max;
        if (m.adds > 0) {
            double pct = (double(m.adds) - double(m.checkouts)) / double(m.adds) * 100.0;
            r.abandonment_rate_pct = std::min(100.0, std::max(0.0, pct));
        }
        out.cart_metrics.push_back(r);
    }
    for (const auto& [key, w] : cart_windows) {
        CartSessionRow r;
        r.window_start = std::get<0>(key);
        r.window_end = r.window_start + c.cart_session_window;
        r.user_id = std::get<1>(key);
        r.session_id = std::get<2>(key);
        r.country = w.country;
        r.add_count = w.counts[0];
        r.remove_count = w.counts[1];
        r.update_count = w.counts[2];
        r.checkout_count = w.counts[3];
        r.max_cart_value = w.max;
        r.last_activity = w.last;
        r.total_events = w.n;
        r.session_completed = w.counts[3] > 0;
        out.cart_sessions.push_back(r);
    }
    for (const auto& [key, s] : cart_sessions) {
        const CartEvent* latest = s.events.front();
        TimestampUs first = latest->timestamp;
        std::uint32_t adds = 0;
        bool checkout = false;
        for (const auto* e : s.events) {
            if (e->timestamp >= latest->timestamp) {
                latest = e;
            }
            first = std::min(first, e->timestamp);
            adds += e->event_type == CartEventType::AddToCart;
            checkout = checkout || e->event_type == CartEventType::Checkout;
        }
        if (checkout || latest->cart_size == 0) {
            continue;
        }
        AbandonedCartRow r;
        r.window_start = first;
        r.window_end = latest->timestamp + c.abandonment_timeout;
        r.user_id = key.user;
        r.session_id = key.id;
        r.country = s.events.front()->country;
        r.items_added = adds;
        r.abandoned_cart_value = latest->cart_value;
        r.last_activity = latest->timestamp;
        r.total_events = static_cast<std::uint32_t>(s.events.size());
        out.abandoned_carts.push_back(r);
    }

    // Views.
    // The row shows the window's newest view's name, category and price; equal times go to the
    // larger (category, name, price).
    using Label = std::tuple<TimestampUs, int, std::string, Cents, NameId>;
    struct Trend {
        std::uint64_t n = 0, dur = 0;
        std::set<UserId> users;
        std::optional<Label> label;
    };
    std::map<std::pair<TimestampUs, ProductId>, Trend> trend;
    struct Cat {
        std::uint64_t n = 0, dur = 0;
        Cents price = 0;
        std::set<UserId> users;
        std::set<ProductId> products;
    };
    std::map<std::tuple<TimestampUs, int, int>, Cat> cats;
    struct Search {
        std::uint64_t n = 0, results = 0;
        std::set<UserId> users;
    };
    std::map<std::tuple<TimestampUs, QueryId, int>, Search> searches;
    struct Browse {
        Country country{};
        std::uint32_t counts[4] = {0, 0, 0, 0};
        std::set<ProductId> products;
        std::uint64_t dur = 0;
        TimestampUs first = 0, last = 0;
        std::uint32_t n = 0;
    };
    std::map<std::tuple<TimestampUs, UserId, Uuid>, Browse> browse;
    for (const auto* e : views) {
        if (e->event_type == ViewEventType::View) {
            const TimestampUs pane = floorTo(e->timestamp, c.trending_slide);
            for (TimestampUs start = pane - c.trending_window + c.trending_slide; start <= pane;
                 start += c.trending_slide) {
                auto& t = trend[{start, e->product}];
                t.n++;
                t.dur += e->view_duration;
                t.users.insert(e->user);
                const std::string name = e->product_name == kNoName
                                             ? std::string()
                                             : std::string(productNames().text(e->product_name));
                const Label label{e->timestamp, e->category, name, e->price, e->product_name};
                if (!t.label || std::get<0>(label) > std::get<0>(*t.label) ||
                    (std::get<0>(label) == std::get<0>(*t.label) &&
                     std::tie(std::get<1>(label), std::get<2>(label), std::get<3>(label)) >
                         std::tie(std::get<1>(*t.label), std::get<2>(*t.label),
                                  std::get<3>(*t.label)))) {
                    t.label = label;
                }
            }
            auto& k = cats[{floorTo(e->timestamp, c.category_window), e->category,
                            static_cast<int>(e->country)}];
            k.n++;
            k.dur += e->view_duration;
            k.price += e->price;
            k.users.insert(e->user);
            k.products.insert(e->product);
        }
        if (e->event_type == ViewEventType::Search && e->search_query != kNoQuery) {
            auto& s = searches[{floorTo(e->timestamp, c.search_window), e->search_query,
                                static_cast<int>(e->country)}];
            s.n++;
            s.results += e->results_count;
            s.users.insert(e->user);
        }
        const auto key =
            std::make_tuple(floorTo(e->timestamp, c.browsing_window), e->user, e->session_id);
        const bool fresh = browse.find(key) == browse.end();
        auto& b = browse[key];
        if (fresh) {
            b.country = e->country;
            b.first = b.last = e->timestamp;
        }
        b.counts[static_cast<int>(e->event_type)]++;
        if (e->event_type == ViewEventType::View) {
            b.products.insert(e->product);
            b.dur += e->view_duration;
        }
        b.first = std::min(b.first, e->timestamp);
        b.last = std::max(b.last, e->timestamp);
        b.n++;
    }
    for (const auto& [key, t] : trend) {
        if (t.n < c.trending_min_views) {
            continue;
        }
        TrendingProductRow r;
        r.window_start = key.first;
        r.window_end = key.first + c.trending_window;
        r.product_id = key.second;
        const NameId name = std::get<4>(*t.label);
        r.product_name = name != kNoName                ? std::get<2>(*t.label)
                         : key.second < products.size() ? products[key.second].name
                                                        : std::string();
        r.category = static_cast<CategoryId>(std::get<1>(*t.label));
        r.view_count = t.n;
        r.unique_viewers = t.users.size();
        r.avg_view_duration = double(t.dur) / t.n;
        r.product_price = std::get<3>(*t.label);
        out.trending_products.push_back(r);
    }
    for (const auto& [key, k] : cats) {
        CategoryPerformanceRow r;
        r.window_start = std::get<0>(key);
        r.window_end = r.window_start + c.category_window;
        r.category = static_cast<CategoryId>(std::get<1>(key));
        r.country = static_cast<Country>(std::get<2>(key));
        r.total_views = k.n;
        r.unique_users = k.users.size();
        r.unique_products = k.products.size();
        r.avg_view_duration = double(k.dur) / k.n;
        r.avg_product_price = k.price / 100.0 / k.n;
        out.category_performance.push_back(r);
    }
    for (const auto& [key, s] : searches) {
        if (s.n < c.search_min_count) {
            continue;
        }
        SearchBehaviorRow r;
        r.window_start = std::get<0>(key);
        r.window_end = r.window_start + c.search_window;
        r.search_query = std::get<1>(key);
        r.country = static_cast<Country>(std::get<2>(key));
        r.search_count = s.n;
        r.unique_searchers = s.users.size();
        r.avg_results = double(s.results) / s.n;
        out.search_behavior.push_back(r);
    }
    for (const auto& [key, b] : browse) {
        BrowsingSessionRow r;
        r.window_start = std::get<0>(key);
        r.window_end = r.window_start + c.browsing_window;
        r.user_id = std::get<1>(key);
        r.session_id = std::get<2>(key);
        r.country = b.country;
        r.views = b.counts[0];
        r.searches = b.counts[1];
        r.filters = b.counts[2];
        r.compares = b.counts[3];
        r.unique_products_viewed = static_cast<std::uint32_t>(b.products.size());
        if (b.counts[0] > 0) {
            r.avg_view_duration = double(b.dur) / b.counts[0];
        }
        r.first_activity = b.first;
        r.last_activity = b.last;
        r.total_events = b.n;
        r.session_duration_sec = (b.last - b.first) / 1'000'000;
        out.browsing_sessions.push_back(r);
    }

    // Anomalies and inventory.
    struct Susp {
        Country country{};
        std::uint64_t n = 0;
        Cents spent = 0, max = 0;
        TimestampUs first = 0, last = 0;
    };
    std::map<std::pair<TimestampUs, UserId>, Susp> susp;
    struct Stats {
        std::uint64_t hv = 0, hq = 0, sev[4] = {0, 0, 0, 0};
    };
    std::map<std::pair<TimestampUs, int>, Stats> stats;
    std::map<std::tuple<TimestampUs, ProductId, int>, std::pair<std::int64_t, Cents>> by_country;
    std::map<std::pair<TimestampUs, ProductId>, std::pair<std::int64_t, Cents>> demand;
    struct InvM {
        std::int64_t units = 0;
        Cents revenue = 0;
        std::map<ProductId, std::int64_t> per_product;
    };
    std::map<std::pair<TimestampUs, int>, InvM> inv;
    std::vector<std::int64_t> stock;
    for (const auto& p : products) {
        stock.push_back(std::max<std::int64_t>(0, p.inventory));
    }
    std::vector<bool> alerted(products.size(), false);
    std::vector<TimestampUs> low_times;
    std::map<ProductId, std::int64_t> touched;
    for (const auto* t : txs) {
        const int country = static_cast<int>(t->country);
        const TimestampUs minute = floorTo(t->timestamp, c.anomaly_stats_window);
        if (t->total_amount > c.high_value_threshold) {
            HighValueAnomalyRow r;
            r.transaction_id = t->transaction_id;
            r.user_id = t->user;
            r.timestamp = t->timestamp;
            r.total_amount = t->total_amount;
            r.payment_method = t->payment_method;
            r.country = t->country;
            r.anomaly_reason = highValueReason(t->total_amount, c);
            r.severity = t->total_amount >= c.high_value_critical ? Severity::Critical
                         : t->total_amount >= c.high_value_high   ? Severity::High
                                                                  : Severity::Medium;
            out.high_value_anomalies.push_back(r);
            stats[{minute, country}].hv++;
            stats[{minute, country}].sev[static_cast<int>(r.severity)]++;
        }
        for (const auto& line : t->products) {
            if (line.quantity >= c.high_quantity_threshold) {
                HighQuantityAnomalyRow r;
                r.transaction_id = t->transaction_id;
                r.product_id = line.product;
                r.user_id = t->user;
                r.timestamp = t->timestamp;
                r.total_amount = t->total_amount;
                r.payment_method = t->payment_method;
                r.country = t->country;
                r.quantity = line.quantity;
                r.anomaly_reason = highQuantityReason(line.quantity, c);
                r.severity = line.quantity >= c.high_quantity_critical ? Severity::Critical
                             : line.quantity >= c.high_quantity_high   ? Severity::High
                                                                       : Severity::Medium;
                out.high_quantity_anomalies.push_back(r);
                stats[{minute, country}].hq++;
                stats[{minute, country}].sev[static_cast<int>(r.severity)]++;
            }
            auto& bc =
                by_country[{floorTo(t->timestamp, c.velocity_window), line.product, country}];
            bc.first += line.quantity;
            bc.second += line.price * line.quantity;
            auto& d = demand[{floorTo(t->timestamp, c.high_demand_window), line.product}];
            d.first += line.quantity;
            d.second += line.price * line.quantity;
            auto& m = inv[{floorTo(t->timestamp, c.inventory_metrics_window), country}];
            m.per_product[line.product] += line.quantity;
            if (line.product >= stock.size()) {
                continue; // stock unknown outside the product table
            }
            stock[line.product] = std::max<std::int64_t>(0, stock[line.product] - line.quantity);
            touched[line.product] = stock[line.product];
            if (stock[line.product] <= c.low_stock_threshold && !alerted[line.product]) {
                alerted[line.product] = true;
                LowStockAlertRow r;
                r.product_id = line.product;
                r.stock_on_hand = stock[line.product];
                r.threshold = c.low_stock_threshold;
                r.severity = r.stock_on_hand == 0 ? Severity::Critical : Severity::High;
                r.detected_at = t->timestamp;
                out.low_stock_alerts.push_back(r);
                low_times.push_back(t->timestamp);
            }
        }
        auto& m = inv[{floorTo(t->timestamp, c.inventory_metrics_window), country}];
        for (const auto& line : t->products) {
            m.units += line.quantity;
            m.revenue += line.price * line.quantity;
        }
        const bool fresh =
            susp.find({floorTo(t->timestamp, c.suspicious_window), t->user}) == susp.end();
        auto& s = susp[{floorTo(t->timestamp, c.suspicious_window), t->user}];
        if (fresh) {
            s.country = t->country;
            s.first = s.last = t->timestamp;
        }
        s.n++;
        s.spent += t->total_amount;
        s.max = std::max(s.max, t->total_amount);
        s.first = std::min(s.first, t->timestamp);
        s.last = std::max(s.last, t->timestamp);
    }
    for (const auto& [key, s] : susp) {
        const bool many = s.n >= c.suspicious_min_transactions;
        const bool big = s.spent > c.suspicious_spend;
        if (!many && !big) {
            continue;
        }
        SuspiciousPatternRow r;
        r.window_start = key.first;
        r.window_end = key.first + c.suspicious_window;
        r.user_id = key.second;
        r.country = s.country;
        r.transaction_count = s.n;
        r.total_spent = s.spent;
        r.avg_transaction = s.spent / 100.0 / s.n;
        r.max_transaction = s.max;
        r.first_transaction = s.first;
        r.last_transaction = s.last;
        r.anomaly_reason = suspiciousReason(s.n, s.spent, c);
        r.severity = many && big ? Severity::Critical : Severity::High;
        out.suspicious_patterns.push_back(r);
    }
    for (const auto& [key, s] : stats) {
        out.anomaly_stats.push_back({key.first, key.first + c.anomaly_stats_window,
                                     static_cast<Country>(key.second), s.hv + s.hq, s.hv, s.hq,
                                     s.sev[3], s.sev[2], s.sev[1], 0});
    }
    std::map<std::pair<TimestampUs, ProductId>, std::pair<std::int64_t, Cents>> velocity;
    for (const auto& [key, v] : by_country) {
        const auto [start, product, country] = key;
        out.inventory_by_country.push_back({start, start + c.velocity_window, product,
                                            static_cast<Country>(country), v.first, v.second, 0});
        const double minutes = double(c.velocity_window) / 60'000'000.0;
        const double rate = v.first / minutes;
        if (rate >= c.restock_min_rate) {
            out.restock_alerts.push_back({start, start + c.velocity_window, product,
                                          static_cast<Country>(country), v.first, rate,
                                          rate >= c.restock_high_rate     ? Severity::High
                                          : rate >= c.restock_medium_rate ? Severity::Medium
                                                                          : Severity::Low,
                                          0, 0});
        }
        velocity[{start, product}].first += v.first;
        velocity[{start, product}].second += v.second;
    }
    for (const auto& [key, v] : velocity) {
        out.product_sales_velocity.push_back({key.first, key.first + c.velocity_window, key.second,
                                              v.first, v.second, v.second / 100.0 / v.first, 0});
    }
    for (const auto& [key, d] : demand) {
        if (d.first < c.high_demand_units) {
            continue;
        }
        out.high_demand_alerts.push_back({key.first, key.first + c.high_demand_window, key.second,
                                          d.first, d.second,
                                          d.first >= c.high_demand_critical ? Severity::Critical
                                          : d.first >= c.high_demand_high   ? Severity::High
                                                                            : Severity::Medium,
                                          0, 0});
    }
    for (const auto& [key, m] : inv) {
        std::uint64_t fast = 0;
        for (const auto& [p, units] : m.per_product) {
            fast += units >= c.fast_moving_units;
        }
        out.inventory_metrics.push_back({key.first, key.first + c.inventory_metrics_window,
                                         static_cast<Country>(key.second), m.units,
                                         m.per_product.size(), m.revenue, fast, 0});
    }
    for (const auto& [product, level] : touched) {
        out.stock_levels.push_back({product, level, 0});
    }

    // Alerts: chains of candidates of one kind and subject no further apart than the window.
    std::vector<AlertCandidate> candidates = alertCandidates(out, low_times, c);
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(a.kind, a.subject, a.time) < std::tie(b.kind, b.subject, b.time);
    });
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& cand = candidates[i];
        const bool joins = !out.alerts.empty() && out.alerts.back().kind == cand.kind &&
                           out.alerts.back().subject == cand.subject &&
                           cand.time - out.alerts.back().last_seen <= c.alert_dedup_window;
        if (joins) {
            AlertRow& a = out.alerts.back();
            a.occurrences++;
            a.last_seen = cand.time;
            if (cand.severity >= a.severity) {
                a.severity = cand.severity;
                a.title = cand.title;
                a.message = cand.message;
            }
        } else {
            AlertRow a;
            a.kind = cand.kind;
            a.severity = cand.severity;
            a.subject = cand.subject;
            a.title = cand.title;
            a.message = cand.message;
            a.first_seen = a.last_seen = cand.time;
            a.occurrences = 1;
            out.alerts.push_back(a);
        }
    }
    std::uint64_t id = 0;
    for (AlertRow& alert : out.alerts) {
        alert.alert_id = ++id;
    }
    return out;
}

} // namespace gm::test
