// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/event_time_horizon.h"
#include "generator/events.h"
#include "generator/json_reader.h"
#include "generator/validation.h"

#include <cstddef>
#include <optional>
#include <string_view>
#include <variant>

namespace gm {

class Catalog;

struct DecodeOptions {
    std::size_t max_payload_bytes = std::size_t{1} << 20; // 1 MiB
    int max_depth = 32;
    // An event more than this far ahead of the newest event the decoder accepted (and of the
    // wall clock) is refused: timestamp_too_far_ahead, see EventTimeHorizon.
    // EventTimeHorizon::kUnlimited: no limit.
    TimestampUs max_time_ahead = kMicrosPerDay;
    // nullptr: judge by the stream alone (deterministic; for tests and fuzzing).
    EventTimeHorizon::WallClock wall_clock = &wallClockNow;
};

using DecodeResult = std::variant<ProductViewEvent, CartEvent, Transaction, Rejection>;

// Reads JSON events of docs/events.md (from Kafka or files written by other producers) into the
// compact structs, applying every validation rule; a bad payload yields a Rejection, never an
// exception. User and product ids matching the pattern become indexes of the open dictionaries
// (IdDictionary: the catalog's numbering or interned), whether or not the catalog has them;
// product names are interned in productNames() and kept as sent. The catalog only supplies the
// category of a transaction line (kNoCategory outside it). Search queries are interned in
// QueryTable::global().
//
// Keeps its parse buffers between calls, so one decoder per thread decodes without allocating
// once warmed up. The catalog must outlive the decoder.
//
// Also keeps the newest event time it accepted, across all three kinds, to refuse events far
// ahead of it: so one decoder should read one stream (the Kafka source has one for its three
// topics, on its consumer thread). Not thread-safe.
class EventDecoder {
public:
    explicit EventDecoder(const Catalog& catalog, DecodeOptions options = {});

    // nullopt: accepted, out holds the event. Otherwise out is unspecified.
    std::optional<Rejection> decode(std::string_view payload, Transaction& out);
    std::optional<Rejection> decode(std::string_view payload, CartEvent& out);
    std::optional<Rejection> decode(std::string_view payload, ProductViewEvent& out);

    // The event kind is the topic's: a payload is read as the event its topic carries.
    DecodeResult decode(EventKind kind, std::string_view payload);

    // Called with each payload's own id (transaction_id or event_id) as soon as it is read,
    // before the event's other fields and whether or not the event is then accepted: the Kafka
    // source starts loading its duplicate check's slots there, so that the wait for memory
    // overlaps with decoding. nullptr: none.
    using EventIdSeen = void (*)(void* context, EventKind kind, const Uuid& id);
    void onEventId(EventIdSeen seen, void* context) {
        id_seen_ = seen;
        id_context_ = context;
    }

    const DecodeOptions& options() const { return options_; }
    // The reference for max_time_ahead; raiseTo() it from outside knowledge (a persisted
    // watermark) after a restart.
    EventTimeHorizon& timeHorizon() { return horizon_; }
    const EventTimeHorizon& timeHorizon() const { return horizon_; }

private:
    std::optional<Rejection> parse(std::string_view payload);
    // parse(), reset the event, then read its fields with decode_fields(FieldReader&, Event&).
    template <typename Event, typename DecodeFields>
    std::optional<Rejection> decodeWith(std::string_view payload, Event& out,
                                        DecodeFields decode_fields);

    const Catalog& catalog_;
    DecodeOptions options_;
    EventTimeHorizon horizon_;
    json::Document document_;
    EventIdSeen id_seen_ = nullptr;
    void* id_context_ = nullptr;
};

// One-off decoding; prefer an EventDecoder for streams.
DecodeResult decode(EventKind kind, std::string_view payload, const Catalog& catalog,
                    const DecodeOptions& options = {});

} // namespace gm
