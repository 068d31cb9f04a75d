// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/event_encoder.h"

#include "generator/catalog.h"
#include "generator/event_fields.h"
#include "generator/id_dictionary.h"
#include "generator/json_writer.h"
#include "generator/search_queries.h"

namespace gm {
namespace {

using TransactionKeys = json::Members<event_fields::kTransactionFields>;
using LineKeys = json::Members<event_fields::kTransactionLineFields>;
using CartKeys = json::Members<event_fields::kCartEventFields>;
using ItemKeys = json::Members<event_fields::kCheckoutItemFields>;
using ViewKeys = json::Members<event_fields::kProductViewFields>;

// Vocabulary names (countries, payment methods, categories) contain nothing that needs escaping,
// so they are copied without the scan appendString does.
void appendQuoted(std::string& out, std::string_view known_safe) {
    out.push_back('"');
    out.append(known_safe);
    out.push_back('"');
}

// Out-of-range enums can only come from a broken struct; write something the decoder rejects
// rather than reading past a table.
void appendCountry(std::string& out, Country country) {
    if (static_cast<int>(country) < countryCount()) {
        appendQuoted(out, countryName(country));
    } else {
        json::appendNull(out);
    }
}

void appendCategory(std::string& out, CategoryId category) {
    if (category < categoryCount()) {
        appendQuoted(out, categoryName(category));
    } else {
        json::appendNull(out);
    }
}

void appendQuery(std::string& out, QueryId query) {
    const QueryTable& table = QueryTable::global();
    if (query < table.size()) {
        json::appendString(out, table.text(query));
    } else {
        json::appendNull(out);
    }
}

} // namespace

EventEncoder::EventEncoder(const Catalog& catalog) : catalog_(catalog) {
    const std::uint32_t count = catalog.productCount();
    name_offsets_.reserve(std::size_t{count} + 1);
    names_.reserve(std::size_t{count} * 24);
    std::string quoted;
    for (ProductId product = 0; product < count; ++product) {
        name_offsets_.push_back(static_cast<std::uint32_t>(names_.size()));
        quoted.clear();
        json::appendString(quoted, catalog.productName(product));
        names_.append(quoted, 1, quoted.size() - 2);
    }
    name_offsets_.push_back(static_cast<std::uint32_t>(names_.size()));
}

std::string_view EventEncoder::escapedName(ProductId product) const {
    if (product + std::size_t{1} >= name_offsets_.size()) {
        return {};
    }
    const std::uint32_t begin = name_offsets_[product];
    return std::string_view(names_).substr(begin, name_offsets_[product + 1] - begin);
}

void EventEncoder::appendName(ProductId product, NameId name, std::string& out) const {
    // The name the event came with; the catalog's for a generated event.
    if (name != kNoName) {
        json::appendString(out, productNames().text(name));
        return;
    }
    appendQuoted(out, escapedName(product));
}

template <typename Members>
void EventEncoder::appendCommon(const Uuid& event_id, std::string_view type, TimestampUs timestamp,
                                UserId user, const Uuid& session_id, Country country,
                                std::string& out) const {
    out.append(Members::open("event_id"));
    json::appendUuid(out, event_id);
    out.append(Members::next("event_type"));
    appendQuoted(out, type);
    out.append(Members::next("timestamp"));
    json::appendTimestamp(out, timestamp);
    out.append(Members::next("user_id"));
    json::appendUserId(out, user);
    out.append(Members::next("session_id"));
    json::appendUuid(out, session_id);
    out.append(Members::next("country"));
    appendCountry(out, country);
}

void EventEncoder::append(const Transaction& transaction, std::string& out) const {
    out.append(TransactionKeys::open("transaction_id"));
    json::appendUuid(out, transaction.transaction_id);
    out.append(TransactionKeys::next("user_id"));
    json::appendUserId(out, transaction.user);
    out.append(TransactionKeys::next("timestamp"));
    json::appendTimestamp(out, transaction.timestamp);
    out.append(TransactionKeys::next("products"));
    out.push_back('[');
    bool first = true;
    for (const OrderLine& line : transaction.products) {
        out.append(first ? LineKeys::open("product_id") : LineKeys::nextOpen("product_id"));
        first = false;
        json::appendProductId(out, line.product);
        out.append(LineKeys::next("quantity"));
        json::appendUnsigned(out, line.quantity);
        out.append(LineKeys::next("price"));
        json::appendCents(out, line.price);
        out.push_back('}');
    }
    out.push_back(']');
    out.append(TransactionKeys::next("total_amount"));
    json::appendCents(out, transaction.total_amount);
    out.append(TransactionKeys::next("payment_method"));
    if (static_cast<int>(transaction.payment_method) < paymentMethodCount()) {
        appendQuoted(out, paymentMethodName(transaction.payment_method));
    } else {
        json::appendNull(out);
    }
    out.append(TransactionKeys::next("country"));
    appendCountry(out, transaction.country);
    out.push_back('}');
}

template <typename Members>
void EventEncoder::appendProductFields(ProductId product, NameId name, CategoryId category,
                                       Cents price, std::string& out) const {
    out.append(Members::first("product_id"));
    json::appendProductId(out, product);
    out.append(Members::next("product_name"));
    appendName(product, name, out);
    out.append(Members::next("category"));
    appendCategory(out, category);
    out.append(Members::next("price"));
    json::appendCents(out, price);
}

void EventEncoder::appendCartItem(const CartEvent& event, std::string& out) const {
    out.push_back(',');
    appendProductFields<CartKeys>(event.product, event.product_name, event.category, event.price,
                                  out);
    if (event.event_type == CartEventType::UpdateQuantity) {
        out.append(CartKeys::next("old_quantity"));
        json::appendUnsigned(out, event.old_quantity);
        out.append(CartKeys::next("new_quantity"));
        json::appendUnsigned(out, event.new_quantity);
    } else {
        out.append(CartKeys::next("quantity"));
        json::appendUnsigned(out, event.quantity);
    }
    out.append(CartKeys::next("cart_size"));
    json::appendUnsigned(out, event.cart_size);
    out.append(CartKeys::next("cart_value"));
    json::appendCents(out, event.cart_value);
}

void EventEncoder::appendCheckout(const CartEvent& event, std::string& out) const {
    out.append(CartKeys::next("items"));
    out.push_back('[');
    bool first = true;
    for (const OrderLine& line : event.items) {
        out.append(first ? "{" : ",{");
        first = false;
        appendProductFields<ItemKeys>(line.product, line.name, line.category, line.price, out);
        out.append(ItemKeys::next("quantity"));
        json::appendUnsigned(out, line.quantity);
        out.push_back('}');
    }
    out.push_back(']');
    out.append(CartKeys::next("total_items"));
    json::appendUnsigned(out, event.total_items);
    out.append(CartKeys::next("total_value"));
    json::appendCents(out, event.total_value);
    out.append(CartKeys::next("cart_value"));
    json::appendCents(out, event.cart_value);
    out.append(CartKeys::next("cart_size"));
    json::appendUnsigned(out, event.cart_size);
}

void EventEncoder::append(const CartEvent& event, std::string& out) const {
    const bool known_type = static_cast<int>(event.event_type) < kCartEventTypeCount;
    appendCommon<CartKeys>(event.event_id, known_type ? cartEventTypeName(event.event_type) : "?",
                           event.timestamp, event.user, event.session_id, event.country, out);
    if (event.event_type == CartEventType::Checkout) {
        appendCheckout(event, out);
    } else if (known_type) {
        appendCartItem(event, out);
    }
    out.push_back('}');
}

void EventEncoder::append(const ProductViewEvent& event, std::string& out) const {
    const bool known_type = static_cast<int>(event.event_type) < kViewEventTypeCount;
    appendCommon<ViewKeys>(event.event_id, known_type ? viewEventTypeName(event.event_type) : "?",
                           event.timestamp, event.user, event.session_id, event.country, out);
    switch (event.event_type) {
    case ViewEventType::View:
        out.append(ViewKeys::next("product_id"));
        json::appendProductId(out, event.product);
        out.append(ViewKeys::next("product_name"));
        appendName(event.product, event.product_name, out);
        out.append(ViewKeys::next("category"));
        appendCategory(out, event.category);
        out.append(ViewKeys::next("price"));
        json::appendCents(out, event.price);
        out.append(ViewKeys::next("view_duration"));
        json::appendUnsigned(out, event.view_duration);
        out.append(ViewKeys::next("from_search"));
        json::appendBool(out, event.from_search);
        out.append(ViewKeys::next("search_query"));
        appendQuery(out, event.search_query);
        out.append(ViewKeys::next("previously_viewed_count"));
        json::appendUnsigned(out, event.previously_viewed_count);
        break;
    case ViewEventType::Search:
        out.append(ViewKeys::next("search_query"));
        if (event.search_query == kNoQuery) {
            out.append(R"("")"); // the struct's own fault, kept visible as an empty query
        } else {
            appendQuery(out, event.search_query);
        }
        out.append(ViewKeys::next("results_count"));
        json::appendUnsigned(out, event.results_count);
        break;
    case ViewEventType::Filter:
        out.append(ViewKeys::next("filter_category"));
        appendCategory(out, event.filter_category);
        out.append(ViewKeys::next("min_price"));
        if (event.has_price_range) {
            json::appendCents(out, event.min_price);
        } else {
            json::appendNull(out);
        }
        out.append(ViewKeys::next("max_price"));
        if (event.has_price_range) {
            json::appendCents(out, event.max_price);
        } else {
            json::appendNull(out);
        }
        out.append(ViewKeys::next("results_count"));
        json::appendUnsigned(out, event.results_count);
        break;
    case ViewEventType::Compare: {
        out.append(ViewKeys::next("product_ids"));
        out.push_back('[');
        for (std::size_t i = 0; i < event.compare_products.size(); ++i) {
            if (i > 0) {
                out.push_back(',');
            }
            json::appendProductId(out, event.compare_products[i]);
        }
        out.push_back(']');
        out.append(ViewKeys::next("product_names"));
        out.push_back('[');
        for (std::size_t i = 0; i < event.compare_products.size(); ++i) {
            if (i > 0) {
                out.push_back(',');
            }
            appendName(event.compare_products[i],
                       i < event.compare_names.size() ? event.compare_names[i] : kNoName, out);
        }
        out.push_back(']');
        out.append(ViewKeys::next("prices"));
        out.push_back('[');
        for (std::size_t i = 0; i < event.compare_prices.size(); ++i) {
            if (i > 0) {
                out.push_back(',');
            }
            json::appendCents(out, event.compare_prices[i]);
        }
        out.push_back(']');
        out.append(ViewKeys::next("category"));
        if (event.category == kMixedCategory) {
            out.append(R"("mixed")");
        } else {
            appendCategory(out, event.category);
        }
        break;
    }
    }
    out.push_back('}');
}

} // namespace gm
