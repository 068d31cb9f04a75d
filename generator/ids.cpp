// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/ids.h"

#include "generator/id_dictionary.h"

#include <array>
#include <charconv>
#include <cstring>

namespace gm {
namespace {

// Two lower-case hex digits per byte value: a UUID is written a byte at a time.
constexpr std::array<std::array<char, 2>, 256> kHexPairs = [] {
    constexpr char kHexDigits[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs{};
    for (std::size_t byte = 0; byte < 256; ++byte) {
        pairs[byte] = {kHexDigits[byte >> 4], kHexDigits[byte & 0xF]};
    }
    return pairs;
}();

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// Bytes of word (all below 0x80) within [low, high], each marked by its high bit: adding
// 0x80 - low sets it from low up, adding 0x7F - high from above high; no byte carries into the
// next since every byte and addend stays below 0x100.
constexpr std::uint64_t bytesWithin(std::uint64_t word, std::uint8_t low, std::uint8_t high) {
    return (word + kOnes * (0x80 - low)) & ~(word + kOnes * (0x7F - high)) & kHighs;
}

// Eight hex digits (either case) loaded little-endian, the first digit in the lowest byte, as
// their 32-bit value; false if any byte is not a hex digit. Eight digits at once: UUIDs are
// parsed for every event read.
[[gnu::always_inline]] inline bool hexWord(std::uint64_t word, std::uint64_t& value) {
    if ((word & kHighs) != 0) {
        return false;
    }
    const std::uint64_t digits = bytesWithin(word, '0', '9');
    const std::uint64_t letters = bytesWithin(word | kOnes * 0x20, 'a', 'f');
    if ((digits | letters) != kHighs) {
        return false;
    }
    // '0'-'9' are 0x30-0x39, 'a'-'f' 0x61-0x66 and 'A'-'F' 0x41-0x46: the low nibble, plus 9
    // for letters (bit 0x40).
    std::uint64_t nibbles = (word & kOnes * 0x0F) + ((word & kOnes * 0x40) >> 6) * 9;
    // Pairs of bytes into bytes, pairs of those into 16 bits, then into 32, first digit highest.
    nibbles = ((nibbles & 0x000F000F000F000FULL) << 4) | ((nibbles >> 8) & 0x000F000F000F000FULL);
    nibbles = ((nibbles & 0x000000FF000000FFULL) << 8) | ((nibbles >> 16) & 0x000000FF000000FFULL);
    value = ((nibbles & 0xFFFFULL) << 16) | ((nibbles >> 32) & 0xFFFFULL);
    return true;
}

std::uint64_t load64(const char* bytes) {
    std::uint64_t word;
    std::memcpy(&word, bytes, 8);
    return word;
}

std::uint64_t load32(const char* bytes) {
    std::uint32_t word;
    std::memcpy(&word, bytes, 4);
    return word;
}

} // namespace

Uuid makeUuidV4(std::uint64_t random_high, std::uint64_t random_low) {
    Uuid id;
    id.high = (random_high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
    id.low = (random_low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
    return id;
}

void formatUuid(const Uuid& id, char* out) {
    // Byte k of the UUID (big-endian over high then low) goes to kAt[k]; dashes between.
    static constexpr std::array<std::uint8_t, 16> kAt = {0,  2,  4,  6,  9,  11, 14, 16,
                                                         19, 21, 24, 26, 28, 30, 32, 34};
    for (std::size_t k = 0; k < 16; ++k) {
        const std::uint64_t word = k < 8 ? id.high : id.low;
        const auto byte = static_cast<std::uint8_t>(word >> (56 - 8 * (k % 8)));
        std::memcpy(out + kAt[k], kHexPairs[byte].data(), 2);
    }
    out[8] = out[13] = out[18] = out[23] = '-';
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
    // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" as four runs of eight digits: 0-7, 9-12 with
    // 14-17, 19-22 with 24-27, 28-35.
    const char* p = text.data();
    std::uint64_t words[4];
    if (!hexWord(load64(p), words[0]) || !hexWord(load32(p + 9) | load32(p + 14) << 32, words[1]) ||
        !hexWord(load32(p + 19) | load32(p + 24) << 32, words[2]) ||
        !hexWord(load64(p + 28), words[3])) {
        return std::nullopt;
    }
    return Uuid{words[0] << 32 | words[1], words[2] << 32 | words[3]};
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
