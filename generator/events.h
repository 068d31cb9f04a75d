// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"
#include "generator/reference_data.h"
#include "generator/timestamp.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

// The three event streams of docs/events.md as compact structs: integer ids, enums, cents,
// microsecond UTC timestamps. Text (ids, names, JSON) exists only at the edges.
namespace gm {

// Money is integer cents everywhere inside the process, so that order lines add up to their
// total exactly and sums over windows do not depend on the order of addition.
using Cents = std::int64_t;

// A search query is an index into the QueryTable (search_queries.h): the built-in vocabulary
// first, then queries interned from other producers' events.
using QueryId = std::uint32_t;
inline constexpr QueryId kNoQuery = 0xFFFFFFFF;

inline constexpr CategoryId kNoCategory = 0xFF;    // a filter without a category (null)
inline constexpr CategoryId kMixedCategory = 0xFE; // a compare across categories ("mixed")

enum class EventKind : std::uint8_t { ProductView, Cart, Transaction };
inline constexpr int kEventKindCount = 3;

// Generator ground truth, never on the wire: which anomaly the simulator planted.
enum class PlantedAnomaly : std::uint8_t { None, HighValue, HighQuantity };

struct OrderLine {
    ProductId product = 0;
    // A transaction line names no category: the catalog's, or kNoCategory for a product outside
    // it. A checkout item carries both as sent.
    CategoryId category = 0;
    std::uint16_t quantity = 0;
    Cents price = 0;       // unit price
    NameId name = kNoName; // checkout items: the product_name sent
    Cents amount() const { return price * quantity; }
    friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

struct Transaction {
    Uuid transaction_id;
    TimestampUs timestamp = 0;
    UserId user = 0;
    Country country = Country::USA;
    PaymentMethod payment_method = PaymentMethod::CreditCard;
    Cents total_amount = 0; // = sum of lines' quantity x price
    std::vector<OrderLine> products;
    PlantedAnomaly planted_anomaly = PlantedAnomaly::None;
    friend bool operator==(const Transaction&, const Transaction&) = default;
};

enum class CartEventType : std::uint8_t { AddToCart, RemoveFromCart, UpdateQuantity, Checkout };
inline constexpr int kCartEventTypeCount = 4;

struct CartEvent {
    Uuid event_id;
    Uuid session_id;
    TimestampUs timestamp = 0;
    UserId user = 0;
    CartEventType event_type = CartEventType::AddToCart;
    Country country = Country::USA;
    // add_to_cart, remove_from_cart, update_quantity: the item concerned.
    ProductId product = 0;
    NameId product_name = kNoName;
    CategoryId category = 0;
    Cents price = 0;
    std::uint16_t quantity = 0;     // add, remove
    std::uint16_t old_quantity = 0; // update
    std::uint16_t new_quantity = 0; // update
    // State of the cart after the event (for checkout: the cart checked out).
    std::uint32_t cart_size = 0; // distinct items
    Cents cart_value = 0;
    // checkout only
    std::vector<OrderLine> items;
    std::uint32_t total_items = 0; // sum of quantities
    Cents total_value = 0;
    friend bool operator==(const CartEvent&, const CartEvent&) = default;
};

enum class ViewEventType : std::uint8_t { View, Search, Filter, Compare };
inline constexpr int kViewEventTypeCount = 4;

struct ProductViewEvent {
    Uuid event_id;
    Uuid session_id;
    TimestampUs timestamp = 0;
    UserId user = 0;
    ViewEventType event_type = ViewEventType::View;
    Country country = Country::USA;
    // view
    ProductId product = 0;
    NameId product_name = kNoName;
    CategoryId category = 0; // view; compare: shared category or kMixedCategory
    Cents price = 0;
    std::uint16_t view_duration = 0; // seconds
    bool from_search = false;
    std::uint32_t previously_viewed_count = 0;
    // view (when from_search) and search
    QueryId search_query = kNoQuery;
    // search, filter
    std::uint32_t results_count = 0;
    // filter
    CategoryId filter_category = kNoCategory;
    bool has_price_range = false;
    Cents min_price = 0;
    Cents max_price = 0;
    // compare: 2 or more products with their prices
    std::vector<ProductId> compare_products;
    std::vector<NameId> compare_names; // empty for a generated compare (catalog names)
    std::vector<Cents> compare_prices;
    friend bool operator==(const ProductViewEvent&, const ProductViewEvent&) = default;
};

// One partition of a source that keeps its topic partitions apart (Kafka with --exact-group):
// the topic by the kind of events it carries, and whether it is quiet (read to the broker's
// high watermark and idle for a while, so it no longer holds windows back).
struct PartitionState {
    EventKind topic = EventKind::Transaction;
    std::int32_t partition = 0;
    bool quiet = false;
    // How many times the source has been assigned the partition: a new value means the group
    // took it away and gave it back, and a scale-out member rebuilds it from the store.
    std::uint32_t epoch = 0;
    friend bool operator==(const PartitionState&, const PartitionState&) = default;
};

// A slice of the generated stream. Each vector keeps its stream's order; first_sequence numbers
// the first event of the slice in the whole stream, across kinds.
struct EventBatch {
    std::uint64_t first_sequence = 0;
    std::vector<ProductViewEvent> views;
    std::vector<CartEvent> carts;
    std::vector<Transaction> transactions;

    // Set by a source that reads several partitions: the event time every one of them has
    // reached (the oldest of their latest events). The pipeline's watermark then follows it
    // instead of the batch's latest event, so a partition read ahead of the others does not make
    // the others' events late.
    std::optional<TimestampUs> source_event_time;

    // Set by a source that keeps partitions apart (exact mode, docs/scale-out.md): every event of
    // the batch was read from this partition of its topic, in offset order.
    std::optional<std::int32_t> partition;
    // The same source's partitions as they are now (its assignment and which are quiet); may come
    // alone in an empty batch when only that changed. Empty: no news.
    std::vector<PartitionState> partitions;

    std::size_t size() const { return views.size() + carts.size() + transactions.size(); }
    bool empty() const { return size() == 0; }
    void clear() {
        views.clear();
        carts.clear();
        transactions.clear();
        source_event_time.reset();
        partition.reset();
        partitions.clear();
    }
};

std::string_view cartEventTypeName(CartEventType type); // "add_to_cart", ...
std::optional<CartEventType> parseCartEventType(std::string_view name);
std::string_view viewEventTypeName(ViewEventType type); // "view", "search", ...
std::optional<ViewEventType> parseViewEventType(std::string_view name);

} // namespace gm
