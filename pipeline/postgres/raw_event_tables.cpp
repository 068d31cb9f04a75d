// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/raw_event_tables.h"

#include "generator/catalog.h"
#include "generator/id_dictionary.h"
#include "generator/json_writer.h"
#include "generator/search_queries.h"
#include "pipeline/postgres/copy_text.h"

namespace gm {
namespace {

TableBatch layout(std::string table, std::vector<std::string> columns,
                  std::vector<std::string> keys, ConflictAction action) {
    TableBatch batch;
    batch.table = std::move(table);
    batch.columns = std::move(columns);
    batch.key_columns = std::move(keys);
    batch.on_conflict = action;
    return batch;
}

// Vocabulary names are known to need no escaping; out-of-range enums (a broken struct) become
// NULL, which the NOT NULL columns then reject loudly instead of storing garbage.
void country(CopyTextBuilder& row, Country c) {
    if (static_cast<int>(c) < countryCount()) {
        row.preEscaped(countryName(c));
    } else {
        row.null();
    }
}

void category(CopyTextBuilder& row, CategoryId id) {
    if (id < categoryCount()) {
        row.text(categoryName(id));
    } else if (id == kMixedCategory) {
        row.preEscaped("mixed");
    } else {
        row.null();
    }
}

void query(CopyTextBuilder& row, QueryId id) {
    const QueryTable& table = QueryTable::global();
    if (id != kNoQuery && id < table.size()) {
        row.text(table.text(id));
    } else {
        row.null();
    }
}

} // namespace

RawEventBatches::RawEventBatches()
    : transactions(layout(
          "transactions",
          {"transaction_id", "user_id", "timestamp", "total_amount", "payment_method", "country"},
          {"transaction_id"}, ConflictAction::Ignore)),
      transaction_items(layout("transaction_items",
                               {"transaction_id", "product_id", "quantity", "unit_price"},
                               {"transaction_id", "product_id"}, ConflictAction::Ignore)),
      cart_events(
          layout("cart_events",
                 {"event_id", "event_type", "timestamp", "user_id", "session_id", "country",
                  "product_id", "product_name", "category", "price", "quantity", "old_quantity",
                  "new_quantity", "cart_size", "cart_value", "items", "total_items", "total_value"},
                 {"event_id"}, ConflictAction::Ignore)),
      product_view_events(layout("product_view_events", {"event_id",      "event_type",
                                                         "timestamp",     "user_id",
                                                         "session_id",    "country",
                                                         "product_id",    "product_name",
                                                         "category",      "price",
                                                         "view_duration", "from_search",
                                                         "search_query",  "previously_viewed_count",
                                                         "results_count", "filter_category",
                                                         "min_price",     "max_price",
                                                         "product_ids",   "product_names",
                                                         "prices"},
                                 {"event_id"}, ConflictAction::Ignore)) {}

std::size_t RawEventBatches::rows() const {
    return transactions.rows + transaction_items.rows + cart_events.rows + product_view_events.rows;
}

std::vector<TableBatch> RawEventBatches::take() {
    std::vector<TableBatch> out;
    for (TableBatch* batch :
         {&transactions, &transaction_items, &cart_events, &product_view_events}) {
        if (batch->rows == 0) {
            continue;
        }
        TableBatch empty =
            layout(batch->table, batch->columns, batch->key_columns, batch->on_conflict);
        out.push_back(std::move(*batch));
        *batch = std::move(empty);
    }
    return out;
}

RawEventEncoder::RawEventEncoder(const Catalog& catalog) : catalog_(catalog) {
    const std::uint32_t count = catalog.productCount();
    names_.reserve(count);
    escaped_offsets_.reserve(std::size_t{count} + 1);
    for (ProductId product = 0; product < count; ++product) {
        names_.push_back(catalog.productName(product));
        escaped_offsets_.push_back(static_cast<std::uint32_t>(escaped_names_.size()));
        CopyTextBuilder::appendEscaped(escaped_names_, names_.back());
    }
    escaped_offsets_.push_back(static_cast<std::uint32_t>(escaped_names_.size()));
}

std::string_view RawEventEncoder::escapedName(ProductId product) const {
    if (product >= names_.size()) {
        return {};
    }
    const std::uint32_t begin = escaped_offsets_[product];
    return std::string_view(escaped_names_).substr(begin, escaped_offsets_[product + 1] - begin);
}

std::string_view RawEventEncoder::plainName(ProductId product, NameId name) const {
    if (name != kNoName) {
        return productNames().text(name);
    }
    return product < names_.size() ? std::string_view(names_[product]) : std::string_view();
}

void RawEventEncoder::name(CopyTextBuilder& row, ProductId product, NameId name) const {
    // The name the event came with, as received; the catalog's for a generated event.
    if (name != kNoName) {
        row.text(productNames().text(name));
    } else {
        row.preEscaped(escapedName(product));
    }
}

RawEventBatches RawEventEncoder::encode(const EventBatch& events) const {
    RawEventBatches out;
    append(events, out);
    return out;
}

void RawEventEncoder::append(const EventBatch& events, RawEventBatches& out) const {
    // Typical row widths, so that the buffers grow once per batch rather than per row.
    out.transactions.copy_text.reserve(out.transactions.copy_text.size() +
                                       events.transactions.size() * 120);
    out.transaction_items.copy_text.reserve(out.transaction_items.copy_text.size() +
                                            events.transactions.size() * 2 * 64);
    out.cart_events.copy_text.reserve(out.cart_events.copy_text.size() + events.carts.size() * 260);
    out.product_view_events.copy_text.reserve(out.product_view_events.copy_text.size() +
                                              events.views.size() * 240);
    for (const Transaction& t : events.transactions) {
        appendTransaction(t, out);
    }
    std::string json;
    for (const CartEvent& e : events.carts) {
        appendCart(e, json, out.cart_events);
    }
    for (const ProductViewEvent& e : events.views) {
        appendView(e, out.product_view_events);
    }
}

void RawEventEncoder::appendTransaction(const Transaction& t, RawEventBatches& out) const {
    CopyTextBuilder row(out.transactions);
    row.uuid(t.transaction_id).userId(t.user).timestamp(t.timestamp).cents(t.total_amount);
    if (static_cast<int>(t.payment_method) < paymentMethodCount()) {
        row.preEscaped(paymentMethodName(t.payment_method));
    } else {
        row.null();
    }
    country(row, t.country);
    row.endRow();
    for (const OrderLine& line : t.products) {
        CopyTextBuilder item(out.transaction_items);
        item.uuid(t.transaction_id).productId(line.product).int64(line.quantity).cents(line.price);
        item.endRow();
    }
}

void RawEventEncoder::appendCart(const CartEvent& e, std::string& json, TableBatch& out) const {
    CopyTextBuilder row(out);
    const bool known = static_cast<int>(e.event_type) < kCartEventTypeCount;
    row.uuid(e.event_id);
    if (known) {
        row.preEscaped(cartEventTypeName(e.event_type));
    } else {
        row.null();
    }
    row.timestamp(e.timestamp).userId(e.user).uuid(e.session_id);
    country(row, e.country);
    if (e.event_type == CartEventType::Checkout) {
        // product_id .. new_quantity: not part of a checkout
        row.null().null().null().null().null().null().null();
        row.uint64(e.cart_size).cents(e.cart_value);
        json.clear();
        json.push_back('[');
        for (std::size_t i = 0; i < e.items.size(); ++i) {
            const OrderLine& line = e.items[i];
            json.append(i == 0 ? R"({"product_id":)" : R"(,{"product_id":)");
            json::appendProductId(json, line.product);
            json.append(R"(,"product_name":)");
            json::appendString(json, plainName(line.product, line.name));
            json.append(R"(,"category":)");
            if (line.category < categoryCount()) {
                json::appendString(json, categoryName(line.category));
            } else {
                json::appendNull(json);
            }
            json.append(R"(,"price":)");
            json::appendCents(json, line.price);
            json.append(R"(,"quantity":)");
            json::appendUnsigned(json, line.quantity);
            json.push_back('}');
        }
        json.push_back(']');
        row.text(json).uint64(e.total_items).cents(e.total_value);
    } else {
        row.productId(e.product);
        name(row, e.product, e.product_name);
        category(row, e.category);
        row.cents(e.price);
        if (e.event_type == CartEventType::UpdateQuantity) {
            row.null().uint64(e.old_quantity).uint64(e.new_quantity);
        } else {
            row.uint64(e.quantity).null().null();
        }
        row.uint64(e.cart_size).cents(e.cart_value).null().null().null();
    }
    row.endRow();
}

void RawEventEncoder::appendView(const ProductViewEvent& e, TableBatch& out) const {
    CopyTextBuilder row(out);
    const bool known = static_cast<int>(e.event_type) < kViewEventTypeCount;
    row.uuid(e.event_id);
    if (known) {
        row.preEscaped(viewEventTypeName(e.event_type));
    } else {
        row.null();
    }
    row.timestamp(e.timestamp).userId(e.user).uuid(e.session_id);
    country(row, e.country);
    switch (e.event_type) {
    case ViewEventType::View:
        row.productId(e.product);
        name(row, e.product, e.product_name);
        category(row, e.category);
        row.cents(e.price).uint64(e.view_duration).boolean(e.from_search);
        query(row, e.search_query);
        row.uint64(e.previously_viewed_count);
        row.null().null().null().null().null().null().null(); // results_count .. prices
        break;
    case ViewEventType::Search:
        row.null().null().null().null().null().null(); // product_id .. from_search
        query(row, e.search_query);
        row.null().uint64(e.results_count);
        row.null().null().null().null().null().null(); // filter_category .. prices
        break;
    case ViewEventType::Filter:
        row.null().null().null().null().null().null().null().null(); // .. previously_viewed
        row.uint64(e.results_count);
        if (e.filter_category == kNoCategory) {
            row.null();
        } else {
            category(row, e.filter_category);
        }
        if (e.has_price_range) {
            row.cents(e.min_price).cents(e.max_price);
        } else {
            row.null().null();
        }
        row.null().null().null();
        break;
    case ViewEventType::Compare: {
        row.null().null(); // product_id, product_name
        category(row, e.category);
        row.null().null().null().null().null().null().null().null().null(); // .. max_price
        std::vector<std::string> ids;
        std::vector<std::string_view> names;
        std::vector<std::string_view> id_views;
        ids.reserve(e.compare_products.size());
        for (std::size_t i = 0; i < e.compare_products.size(); ++i) {
            ids.push_back(formatProductId(e.compare_products[i]));
            names.push_back(plainName(e.compare_products[i],
                                      i < e.compare_names.size() ? e.compare_names[i] : kNoName));
        }
        id_views.assign(ids.begin(), ids.end());
        row.textArray(id_views).textArray(names).centsArray(e.compare_prices);
        break;
    }
    default:
        // An unknown type (broken struct): every optional field NULL.
        for (int i = 0; i < 15; ++i) {
            row.null();
        }
        break;
    }
    row.endRow();
}

TableBatch RawEventEncoder::rejectedEventsLayout() {
    // The key holds the payload's digest (a generated column, sql/migrations/0005): a recreated
    // topic reuses offsets, and its dead letters must not be taken for ones already stored.
    return layout(
        "rejected_events",
        {"source", "topic", "partition", "offset", "received_at", "reason", "detail", "payload"},
        {"source", "topic", "partition", "offset", "payload_sha256"}, ConflictAction::Ignore);
}

void RawEventEncoder::appendRejected(const RejectedEvent& event, TableBatch& out) {
    CopyTextBuilder row(out);
    row.text(event.source)
        .text(event.topic)
        .int64(event.partition)
        .int64(event.offset)
        .timestamp(event.received_at)
        .text(event.reason);
    if (event.detail.empty()) {
        row.null();
    } else {
        row.text(event.detail);
    }
    row.bytea(event.payload);
    row.endRow();
}

} // namespace gm
