// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/ids.h"

#include "generator/id_dictionary.h"

#include <array>
#include <charconv>

namespace gm {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Hex digit values by byte, -1 for anything else: parsing ids is on the Kafka decode path.
constexpr std::array<std::int8_t, 256> kHexValues = [] {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (int c = '0'; c <= '9'; ++c) {
        table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
    }
    for (int c = 'a'; c <= 'f'; ++c) {
        table[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
        table[static_cast<std::size_t>(c - 'a' + 'A')] = static_cast<std::int8_t>(c - 'a' + 10);
    }
    return table;
}();

int hexValue(char c) {
    return kHexValues[static_cast<unsigned char>(c)];
}

} // namespace

Uuid makeUuidV4(std::uint64_t random_high, std::uint64_t random_low) {
    Uuid id;
    id.high = (random_high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    id.low = (random_low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    return id;
}

void formatUuid(const Uuid& id, char* out) {
    std::size_t pos = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
        if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
            out[pos++] = '-';
        }
        const std::uint64_t word = nibble < 16 ? id.high : id.low;
        const int shift = 60 - 4 * (nibble % 16);
        out[pos++] = kHexDigits[(word >> shift) & 0xF];
    }
}

std::string toString(const Uuid& id) {
    std::string text(36, '\0');
    formatUuid(id, text.data());
    return text;
}

std::optional<Uuid> parseUuid(std::string_view text) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
        text[23] != '-') {
        return std::nullopt;
    }
    // Offsets of the 32 hex digits in "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
    static constexpr std::array<std::uint8_t, 32> kDigitAt = {
        0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11, 12, 14, 15, 16, 17,
        19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
    std::uint64_t words[2] = {0, 0};
    int invalid = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
        const int value = hexValue(text[kDigitAt[static_cast<std::size_t>(nibble)]]);
        invalid |= value;
        words[nibble / 16] = (words[nibble / 16] << 4) | static_cast<std::uint64_t>(value & 0xF);
    }
    if (invalid < 0) {
        return std::nullopt;
    }
    return Uuid{words[0], words[1]};
}

std::size_t formatUserId(UserId user, char* out) {
    return IdDictionary::users().format(user, out);
}

std::size_t formatProductId(ProductId product, char* out) {
    return IdDictionary::products().format(product, out);
}

std::string formatUserId(UserId user) {
    char buffer[kMaxIdTextLength];
    return {buffer, formatUserId(user, buffer)};
}

std::string formatProductId(ProductId product) {
    char buffer[kMaxIdTextLength];
    return {buffer, formatProductId(product, buffer)};
}

std::optional<UserId> parseUserId(std::string_view text) {
    UserId index = 0;
    if (IdDictionary::users().lookup(text, index) != IdDictionary::Verdict::Ok) {
        return std::nullopt;
    }
    return index;
}

std::optional<ProductId> parseProductId(std::string_view text) {
    ProductId index = 0;
    if (IdDictionary::products().lookup(text, index) != IdDictionary::Verdict::Ok) {
        return std::nullopt;
    }
    return index;
}

} // namespace gm
