// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "pipeline/postgres/table_batch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

class Catalog;
class CopyTextBuilder;

// The four raw-event tables of one EventBatch, ready for PostgresWriter.
struct RawEventBatches {
    TableBatch transactions;
    TableBatch transaction_items;
    TableBatch cart_events;
    TableBatch product_view_events;

    RawEventBatches();
    std::size_t rows() const;
    // The non-empty batches, moved out; this object is left empty and reusable.
    std::vector<TableBatch> take();
};

// A message that failed validation, for the rejected_events table.
struct RejectedEvent {
    TimestampUs received_at = 0;
    std::string source; // "generator", "kafka", "file"
    std::string topic;  // Kafka topic or stream name
    std::int32_t partition = -1;
    std::int64_t offset = 0; // Kafka offset, or the sequence number for other sources
    std::string reason;      // the stable name of the rule that refused it
    std::string payload;     // the raw bytes as received
    std::string detail;      // one line: what exactly was wrong (may be empty)
};

// Encodes events as rows of transactions, transaction_items, cart_events and
// product_view_events (sql/migrations/0003_raw_events.sql), one column per JSON field; the
// tables' names, columns, keys and column order are those of generator/event_fields.h. Rows are
// immutable facts keyed by their ids, so the batches say ON CONFLICT DO NOTHING: a replay writes
// nothing twice. Ids and product names are written exactly as received (the dictionaries keep
// their text); a generated event names no product, so the catalog's name, pre-escaped once at
// construction, stands in. Encoding
// is const and thread-safe; the catalog must outlive the encoder.
class RawEventEncoder {
public:
    explicit RawEventEncoder(const Catalog& catalog);

    void append(const EventBatch& events, RawEventBatches& out) const;
    RawEventBatches encode(const EventBatch& events) const;

    static TableBatch rejectedEventsLayout();
    static void appendRejected(const RejectedEvent& event, TableBatch& out);

private:
    void appendTransaction(const Transaction& t, RawEventBatches& out) const;
    void appendCart(const CartEvent& e, std::string& json_scratch, TableBatch& out) const;
    void appendView(const ProductViewEvent& e, TableBatch& out) const;
    std::string_view escapedName(ProductId product) const;
    std::string_view plainName(ProductId product, NameId name) const;
    void name(CopyTextBuilder& row, ProductId product, NameId name) const;

    const Catalog& catalog_;
    std::string escaped_names_; // COPY-escaped
    std::vector<std::uint32_t> escaped_offsets_;
    std::vector<std::string> names_;
};

} // namespace gm
