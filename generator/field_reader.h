// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"
#include "generator/id_dictionary.h"
#include "generator/json_reader.h"
#include "generator/short_text.h"
#include "generator/validation.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Typed access to the fields of a parsed event, applying the spec's rules as each field is read.
// The event decoder's building block; not meant for other callers.
namespace gm {

class Catalog;

namespace decoding {

using Index = json::Document::Index;
using validation::FieldPath;

constexpr Index kAbsent = 0xFFFFFFFF;

template <std::size_t N> using FieldNames = std::array<std::string_view, N>;
template <std::size_t N> using Slots = std::array<Index, N>;

// One pass over an object's members, noting where each wanted field's value is. Unknown fields
// are ignored; of repeated fields the last wins, as in most JSON readers.
// Producers write fields in a fixed order, usually the spec's, so the name after the last match is
// tried first and the scan of all names is the exception.
template <std::size_t N>
void collect(const json::Document& doc, Index object, const FieldNames<N>& names, Slots<N>& slots) {
    slots.fill(kAbsent);
    Index key = doc.firstChild(object);
    std::size_t hint = 0;
    for (std::uint32_t member = 0; member < doc.size(object); ++member) {
        const std::string_view name = doc.string(key);
        const Index value = key + 1;
        if (hint < N && sameShortText(names[hint], name)) {
            slots[hint++] = value;
        } else {
            for (std::size_t i = 0; i < N; ++i) {
                if (sameShortText(names[i], name)) {
                    slots[i] = value;
                    hint = i + 1;
                    break;
                }
            }
        }
        key = doc.next(value);
    }
}

std::string numberText(std::int64_t value);

// Every method returns false after recording the rejection; callers return at the first false,
// so only the first fault is reported.
class FieldReader {
public:
    FieldReader(const json::Document& doc, const Catalog& catalog,
                std::optional<Rejection>& rejection)
        : doc_(doc), catalog_(catalog), rejection_(rejection) {}

    const json::Document& doc() const { return doc_; }

    // Called by eventId() with the id it read (EventDecoder::onEventId).
    using EventIdSeen = void (*)(void* context, EventKind kind, const Uuid& id);
    void watchEventIds(EventIdSeen seen, void* context, EventKind kind) {
        id_seen_ = seen;
        id_context_ = context;
        kind_ = kind;
    }

    bool fail(RejectReason reason, const FieldPath& path, std::string_view message);
    bool wrongType(Index node, const FieldPath& path, std::string_view expected);
    bool present(Index node, const FieldPath& path);
    bool string(Index node, const FieldPath& path, std::string_view& out);
    bool number(Index node, const FieldPath& path, double& out);
    bool boolean(Index node, const FieldPath& path, bool& out);

    // Whole numbers; 2.0 is accepted as 2 since some producers write every number as a float.
    bool integer(Index node, const FieldPath& path, std::int64_t min, std::int64_t max,
                 RejectReason range_reason, std::string_view range_text, std::int64_t& out);
    bool quantity(Index node, const FieldPath& path, std::uint16_t& out);
    template <typename Count>
    bool count(Index node, const FieldPath& path, std::int64_t max, Count& out) {
        std::int64_t value = 0;
        if (!countValue(node, path, max, value)) {
            return false;
        }
        out = static_cast<Count>(value);
        return true;
    }
    bool countValue(Index node, const FieldPath& path, std::int64_t max, std::int64_t& out);

    // Starts loading the dictionary slots that user(), product() and productName() will read
    // for these nodes (kAbsent or a non-string: skipped), so that their cache misses overlap
    // with the work on the other fields instead of following one another. What it read (the
    // ids' digits, the name's hash) is kept for those calls on the same nodes.
    void prefetchLookups(Index user, Index product, Index product_name);

    bool money(Index node, const FieldPath& path, double max, RejectReason range_reason,
               std::string_view range_text, double& exact, Cents& cents);
    bool price(Index node, const FieldPath& path, double& exact, Cents& cents);
    bool total(Index node, const FieldPath& path, double& exact, Cents& cents);
    bool array(Index node, const FieldPath& path, std::uint32_t& size);
    bool uuid(Index node, const FieldPath& path, Uuid& out);
    // The event's own id (transaction_id, event_id): a UUID, announced to the watcher.
    bool eventId(Index node, const FieldPath& path, Uuid& out);
    bool timestamp(Index node, const FieldPath& path, TimestampUs& out);
    bool user(Index node, const FieldPath& path, UserId& out);
    bool product(Index node, const FieldPath& path, ProductId& out);
    bool country(Index node, const FieldPath& path, Country& out);
    bool category(Index node, const FieldPath& path, CategoryId& out);
    bool categoryName(std::string_view text, const FieldPath& path, CategoryId& out);

    // A product name as sent, interned in productNames().
    bool productName(Index node, const FieldPath& path, NameId& out);
    bool queryText(std::string_view text, const FieldPath& path);

    // Both null, or both numbers: a filter has a price band or none.
    bool priceBand(Index min_node, Index max_node, ProductViewEvent& out);

    // The rule is checked on the exact values as sent. Amounts below a cent can still pass it
    // and then disagree once rounded to cents (0.004 x 1000 is 4.00 but 0.00 x 1000 is 0.00), so
    // the rounded lines must add up too: the pipeline sums cents.
    bool addsUp(double sum, double total, const std::vector<OrderLine>& lines, Cents total_cents,
                std::string_view total_field, std::string_view lines_field);

    // A checkout's cart_value is its total_value (spec: "cart_value (= total_value)").
    bool sameTotal(double cart_value, double total_value, Cents cart_cents, Cents total_cents);
    static bool withinACent(Cents a, Cents b) {
        return a - b <= kTotalToleranceCents && b - a <= kTotalToleranceCents;
    }

private:
    const json::Document& doc_;
    const Catalog& catalog_;
    std::optional<Rejection>& rejection_;
    EventIdSeen id_seen_ = nullptr;
    void* id_context_ = nullptr;
    EventKind kind_ = EventKind::ProductView;

    // From prefetchLookups(), for the lookups of the same nodes.
    struct ReadId {
        Index node = kAbsent;
        IdDictionary::ParsedId id;
    };
    ReadId user_;
    ReadId product_;
    Index name_node_ = kAbsent;
    std::uint64_t name_hash_ = 0;
};

} // namespace decoding
} // namespace gm
