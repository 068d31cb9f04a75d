// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

// Users and products are dense indexes into the catalog (0-based); their text ids
// (USER_00000001, PROD_00000001) are 1-based and exist only at the edges.
using UserId = std::uint32_t;
using ProductId = std::uint32_t;

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

// USER_ + 8 digits (more digits when the index needs them).
std::string formatUserId(UserId user);
std::string formatProductId(ProductId product);
// Writes the id into out and returns the number of characters written (at most 16).
std::size_t formatUserId(UserId user, char* out);
std::size_t formatProductId(ProductId product, char* out);
// USER_<digits> with a number from 1 to 2^32 - 1.
std::optional<UserId> parseUserId(std::string_view text);
std::optional<ProductId> parseProductId(std::string_view text);

} // namespace gm
