// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/catalog.h"
#include "generator/customer_lifecycle.h"
#include "generator/events.h"
#include "generator/random.h"
#include "generator/search_queries.h"

#include <array>
#include <cstdint>
#include <vector>

namespace gm {

struct SimulatorConfig {
    std::uint64_t seed = 42;
    // Share of all events that are product-view events (browsing). The rest is shopping: cart
    // events and transactions, whose split follows from the cart model (docs/generator.md).
    double view_share = 0.60;
    double anomaly_rate = 0.02;     // share of transactions planted as anomalies
    double cart_abandonment = 0.70; // share of carts that end without a checkout
    double cart_visit_share = 0.40; // share of visits that put something in a cart
    Cents high_value_threshold = 500'000;
    std::uint16_t high_quantity_threshold = 50;
    // Mean simulated time between two events of one visitor; with the shop's rate this sets how
    // many visits run at once (capped at half the users).
    double visit_event_gap_seconds = 30.0;
    // Customers arriving and lapsing over a span of history (set by a backfill); off by default.
    LifecycleConfig lifecycle{};
};

struct SimulatorStats {
    std::uint64_t events = 0;
    std::array<std::uint64_t, kEventKindCount> by_kind{};
    std::array<std::uint64_t, kViewEventTypeCount> by_view_type{};
    std::array<std::uint64_t, kCartEventTypeCount> by_cart_type{};
    std::uint64_t high_value_anomalies = 0;
    std::uint64_t high_quantity_anomalies = 0;
    std::uint64_t visits_started = 0;
    std::uint64_t carts_started = 0; // visits whose cart received an item
    std::uint64_t carts_checked_out = 0;
    std::uint64_t carts_abandoned = 0; // visits that left with items in the cart
    std::uint64_t anomalies() const { return high_value_anomalies + high_quantity_anomalies; }
};

// The simulated shop: a pool of concurrent visits, each a user who browses, may fill a cart, and
// checks out (producing the matching transaction) or leaves. Deterministic: the same catalog,
// config, start time and sequence of rate settings give the same events, however fast it runs.
// Not thread-safe: one thread drives it.
class ShopSimulator {
public:
    ShopSimulator(const Catalog& catalog, const SimulatorConfig& config, TimestampUs start_time);

    // Events per simulated second. Sets the spacing of event timestamps and how many visits run
    // at once.
    void setShopRate(double events_per_sim_second);
    double shopRate() const { return shop_rate_; }
    void setViewShare(double share);
    void setAnomalyRate(double rate);
    const SimulatorConfig& config() const { return config_; }

    // Moves the clock forward (never back), e.g. after a pause.
    void advanceTo(TimestampUs sim_time);
    // Timestamp the next event will carry.
    TimestampUs now() const { return static_cast<TimestampUs>(clock_us_); }

    // Appends exactly count events to out (each to the vector of its kind).
    void generate(std::size_t count, EventBatch& out);

    const SimulatorStats& stats() const { return stats_; }
    std::size_t activeVisits() const { return active_.size(); }
    // Expected cart events plus transactions of one visit under the current settings.
    double expectedShoppingEventsPerVisit() const { return shopping_per_visit_; }
    // Share of visits that use a cart: the configured one, or more when the view share is so
    // low that visits without a cart (which need at least one view) would exceed it.
    double effectiveCartVisitShare() const { return cart_visit_share_; }

private:
    enum class StepKind : std::uint8_t { Add, Remove, Update, Checkout };
    struct CartStep {
        StepKind kind;
        ProductId product;
        std::uint16_t quantity; // Add: quantity added; Update: new quantity
    };
    struct Visit {
        UserId user = 0;
        Uuid session;
        std::uint32_t views_left = 0;
        std::vector<CartStep> script;
        std::size_t next_step = 0;
        std::vector<OrderLine> cart;
        bool transaction_pending = false;
        bool cart_used = false;
        PlantedAnomaly anomaly = PlantedAnomaly::None;
        CategoryId interest = 0; // category being browsed
        bool last_was_search = false;
        QueryId last_query = kNoQuery;
        std::uint32_t views_so_far = 0;
        std::vector<OrderLine> checked_out; // lines of the checkout awaiting its transaction
    };

    void startVisit();
    bool isBusy(UserId user) const { return (busy_users_[user / 64] >> (user % 64)) & 1U; }
    UserId pickVisitor();
    void endVisit(std::size_t index);
    void planCart(Visit& visit, Rng& rng) const;
    void planPurchase(Visit& visit, Rng& rng) const;
    void planAbandonedCart(Visit& visit, Rng& rng) const;
    std::uint32_t drawViewCount(bool has_cart, std::size_t shopping_events);
    void recomputeVisitShape();
    std::size_t targetConcurrency() const;

    ProductId browseProduct(UserId user, CategoryId& interest, Rng& rng) const;
    CategoryId browseCategory(UserId user, Rng& rng) const;
    ProductId distinctProduct(const std::vector<OrderLine>& lines, const Visit& visit,
                              Rng& rng) const;
    ProductId expensiveProduct(Rng& rng) const;
    ProductId cheapProduct(const std::vector<OrderLine>& lines, Rng& rng) const;

    TimestampUs nextTimestamp();
    Uuid nextUuid();
    void emitView(Visit& visit, EventBatch& out);
    void emitCartStep(Visit& visit, EventBatch& out);
    void emitTransaction(Visit& visit, EventBatch& out);
    CartEvent cartEventBase(const Visit& visit, CartEventType type);

    const Catalog& catalog_;
    SearchIndex search_index_;
    SimulatorConfig config_;
    Rng rng_;
    // Mixed into every id: two runs with the same seed but different start times (one run
    // continuing the history another left in the database) must not reuse transaction, event or
    // session ids, or their upserts would overwrite each other's rows. Same seed and start: same
    // ids, so runs stay reproducible.
    std::uint64_t id_salt_;
    double clock_us_;
    double shop_rate_ = 1000.0;
    double step_us_ = 1000.0;
    double shopping_per_visit_ = 1.0;
    double views_per_visit_ = 1.0;
    double cart_visit_share_ = 0.4; // effective: raised when few views must go round all visits
    // Views and shopping events planned so far: the view budget of each new visit corrects the
    // running difference, so the view share holds exactly over time, not just in expectation.
    double planned_views_ = 0;
    double planned_shopping_ = 0;
    std::vector<Visit> active_;
    std::vector<Visit> spare_;              // ended visits kept for their buffers
    std::vector<std::uint64_t> busy_users_; // bitset: user has a visit running
    CustomerLifecycle lifecycle_;
    SimulatorStats stats_;
};

} // namespace gm
