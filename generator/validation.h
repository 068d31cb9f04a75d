// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

// What makes an event bad (docs/events.md, "Validation"). Each rule has its own reason so that the
// dead-letter counts say which rule a producer breaks; the names are stable because they are
// stored in the dead-letter table and exported as metric labels.
namespace gm {

enum class RejectReason : std::uint8_t {
    // Transport: the payload is not a JSON object at all.
    EmptyPayload,
    PayloadTooLarge,
    InvalidUtf8,
    MalformedJson,
    NotAnObject,
    // Shape.
    MissingField,
    WrongType,
    // Vocabularies.
    UnknownCountry,
    UnknownPaymentMethod,
    UnknownEventType,
    UnknownCategory,
    // Identifiers and time.
    BadUserId,
    BadProductId,
    BadUuid,
    BadTimestamp,
    // Absurd numbers.
    QuantityOutOfRange,
    PriceOutOfRange,
    TotalOutOfRange,
    CountOutOfRange,
    // Rules across fields.
    TotalMismatch,
    NoItems,
    UpdateSameQuantity,
    EmptySearchQuery,
    CompareTooFewProducts,
    MinPriceAboveMax,
    CompareArraysMismatch,
    InvalidSearchQuery,
    // Added later; appended so that earlier values keep their numbers.
    TimestampOutOfRange,  // parsed, but outside kMinEventTime..kMaxEventTime
    TimestampTooFarAhead, // more than the decoder's horizon ahead of the newest accepted event
    DuplicateProduct,     // two lines of one transaction or checkout with the same product
    DictionaryFull,       // a new user id, product id or product name beyond its dictionary's cap
};
inline constexpr int kRejectReasonCount = static_cast<int>(RejectReason::DictionaryFull) + 1;

// "missing_field", "quantity_out_of_range", ...
std::string_view reasonName(RejectReason reason);
std::optional<RejectReason> parseRejectReason(std::string_view name);
// One line for people ("quantity outside 1–1000"), e.g. for the System page.
std::string_view reasonDescription(RejectReason reason);

struct Rejection {
    RejectReason reason = RejectReason::MalformedJson;
    std::string detail; // one line naming the field: "products[2].quantity: 0 is outside 1–1000"
    friend bool operator==(const Rejection&, const Rejection&) = default;
};

// Limits of the rules. Money limits are in dollars because the wire carries dollars and the
// decoder checks them before converting to cents.
inline constexpr std::int64_t kMinQuantity = 1;
inline constexpr std::int64_t kMaxQuantity = 1000;
inline constexpr double kMaxPrice = 100'000.0;
inline constexpr double kMaxTotal = 1'000'000.0;
inline constexpr Cents kMaxPriceCents = 10'000'000;
inline constexpr Cents kMaxTotalCents = 100'000'000;
inline constexpr double kTotalTolerance = 0.01;
inline constexpr Cents kTotalToleranceCents = 1;
// Counts (results_count, cart_size, ...) must fit the structs; view_duration is held in 16 bits,
// and a single view of more than 18 hours is absurd anyway.
inline constexpr std::int64_t kMaxCount = 1'000'000'000;
inline constexpr std::int64_t kMaxViewDurationSeconds = 65'535;
// Queries are interned for the life of the process, so a hostile producer must not be able to
// make them arbitrarily long.
inline constexpr std::size_t kMaxSearchQueryBytes = 256;
// Event times outside this range are refused (timestamp.h says why these bounds).
inline constexpr TimestampUs kMinTimestamp = kMinEventTime;
inline constexpr TimestampUs kMaxTimestamp = kMaxEventTime;

// The rules applied to structs, e.g. to check the simulator's output. The decoder applies the
// same rules to JSON (with exact parsed values) and reports the same reasons and field names.
std::optional<Rejection> validate(const Transaction& transaction);
std::optional<Rejection> validate(const CartEvent& event);
std::optional<Rejection> validate(const ProductViewEvent& event);

// Helpers shared with the decoder, so that both word their details alike.
namespace validation {

// A field name with an optional array index in front: "products[2].quantity", "prices[1]".
struct FieldPath {
    std::string_view array; // empty: a top-level field
    std::size_t index = 0;
    std::string_view field; // empty: the array element itself
};
inline FieldPath fieldPath(std::string_view field) {
    return FieldPath{{}, 0, field};
}
inline FieldPath elementPath(std::string_view array, std::size_t index,
                             std::string_view field = {}) {
    return FieldPath{array, index, field};
}
std::string formatPath(const FieldPath& path);

// Money for messages: "19.99", "-0.50".
std::string formatCents(Cents cents);
// A parsed JSON number for messages, shortest form that reads back the same.
std::string formatNumber(double value);

// A value from a payload for messages: escaped and cut to a few dozen bytes, so that a hostile
// value keeps the detail one short line.
std::string quote(std::string_view text);

// "path: message" with the given reason.
Rejection reject(RejectReason reason, const FieldPath& path, std::string_view message);

// Ranges as they appear in messages.
inline constexpr std::string_view kQuantityRangeText = "1–1000";
inline constexpr std::string_view kPriceRangeText = "0–100,000";
inline constexpr std::string_view kTotalRangeText = "0–1,000,000";

// The first product that appears on two lines (spec: the lines of an order have distinct
// products; the raw table is keyed by order and product): {index of its first line, index of the
// repeat}. Linear-logarithmic, so a hostile order of thousands of lines stays cheap.
std::optional<std::pair<std::size_t, std::size_t>>
findDuplicateProduct(std::span<const OrderLine> lines);
// "PROD_00000042 is also on products[1]"
std::string duplicateProductText(std::string_view array, ProductId product, std::size_t first);

// Empty or only blanks: the spec's "search with an empty query".
bool isBlank(std::string_view text);
// Too long, or containing control characters (PostgreSQL text cannot hold NUL).
bool isAcceptableQueryText(std::string_view text);

} // namespace validation

} // namespace gm
