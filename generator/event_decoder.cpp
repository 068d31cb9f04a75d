// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/event_decoder.h"

#include "generator/catalog.h"
#include "generator/event_fields.h"
#include "generator/field_reader.h"
#include "generator/search_queries.h"

#include <array>
#include <string>
#include <type_traits>

namespace gm {
namespace {

using decoding::collect;
using decoding::FieldReader;
using decoding::Index;
using decoding::kAbsent;
using decoding::numberText;
using decoding::Slots;
using event_fields::fieldIndex;
using event_fields::keysOf;
using json::Document;
using json::Type;
using validation::elementPath;
using validation::FieldPath;
using validation::fieldPath;

// An element of an array that must be an object, e.g. products[2].
bool elementObject(FieldReader& reader, Index node, std::string_view array, std::size_t index) {
    if (reader.doc().type(node) != Type::Object) {
        return reader.wrongType(node, elementPath(array, index), "an object");
    }
    return true;
}

// Reads products[] of a transaction or items[] of a checkout into lines, summing the exact
// amounts. Checkout items carry product_name and category; transaction lines do not. Fields is
// the elements' description (event_fields.h).
template <const auto& Fields>
bool readLines(FieldReader& reader, const Catalog& catalog, Index array_node,
               std::string_view array, std::vector<OrderLine>& lines, double& sum) {
    static constexpr auto kNames = keysOf(Fields);
    static constexpr std::size_t kProductId = fieldIndex(Fields, "product_id");
    static constexpr std::size_t kQuantity = fieldIndex(Fields, "quantity");
    static constexpr std::size_t kPrice = fieldIndex(Fields, "price");
    static constexpr bool kWithNames = event_fields::hasField(Fields, "product_name");
    const Document& doc = reader.doc();
    std::uint32_t size = 0;
    if (!reader.array(array_node, fieldPath(array), size)) {
        return false;
    }
    if (size == 0) {
        return reader.fail(RejectReason::NoItems, fieldPath(array),
                           kWithNames ? "a checkout needs items" : "a transaction needs products");
    }
    sum = 0;
    lines.resize(size);
    Index element = doc.firstChild(array_node);
    Slots<kNames.size()> slots;
    for (std::size_t i = 0; i < size; ++i, element = doc.next(element)) {
        if (!elementObject(reader, element, array, i)) {
            return false;
        }
        collect(doc, element, kNames, slots);
        OrderLine& line = lines[i];
        double price = 0;
        if (!reader.product(slots[kProductId], elementPath(array, i, kNames[kProductId]),
                            line.product)) {
            return false;
        }
        if constexpr (kWithNames) {
            static constexpr std::size_t kProductName = fieldIndex(Fields, "product_name");
            static constexpr std::size_t kCategory = fieldIndex(Fields, "category");
            if (!reader.productName(slots[kProductName],
                                    elementPath(array, i, kNames[kProductName]), line.name) ||
                !reader.category(slots[kCategory], elementPath(array, i, kNames[kCategory]),
                                 line.category)) {
                return false;
            }
        } else {
            line.category = catalog.hasProduct(line.product)
                                ? catalog.product(line.product).category
                                : kNoCategory;
        }
        if (!reader.price(slots[kPrice], elementPath(array, i, kNames[kPrice]), price,
                          line.price) ||
            !reader.quantity(slots[kQuantity], elementPath(array, i, kNames[kQuantity]),
                             line.quantity)) {
            return false;
        }
        sum += price * line.quantity;
    }
    if (const auto duplicate = validation::findDuplicateProduct(lines)) {
        return reader.fail(RejectReason::DuplicateProduct,
                           elementPath(array, duplicate->second, kNames[kProductId]),
                           validation::duplicateProductText(array, lines[duplicate->second].product,
                                                            duplicate->first));
    }
    return true;
}

// Reset an event for reuse, keeping its vectors' capacity.
template <typename T> std::vector<T> emptied(std::vector<T>& vector) {
    std::vector<T> kept = std::move(vector);
    kept.clear();
    return kept;
}

void reset(Transaction& event) {
    auto products = emptied(event.products);
    event = Transaction{};
    event.products = std::move(products);
}

void reset(CartEvent& event) {
    auto items = emptied(event.items);
    event = CartEvent{};
    event.items = std::move(items);
}

void reset(ProductViewEvent& event) {
    auto products = emptied(event.compare_products);
    auto names = emptied(event.compare_names);
    auto prices = emptied(event.compare_prices);
    event = ProductViewEvent{};
    event.compare_products = std::move(products);
    event.compare_names = std::move(names);
    event.compare_prices = std::move(prices);
}

bool decodeTransaction(FieldReader& reader, const Catalog& catalog, Transaction& out) {
    using event_fields::kTransactionFields;
    static constexpr auto kNames = keysOf(kTransactionFields);
    static constexpr std::size_t kTransactionId = fieldIndex(kTransactionFields, "transaction_id");
    static constexpr std::size_t kUserId = fieldIndex(kTransactionFields, "user_id");
    static constexpr std::size_t kTimestamp = fieldIndex(kTransactionFields, "timestamp");
    static constexpr std::size_t kProducts = fieldIndex(kTransactionFields, "products");
    static constexpr std::size_t kTotalAmount = fieldIndex(kTransactionFields, "total_amount");
    static constexpr std::size_t kPaymentMethod = fieldIndex(kTransactionFields, "payment_method");
    static constexpr std::size_t kCountry = fieldIndex(kTransactionFields, "country");
    Slots<kNames.size()> slots;
    collect(reader.doc(), reader.doc().root(), kNames, slots);
    reader.prefetchLookups(slots[kUserId], kAbsent, kAbsent);

    double lines_sum = 0;
    double total = 0;
    std::string_view method;
    if (!reader.eventId(slots[kTransactionId], fieldPath(kNames[kTransactionId]),
                        out.transaction_id) ||
        !reader.user(slots[kUserId], fieldPath(kNames[kUserId]), out.user) ||
        !reader.timestamp(slots[kTimestamp], fieldPath(kNames[kTimestamp]), out.timestamp) ||
        !readLines<event_fields::kTransactionLineFields>(
            reader, catalog, slots[kProducts], kNames[kProducts], out.products, lines_sum) ||
        !reader.total(slots[kTotalAmount], fieldPath(kNames[kTotalAmount]), total,
                      out.total_amount) ||
        !reader.string(slots[kPaymentMethod], fieldPath(kNames[kPaymentMethod]), method)) {
        return false;
    }
    const auto payment = parsePaymentMethod(method);
    if (!payment) {
        return reader.fail(RejectReason::UnknownPaymentMethod, fieldPath(kNames[kPaymentMethod]),
                           validation::quote(method) + " is not a known payment method");
    }
    out.payment_method = *payment;
    return reader.country(slots[kCountry], fieldPath(kNames[kCountry]), out.country) &&
           reader.addsUp(lines_sum, total, out.products, out.total_amount, kNames[kTotalAmount],
                         kNames[kProducts]);
}

// Fields shared by cart and product-view events, in the spec's order.
struct CommonSlots {
    Index event_id, event_type, timestamp, user_id, session_id, country;
};

template <const auto& Fields, typename Event>
bool readCommon(FieldReader& reader, const CommonSlots& slots, Event& out, std::string_view& type) {
    const auto path = [](std::size_t field) { return fieldPath(Fields[field].key); };
    return reader.eventId(slots.event_id, path(fieldIndex(Fields, "event_id")), out.event_id) &&
           reader.string(slots.event_type, path(fieldIndex(Fields, "event_type")), type) &&
           reader.timestamp(slots.timestamp, path(fieldIndex(Fields, "timestamp")),
                            out.timestamp) &&
           reader.user(slots.user_id, path(fieldIndex(Fields, "user_id")), out.user) &&
           reader.uuid(slots.session_id, path(fieldIndex(Fields, "session_id")), out.session_id) &&
           reader.country(slots.country, path(fieldIndex(Fields, "country")), out.country);
}

bool decodeCart(FieldReader& reader, const Catalog& catalog, CartEvent& out) {
    using event_fields::kCartEventFields;
    static constexpr auto kNames = keysOf(kCartEventFields);
    static constexpr std::size_t kEventId = fieldIndex(kCartEventFields, "event_id");
    static constexpr std::size_t kEventType = fieldIndex(kCartEventFields, "event_type");
    static constexpr std::size_t kTimestamp = fieldIndex(kCartEventFields, "timestamp");
    static constexpr std::size_t kUserId = fieldIndex(kCartEventFields, "user_id");
    static constexpr std::size_t kSessionId = fieldIndex(kCartEventFields, "session_id");
    static constexpr std::size_t kCountry = fieldIndex(kCartEventFields, "country");
    static constexpr std::size_t kProductId = fieldIndex(kCartEventFields, "product_id");
    static constexpr std::size_t kProductName = fieldIndex(kCartEventFields, "product_name");
    static constexpr std::size_t kCategory = fieldIndex(kCartEventFields, "category");
    static constexpr std::size_t kPrice = fieldIndex(kCartEventFields, "price");
    static constexpr std::size_t kQuantity = fieldIndex(kCartEventFields, "quantity");
    static constexpr std::size_t kOldQuantity = fieldIndex(kCartEventFields, "old_quantity");
    static constexpr std::size_t kNewQuantity = fieldIndex(kCartEventFields, "new_quantity");
    static constexpr std::size_t kCartSize = fieldIndex(kCartEventFields, "cart_size");
    static constexpr std::size_t kCartValue = fieldIndex(kCartEventFields, "cart_value");
    static constexpr std::size_t kItems = fieldIndex(kCartEventFields, "items");
    static constexpr std::size_t kTotalItems = fieldIndex(kCartEventFields, "total_items");
    static constexpr std::size_t kTotalValue = fieldIndex(kCartEventFields, "total_value");
    Slots<kNames.size()> slots;
    collect(reader.doc(), reader.doc().root(), kNames, slots);
    reader.prefetchLookups(slots[kUserId], slots[kProductId], slots[kProductName]);

    std::string_view type_name;
    if (!readCommon<kCartEventFields>(reader,
                                      {slots[kEventId], slots[kEventType], slots[kTimestamp],
                                       slots[kUserId], slots[kSessionId], slots[kCountry]},
                                      out, type_name)) {
        return false;
    }
    const auto type = parseCartEventType(type_name);
    if (!type) {
        return reader.fail(RejectReason::UnknownEventType, fieldPath(kNames[kEventType]),
                           validation::quote(type_name) + " is not a cart event type");
    }
    out.event_type = *type;

    if (out.event_type == CartEventType::Checkout) {
        double items_sum = 0;
        double total_value = 0;
        if (!readLines<event_fields::kCheckoutItemFields>(reader, catalog, slots[kItems],
                                                          kNames[kItems], out.items, items_sum) ||
            !reader.count(slots[kTotalItems], fieldPath(kNames[kTotalItems]), kMaxCount,
                          out.total_items) ||
            !reader.total(slots[kTotalValue], fieldPath(kNames[kTotalValue]), total_value,
                          out.total_value)) {
            return false;
        }
        // The original producer left cart_value out of checkouts; it equals total_value.
        double cart_value = total_value;
        out.cart_value = out.total_value;
        if (slots[kCartValue] != kAbsent &&
            !reader.total(slots[kCartValue], fieldPath(kNames[kCartValue]), cart_value,
                          out.cart_value)) {
            return false;
        }
        return reader.count(slots[kCartSize], fieldPath(kNames[kCartSize]), kMaxCount,
                            out.cart_size) &&
               reader.addsUp(items_sum, total_value, out.items, out.total_value,
                             kNames[kTotalValue], kNames[kItems]) &&
               reader.sameTotal(cart_value, total_value, out.cart_value, out.total_value);
    }

    double price = 0;
    if (!reader.product(slots[kProductId], fieldPath(kNames[kProductId]), out.product) ||
        !reader.productName(slots[kProductName], fieldPath(kNames[kProductName]),
                            out.product_name) ||
        !reader.category(slots[kCategory], fieldPath(kNames[kCategory]), out.category) ||
        !reader.price(slots[kPrice], fieldPath(kNames[kPrice]), price, out.price)) {
        return false;
    }
    if (out.event_type == CartEventType::UpdateQuantity) {
        if (!reader.quantity(slots[kOldQuantity], fieldPath(kNames[kOldQuantity]),
                             out.old_quantity) ||
            !reader.quantity(slots[kNewQuantity], fieldPath(kNames[kNewQuantity]),
                             out.new_quantity)) {
            return false;
        }
    } else if (!reader.quantity(slots[kQuantity], fieldPath(kNames[kQuantity]), out.quantity)) {
        return false;
    }
    double cart_value = 0;
    if (!reader.count(slots[kCartSize], fieldPath(kNames[kCartSize]), kMaxCount, out.cart_size) ||
        !reader.total(slots[kCartValue], fieldPath(kNames[kCartValue]), cart_value,
                      out.cart_value)) {
        return false;
    }
    if (out.event_type == CartEventType::UpdateQuantity && out.old_quantity == out.new_quantity) {
        return reader.fail(RejectReason::UpdateSameQuantity, fieldPath(kNames[kNewQuantity]),
                           "equals old_quantity (" + numberText(out.new_quantity) + ")");
    }
    return true;
}

bool decodeCompare(FieldReader& reader, Index ids_node, Index names_node, Index prices_node,
                   Index category_node, ProductViewEvent& out) {
    using event_fields::kProductViewFields;
    static constexpr auto kNames = keysOf(kProductViewFields);
    static constexpr std::size_t kProductIds = fieldIndex(kProductViewFields, "product_ids");
    static constexpr std::size_t kProductNames = fieldIndex(kProductViewFields, "product_names");
    static constexpr std::size_t kPrices = fieldIndex(kProductViewFields, "prices");
    static constexpr std::size_t kCategory = fieldIndex(kProductViewFields, "category");
    const Document& doc = reader.doc();
    std::uint32_t id_count = 0;
    std::uint32_t name_count = 0;
    std::uint32_t price_count = 0;
    if (!reader.array(ids_node, fieldPath(kNames[kProductIds]), id_count)) {
        return false;
    }
    out.compare_products.resize(id_count);
    Index element = doc.firstChild(ids_node);
    for (std::size_t i = 0; i < id_count; ++i, element = doc.next(element)) {
        if (!reader.product(element, elementPath(kNames[kProductIds], i),
                            out.compare_products[i])) {
            return false;
        }
    }
    if (!reader.array(names_node, fieldPath(kNames[kProductNames]), name_count)) {
        return false;
    }
    out.compare_names.resize(name_count);
    element = doc.firstChild(names_node);
    for (std::size_t i = 0; i < name_count; ++i, element = doc.next(element)) {
        if (!reader.productName(element, elementPath(kNames[kProductNames], i),
                                out.compare_names[i])) {
            return false;
        }
    }
    if (!reader.array(prices_node, fieldPath(kNames[kPrices]), price_count)) {
        return false;
    }
    out.compare_prices.resize(price_count);
    element = doc.firstChild(prices_node);
    for (std::size_t i = 0; i < price_count; ++i, element = doc.next(element)) {
        double exact = 0;
        if (!reader.price(element, elementPath(kNames[kPrices], i), exact, out.compare_prices[i])) {
            return false;
        }
    }
    std::string_view category;
    if (!reader.string(category_node, fieldPath(kNames[kCategory]), category)) {
        return false;
    }
    if (category == "mixed") {
        out.category = kMixedCategory;
    } else if (!reader.categoryName(category, fieldPath(kNames[kCategory]), out.category)) {
        return false;
    }
    if (id_count < 2) {
        return reader.fail(RejectReason::CompareTooFewProducts, fieldPath(kNames[kProductIds]),
                           numberText(id_count) + " product(s), a compare needs at least 2");
    }
    if (name_count != id_count || price_count != id_count) {
        const bool names_wrong = name_count != id_count;
        return reader.fail(RejectReason::CompareArraysMismatch,
                           fieldPath(names_wrong ? "product_names" : "prices"),
                           numberText(names_wrong ? name_count : price_count) + " entries for " +
                               numberText(id_count) + " product_ids");
    }
    return true;
}

bool decodeView(FieldReader& reader, ProductViewEvent& out) {
    using event_fields::kProductViewFields;
    static constexpr auto kNames = keysOf(kProductViewFields);
    static constexpr std::size_t kEventId = fieldIndex(kProductViewFields, "event_id");
    static constexpr std::size_t kEventType = fieldIndex(kProductViewFields, "event_type");
    static constexpr std::size_t kTimestamp = fieldIndex(kProductViewFields, "timestamp");
    static constexpr std::size_t kUserId = fieldIndex(kProductViewFields, "user_id");
    static constexpr std::size_t kSessionId = fieldIndex(kProductViewFields, "session_id");
    static constexpr std::size_t kCountry = fieldIndex(kProductViewFields, "country");
    static constexpr std::size_t kProductId = fieldIndex(kProductViewFields, "product_id");
    static constexpr std::size_t kProductName = fieldIndex(kProductViewFields, "product_name");
    static constexpr std::size_t kCategory = fieldIndex(kProductViewFields, "category");
    static constexpr std::size_t kPrice = fieldIndex(kProductViewFields, "price");
    static constexpr std::size_t kViewDuration = fieldIndex(kProductViewFields, "view_duration");
    static constexpr std::size_t kFromSearch = fieldIndex(kProductViewFields, "from_search");
    static constexpr std::size_t kSearchQuery = fieldIndex(kProductViewFields, "search_query");
    static constexpr std::size_t kPreviouslyViewed =
        fieldIndex(kProductViewFields, "previously_viewed_count");
    static constexpr std::size_t kResultsCount = fieldIndex(kProductViewFields, "results_count");
    static constexpr std::size_t kFilterCategory =
        fieldIndex(kProductViewFields, "filter_category");
    static constexpr std::size_t kMinPrice = fieldIndex(kProductViewFields, "min_price");
    static constexpr std::size_t kMaxPrice = fieldIndex(kProductViewFields, "max_price");
    static constexpr std::size_t kProductIds = fieldIndex(kProductViewFields, "product_ids");
    static constexpr std::size_t kProductNames = fieldIndex(kProductViewFields, "product_names");
    static constexpr std::size_t kPrices = fieldIndex(kProductViewFields, "prices");
    Slots<kNames.size()> slots;
    const Document& doc = reader.doc();
    collect(doc, doc.root(), kNames, slots);
    reader.prefetchLookups(slots[kUserId], slots[kProductId], slots[kProductName]);

    std::string_view type_name;
    if (!readCommon<kProductViewFields>(reader,
                                        {slots[kEventId], slots[kEventType], slots[kTimestamp],
                                         slots[kUserId], slots[kSessionId], slots[kCountry]},
                                        out, type_name)) {
        return false;
    }
    const auto type = parseViewEventType(type_name);
    if (!type) {
        return reader.fail(RejectReason::UnknownEventType, fieldPath(kNames[kEventType]),
                           validation::quote(type_name) + " is not a product-view event type");
    }
    out.event_type = *type;
    const FieldPath query_path = fieldPath(kNames[kSearchQuery]);

    switch (out.event_type) {
    case ViewEventType::View: {
        double price = 0;
        if (!reader.product(slots[kProductId], fieldPath(kNames[kProductId]), out.product) ||
            !reader.productName(slots[kProductName], fieldPath(kNames[kProductName]),
                                out.product_name) ||
            !reader.category(slots[kCategory], fieldPath(kNames[kCategory]), out.category) ||
            !reader.price(slots[kPrice], fieldPath(kNames[kPrice]), price, out.price) ||
            !reader.count(slots[kViewDuration], fieldPath(kNames[kViewDuration]),
                          kMaxViewDurationSeconds, out.view_duration) ||
            !reader.boolean(slots[kFromSearch], fieldPath(kNames[kFromSearch]), out.from_search) ||
            !reader.present(slots[kSearchQuery], query_path)) {
            return false;
        }
        const Index query = slots[kSearchQuery];
        if (doc.type(query) != Type::Null) {
            std::string_view text;
            if (!reader.string(query, query_path, text) || !reader.queryText(text, query_path)) {
                return false;
            }
            // A view carries no query unless it came from a search; blank means none.
            if (!validation::isBlank(text)) {
                out.search_query = QueryTable::global().intern(text);
            }
        }
        return reader.count(slots[kPreviouslyViewed], fieldPath(kNames[kPreviouslyViewed]),
                            kMaxCount, out.previously_viewed_count);
    }
    case ViewEventType::Search: {
        std::string_view text;
        if (!reader.string(slots[kSearchQuery], query_path, text)) {
            return false;
        }
        if (validation::isBlank(text)) {
            return reader.fail(RejectReason::EmptySearchQuery, query_path, "empty");
        }
        if (!reader.queryText(text, query_path)) {
            return false;
        }
        out.search_query = QueryTable::global().intern(text);
        return reader.count(slots[kResultsCount], fieldPath(kNames[kResultsCount]), kMaxCount,
                            out.results_count);
    }
    case ViewEventType::Filter: {
        const FieldPath category_path = fieldPath(kNames[kFilterCategory]);
        if (!reader.present(slots[kFilterCategory], category_path)) {
            return false;
        }
        if (doc.type(slots[kFilterCategory]) != Type::Null &&
            !reader.category(slots[kFilterCategory], category_path, out.filter_category)) {
            return false;
        }
        return reader.priceBand(slots[kMinPrice], slots[kMaxPrice], out) &&
               reader.count(slots[kResultsCount], fieldPath(kNames[kResultsCount]), kMaxCount,
                            out.results_count);
    }
    case ViewEventType::Compare:
        return decodeCompare(reader, slots[kProductIds], slots[kProductNames], slots[kPrices],
                             slots[kCategory], out);
    }
    return true;
}

} // namespace

EventDecoder::EventDecoder(const Catalog& catalog, DecodeOptions options)
    : catalog_(catalog), options_(options), horizon_(options.max_time_ahead, options.wall_clock) {}

std::optional<Rejection> EventDecoder::parse(std::string_view payload) {
    const FieldPath path = fieldPath("payload");
    if (payload.empty()) {
        return validation::reject(RejectReason::EmptyPayload, path, "empty");
    }
    if (payload.size() > options_.max_payload_bytes) {
        return validation::reject(RejectReason::PayloadTooLarge, path,
                                  numberText(std::int64_t(payload.size())) +
                                      " bytes, above the limit of " +
                                      numberText(std::int64_t(options_.max_payload_bytes)));
    }
    if (document_.parse(payload, {options_.max_payload_bytes, options_.max_depth})) {
        if (document_.type(document_.root()) != Type::Object) {
            return validation::reject(
                RejectReason::NotAnObject, path,
                "a JSON " + std::string(json::typeName(document_.type(document_.root()))) +
                    ", not an object");
        }
        return std::nullopt;
    }
    const std::string where = "offset " + numberText(std::int64_t(document_.errorOffset())) + ": " +
                              std::string(document_.errorMessage());
    switch (document_.error()) {
    case json::ParseError::Empty:
        return validation::reject(RejectReason::EmptyPayload, path, "only whitespace");
    case json::ParseError::TooLarge:
        return validation::reject(RejectReason::PayloadTooLarge, path, where);
    case json::ParseError::InvalidUtf8:
        return validation::reject(RejectReason::InvalidUtf8, path, where);
    case json::ParseError::None:
    case json::ParseError::Malformed:
    case json::ParseError::TooDeep:
        break;
    }
    return validation::reject(RejectReason::MalformedJson, path, where);
}

template <typename Event> constexpr EventKind kindOf() {
    if constexpr (std::is_same_v<Event, Transaction>) {
        return EventKind::Transaction;
    } else if constexpr (std::is_same_v<Event, CartEvent>) {
        return EventKind::Cart;
    } else {
        return EventKind::ProductView;
    }
}

template <typename Event, typename DecodeFields>
std::optional<Rejection> EventDecoder::decodeWith(std::string_view payload, Event& out,
                                                  DecodeFields decode_fields) {
    if (auto rejection = parse(payload)) {
        return rejection;
    }
    reset(out);
    std::optional<Rejection> rejection;
    FieldReader reader(document_, catalog_, rejection);
    if (id_seen_ != nullptr) {
        reader.watchEventIds(id_seen_, id_context_, kindOf<Event>());
    }
    decode_fields(reader, out);
    if (!rejection) {
        // Last, so that only a valid event is judged by its time, and only one accepted moves
        // the reference.
        rejection = horizon_.check(out.timestamp);
        if (!rejection) {
            horizon_.accept(out.timestamp);
        }
    }
    return rejection;
}

std::optional<Rejection> EventDecoder::decode(std::string_view payload, Transaction& out) {
    return decodeWith(payload, out, [this](FieldReader& reader, Transaction& event) {
        decodeTransaction(reader, catalog_, event);
    });
}

std::optional<Rejection> EventDecoder::decode(std::string_view payload, CartEvent& out) {
    return decodeWith(payload, out, [this](FieldReader& reader, CartEvent& event) {
        decodeCart(reader, catalog_, event);
    });
}

std::optional<Rejection> EventDecoder::decode(std::string_view payload, ProductViewEvent& out) {
    return decodeWith(payload, out, [](FieldReader& reader, ProductViewEvent& event) {
        decodeView(reader, event);
    });
}

DecodeResult EventDecoder::decode(EventKind kind, std::string_view payload) {
    const auto finish = [&](auto event) -> DecodeResult {
        if (auto rejection = decode(payload, event)) {
            return std::move(*rejection);
        }
        return event;
    };
    switch (kind) {
    case EventKind::ProductView:
        return finish(ProductViewEvent{});
    case EventKind::Cart:
        return finish(CartEvent{});
    case EventKind::Transaction:
        return finish(Transaction{});
    }
    return Rejection{RejectReason::MalformedJson, "kind: unknown event kind"};
}

DecodeResult decode(EventKind kind, std::string_view payload, const Catalog& catalog,
                    const DecodeOptions& options) {
    EventDecoder decoder(catalog, options);
    return decoder.decode(kind, payload);
}

} // namespace gm
