// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/raw_event_tables.h"

#include "generator/catalog.h"
#include "generator/event_fields.h"
#include "generator/id_dictionary.h"
#include "generator/json_writer.h"
#include "generator/search_queries.h"
#include "pipeline/postgres/copy_text.h"

#include <algorithm>
#include <stdexcept>

namespace gm {
namespace {

namespace ef = event_fields;

TableBatch layout(std::string table, std::vector<std::string> columns,
                  std::vector<std::string> keys, ConflictAction action) {
    TableBatch batch;
    batch.table = std::move(table);
    batch.columns = std::move(columns);
    batch.key_columns = std::move(keys);
    batch.on_conflict = action;
    return batch;
}

// A raw-event table's batch, its columns and key as event_fields.h describes them.
TableBatch layout(const ef::RawEventTable& table) {
    std::vector<std::string> columns;
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < table.columnCount(); ++i) {
        const ef::EventField& field = table.columnField(i);
        columns.emplace_back(field.column);
        if (field.primary_key == ef::Key::Yes) {
            keys.emplace_back(field.column);
        }
    }
    return layout(std::string(table.name), std::move(columns), std::move(keys),
                  ConflictAction::Ignore);
}

// A JSON key as a template argument: row.at<"price">().
template <std::size_t N> struct KeyName {
    char text[N];
    consteval KeyName(const char (&key)[N]) { std::copy_n(key, N, text); }
    constexpr std::string_view view() const { return {text, N - 1}; }
};

// One row of a raw-event table, written field by field in the description's column order:
// at<"key">() first writes NULL into every column before the one holding that field, and
// endRow() into every column after the last one written. A column not written is NULL, and a
// field that names no column of Table does not compile.
//
// The builder lives outside this object so that the column counter's address never reaches the
// builder's (out-of-line) calls: the compiler then keeps the counter in a register, and mostly
// knows its value, so the order check and the NULL counts fold away. A run of NULLs is one
// append (CopyTextBuilder::nulls).
template <const ef::RawEventTable& Table> class RawRow {
public:
    explicit RawRow(CopyTextBuilder& row) : row_(row) {}

    template <KeyName Key> CopyTextBuilder& at() {
        static constexpr std::size_t kColumn = Table.column(Key.view());
        if (next_ > kColumn) {
            // Written out of the description's order: the row would put values under the wrong
            // columns, so refuse it loudly (a programming error, never input).
            throw std::logic_error("raw-event row written out of column order");
        }
        row_.nulls(kColumn - next_);
        next_ = kColumn + 1;
        return row_;
    }
    void endRow() {
        row_.nulls(kColumns - next_);
        row_.endRow();
    }

private:
    static constexpr std::size_t kColumns = Table.columnCount();
    CopyTextBuilder& row_;
    std::size_t next_ = 0;
};

using TransactionRow = RawRow<ef::kTransactionsTable>;
using TransactionItemRow = RawRow<ef::kTransactionItemsTable>;
using CartRow = RawRow<ef::kCartEventsTable>;
using ViewRow = RawRow<ef::kProductViewEventsTable>;
using ItemKeys = json::Members<ef::kCheckoutItemFields>;

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
    : transactions(layout(ef::kTransactionsTable)),
      transaction_items(layout(ef::kTransactionItemsTable)),
      cart_events(layout(ef::kCartEventsTable)),
      product_view_events(layout(ef::kProductViewEventsTable)) {}

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
    CopyTextBuilder builder(out.transactions);
    TransactionRow row(builder);
    row.at<"transaction_id">().uuid(t.transaction_id);
    row.at<"user_id">().userId(t.user);
    row.at<"timestamp">().timestamp(t.timestamp);
    row.at<"total_amount">().cents(t.total_amount);
    if (static_cast<int>(t.payment_method) < paymentMethodCount()) {
        row.at<"payment_method">().preEscaped(paymentMethodName(t.payment_method));
    }
    country(row.at<"country">(), t.country);
    row.endRow();
    for (const OrderLine& line : t.products) {
        CopyTextBuilder item_builder(out.transaction_items);
        TransactionItemRow item(item_builder);
        item.at<"transaction_id">().uuid(t.transaction_id);
        item.at<"product_id">().productId(line.product);
        item.at<"quantity">().int64(line.quantity);
        item.at<"price">().cents(line.price);
        item.endRow();
    }
}

void RawEventEncoder::appendCart(const CartEvent& e, std::string& json, TableBatch& out) const {
    CopyTextBuilder builder(out);
    CartRow row(builder);
    row.at<"event_id">().uuid(e.event_id);
    if (static_cast<int>(e.event_type) < kCartEventTypeCount) {
        row.at<"event_type">().preEscaped(cartEventTypeName(e.event_type));
    }
    row.at<"timestamp">().timestamp(e.timestamp);
    row.at<"user_id">().userId(e.user);
    row.at<"session_id">().uuid(e.session_id);
    country(row.at<"country">(), e.country);
    if (e.event_type == CartEventType::Checkout) {
        row.at<"cart_size">().uint64(e.cart_size);
        row.at<"cart_value">().cents(e.cart_value);
        json.clear();
        json.push_back('[');
        for (std::size_t i = 0; i < e.items.size(); ++i) {
            const OrderLine& line = e.items[i];
            json.append(i == 0 ? ItemKeys::open("product_id") : ItemKeys::nextOpen("product_id"));
            json::appendProductId(json, line.product);
            json.append(ItemKeys::next("product_name"));
            json::appendString(json, plainName(line.product, line.name));
            json.append(ItemKeys::next("category"));
            if (line.category < categoryCount()) {
                json::appendString(json, categoryName(line.category));
            } else {
                json::appendNull(json);
            }
            json.append(ItemKeys::next("price"));
            json::appendCents(json, line.price);
            json.append(ItemKeys::next("quantity"));
            json::appendUnsigned(json, line.quantity);
            json.push_back('}');
        }
        json.push_back(']');
        row.at<"items">().text(json);
        row.at<"total_items">().uint64(e.total_items);
        row.at<"total_value">().cents(e.total_value);
    } else {
        row.at<"product_id">().productId(e.product);
        name(row.at<"product_name">(), e.product, e.product_name);
        category(row.at<"category">(), e.category);
        row.at<"price">().cents(e.price);
        if (e.event_type == CartEventType::UpdateQuantity) {
            row.at<"old_quantity">().uint64(e.old_quantity);
            row.at<"new_quantity">().uint64(e.new_quantity);
        } else {
            row.at<"quantity">().uint64(e.quantity);
        }
        row.at<"cart_size">().uint64(e.cart_size);
        row.at<"cart_value">().cents(e.cart_value);
    }
    row.endRow();
}

void RawEventEncoder::appendView(const ProductViewEvent& e, TableBatch& out) const {
    CopyTextBuilder builder(out);
    ViewRow row(builder);
    row.at<"event_id">().uuid(e.event_id);
    if (static_cast<int>(e.event_type) < kViewEventTypeCount) {
        row.at<"event_type">().preEscaped(viewEventTypeName(e.event_type));
    }
    row.at<"timestamp">().timestamp(e.timestamp);
    row.at<"user_id">().userId(e.user);
    row.at<"session_id">().uuid(e.session_id);
    country(row.at<"country">(), e.country);
    // An unknown type (broken struct) leaves every optional field NULL.
    switch (e.event_type) {
    case ViewEventType::View:
        row.at<"product_id">().productId(e.product);
        name(row.at<"product_name">(), e.product, e.product_name);
        category(row.at<"category">(), e.category);
        row.at<"price">().cents(e.price);
        row.at<"view_duration">().uint64(e.view_duration);
        row.at<"from_search">().boolean(e.from_search);
        query(row.at<"search_query">(), e.search_query);
        row.at<"previously_viewed_count">().uint64(e.previously_viewed_count);
        break;
    case ViewEventType::Search:
        query(row.at<"search_query">(), e.search_query);
        row.at<"results_count">().uint64(e.results_count);
        break;
    case ViewEventType::Filter:
        row.at<"results_count">().uint64(e.results_count);
        if (e.filter_category != kNoCategory) {
            category(row.at<"filter_category">(), e.filter_category);
        }
        if (e.has_price_range) {
            row.at<"min_price">().cents(e.min_price);
            row.at<"max_price">().cents(e.max_price);
        }
        break;
    case ViewEventType::Compare: {
        category(row.at<"category">(), e.category);
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
        row.at<"product_ids">().textArray(id_views);
        row.at<"product_names">().textArray(names);
        row.at<"prices">().centsArray(e.compare_prices);
        break;
    }
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
