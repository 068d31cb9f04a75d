// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

// Users and products are dense indexes (0-based): the catalog's ids (USER_00000001,
// PROD_00000001, 1-based) map to their number - 1, any other id matching the pattern is interned
// above that range by the open dictionaries (id_dictionary.h). Text ids exist only at the edges.
using UserId = std::uint32_t;
using ProductId = std::uint32_t;

// A product name as another producer sent it, interned in productNames() (id_dictionary.h).
// kNoName: no name came with the event (a generated event: the catalog's name applies).
using NameId = std::uint32_t;
inline constexpr NameId kNoName = 0xFFFFFFFF;

struct Uuid {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    friend bool operator==(const Uuid&, const Uuid&) = default;
    friend auto operator<=>(const Uuid&, const Uuid&) = default;
    bool isNil() const { return high == 0 && low == 0; }
};

struct UuidHash {
    std::size_t operator()(const Uuid& id) const {
        return static_cast<std::size_t>(id.high * 0x9E3779B97F4A7C15ULL ^ id.low);
    }
};

// Turns 128 random bits into an RFC 4122 version-4 UUID.
Uuid makeUuidV4(std::uint64_t random_high, std::uint64_t random_low);

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", lower case; writes exactly 36 characters.
void formatUuid(const Uuid& id, char* out);
std::string toString(const Uuid& id);
// Accepts the canonical 8-4-4-4-12 form in either case.
std::optional<Uuid> parseUuid(std::string_view text);

// The id's text: USER_ + 8 digits (more digits when the number needs them) for the catalog's
// numbering, the exact text received for an interned id.
inline constexpr std::size_t kMaxIdTextLength = 24;
std::string formatUserId(UserId user);
std::string formatProductId(ProductId product);
// Writes the id into out and returns the number of characters written (at most
// kMaxIdTextLength).
std::size_t formatUserId(UserId user, char* out);
std::size_t formatProductId(ProductId product, char* out);
// USER_<digits> (1 to 16 digits) as its index, interning an id outside the catalog's numbering
// (IdDictionary::lookup); nullopt for a text not matching the pattern or a full dictionary.
std::optional<UserId> parseUserId(std::string_view text);
std::optional<ProductId> parseProductId(std::string_view text);

} // namespace gm
