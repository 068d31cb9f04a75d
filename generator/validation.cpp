// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/validation.h"

#include "generator/event_fields.h"
#include "generator/number_text.h"
#include "generator/search_queries.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace gm {
using event_fields::commonKey;
using event_fields::kCartEventFields;
using event_fields::kCheckoutItemFields;
using event_fields::keyOf;
using event_fields::kProductViewFields;
using event_fields::kTransactionFields;

namespace {

struct ReasonInfo {
    std::string_view name;
    std::string_view description;
};

// Indexed by RejectReason; the names are stored in the database, so never rename one.
constexpr std::array<ReasonInfo, kRejectReasonCount> kReasons = {{
    {"empty_payload", "empty payload"},
    {"payload_too_large", "payload larger than the size limit"},
    {"invalid_utf8", "payload is not valid UTF-8"},
    {"malformed_json", "payload is not well-formed JSON"},
    {"not_an_object", "payload is JSON but not an object"},
    {"missing_field", "a required field is missing"},
    {"wrong_type", "a field has the wrong JSON type"},
    {"unknown_country", "unknown country"},
    {"unknown_payment_method", "unknown payment method"},
    {"unknown_event_type", "unknown event type"},
    {"unknown_category", "unknown category"},
    {"bad_user_id", "user id not USER_<digits>"},
    {"bad_product_id", "product id not PROD_<digits>"},
    {"bad_uuid", "transaction, event or session id is not a UUID"},
    {"bad_timestamp", "timestamp is not ISO 8601"},
    {"quantity_out_of_range", "quantity outside 1–1000"},
    {"price_out_of_range", "price outside 0–100,000"},
    {"total_out_of_range", "total or cart value outside 0–1,000,000"},
    {"count_out_of_range", "negative or absurd count or duration"},
    {"total_mismatch", "lines do not add up to the total (±0.01)"},
    {"no_items", "checkout or transaction without items"},
    {"update_same_quantity", "quantity update with equal old and new quantities"},
    {"empty_search_query", "search with an empty query"},
    {"compare_too_few_products", "compare with fewer than 2 products"},
    {"min_price_above_max", "filter with min_price above max_price"},
    {"compare_arrays_mismatch",
     "compare with product_ids, product_names, prices of unequal length"},
    {"invalid_search_query", "search query too long or with control characters"},
    {"timestamp_out_of_range", "timestamp before 1970 or after November 9999"},
    {"timestamp_too_far_ahead", "timestamp too far ahead of the newest accepted event"},
    {"duplicate_product", "the same product on two lines of one order"},
    {"dictionary_full", "a new id or product name beyond the dictionary's cap"},
}};

using validation::elementPath;
using validation::FieldPath;
using validation::fieldPath;
using validation::formatCents;
using validation::reject;

std::string integerText(std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return {buffer, result.ptr};
}

std::string outside(std::string value, std::string_view range) {
    value += " is outside ";
    value += range;
    return value;
}

std::optional<Rejection> checkTimestamp(TimestampUs timestamp) {
    if (timestamp < kMinTimestamp || timestamp > kMaxTimestamp) {
        return reject(RejectReason::TimestampOutOfRange, fieldPath(commonKey("timestamp")),
                      integerText(timestamp) + " µs is outside " +
                          std::string(kEventTimeRangeText));
    }
    return std::nullopt;
}

std::optional<Rejection> checkCountry(Country country) {
    if (static_cast<int>(country) >= countryCount()) {
        return reject(RejectReason::UnknownCountry, fieldPath(commonKey("country")),
                      "enum value " + integerText(static_cast<int>(country)));
    }
    return std::nullopt;
}

std::optional<Rejection> checkCategory(CategoryId category, const FieldPath& path) {
    if (category >= categoryCount()) {
        return reject(RejectReason::UnknownCategory, path, "index " + integerText(category));
    }
    return std::nullopt;
}

std::optional<Rejection> checkQuantity(std::int64_t quantity, const FieldPath& path) {
    if (quantity < kMinQuantity || quantity > kMaxQuantity) {
        return reject(RejectReason::QuantityOutOfRange, path,
                      outside(integerText(quantity), validation::kQuantityRangeText));
    }
    return std::nullopt;
}

std::optional<Rejection> checkPrice(Cents price, const FieldPath& path) {
    if (price < 0 || price > kMaxPriceCents) {
        return reject(RejectReason::PriceOutOfRange, path,
                      outside(formatCents(price), validation::kPriceRangeText));
    }
    return std::nullopt;
}

std::optional<Rejection> checkTotal(Cents total, const FieldPath& path) {
    if (total < 0 || total > kMaxTotalCents) {
        return reject(RejectReason::TotalOutOfRange, path,
                      outside(formatCents(total), validation::kTotalRangeText));
    }
    return std::nullopt;
}

std::optional<Rejection> checkCount(std::int64_t count, std::int64_t max, const FieldPath& path) {
    if (count < 0 || count > max) {
        return reject(RejectReason::CountOutOfRange, path,
                      outside(integerText(count), "0–" + integerText(max)));
    }
    return std::nullopt;
}

std::optional<Rejection> checkLines(const std::vector<OrderLine>& lines, std::string_view array,
                                    Cents& sum) {
    sum = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const OrderLine& line = lines[i];
        // A transaction line sends no category: kNoCategory for a product outside the catalog.
        // (Its other keys are those of a checkout item: kTransactionLineFields.)
        const bool unsent =
            array == keyOf(kTransactionFields, "products") && line.category == kNoCategory;
        if (auto r = unsent ? std::nullopt
                            : checkCategory(
                                  line.category,
                                  elementPath(array, i, keyOf(kCheckoutItemFields, "category")))) {
            return r;
        }
        if (auto r = checkPrice(line.price,
                                elementPath(array, i, keyOf(kCheckoutItemFields, "price")))) {
            return r;
        }
        if (auto r = checkQuantity(line.quantity,
                                   elementPath(array, i, keyOf(kCheckoutItemFields, "quantity")))) {
            return r;
        }
        sum += line.amount();
    }
    if (const auto duplicate = validation::findDuplicateProduct(lines)) {
        return reject(
            RejectReason::DuplicateProduct,
            elementPath(array, duplicate->second, keyOf(kCheckoutItemFields, "product_id")),
            validation::duplicateProductText(array, lines[duplicate->second].product,
                                             duplicate->first));
    }
    return std::nullopt;
}

std::optional<Rejection> checkAddsUp(Cents sum, Cents total, std::string_view total_field,
                                     std::string_view lines_field) {
    const Cents difference = sum > total ? sum - total : total - sum;
    if (difference > kTotalToleranceCents) {
        std::string message = formatCents(total);
        message += " but ";
        message += lines_field;
        message += " add up to ";
        message += formatCents(sum);
        return reject(RejectReason::TotalMismatch, fieldPath(total_field), message);
    }
    return std::nullopt;
}

std::optional<Rejection> checkQuery(QueryId query, bool required) {
    const FieldPath path = fieldPath(keyOf(kProductViewFields, "search_query"));
    const QueryTable& table = QueryTable::global();
    if (query == kNoQuery) {
        if (required) {
            return reject(RejectReason::EmptySearchQuery, path, "empty");
        }
        return std::nullopt;
    }
    if (query >= table.size()) {
        return reject(RejectReason::InvalidSearchQuery, path,
                      "id " + integerText(query) + " is not in the query table");
    }
    const std::string_view text = table.text(query);
    if (required && validation::isBlank(text)) {
        return reject(RejectReason::EmptySearchQuery, path, "empty");
    }
    if (!validation::isAcceptableQueryText(text)) {
        return reject(RejectReason::InvalidSearchQuery, path,
                      validation::quote(text) + " is too long or has control characters");
    }
    return std::nullopt;
}

} // namespace

std::string_view reasonName(RejectReason reason) {
    const auto index = static_cast<std::size_t>(reason);
    return index < kReasons.size() ? kReasons[index].name : std::string_view("unknown");
}

std::optional<RejectReason> parseRejectReason(std::string_view name) {
    for (std::size_t i = 0; i < kReasons.size(); ++i) {
        if (kReasons[i].name == name) {
            return static_cast<RejectReason>(i);
        }
    }
    return std::nullopt;
}

std::string_view reasonDescription(RejectReason reason) {
    const auto index = static_cast<std::size_t>(reason);
    return index < kReasons.size() ? kReasons[index].description : std::string_view("unknown");
}

namespace validation {

std::string formatPath(const FieldPath& path) {
    std::string text;
    if (!path.array.empty()) {
        text += path.array;
        text += '[';
        text += integerText(static_cast<std::int64_t>(path.index));
        text += ']';
        if (!path.field.empty()) {
            text += '.';
        }
    }
    text += path.field;
    return text;
}

std::string formatCents(Cents cents) {
    char buffer[kMaxCentsTextLength];
    return std::string(buffer, gm::formatCents(cents, buffer));
}

std::string formatNumber(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return {buffer, result.ptr};
}

std::string quote(std::string_view text) {
    constexpr std::size_t kMaxBytes = 48;
    std::string out = "\"";
    std::size_t taken = 0;
    for (; taken < text.size() && taken < kMaxBytes; ++taken) {
        const auto c = static_cast<unsigned char>(text[taken]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        } else {
            out += static_cast<char>(c);
        }
    }
    if (taken < text.size()) {
        // Do not cut a UTF-8 sequence in half: drop its leading bytes already copied.
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
            out.pop_back();
        }
        if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) {
            out.pop_back();
        }
        out += "…";
    }
    out += '"';
    return out;
}

Rejection reject(RejectReason reason, const FieldPath& path, std::string_view message) {
    Rejection rejection{reason, formatPath(path)};
    rejection.detail += ": ";
    rejection.detail += message;
    return rejection;
}

std::optional<std::pair<std::size_t, std::size_t>>
findDuplicateProduct(std::span<const OrderLine> lines) {
    // Orders have a handful of lines: compare pairs without allocating.
    constexpr std::size_t kPairwiseUpTo = 32;
    if (lines.size() <= kPairwiseUpTo) {
        for (std::size_t later = 1; later < lines.size(); ++later) {
            for (std::size_t first = 0; first < later; ++first) {
                if (lines[first].product == lines[later].product) {
                    return std::pair{first, later};
                }
            }
        }
        return std::nullopt;
    }
    // Sorted by product, then position: a repeat follows its product's first line. Of all
    // repeats, report the earliest in the order, as the pairwise scan does.
    std::vector<std::pair<ProductId, std::size_t>> sorted(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        sorted[i] = {lines[i].product, i};
    }
    std::sort(sorted.begin(), sorted.end());
    std::optional<std::pair<std::size_t, std::size_t>> found;
    std::size_t first_of_run = 0;
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].first != sorted[i - 1].first) {
            first_of_run = i;
        } else if (i == first_of_run + 1 && (!found || sorted[i].second < found->second)) {
            found = std::pair{sorted[first_of_run].second, sorted[i].second};
        }
    }
    return found;
}

std::string duplicateProductText(std::string_view array, ProductId product, std::size_t first) {
    std::string text = formatProductId(product);
    text += " is also on ";
    text += formatPath(elementPath(array, first));
    return text;
}

bool isBlank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

bool isAcceptableQueryText(std::string_view text) {
    if (text.size() > kMaxSearchQueryBytes) {
        return false;
    }
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            return false;
        }
    }
    return true;
}

} // namespace validation

std::optional<Rejection> validate(const Transaction& transaction) {
    if (auto r = checkTimestamp(transaction.timestamp)) {
        return r;
    }
    if (transaction.products.empty()) {
        return reject(RejectReason::NoItems, fieldPath(keyOf(kTransactionFields, "products")),
                      "a transaction needs products");
    }
    Cents sum = 0;
    if (auto r = checkLines(transaction.products, keyOf(kTransactionFields, "products"), sum)) {
        return r;
    }
    if (auto r = checkTotal(transaction.total_amount,
                            fieldPath(keyOf(kTransactionFields, "total_amount")))) {
        return r;
    }
    if (static_cast<int>(transaction.payment_method) >= paymentMethodCount()) {
        return reject(RejectReason::UnknownPaymentMethod,
                      fieldPath(keyOf(kTransactionFields, "payment_method")),
                      "enum value " + integerText(static_cast<int>(transaction.payment_method)));
    }
    if (auto r = checkCountry(transaction.country)) {
        return r;
    }
    return checkAddsUp(sum, transaction.total_amount, keyOf(kTransactionFields, "total_amount"),
                       keyOf(kTransactionFields, "products"));
}

std::optional<Rejection> validate(const CartEvent& event) {
    if (static_cast<int>(event.event_type) >= kCartEventTypeCount) {
        return reject(RejectReason::UnknownEventType,
                      fieldPath(keyOf(kCartEventFields, "event_type")),
                      "enum value " + integerText(static_cast<int>(event.event_type)));
    }
    if (auto r = checkTimestamp(event.timestamp)) {
        return r;
    }
    if (auto r = checkCountry(event.country)) {
        return r;
    }
    if (event.event_type == CartEventType::Checkout) {
        if (event.items.empty()) {
            return reject(RejectReason::NoItems, fieldPath(keyOf(kCartEventFields, "items")),
                          "a checkout needs items");
        }
        Cents sum = 0;
        if (auto r = checkLines(event.items, keyOf(kCartEventFields, "items"), sum)) {
            return r;
        }
        if (auto r = checkCount(event.total_items, kMaxCount,
                                fieldPath(keyOf(kCartEventFields, "total_items")))) {
            return r;
        }
        if (auto r =
                checkTotal(event.total_value, fieldPath(keyOf(kCartEventFields, "total_value")))) {
            return r;
        }
        if (auto r =
                checkTotal(event.cart_value, fieldPath(keyOf(kCartEventFields, "cart_value")))) {
            return r;
        }
        if (auto r = checkCount(event.cart_size, kMaxCount,
                                fieldPath(keyOf(kCartEventFields, "cart_size")))) {
            return r;
        }
        if (auto r = checkAddsUp(sum, event.total_value, keyOf(kCartEventFields, "total_value"),
                                 keyOf(kCartEventFields, "items"))) {
            return r;
        }
        const Cents difference = event.cart_value - event.total_value;
        if (difference > kTotalToleranceCents || difference < -kTotalToleranceCents) {
            return reject(RejectReason::TotalMismatch,
                          fieldPath(keyOf(kCartEventFields, "cart_value")),
                          formatCents(event.cart_value) + " differs from total_value " +
                              formatCents(event.total_value));
        }
        return std::nullopt;
    }
    if (auto r = checkCategory(event.category, fieldPath(keyOf(kCartEventFields, "category")))) {
        return r;
    }
    if (auto r = checkPrice(event.price, fieldPath(keyOf(kCartEventFields, "price")))) {
        return r;
    }
    if (event.event_type == CartEventType::UpdateQuantity) {
        if (auto r = checkQuantity(event.old_quantity,
                                   fieldPath(keyOf(kCartEventFields, "old_quantity")))) {
            return r;
        }
        if (auto r = checkQuantity(event.new_quantity,
                                   fieldPath(keyOf(kCartEventFields, "new_quantity")))) {
            return r;
        }
    } else if (auto r =
                   checkQuantity(event.quantity, fieldPath(keyOf(kCartEventFields, "quantity")))) {
        return r;
    }
    if (auto r = checkCount(event.cart_size, kMaxCount,
                            fieldPath(keyOf(kCartEventFields, "cart_size")))) {
        return r;
    }
    if (auto r = checkTotal(event.cart_value, fieldPath(keyOf(kCartEventFields, "cart_value")))) {
        return r;
    }
    if (event.event_type == CartEventType::UpdateQuantity &&
        event.old_quantity == event.new_quantity) {
        return reject(RejectReason::UpdateSameQuantity,
                      fieldPath(keyOf(kCartEventFields, "new_quantity")),
                      "equals old_quantity (" + integerText(event.new_quantity) + ")");
    }
    return std::nullopt;
}

std::optional<Rejection> validate(const ProductViewEvent& event) {
    if (static_cast<int>(event.event_type) >= kViewEventTypeCount) {
        return reject(RejectReason::UnknownEventType,
                      fieldPath(keyOf(kProductViewFields, "event_type")),
                      "enum value " + integerText(static_cast<int>(event.event_type)));
    }
    if (auto r = checkTimestamp(event.timestamp)) {
        return r;
    }
    if (auto r = checkCountry(event.country)) {
        return r;
    }
    switch (event.event_type) {
    case ViewEventType::View:
        if (auto r =
                checkCategory(event.category, fieldPath(keyOf(kProductViewFields, "category")))) {
            return r;
        }
        if (auto r = checkPrice(event.price, fieldPath(keyOf(kProductViewFields, "price")))) {
            return r;
        }
        if (auto r = checkQuery(event.search_query, false)) {
            return r;
        }
        return checkCount(event.previously_viewed_count, kMaxCount,
                          fieldPath(keyOf(kProductViewFields, "previously_viewed_count")));
    case ViewEventType::Search:
        if (auto r = checkQuery(event.search_query, true)) {
            return r;
        }
        return checkCount(event.results_count, kMaxCount,
                          fieldPath(keyOf(kProductViewFields, "results_count")));
    case ViewEventType::Filter:
        if (event.filter_category != kNoCategory) {
            if (auto r = checkCategory(event.filter_category,
                                       fieldPath(keyOf(kProductViewFields, "filter_category")))) {
                return r;
            }
        }
        if (event.has_price_range) {
            if (auto r = checkPrice(event.min_price,
                                    fieldPath(keyOf(kProductViewFields, "min_price")))) {
                return r;
            }
            if (auto r = checkPrice(event.max_price,
                                    fieldPath(keyOf(kProductViewFields, "max_price")))) {
                return r;
            }
        }
        if (event.has_price_range && event.min_price > event.max_price) {
            return reject(RejectReason::MinPriceAboveMax,
                          fieldPath(keyOf(kProductViewFields, "min_price")),
                          formatCents(event.min_price) + " is above max_price " +
                              formatCents(event.max_price));
        }
        return checkCount(event.results_count, kMaxCount,
                          fieldPath(keyOf(kProductViewFields, "results_count")));
    case ViewEventType::Compare:
        for (std::size_t i = 0; i < event.compare_prices.size(); ++i) {
            if (auto r = checkPrice(event.compare_prices[i],
                                    elementPath(keyOf(kProductViewFields, "prices"), i))) {
                return r;
            }
        }
        if (event.category != kMixedCategory) {
            if (auto r = checkCategory(event.category,
                                       fieldPath(keyOf(kProductViewFields, "category")))) {
                return r;
            }
        }
        if (event.compare_products.size() < 2) {
            return reject(RejectReason::CompareTooFewProducts,
                          fieldPath(keyOf(kProductViewFields, "product_ids")),
                          integerText(static_cast<std::int64_t>(event.compare_products.size())) +
                              " product(s), a compare needs at least 2");
        }
        if (event.compare_prices.size() != event.compare_products.size()) {
            return reject(
                RejectReason::CompareArraysMismatch, fieldPath(keyOf(kProductViewFields, "prices")),
                integerText(static_cast<std::int64_t>(event.compare_prices.size())) +
                    " entries for " +
                    integerText(static_cast<std::int64_t>(event.compare_products.size())) +
                    " product_ids");
        }
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace gm
