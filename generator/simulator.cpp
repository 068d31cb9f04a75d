// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/simulator.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace gm {
namespace {

// docs/events.md: items per order .50 .30 .15 .04 .01, quantities 1-3 at .80 .15 .05,
// add_to_cart quantities drawn from (1,1,1,2,2,3).
constexpr std::array<double, 5> kItemsPerOrder = {0.50, 0.30, 0.15, 0.04, 0.01};
constexpr std::array<double, 3> kOrderQuantity = {0.80, 0.15, 0.05};
constexpr std::array<std::uint16_t, 6> kAddQuantities = {1, 1, 1, 2, 2, 3};
// Items left in an abandoned cart.
constexpr std::array<double, 3> kAbandonedItems = {0.60, 0.30, 0.10};
// Event types: view .6, search .2, filter .15, compare .05.
constexpr std::array<double, 4> kViewTypeWeights = {0.60, 0.20, 0.15, 0.05};
// Some carts change their mind: an item added and removed again, a quantity corrected.
constexpr double kExtraRemoveChance = 0.10;
constexpr double kExtraUpdateChance = 0.10;
constexpr double kStayInCategory = 0.7;
constexpr double kPreferredCategory = 0.6;
constexpr std::uint16_t kLargestNormalLineQuantity = 40; // high-value orders stay below 50

struct PriceBand {
    Cents min;
    Cents max;
};
constexpr std::array<PriceBand, 6> kPriceBands = {
    {{0, 5000}, {5000, 10000}, {10000, 20000}, {20000, 50000}, {50000, 100000}, {100000, 200000}}};

std::uint16_t otherAddQuantity(std::uint16_t quantity, Rng& rng) {
    std::uint16_t other = quantity;
    while (other == quantity) {
        other = kAddQuantities[rng.below(kAddQuantities.size())];
    }
    return other;
}

Cents linesTotal(const std::vector<OrderLine>& lines) {
    Cents total = 0;
    for (const auto& line : lines) {
        total += line.amount();
    }
    return total;
}

} // namespace

ShopSimulator::ShopSimulator(const Catalog& catalog, const SimulatorConfig& config,
                             TimestampUs start_time)
    : catalog_(catalog), search_index_(catalog), config_(config), rng_(config.seed),
      id_salt_(Rng(static_cast<std::uint64_t>(start_time)).next()),
      clock_us_(static_cast<double>(start_time)), busy_users_((catalog.userCount() + 63) / 64, 0),
      lifecycle_(catalog.userCount(), config.lifecycle, config.seed) {
    recomputeVisitShape();
    setShopRate(shop_rate_);
}

void ShopSimulator::setShopRate(double events_per_sim_second) {
    shop_rate_ = std::max(events_per_sim_second, 1e-6);
    step_us_ = 1e6 / shop_rate_;
}

void ShopSimulator::setViewShare(double share) {
    config_.view_share = std::clamp(share, 0.0, 0.95);
    recomputeVisitShape();
}

void ShopSimulator::setAnomalyRate(double rate) {
    config_.anomaly_rate = std::clamp(rate, 0.0, 1.0);
    recomputeVisitShape();
}

void ShopSimulator::advanceTo(TimestampUs sim_time) {
    clock_us_ = std::max(clock_us_, static_cast<double>(sim_time));
}

// The number of views per visit is chosen so that views make up view_share of all events. The
// cart model's event count per visit has no simple closed form (anomalous orders add quantity
// updates), so it is estimated once per setting from a few thousand planned visits drawn from a
// private generator: the main stream stays untouched, so settings do not shift it.
void ShopSimulator::recomputeVisitShape() {
    if (catalog_.userCount() == 0 || catalog_.productCount() == 0) {
        return;
    }
    Rng estimator(config_.seed ^ 0xE57111A7EULL);
    constexpr int kSamples = 4000;
    std::uint64_t shopping = 0;
    Visit scratch;
    for (int i = 0; i < kSamples; ++i) {
        scratch.interest = static_cast<CategoryId>(estimator.below(kCategoryCount));
        planCart(scratch, estimator);
        shopping += scratch.script.size();
        shopping += scratch.script.back().kind == StepKind::Checkout ? 1 : 0;
    }
    const double per_cart_visit = static_cast<double>(shopping) / kSamples;
    const double share = std::clamp(config_.view_share, 0.0, 0.95);
    const double views_per_shopping_event = share / (1.0 - share);
    // Visits without a cart need a view each: with p cart visits, views per visit must reach
    // 1 - p, i.e. p >= 1 / (1 + shopping per cart visit x views per shopping event).
    const double needed = 1.0 / (1.0 + per_cart_visit * views_per_shopping_event);
    cart_visit_share_ = std::clamp(std::max(config_.cart_visit_share, needed * 1.1), 0.0, 1.0);
    shopping_per_visit_ = cart_visit_share_ * per_cart_visit;
    views_per_visit_ = views_per_shopping_event * shopping_per_visit_;
}

std::uint32_t ShopSimulator::drawViewCount(bool has_cart, std::size_t shopping_events) {
    const double share = std::clamp(config_.view_share, 0.0, 0.95);
    planned_shopping_ += static_cast<double>(shopping_events);
    const double deficit = share / (1.0 - share) * planned_shopping_ - planned_views_;
    // Visits without a cart have at least one view; on top of that, a geometric number of views
    // whose mean makes the average visit match the share, nudged by the running deficit.
    const double minimum = has_cart ? 0.0 : 1.0;
    const double base_extra = std::max(0.0, views_per_visit_ - (1.0 - cart_visit_share_));
    const double mean_extra = std::max(0.0, base_extra + 0.02 * deficit);
    const double p = 1.0 / (1.0 + mean_extra);
    const double u = 1.0 - rng_.unit();
    const double extra = p >= 1.0 ? 0.0 : std::floor(std::log(u) / std::log(1.0 - p));
    const auto views = static_cast<std::uint32_t>(minimum + std::min(extra, 10'000.0));
    planned_views_ += views;
    return views;
}

std::size_t ShopSimulator::targetConcurrency() const {
    const double wanted = shop_rate_ * config_.visit_event_gap_seconds;
    // Beyond some tens of thousands of visits nothing changes for the analyst (each visitor's
    // events are already milliseconds apart in simulated time), but the pool stops fitting in
    // the CPU caches and generation slows several-fold.
    constexpr double kMostVisits = 32'768;
    const double cap = std::max(1.0, std::min(kMostVisits, std::floor(catalog_.userCount() / 2.0)));
    return static_cast<std::size_t>(std::clamp(std::round(wanted), 1.0, cap));
}

CategoryId ShopSimulator::browseCategory(UserId user_id, Rng& rng) const {
    const UserProfile& user = catalog_.user(user_id);
    if (user.preferred_groups != 0 && rng.chance(kPreferredCategory)) {
        std::array<CategoryGroup, kCategoryGroupCount> groups{};
        int count = 0;
        for (int g = 0; g < kCategoryGroupCount; ++g) {
            if (user.preferred_groups & (1U << g)) {
                groups[static_cast<std::size_t>(count++)] = static_cast<CategoryGroup>(g);
            }
        }
        const auto members = categoriesOf(groups[rng.below(static_cast<std::uint64_t>(count))]);
        return members[rng.below(members.size())];
    }
    return static_cast<CategoryId>(rng.below(kCategoryCount));
}

ProductId ShopSimulator::browseProduct(UserId user, CategoryId& interest, Rng& rng) const {
    if (!rng.chance(kStayInCategory)) {
        interest = browseCategory(user, rng);
    }
    const auto& in_category = catalog_.productsIn(interest);
    if (in_category.empty()) {
        const auto product = static_cast<ProductId>(rng.below(catalog_.productCount()));
        interest = catalog_.product(product).category;
        return product;
    }
    return in_category[rng.below(in_category.size())];
}

ProductId ShopSimulator::distinctProduct(const std::vector<OrderLine>& lines, const Visit& visit,
                                         Rng& rng) const {
    CategoryId interest = visit.interest; // planning must not move the visit's own interest
    for (int attempt = 0; attempt < 64; ++attempt) {
        const ProductId candidate = browseProduct(visit.user, interest, rng);
        if (std::none_of(lines.begin(), lines.end(),
                         [&](const OrderLine& line) { return line.product == candidate; })) {
            return candidate;
        }
    }
    for (ProductId id = 0; id < catalog_.productCount(); ++id) {
        if (std::none_of(lines.begin(), lines.end(),
                         [&](const OrderLine& line) { return line.product == id; })) {
            return id;
        }
    }
    return 0;
}

ProductId ShopSimulator::expensiveProduct(Rng& rng) const {
    // The priciest of a few electronics draws: high-value orders are built from such lines.
    ProductId best = static_cast<ProductId>(rng.below(catalog_.productCount()));
    const auto electronics = categoriesOf(CategoryGroup::Electronics);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const auto& products = catalog_.productsIn(electronics[rng.below(electronics.size())]);
        if (!products.empty()) {
            const ProductId candidate = products[rng.below(products.size())];
            if (catalog_.product(candidate).price > catalog_.product(best).price) {
                best = candidate;
            }
        }
    }
    return best;
}

ProductId ShopSimulator::cheapProduct(const std::vector<OrderLine>& lines, Rng& rng) const {
    // Bulk orders are of inexpensive goods (the cheapest of a few books and beauty draws), so a
    // high-quantity anomaly is not also a high-value one by accident.
    std::optional<ProductId> best;
    const std::array<CategoryGroup, 2> groups = {CategoryGroup::Books, CategoryGroup::Beauty};
    for (int attempt = 0; attempt < 8; ++attempt) {
        const auto categories = categoriesOf(groups[rng.below(groups.size())]);
        const auto& products = catalog_.productsIn(categories[rng.below(categories.size())]);
        if (products.empty()) {
            continue;
        }
        const ProductId candidate = products[rng.below(products.size())];
        const bool taken = std::any_of(lines.begin(), lines.end(),
                                       [&](const OrderLine& l) { return l.product == candidate; });
        if (!taken &&
            (!best || catalog_.product(candidate).price < catalog_.product(*best).price)) {
            best = candidate;
        }
    }
    return best ? *best : lines.front().product;
}

void ShopSimulator::planCart(Visit& visit, Rng& rng) const {
    visit.script.clear();
    visit.anomaly = PlantedAnomaly::None;
    if (rng.chance(config_.cart_abandonment)) {
        planAbandonedCart(visit, rng);
    } else {
        planPurchase(visit, rng);
    }
}

void ShopSimulator::planPurchase(Visit& visit, Rng& rng) const {
    std::vector<OrderLine> lines;
    const std::size_t wanted =
        std::min<std::size_t>(1 + rng.weighted(kItemsPerOrder), catalog_.productCount());
    const bool anomalous = rng.chance(config_.anomaly_rate);
    const bool high_value = anomalous && rng.chance(0.5);
    for (std::size_t i = 0; i < wanted; ++i) {
        OrderLine line;
        line.product = high_value ? expensiveProduct(rng) : distinctProduct(lines, visit, rng);
        if (std::any_of(lines.begin(), lines.end(),
                        [&](const OrderLine& l) { return l.product == line.product; })) {
            line.product = distinctProduct(lines, visit, rng);
        }
        line.category = catalog_.product(line.product).category;
        line.price = catalog_.product(line.product).price;
        line.quantity = static_cast<std::uint16_t>(1 + rng.weighted(kOrderQuantity));
        lines.push_back(line);
    }
    if (high_value) {
        // Raise quantities until the order passes a target drawn between the threshold and four
        // times it (about $5,000 to $20,000 by default): the lines always add up to the total.
        const double target_factor = 1.0 + 3.0 * rng.unit();
        const auto target =
            static_cast<Cents>(static_cast<double>(config_.high_value_threshold) * target_factor);
        for (auto& line : lines) {
            line.quantity = 1;
        }
        while (linesTotal(lines) <= target) {
            auto& line = lines[rng.below(lines.size())];
            if (std::all_of(lines.begin(), lines.end(), [](const OrderLine& l) {
                    return l.quantity >= kLargestNormalLineQuantity;
                })) {
                break;
            }
            if (line.quantity < kLargestNormalLineQuantity) {
                ++line.quantity;
            }
        }
        visit.anomaly = linesTotal(lines) > config_.high_value_threshold ? PlantedAnomaly::HighValue
                                                                         : PlantedAnomaly::None;
    } else if (anomalous) {
        const std::size_t big_lines = std::min<std::size_t>(rng.chance(0.8) ? 1 : 2, lines.size());
        for (std::size_t i = 0; i < big_lines; ++i) {
            const ProductId cheap = cheapProduct(lines, rng);
            lines[i].product = cheap;
            lines[i].category = catalog_.product(cheap).category;
            lines[i].price = catalog_.product(cheap).price;
            lines[i].quantity = static_cast<std::uint16_t>(
                rng.between(config_.high_quantity_threshold, 2 * config_.high_quantity_threshold));
        }
        // The rest of the order stays ordinary.
        while (lines.size() > big_lines && linesTotal(lines) > config_.high_value_threshold) {
            lines.pop_back();
        }
        visit.anomaly = PlantedAnomaly::HighQuantity;
    } else {
        // An ordinary order must not trip the high-value rule by chance.
        if (linesTotal(lines) > config_.high_value_threshold) {
            for (auto& line : lines) {
                line.quantity = 1;
            }
        }
        while (lines.size() > 1 && linesTotal(lines) > config_.high_value_threshold) {
            lines.pop_back();
        }
    }

    // The cart script: each line added (with its quantity when it is a usual one, else with a
    // usual one and then updated), sometimes an extra item added and removed again, then the
    // checkout.
    std::vector<OrderLine> in_cart;
    std::size_t extra_remove_at = lines.size();
    ProductId extra_product = 0;
    if (rng.chance(kExtraRemoveChance) && catalog_.productCount() > lines.size()) {
        extra_product = distinctProduct(lines, visit, rng);
        extra_remove_at = rng.below(lines.size());
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const OrderLine& line = lines[i];
        if (line.quantity > 3) {
            visit.script.push_back({StepKind::Add, line.product, kAddQuantities[rng.below(6)]});
            visit.script.push_back({StepKind::Update, line.product, line.quantity});
        } else if (rng.chance(kExtraUpdateChance)) {
            visit.script.push_back(
                {StepKind::Add, line.product, otherAddQuantity(line.quantity, rng)});
            visit.script.push_back({StepKind::Update, line.product, line.quantity});
        } else {
            visit.script.push_back({StepKind::Add, line.product, line.quantity});
        }
        if (i == extra_remove_at) {
            visit.script.push_back({StepKind::Add, extra_product, kAddQuantities[rng.below(6)]});
            visit.script.push_back({StepKind::Remove, extra_product, 0});
        }
    }
    visit.script.push_back({StepKind::Checkout, 0, 0});
}

void ShopSimulator::planAbandonedCart(Visit& visit, Rng& rng) const {
    std::vector<OrderLine> lines;
    const std::size_t items =
        std::min<std::size_t>(1 + rng.weighted(kAbandonedItems), catalog_.productCount());
    for (std::size_t i = 0; i < items; ++i) {
        OrderLine line;
        line.product = distinctProduct(lines, visit, rng);
        line.quantity = kAddQuantities[rng.below(kAddQuantities.size())];
        lines.push_back(line);
        visit.script.push_back({StepKind::Add, line.product, line.quantity});
    }
    if (rng.chance(kExtraUpdateChance)) {
        const OrderLine& line = lines[rng.below(lines.size())];
        visit.script.push_back(
            {StepKind::Update, line.product, otherAddQuantity(line.quantity, rng)});
    }
    if (rng.chance(kExtraRemoveChance) && catalog_.productCount() > lines.size()) {
        const ProductId extra = distinctProduct(lines, visit, rng);
        visit.script.push_back({StepKind::Add, extra, kAddQuantities[rng.below(6)]});
        visit.script.push_back({StepKind::Remove, extra, 0});
    }
}

// A user without a visit running; with a lifecycle, one who is a customer now. The pool is
// capped at half the active customers, so a few draws find one; should they not, any idle user
// will do (the pool never holds more than half of all users).
UserId ShopSimulator::pickVisitor() {
    if (lifecycle_.enabled()) {
        const TimestampUs at = now();
        const std::size_t arrived = lifecycle_.arrivedCount(at);
        for (int attempt = 0; attempt < 64 && arrived > 0; ++attempt) {
            const UserId candidate = lifecycle_.arrivedUser(rng_.below(arrived));
            if (!isBusy(candidate) && lifecycle_.active(candidate, at)) {
                return candidate;
            }
        }
    }
    UserId user = 0;
    do {
        user = static_cast<UserId>(rng_.below(catalog_.userCount()));
    } while (isBusy(user));
    return user;
}

void ShopSimulator::startVisit() {
    if (catalog_.userCount() == 0 || catalog_.productCount() == 0) {
        return;
    }
    const UserId user = pickVisitor();
    busy_users_[user / 64] |= 1ULL << (user % 64);

    Visit visit;
    if (!spare_.empty()) {
        visit = std::move(spare_.back());
        spare_.pop_back();
    }
    visit.user = user;
    visit.session = nextUuid();
    visit.script.clear();
    visit.next_step = 0;
    visit.cart.clear();
    visit.checked_out.clear();
    visit.transaction_pending = false;
    visit.cart_used = false;
    visit.anomaly = PlantedAnomaly::None;
    visit.last_was_search = false;
    visit.last_query = kNoQuery;
    visit.views_so_far = 0;
    visit.interest = browseCategory(user, rng_);
    const bool has_cart = rng_.chance(cart_visit_share_);
    if (has_cart) {
        planCart(visit, rng_);
    }
    const std::size_t shopping =
        visit.script.size() + (has_cart && visit.script.back().kind == StepKind::Checkout ? 1 : 0);
    visit.views_left = drawViewCount(has_cart, shopping);
    ++stats_.visits_started;
    active_.push_back(std::move(visit));
}

void ShopSimulator::endVisit(std::size_t index) {
    Visit& visit = active_[index];
    busy_users_[visit.user / 64] &= ~(1ULL << (visit.user % 64));
    if (!visit.cart.empty()) {
        ++stats_.carts_abandoned;
    }
    if (index + 1 != active_.size()) {
        std::swap(active_[index], active_.back());
    }
    spare_.push_back(std::move(active_.back()));
    active_.pop_back();
}

TimestampUs ShopSimulator::nextTimestamp() {
    const auto timestamp = static_cast<TimestampUs>(clock_us_);
    clock_us_ += step_us_;
    return timestamp;
}

Uuid ShopSimulator::nextUuid() {
    const std::uint64_t high = rng_.next() ^ id_salt_;
    return makeUuidV4(high, rng_.next());
}

void ShopSimulator::generate(std::size_t count, EventBatch& out) {
    if (catalog_.userCount() == 0 || catalog_.productCount() == 0) {
        return;
    }
    for (std::size_t produced = 0; produced < count; ++produced) {
        std::size_t target = targetConcurrency();
        if (lifecycle_.enabled()) {
            target = std::min(target, std::max<std::size_t>(1, lifecycle_.activeCount(now()) / 2));
        }
        if (active_.size() < target) {
            startVisit();
        }
        const std::size_t index = rng_.below(active_.size());
        Visit& visit = active_[index];
        const std::size_t steps_left = visit.script.size() - visit.next_step;
        if (visit.transaction_pending) {
            emitTransaction(visit, out);
        } else if (steps_left > 0 && (visit.views_left == 0 ||
                                      rng_.below(visit.views_left + steps_left) < steps_left)) {
            emitCartStep(visit, out);
        } else if (visit.views_left > 0) {
            emitView(visit, out);
        }
        ++stats_.events;
        const bool finished = !visit.transaction_pending && visit.views_left == 0 &&
                              visit.next_step == visit.script.size();
        if (finished) {
            endVisit(index);
            // Keep the pool at its target; when the rate fell, let it shrink by attrition.
            if (active_.empty()) {
                startVisit();
            }
        }
    }
}

void ShopSimulator::emitView(Visit& visit, EventBatch& out) {
    --visit.views_left;
    ProductViewEvent event;
    event.event_id = nextUuid();
    event.session_id = visit.session;
    event.timestamp = nextTimestamp();
    event.user = visit.user;
    event.country = catalog_.user(visit.user).country;
    event.event_type = static_cast<ViewEventType>(rng_.weighted(kViewTypeWeights));
    if (event.event_type == ViewEventType::Compare && catalog_.productCount() < 2) {
        event.event_type = ViewEventType::View;
    }
    const bool after_search = visit.last_was_search;
    visit.last_was_search = false;

    switch (event.event_type) {
    case ViewEventType::View: {
        // Shoppers look at what they are about to put in the cart.
        const bool next_is_add = visit.next_step < visit.script.size() &&
                                 visit.script[visit.next_step].kind == StepKind::Add;
        ProductId product = 0;
        if (next_is_add && rng_.chance(0.5)) {
            product = visit.script[visit.next_step].product;
            visit.interest = catalog_.product(product).category;
        } else {
            product = browseProduct(visit.user, visit.interest, rng_);
        }
        const Product& details = catalog_.product(product);
        event.product = product;
        event.category = details.category;
        event.price = details.price;
        event.view_duration = static_cast<std::uint16_t>(rng_.between(5, 120));
        event.from_search = after_search;
        event.search_query = after_search ? visit.last_query : kNoQuery;
        event.previously_viewed_count = visit.views_so_far++;
        break;
    }
    case ViewEventType::Search: {
        const auto pick = rng_.below(3);
        if (pick == 0) {
            event.search_query = QueryTable::categoryQuery(browseCategory(visit.user, rng_));
        } else if (pick == 1) {
            event.search_query = QueryTable::brandQuery(static_cast<std::uint8_t>(
                rng_.below(static_cast<std::uint64_t>(Catalog::brandCount()))));
        } else {
            event.search_query =
                QueryTable::genericTerm(rng_.below(QueryTable::genericTerms().size()));
        }
        event.results_count = search_index_.resultsCount(event.search_query);
        visit.last_was_search = true;
        visit.last_query = event.search_query;
        if (event.search_query >= QueryTable::categoryQuery(0) &&
            event.search_query < QueryTable::categoryQuery(0) + kCategoryCount) {
            visit.interest =
                static_cast<CategoryId>(event.search_query - QueryTable::categoryQuery(0));
        }
        break;
    }
    case ViewEventType::Filter: {
        event.filter_category = rng_.chance(0.7) ? visit.interest : kNoCategory;
        Cents min = 0;
        Cents max = 1'000'000'000;
        if (rng_.chance(0.8)) {
            const PriceBand band = kPriceBands[rng_.below(kPriceBands.size())];
            event.has_price_range = true;
            event.min_price = min = band.min;
            event.max_price = max = band.max;
        }
        event.results_count = catalog_.countInPriceRange(event.filter_category, min, max);
        break;
    }
    case ViewEventType::Compare: {
        auto wanted = static_cast<std::size_t>(rng_.between(2, 4));
        wanted = std::min<std::size_t>(wanted, catalog_.productCount());
        std::vector<ProductId> picked;
        if (rng_.chance(0.8)) {
            CategoryId category = visit.interest;
            for (int attempt = 0; attempt < 16 && catalog_.productsIn(category).size() < wanted;
                 ++attempt) {
                category = static_cast<CategoryId>(rng_.below(kCategoryCount));
            }
            const auto& pool = catalog_.productsIn(category);
            if (pool.size() >= wanted) {
                while (picked.size() < wanted) {
                    const ProductId candidate = pool[rng_.below(pool.size())];
                    if (std::find(picked.begin(), picked.end(), candidate) == picked.end()) {
                        picked.push_back(candidate);
                    }
                }
            }
        }
        while (picked.size() < wanted) {
            const auto candidate = static_cast<ProductId>(rng_.below(catalog_.productCount()));
            if (std::find(picked.begin(), picked.end(), candidate) == picked.end()) {
                picked.push_back(candidate);
            }
        }
        event.category = catalog_.product(picked.front()).category;
        for (ProductId product : picked) {
            event.compare_products.push_back(product);
            event.compare_prices.push_back(catalog_.product(product).price);
            if (catalog_.product(product).category != event.category) {
                event.category = kMixedCategory;
            }
        }
        break;
    }
    }
    ++stats_.by_kind[static_cast<std::size_t>(EventKind::ProductView)];
    ++stats_.by_view_type[static_cast<std::size_t>(event.event_type)];
    out.views.push_back(std::move(event));
}

CartEvent ShopSimulator::cartEventBase(const Visit& visit, CartEventType type) {
    CartEvent event;
    event.event_id = nextUuid();
    event.session_id = visit.session;
    event.timestamp = nextTimestamp();
    event.user = visit.user;
    event.country = catalog_.user(visit.user).country;
    event.event_type = type;
    return event;
}

void ShopSimulator::emitCartStep(Visit& visit, EventBatch& out) {
    const CartStep step = visit.script[visit.next_step++];
    static constexpr std::array<CartEventType, 4> kTypes = {
        CartEventType::AddToCart, CartEventType::RemoveFromCart, CartEventType::UpdateQuantity,
        CartEventType::Checkout};
    CartEvent event = cartEventBase(visit, kTypes[static_cast<std::size_t>(step.kind)]);
    const auto line = std::find_if(visit.cart.begin(), visit.cart.end(),
                                   [&](const OrderLine& l) { return l.product == step.product; });
    switch (step.kind) {
    case StepKind::Add: {
        const Product& product = catalog_.product(step.product);
        visit.cart.push_back({step.product, product.category, step.quantity, product.price});
        event.quantity = step.quantity;
        if (!visit.cart_used) {
            visit.cart_used = true;
            ++stats_.carts_started;
        }
        break;
    }
    case StepKind::Remove:
        event.quantity = line->quantity;
        visit.cart.erase(line);
        break;
    case StepKind::Update:
        event.old_quantity = line->quantity;
        event.new_quantity = step.quantity;
        line->quantity = step.quantity;
        break;
    case StepKind::Checkout:
        event.items = visit.cart;
        for (const auto& item : visit.cart) {
            event.total_items += item.quantity;
        }
        event.total_value = linesTotal(visit.cart);
        visit.checked_out = std::move(visit.cart);
        visit.cart.clear();
        visit.transaction_pending = true;
        ++stats_.carts_checked_out;
        break;
    }
    if (step.kind != StepKind::Checkout) {
        const Product& product = catalog_.product(step.product);
        event.product = step.product;
        event.category = product.category;
        event.price = product.price;
        event.cart_size = static_cast<std::uint32_t>(visit.cart.size());
        event.cart_value = linesTotal(visit.cart);
    } else {
        event.cart_size = static_cast<std::uint32_t>(event.items.size());
        event.cart_value = event.total_value;
    }
    ++stats_.by_kind[static_cast<std::size_t>(EventKind::Cart)];
    ++stats_.by_cart_type[static_cast<std::size_t>(event.event_type)];
    out.carts.push_back(std::move(event));
}

void ShopSimulator::emitTransaction(Visit& visit, EventBatch& out) {
    Transaction transaction;
    transaction.transaction_id = nextUuid();
    transaction.timestamp = nextTimestamp();
    transaction.user = visit.user;
    transaction.country = catalog_.user(visit.user).country;
    transaction.payment_method = static_cast<PaymentMethod>(rng_.below(kPaymentMethodCount));
    transaction.total_amount = linesTotal(visit.checked_out);
    transaction.products = std::move(visit.checked_out);
    visit.checked_out.clear();
    transaction.planted_anomaly = visit.anomaly;
    visit.transaction_pending = false;
    if (visit.anomaly == PlantedAnomaly::HighValue) {
        ++stats_.high_value_anomalies;
    } else if (visit.anomaly == PlantedAnomaly::HighQuantity) {
        ++stats_.high_quantity_anomalies;
    }
    ++stats_.by_kind[static_cast<std::size_t>(EventKind::Transaction)];
    out.transactions.push_back(std::move(transaction));
}

} // namespace gm
