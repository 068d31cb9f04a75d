// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/field_reader.h"

#include "generator/catalog.h"
#include "generator/event_fields.h"
#include "generator/id_dictionary.h"

#include <charconv>
#include <cmath>

namespace gm::decoding {
namespace {

using json::Type;
using validation::fieldPath;

// Sums of doubles carry rounding noise far below a cent; without this slack a difference of
// exactly 0.01 could be refused.
constexpr double kFloatSlack = 1e-6;

} // namespace

std::string numberText(std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return {buffer, result.ptr};
}

bool FieldReader::fail(RejectReason reason, const FieldPath& path, std::string_view message) {
    rejection_ = validation::reject(reason, path, message);
    return false;
}

bool FieldReader::wrongType(Index node, const FieldPath& path, std::string_view expected) {
    std::string message = "expected ";
    message += expected;
    message += ", got ";
    message += json::typeName(doc_.type(node));
    return fail(RejectReason::WrongType, path, message);
}

bool FieldReader::present(Index node, const FieldPath& path) {
    return node != kAbsent || fail(RejectReason::MissingField, path, "missing");
}

bool FieldReader::string(Index node, const FieldPath& path, std::string_view& out) {
    if (!present(node, path)) {
        return false;
    }
    if (doc_.type(node) != Type::String) {
        return wrongType(node, path, "a string");
    }
    out = doc_.string(node);
    return true;
}

bool FieldReader::number(Index node, const FieldPath& path, double& out) {
    if (!present(node, path)) {
        return false;
    }
    if (doc_.type(node) != Type::Number) {
        return wrongType(node, path, "a number");
    }
    out = doc_.number(node);
    return true;
}

bool FieldReader::boolean(Index node, const FieldPath& path, bool& out) {
    if (!present(node, path)) {
        return false;
    }
    if (doc_.type(node) != Type::True && doc_.type(node) != Type::False) {
        return wrongType(node, path, "true or false");
    }
    out = doc_.type(node) == Type::True;
    return true;
}

bool FieldReader::integer(Index node, const FieldPath& path, std::int64_t min, std::int64_t max,
                          RejectReason range_reason, std::string_view range_text,
                          std::int64_t& out) {
    double value = 0;
    if (!number(node, path, value)) {
        return false;
    }
    if (!(value >= double(min) && value <= double(max))) {
        std::string message = validation::formatNumber(value);
        message += " is outside ";
        message += range_text;
        return fail(range_reason, path, message);
    }
    if (std::floor(value) != value) {
        return fail(RejectReason::WrongType, path,
                    "expected an integer, got " + validation::formatNumber(value));
    }
    out = static_cast<std::int64_t>(value);
    return true;
}

bool FieldReader::countValue(Index node, const FieldPath& path, std::int64_t max,
                             std::int64_t& out) {
    double value = 0;
    if (!number(node, path, value)) {
        return false;
    }
    // The range's text is written only for a rejection: counts are read on every event.
    if (!(value >= 0 && value <= double(max))) {
        return integer(node, path, 0, max, RejectReason::CountOutOfRange, "0–" + numberText(max),
                       out);
    }
    return integer(node, path, 0, max, RejectReason::CountOutOfRange, {}, out);
}

void FieldReader::prefetchLookups(Index user, Index product, Index product_name) {
    const auto text = [&](Index node) {
        return node != kAbsent && doc_.type(node) == Type::String ? doc_.string(node)
                                                                  : std::string_view();
    };
    if (const std::string_view id = text(user); !id.empty()) {
        user_ = {user, IdDictionary::users().parse(id)};
        IdDictionary::users().prefetch(user_.id);
    }
    if (const std::string_view id = text(product); !id.empty()) {
        product_ = {product, IdDictionary::products().parse(id)};
        IdDictionary::products().prefetch(product_.id);
    }
    if (const std::string_view name = text(product_name); !name.empty()) {
        name_node_ = product_name;
        name_hash_ = InternTable::hashOf(name);
        productNames().prefetchHashed(name_hash_);
    }
}

bool FieldReader::quantity(Index node, const FieldPath& path, std::uint16_t& out) {
    std::int64_t value = 0;
    if (!integer(node, path, kMinQuantity, kMaxQuantity, RejectReason::QuantityOutOfRange,
                 validation::kQuantityRangeText, value)) {
        return false;
    }
    out = static_cast<std::uint16_t>(value);
    return true;
}

bool FieldReader::money(Index node, const FieldPath& path, double max, RejectReason range_reason,
                        std::string_view range_text, double& exact, Cents& cents) {
    if (!number(node, path, exact)) {
        return false;
    }
    if (!(exact >= 0 && exact <= max)) {
        std::string message = validation::formatNumber(exact);
        message += " is outside ";
        message += range_text;
        return fail(range_reason, path, message);
    }
    cents = std::llround(exact * 100);
    return true;
}

bool FieldReader::price(Index node, const FieldPath& path, double& exact, Cents& cents) {
    return money(node, path, kMaxPrice, RejectReason::PriceOutOfRange, validation::kPriceRangeText,
                 exact, cents);
}

bool FieldReader::total(Index node, const FieldPath& path, double& exact, Cents& cents) {
    return money(node, path, kMaxTotal, RejectReason::TotalOutOfRange, validation::kTotalRangeText,
                 exact, cents);
}

bool FieldReader::array(Index node, const FieldPath& path, std::uint32_t& size) {
    if (!present(node, path)) {
        return false;
    }
    if (doc_.type(node) != Type::Array) {
        return wrongType(node, path, "an array");
    }
    size = doc_.size(node);
    return true;
}

bool FieldReader::uuid(Index node, const FieldPath& path, Uuid& out) {
    std::string_view text;
    if (!string(node, path, text)) {
        return false;
    }
    const auto id = parseUuid(text);
    if (!id) {
        return fail(RejectReason::BadUuid, path, validation::quote(text) + " is not a UUID");
    }
    out = *id;
    return true;
}

bool FieldReader::eventId(Index node, const FieldPath& path, Uuid& out) {
    if (!uuid(node, path, out)) {
        return false;
    }
    if (id_seen_ != nullptr) {
        id_seen_(id_context_, kind_, out);
    }
    return true;
}

bool FieldReader::timestamp(Index node, const FieldPath& path, TimestampUs& out) {
    std::string_view text;
    if (!string(node, path, text)) {
        return false;
    }
    const auto time = parseIsoTimestamp(text);
    if (!time) {
        return fail(RejectReason::BadTimestamp, path,
                    validation::quote(text) + " is not an ISO 8601 date-time");
    }
    // Before 1970, or so late that a window it opens would end in year 10000.
    if (!isEventTimeInRange(*time)) {
        return fail(RejectReason::TimestampOutOfRange, path,
                    validation::quote(text) + " is outside " + std::string(kEventTimeRangeText));
    }
    out = *time;
    return true;
}

namespace {

// An id matching the pattern is interned (or is the catalog's own numbering): the catalog is
// one source of users and products, not the only one. read: the id as prefetchLookups() read
// it, if it read this node.
bool readId(FieldReader& reader, IdDictionary& dictionary, Index node, const FieldPath& path,
            RejectReason bad_reason, const IdDictionary::ParsedId* read, std::uint32_t& out) {
    std::string_view text;
    if (!reader.string(node, path, text)) {
        return false;
    }
    const IdDictionary::Verdict verdict =
        read != nullptr ? dictionary.lookup(*read, text.size(), out) : dictionary.lookup(text, out);
    switch (verdict) {
    case IdDictionary::Verdict::Ok:
        return true;
    case IdDictionary::Verdict::BadPattern:
        return reader.fail(bad_reason, path,
                           validation::quote(text) + " is not " + std::string(dictionary.prefix()) +
                               "<digits> (1 to " + numberText(IdDictionary::kMaxDigits) +
                               " digits)");
    case IdDictionary::Verdict::Full:
        break;
    }
    return reader.fail(RejectReason::DictionaryFull, path,
                       validation::quote(text) + " is new and the dictionary holds its cap of " +
                           numberText(dictionary.interned().maxEntries()) + " ids");
}

} // namespace

bool FieldReader::user(Index node, const FieldPath& path, UserId& out) {
    return readId(*this, IdDictionary::users(), node, path, RejectReason::BadUserId,
                  node == user_.node ? &user_.id : nullptr, out);
}

bool FieldReader::product(Index node, const FieldPath& path, ProductId& out) {
    return readId(*this, IdDictionary::products(), node, path, RejectReason::BadProductId,
                  node == product_.node ? &product_.id : nullptr, out);
}

bool FieldReader::country(Index node, const FieldPath& path, Country& out) {
    std::string_view text;
    if (!string(node, path, text)) {
        return false;
    }
    const auto country = parseCountry(text);
    if (!country) {
        return fail(RejectReason::UnknownCountry, path,
                    validation::quote(text) + " is not a known country");
    }
    out = *country;
    return true;
}

bool FieldReader::category(Index node, const FieldPath& path, CategoryId& out) {
    std::string_view text;
    if (!string(node, path, text)) {
        return false;
    }
    return categoryName(text, path, out);
}

bool FieldReader::categoryName(std::string_view text, const FieldPath& path, CategoryId& out) {
    const auto category = parseCategory(text);
    if (!category) {
        return fail(RejectReason::UnknownCategory, path,
                    validation::quote(text) + " is not a known category (see --reference-data)");
    }
    out = *category;
    return true;
}

bool FieldReader::productName(Index node, const FieldPath& path, NameId& out) {
    std::string_view text;
    if (!string(node, path, text)) {
        return false;
    }
    const auto id =
        node == name_node_ ? productNames().intern(text, name_hash_) : productNames().intern(text);
    if (!id) {
        return fail(RejectReason::DictionaryFull, path,
                    "a new product name and the name dictionary is full (" +
                        numberText(productNames().maxEntries()) + " names)");
    }
    out = *id;
    return true;
}

bool FieldReader::queryText(std::string_view text, const FieldPath& path) {
    if (!validation::isAcceptableQueryText(text)) {
        return fail(RejectReason::InvalidSearchQuery, path,
                    validation::quote(text) + " (" + numberText(std::int64_t(text.size())) +
                        " bytes) is longer than " + numberText(kMaxSearchQueryBytes) +
                        " bytes or has control characters");
    }
    return true;
}

bool FieldReader::priceBand(Index min_node, Index max_node, ProductViewEvent& out) {
    const FieldPath min_path =
        fieldPath(event_fields::keyOf(event_fields::kProductViewFields, "min_price"));
    const FieldPath max_path =
        fieldPath(event_fields::keyOf(event_fields::kProductViewFields, "max_price"));
    if (!present(min_node, min_path) || !present(max_node, max_path)) {
        return false;
    }
    const bool min_null = doc_.type(min_node) == Type::Null;
    const bool max_null = doc_.type(max_node) == Type::Null;
    if (min_null && max_null) {
        out.has_price_range = false;
        return true;
    }
    if (min_null != max_null) {
        const Index null_node = min_null ? min_node : max_node;
        return wrongType(null_node, min_null ? min_path : max_path,
                         "a number (the other bound is one)");
    }
    double min_exact = 0;
    double max_exact = 0;
    if (!price(min_node, min_path, min_exact, out.min_price) ||
        !price(max_node, max_path, max_exact, out.max_price)) {
        return false;
    }
    out.has_price_range = true;
    if (min_exact > max_exact) {
        return fail(RejectReason::MinPriceAboveMax, min_path,
                    validation::formatNumber(min_exact) + " is above max_price " +
                        validation::formatNumber(max_exact));
    }
    return true;
}

bool FieldReader::addsUp(double sum, double total, const std::vector<OrderLine>& lines,
                         Cents total_cents, std::string_view total_field,
                         std::string_view lines_field) {
    Cents cents_sum = 0;
    for (const OrderLine& line : lines) {
        cents_sum += line.amount();
    }
    const bool exact_fails = std::fabs(sum - total) > kTotalTolerance + kFloatSlack;
    if (exact_fails || !withinACent(cents_sum, total_cents)) {
        std::string message = validation::formatNumber(total);
        message += " but ";
        message += lines_field;
        message += " add up to ";
        message += exact_fails ? validation::formatNumber(sum)
                               : validation::formatCents(cents_sum) + " in whole cents";
        return fail(RejectReason::TotalMismatch, fieldPath(total_field), message);
    }
    return true;
}

bool FieldReader::sameTotal(double cart_value, double total_value, Cents cart_cents,
                            Cents total_cents) {
    if (std::fabs(cart_value - total_value) > kTotalTolerance + kFloatSlack ||
        !withinACent(cart_cents, total_cents)) {
        return fail(RejectReason::TotalMismatch,
                    fieldPath(event_fields::keyOf(event_fields::kCartEventFields, "cart_value")),
                    validation::formatNumber(cart_value) + " differs from total_value " +
                        validation::formatNumber(total_value));
    }
    return true;
}

} // namespace gm::decoding
