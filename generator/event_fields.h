// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

// The fields of the three event streams of docs/events.md, described once: per field its JSON
// key, the raw-event table column that stores it (sql/migrations/0003_raw_events.sql) with its SQL
// type, whether it is required, and which event types carry it. The encoder writes its keys from
// here (json::Members), the decoder looks fields up by them (keysOf, fieldIndex), and the raw-event
// tables take their names, column order and COPY layout from them (raw_event_tables.cpp).
// tests/db/tst_event_fields compares the tables with the migrated database and
// tests/generator/tst_event_fields the encoder's keys with the descriptions.
//
// Everything is constexpr: the hot paths index compile-time arrays, never a map, and a field
// named in code but missing here (fieldIndex) is a compile error.
namespace gm::event_fields {

// The SQL types of the raw-event columns.
enum class FieldType : std::uint8_t {
    Uuid,
    Text,
    Timestamptz,
    Money, // numeric(12,2)
    Integer,
    Boolean,
    Json,       // jsonb: the checkout's items, as sent (re-encoded)
    TextArray,  // text[]
    MoneyArray, // numeric(12,2)[]
    Lines,      // an array of objects stored in a table of its own (transaction_items)
};

// As the migrations write it.
constexpr std::string_view sqlTypeName(FieldType type) {
    switch (type) {
    case FieldType::Uuid:
        return "uuid";
    case FieldType::Text:
        return "text";
    case FieldType::Timestamptz:
        return "timestamptz";
    case FieldType::Money:
        return "numeric(12,2)";
    case FieldType::Integer:
        return "integer";
    case FieldType::Boolean:
        return "boolean";
    case FieldType::Json:
        return "jsonb";
    case FieldType::TextArray:
        return "text[]";
    case FieldType::MoneyArray:
        return "numeric(12,2)[]";
    case FieldType::Lines:
        break;
    }
    return {};
}

// As PostgreSQL's format_type() prints it (what the schema check compares).
constexpr std::string_view formattedTypeName(FieldType type) {
    return type == FieldType::Timestamptz ? "timestamp with time zone" : sqlTypeName(type);
}

enum class Required : std::uint8_t {
    // In every event of the stream, never null; the column is NOT NULL.
    Always,
    // Required in the event types that carry the field; NULL in the other types' rows. Where
    // docs/events.md says "or null" (search_query of a view, filter_category, min_price,
    // max_price) the value may be null. A checkout without cart_value is read as one with
    // cart_value = total_value (the original producer left it out).
    ByType,
};

enum class Key : bool { No, Yes };

// The event types carrying a field, one bit per type of the stream (typeBit).
using TypeSet = std::uint8_t;
inline constexpr TypeSet kEveryType = 0xFF;
constexpr TypeSet typeBit(CartEventType type) {
    return static_cast<TypeSet>(1u << static_cast<unsigned>(type));
}
constexpr TypeSet typeBit(ViewEventType type) {
    return static_cast<TypeSet>(1u << static_cast<unsigned>(type));
}

struct EventField {
    std::string_view key; // the JSON key
    std::string_view
        column; // the raw-table column; empty: no column (stored in a table of its own)
    FieldType type;
    Required required;
    Key primary_key;
    TypeSet types = kEveryType;
};

namespace detail {
inline constexpr TypeSet kAdd = typeBit(CartEventType::AddToCart);
inline constexpr TypeSet kRemove = typeBit(CartEventType::RemoveFromCart);
inline constexpr TypeSet kUpdate = typeBit(CartEventType::UpdateQuantity);
inline constexpr TypeSet kCheckout = typeBit(CartEventType::Checkout);
inline constexpr TypeSet kCartItem = kAdd | kRemove | kUpdate;
inline constexpr TypeSet kCartAll = kCartItem | kCheckout;
inline constexpr TypeSet kView = typeBit(ViewEventType::View);
inline constexpr TypeSet kSearch = typeBit(ViewEventType::Search);
inline constexpr TypeSet kFilter = typeBit(ViewEventType::Filter);
inline constexpr TypeSet kCompare = typeBit(ViewEventType::Compare);
inline constexpr TypeSet kViewAll = kView | kSearch | kFilter | kCompare;
using enum FieldType;
using enum Required;
} // namespace detail

// Transactions (`transactions` topic), in the order producers write them. Table `transactions`
// holds every field but `products`, whose lines go to `transaction_items`.
inline constexpr std::array kTransactionFields{
    EventField{"transaction_id", "transaction_id", detail::Uuid, detail::Always, Key::Yes},
    EventField{"user_id", "user_id", detail::Text, detail::Always, Key::No},
    EventField{"timestamp", "timestamp", detail::Timestamptz, detail::Always, Key::No},
    EventField{"products", "", detail::Lines, detail::Always, Key::No},
    EventField{"total_amount", "total_amount", detail::Money, detail::Always, Key::No},
    EventField{"payment_method", "payment_method", detail::Text, detail::Always, Key::No},
    EventField{"country", "country", detail::Text, detail::Always, Key::No},
};

// One element of a transaction's `products`. Table `transaction_items`: the transaction's
// transaction_id (kTransactionLineParent) first, then these.
inline constexpr std::array kTransactionLineFields{
    EventField{"product_id", "product_id", detail::Text, detail::Always, Key::Yes},
    EventField{"quantity", "quantity", detail::Integer, detail::Always, Key::No},
    EventField{"price", "unit_price", detail::Money, detail::Always, Key::No},
};
inline constexpr EventField kTransactionLineParent = kTransactionFields[0];

// Cart events (`cart-events` topic); table `cart_events`.
inline constexpr std::array kCartEventFields{
    EventField{"event_id", "event_id", detail::Uuid, detail::Always, Key::Yes},
    EventField{"event_type", "event_type", detail::Text, detail::Always, Key::No},
    EventField{"timestamp", "timestamp", detail::Timestamptz, detail::Always, Key::No},
    EventField{"user_id", "user_id", detail::Text, detail::Always, Key::No},
    EventField{"session_id", "session_id", detail::Uuid, detail::Always, Key::No},
    EventField{"country", "country", detail::Text, detail::Always, Key::No},
    EventField{"product_id", "product_id", detail::Text, detail::ByType, Key::No,
               detail::kCartItem},
    EventField{"product_name", "product_name", detail::Text, detail::ByType, Key::No,
               detail::kCartItem},
    EventField{"category", "category", detail::Text, detail::ByType, Key::No, detail::kCartItem},
    EventField{"price", "price", detail::Money, detail::ByType, Key::No, detail::kCartItem},
    EventField{"quantity", "quantity", detail::Integer, detail::ByType, Key::No,
               detail::kAdd | detail::kRemove},
    EventField{"old_quantity", "old_quantity", detail::Integer, detail::ByType, Key::No,
               detail::kUpdate},
    EventField{"new_quantity", "new_quantity", detail::Integer, detail::ByType, Key::No,
               detail::kUpdate},
    EventField{"cart_size", "cart_size", detail::Integer, detail::ByType, Key::No,
               detail::kCartAll},
    EventField{"cart_value", "cart_value", detail::Money, detail::ByType, Key::No,
               detail::kCartAll},
    EventField{"items", "items", detail::Json, detail::ByType, Key::No, detail::kCheckout},
    EventField{"total_items", "total_items", detail::Integer, detail::ByType, Key::No,
               detail::kCheckout},
    EventField{"total_value", "total_value", detail::Money, detail::ByType, Key::No,
               detail::kCheckout},
};

// One element of a checkout's `items` (stored in the jsonb column `items` as these keys).
inline constexpr std::array kCheckoutItemFields{
    EventField{"product_id", "", detail::Text, detail::Always, Key::No},
    EventField{"product_name", "", detail::Text, detail::Always, Key::No},
    EventField{"category", "", detail::Text, detail::Always, Key::No},
    EventField{"price", "", detail::Money, detail::Always, Key::No},
    EventField{"quantity", "", detail::Integer, detail::Always, Key::No},
};

// Product-view events (`product-views` topic); table `product_view_events`.
inline constexpr std::array kProductViewFields{
    EventField{"event_id", "event_id", detail::Uuid, detail::Always, Key::Yes},
    EventField{"event_type", "event_type", detail::Text, detail::Always, Key::No},
    EventField{"timestamp", "timestamp", detail::Timestamptz, detail::Always, Key::No},
    EventField{"user_id", "user_id", detail::Text, detail::Always, Key::No},
    EventField{"session_id", "session_id", detail::Uuid, detail::Always, Key::No},
    EventField{"country", "country", detail::Text, detail::Always, Key::No},
    EventField{"product_id", "product_id", detail::Text, detail::ByType, Key::No, detail::kView},
    EventField{"product_name", "product_name", detail::Text, detail::ByType, Key::No,
               detail::kView},
    EventField{"category", "category", detail::Text, detail::ByType, Key::No,
               detail::kView | detail::kCompare},
    EventField{"price", "price", detail::Money, detail::ByType, Key::No, detail::kView},
    EventField{"view_duration", "view_duration", detail::Integer, detail::ByType, Key::No,
               detail::kView},
    EventField{"from_search", "from_search", detail::Boolean, detail::ByType, Key::No,
               detail::kView},
    EventField{"search_query", "search_query", detail::Text, detail::ByType, Key::No,
               detail::kView | detail::kSearch},
    EventField{"previously_viewed_count", "previously_viewed_count", detail::Integer,
               detail::ByType, Key::No, detail::kView},
    EventField{"results_count", "results_count", detail::Integer, detail::ByType, Key::No,
               detail::kSearch | detail::kFilter},
    EventField{"filter_category", "filter_category", detail::Text, detail::ByType, Key::No,
               detail::kFilter},
    EventField{"min_price", "min_price", detail::Money, detail::ByType, Key::No, detail::kFilter},
    EventField{"max_price", "max_price", detail::Money, detail::ByType, Key::No, detail::kFilter},
    EventField{"product_ids", "product_ids", detail::TextArray, detail::ByType, Key::No,
               detail::kCompare},
    EventField{"product_names", "product_names", detail::TextArray, detail::ByType, Key::No,
               detail::kCompare},
    EventField{"prices", "prices", detail::MoneyArray, detail::ByType, Key::No, detail::kCompare},
};

// The position of the field with this JSON key; a key the description lacks does not compile.
template <std::size_t N>
consteval std::size_t fieldIndex(const std::array<EventField, N>& fields, std::string_view key) {
    for (std::size_t i = 0; i < N; ++i) {
        if (fields[i].key == key) {
            return i;
        }
    }
    throw "no event field with this JSON key"; // not a constant expression: a compile error
}

// The key itself, checked at compile time: messages that name a field (validation, the field
// reader) write fieldPath(keyOf(kCartEventFields, "price")), so a field renamed here cannot leave
// a stale name behind there.
template <std::size_t N>
consteval std::string_view keyOf(const std::array<EventField, N>& fields, std::string_view key) {
    return fields[fieldIndex(fields, key)].key;
}

// A key all three streams carry (timestamp, user_id, country), checked against each.
consteval std::string_view commonKey(std::string_view key) {
    return keyOf(kTransactionFields, key) == keyOf(kCartEventFields, key) &&
                   keyOf(kCartEventFields, key) == keyOf(kProductViewFields, key)
               ? keyOf(kTransactionFields, key)
               : throw "not a key of every stream";
}

template <std::size_t N>
constexpr bool hasField(const std::array<EventField, N>& fields, std::string_view key) {
    for (const EventField& field : fields) {
        if (field.key == key) {
            return true;
        }
    }
    return false;
}

// The JSON keys in description order, for the decoder's one-pass lookup.
template <std::size_t N>
constexpr std::array<std::string_view, N> keysOf(const std::array<EventField, N>& fields) {
    std::array<std::string_view, N> keys{};
    for (std::size_t i = 0; i < N; ++i) {
        keys[i] = fields[i].key;
    }
    return keys;
}

// One raw-event table: its name and its columns, which are `parent` (if any: the enclosing
// event's key, first) followed by the fields that have a column, in description order.
struct RawEventTable {
    std::string_view name;
    std::span<const EventField> fields;
    const EventField* parent = nullptr;

    constexpr std::size_t columnCount() const {
        std::size_t count = parent != nullptr ? 1 : 0;
        for (const EventField& field : fields) {
            count += field.column.empty() ? 0 : 1;
        }
        return count;
    }
    // The column holding the field with this JSON key (consteval: a typo does not compile).
    consteval std::size_t column(std::string_view key) const {
        if (parent != nullptr && parent->key == key) {
            return 0;
        }
        std::size_t index = parent != nullptr ? 1 : 0;
        for (const EventField& field : fields) {
            if (field.key == key) {
                if (field.column.empty()) {
                    break;
                }
                return index;
            }
            index += field.column.empty() ? 0 : 1;
        }
        throw "no raw-table column for this JSON key";
    }
    // The field stored in column `index`.
    constexpr const EventField& columnField(std::size_t index) const {
        if (parent != nullptr) {
            if (index == 0) {
                return *parent;
            }
            --index;
        }
        for (const EventField& field : fields) {
            if (!field.column.empty() && index-- == 0) {
                return field;
            }
        }
        return fields.front(); // not reached for index < columnCount()
    }
};

inline constexpr RawEventTable kTransactionsTable{"transactions", kTransactionFields};
inline constexpr RawEventTable kTransactionItemsTable{"transaction_items", kTransactionLineFields,
                                                      &kTransactionLineParent};
inline constexpr RawEventTable kCartEventsTable{"cart_events", kCartEventFields};
inline constexpr RawEventTable kProductViewEventsTable{"product_view_events", kProductViewFields};
inline constexpr std::array kRawEventTables{&kTransactionsTable, &kTransactionItemsTable,
                                            &kCartEventsTable, &kProductViewEventsTable};

} // namespace gm::event_fields
