// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/ids.h"

#include <charconv>

namespace gm {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::size_t formatPrefixedId(std::string_view prefix, std::uint32_t index, char* out) {
    const std::uint64_t number = static_cast<std::uint64_t>(index) + 1;
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
    const auto length = static_cast<std::size_t>(end - digits);
    std::size_t pos = 0;
    for (char c : prefix) {
        out[pos++] = c;
    }
    for (std::size_t pad = length; pad < 8; ++pad) {
        out[pos++] = '0';
    }
    for (std::size_t i = 0; i < length; ++i) {
        out[pos++] = digits[i];
    }
    return pos;
}

std::optional<std::uint32_t> parsePrefixedId(std::string_view prefix, std::string_view text) {
    if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) {
        return std::nullopt;
    }
    const std::string_view digits = text.substr(prefix.size());
    if (digits.size() > 12) {
        return std::nullopt;
    }
    std::uint64_t number = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (number == 0 || number > 0xFFFFFFFFULL) {
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(number - 1);
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
    if (text.size() != 36) {
        return std::nullopt;
    }
    Uuid id;
    int nibble = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-') {
                return std::nullopt;
            }
            continue;
        }
        const int value = hexValue(text[i]);
        if (value < 0) {
            return std::nullopt;
        }
        auto& word = nibble < 16 ? id.high : id.low;
        word = (word << 4) | static_cast<std::uint64_t>(value);
        ++nibble;
    }
    return id;
}

std::size_t formatUserId(UserId user, char* out) {
    return formatPrefixedId("USER_", user, out);
}

std::size_t formatProductId(ProductId product, char* out) {
    return formatPrefixedId("PROD_", product, out);
}

std::string formatUserId(UserId user) {
    char buffer[24];
    return {buffer, formatUserId(user, buffer)};
}

std::string formatProductId(ProductId product) {
    char buffer[24];
    return {buffer, formatProductId(product, buffer)};
}

std::optional<UserId> parseUserId(std::string_view text) {
    return parsePrefixedId("USER_", text);
}

std::optional<ProductId> parseProductId(std::string_view text) {
    return parsePrefixedId("PROD_", text);
}

} // namespace gm
