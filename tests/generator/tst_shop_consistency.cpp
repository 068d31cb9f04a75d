// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated shop keeps its own books straight: carts replay to the values their events
// report, every checkout has its transaction, every order adds up.
#include "generator/catalog.h"
#include "generator/simulator.h"

#include <QTest>
#include <map>
#include <unordered_map>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;

struct CartState {
    std::map<ProductId, OrderLine> lines;
    Cents value() const {
        Cents total = 0;
        for (const auto& [product, line] : lines) {
            total += line.amount();
        }
        return total;
    }
};

struct Stream {
    std::vector<ProductViewEvent> views;
    std::vector<CartEvent> carts;
    std::vector<Transaction> transactions;
};

const Catalog& catalog() {
    static const Catalog instance(
        CatalogConfig{.users = 2'000, .products = 400, .seed = 5, .reference_time = kStart});
    return instance;
}

Stream generateStream(std::size_t events, double shop_rate) {
    ShopSimulator simulator(catalog(), SimulatorConfig{}, kStart);
    simulator.setShopRate(shop_rate);
    EventBatch batch;
    simulator.generate(events, batch);
    return {std::move(batch.views), std::move(batch.carts), std::move(batch.transactions)};
}

} // namespace

class TestShopConsistency : public QObject {
    Q_OBJECT

private slots:
    void cartEventsReplayToTheirReportedState() {
        const Stream stream = generateStream(300'000, 500);
        std::unordered_map<Uuid, CartState, UuidHash> carts;
        for (const CartEvent& event : stream.carts) {
            CartState& cart = carts[event.session_id];
            const Product& product = catalog().product(event.product);
            switch (event.event_type) {
            case CartEventType::AddToCart:
                QVERIFY2(!cart.lines.contains(event.product), "adds a product already in the cart");
                QVERIFY(event.quantity >= 1);
                QCOMPARE(event.price, product.price);
                QCOMPARE(event.category, product.category);
                cart.lines[event.product] = {event.product, event.category, event.quantity,
                                             event.price};
                break;
            case CartEventType::RemoveFromCart:
                QVERIFY2(cart.lines.contains(event.product), "removes a product not in the cart");
                QCOMPARE(event.quantity, cart.lines[event.product].quantity);
                cart.lines.erase(event.product);
                break;
            case CartEventType::UpdateQuantity:
                QVERIFY(cart.lines.contains(event.product));
                QCOMPARE(event.old_quantity, cart.lines[event.product].quantity);
                QVERIFY(event.new_quantity != event.old_quantity);
                cart.lines[event.product].quantity = event.new_quantity;
                break;
            case CartEventType::Checkout: {
                QVERIFY2(!event.items.empty(), "checkout with an empty cart");
                QCOMPARE(event.items.size(), cart.lines.size());
                std::uint32_t total_items = 0;
                for (const OrderLine& item : event.items) {
                    QVERIFY(cart.lines.contains(item.product));
                    QCOMPARE(item.quantity, cart.lines[item.product].quantity);
                    total_items += item.quantity;
                }
                QCOMPARE(event.total_items, total_items);
                QCOMPARE(event.total_value, cart.value());
                QCOMPARE(event.cart_value, event.total_value);
                cart.lines.clear();
                break;
            }
            }
            if (event.event_type != CartEventType::Checkout) {
                QCOMPARE(event.cart_size, static_cast<std::uint32_t>(cart.lines.size()));
                QCOMPARE(event.cart_value, cart.value());
            }
        }
    }

    void everyCheckoutHasItsTransaction() {
        const Stream stream = generateStream(300'000, 500);
        // The transaction follows its checkout: same user, same lines, same total, later.
        std::unordered_map<UserId, std::vector<const CartEvent*>> open_checkouts;
        std::size_t checkouts = 0;
        for (const CartEvent& event : stream.carts) {
            if (event.event_type == CartEventType::Checkout) {
                open_checkouts[event.user].push_back(&event);
                ++checkouts;
            }
        }
        std::size_t matched = 0;
        for (const Transaction& transaction : stream.transactions) {
            auto& pending = open_checkouts[transaction.user];
            QVERIFY2(!pending.empty(), "a transaction without a checkout");
            const CartEvent* checkout = pending.front();
            pending.erase(pending.begin());
            QVERIFY(checkout->timestamp <= transaction.timestamp);
            QCOMPARE(transaction.products, checkout->items);
            QCOMPARE(transaction.total_amount, checkout->total_value);
            QCOMPARE(transaction.country, catalog().user(transaction.user).country);
            ++matched;
        }
        // Checkouts at the very end may still await their transaction.
        QVERIFY(checkouts - matched < 200);
        QVERIFY(matched > 1000);
    }

    void ordersAddUpAndHaveDistinctProducts() {
        const Stream stream = generateStream(300'000, 500);
        for (const Transaction& transaction : stream.transactions) {
            Cents total = 0;
            std::map<ProductId, int> seen;
            QVERIFY(!transaction.products.empty());
            for (const OrderLine& line : transaction.products) {
                total += line.amount();
                QVERIFY2(++seen[line.product] == 1, "the same product twice in one order");
                QCOMPARE(line.price, catalog().product(line.product).price);
            }
            QCOMPARE(transaction.total_amount, total);
            if (transaction.planted_anomaly == PlantedAnomaly::HighValue) {
                QVERIFY(transaction.total_amount > 500'000);
                QVERIFY(transaction.total_amount <= 2'500'000);
            }
            if (transaction.planted_anomaly == PlantedAnomaly::None) {
                QVERIFY(transaction.total_amount <= 500'000);
            }
        }
    }

    void oneVisitPerUserAtATime() {
        // A session belongs to one user, and a user's sessions do not interleave.
        const Stream stream = generateStream(200'000, 500);
        std::unordered_map<Uuid, UserId, UuidHash> owner;
        for (const auto& view : stream.views) {
            auto [it, inserted] = owner.emplace(view.session_id, view.user);
            QCOMPARE(it->second, view.user);
        }
        for (const auto& cart : stream.carts) {
            auto [it, inserted] = owner.emplace(cart.session_id, cart.user);
            QCOMPARE(it->second, cart.user);
        }
    }

    void timestampsAdvanceWithTheShopRate() {
        ShopSimulator simulator(catalog(), SimulatorConfig{}, kStart);
        simulator.setShopRate(100); // one event every 10 ms of simulated time
        EventBatch batch;
        simulator.generate(1000, batch);
        QCOMPARE(simulator.now(), kStart + 1000 * 10'000);
        std::vector<TimestampUs> times;
        for (const auto& e : batch.views) {
            times.push_back(e.timestamp);
        }
        for (const auto& e : batch.carts) {
            times.push_back(e.timestamp);
        }
        for (const auto& e : batch.transactions) {
            times.push_back(e.timestamp);
        }
        std::sort(times.begin(), times.end());
        for (std::size_t i = 0; i < times.size(); ++i) {
            QCOMPARE(times[i], kStart + static_cast<TimestampUs>(i) * 10'000);
        }
        simulator.advanceTo(kStart + 3'600'000'000LL);
        EventBatch later;
        simulator.generate(1, later);
        QCOMPARE(static_cast<TimestampUs>(later.size()), TimestampUs{1});
        QVERIFY(simulator.now() > kStart + 3'600'000'000LL);
    }

    void viewEventsAreWellFormed() {
        const Stream stream = generateStream(200'000, 500);
        const std::size_t products = catalog().productCount();
        for (const ProductViewEvent& view : stream.views) {
            switch (view.event_type) {
            case ViewEventType::View:
                QVERIFY(view.product < products);
                QVERIFY(view.view_duration >= 5 && view.view_duration <= 120);
                QCOMPARE(view.from_search, view.search_query != kNoQuery);
                break;
            case ViewEventType::Search:
                QVERIFY(view.search_query != kNoQuery);
                break;
            case ViewEventType::Filter:
                if (view.has_price_range) {
                    QVERIFY(view.min_price <= view.max_price);
                }
                QCOMPARE(view.results_count,
                         catalog().countInPriceRange(
                             view.filter_category, view.has_price_range ? view.min_price : 0,
                             view.has_price_range ? view.max_price : 1'000'000'000));
                break;
            case ViewEventType::Compare:
                QVERIFY(view.compare_products.size() >= 2 && view.compare_products.size() <= 4);
                QCOMPARE(view.compare_prices.size(), view.compare_products.size());
                break;
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestShopConsistency)
#include "tst_shop_consistency.moc"
