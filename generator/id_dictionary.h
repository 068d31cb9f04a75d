// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"
#include "generator/intern_table.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gm {

// The open dictionary of one kind of id (users or products): the text ids of any producer, as
// dense 32-bit indexes (docs/dictionaries.md).
//
// Two ranges of indexes. Ids in the generated catalog's own numbering (the canonical text
// formatPrefixedId writes: the prefix, the number from 1 to `catalog_range` zero-padded to 8
// digits) are index = number - 1, computed, never stored: the simulator's catalog and a shop
// numbering its ids the same way cost nothing. Every other id matching the pattern (USER_1,
// USER_000000001, PROD_90000001, ...) is interned on first sight at catalog_range, +1, ... and
// keeps its exact text: nothing is ever rewritten.
//
// Thread-safe (see InternTable); one process-wide instance per kind, shared by decoders,
// pipeline workers and every edge that writes ids back as text.
class IdDictionary {
public:
    static constexpr std::size_t kMaxDigits = 16;
    static constexpr std::size_t kMaxTextLength = 24; // prefix + digits fit, with room

    IdDictionary(std::string_view prefix, std::uint32_t catalog_range, std::uint32_t max_interned,
                 std::size_t max_text_bytes);

    static IdDictionary& users();    // "USER_", catalog range 100,000,000
    static IdDictionary& products(); // "PROD_", catalog range 10,000,000

    enum class Verdict : std::uint8_t { Ok, BadPattern, Full };
    // The prefix followed by 1 to kMaxDigits ASCII digits, else BadPattern; Full when a new id
    // would exceed the cap (counted in interned().refused()).
    Verdict lookup(std::string_view text, std::uint32_t& index);

    // Writes the id's text (at most kMaxTextLength characters); index from lookup() or below
    // catalogRange().
    std::size_t format(std::uint32_t index, char* out) const;

    std::string_view prefix() const { return prefix_; }
    std::uint32_t catalogRange() const { return catalog_range_; }
    bool isCatalogIndex(std::uint32_t index) const { return index < catalog_range_; }
    const InternTable& interned() const { return interned_; }

private:
    std::string_view prefix_;
    std::uint32_t catalog_range_;
    InternTable interned_;
};

// The product names of other producers' events, interned like ids (one copy of each name;
// NameId in ids.h).
InternTable& productNames();

} // namespace gm
