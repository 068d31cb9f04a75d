// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/id_table.h"
#include "generator/ids.h"
#include "generator/intern_table.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace gm {

// The open dictionary of one kind of id (users or products): the text ids of any producer, as
// dense 32-bit indexes (docs/dictionaries.md).
//
// Two ranges of indexes. Ids in the generated catalog's own numbering (the canonical text
// formatPrefixedId writes: the prefix, the number from 1 to `catalog_range` zero-padded to 8
// digits) are index = number - 1, computed, never stored: the simulator's catalog and a shop
// numbering its ids the same way cost nothing. Every other id matching the pattern (USER_1,
// USER_000000001, PROD_90000001, ...) is interned on first sight at catalog_range, +1, ... and
// keeps its exact text: nothing is ever rewritten. It is held as its digit count and value
// (IdTable), from which the text is written back exactly.
//
// Every index a lookup hands out is also noted once, so that the dictionary can say how many
// distinct ids lie outside a catalog of a given size (outsideCatalog): interned ids always do,
// ids in the catalog's numbering when their number is beyond the catalog's size.
//
// Thread-safe (see InternTable); one process-wide instance per kind, shared by decoders,
// pipeline workers and every edge that writes ids back as text.
class IdDictionary {
public:
    static constexpr std::size_t kMaxDigits = IdTable::kMaxDigits;
    static constexpr std::size_t kMaxTextLength = 24; // prefix + digits fit, with room

    IdDictionary(std::string_view prefix, std::uint32_t catalog_range, std::uint32_t max_interned,
                 std::size_t max_text_bytes);
    ~IdDictionary();
    IdDictionary(const IdDictionary&) = delete;
    IdDictionary& operator=(const IdDictionary&) = delete;

    static IdDictionary& users();    // "USER_", catalog range 100,000,000
    static IdDictionary& products(); // "PROD_", catalog range 10,000,000

    enum class Verdict : std::uint8_t { Ok, BadPattern, Full };
    // The prefix followed by 1 to kMaxDigits ASCII digits, else BadPattern; Full when a new id
    // would exceed the cap (counted in interned().refused()).
    Verdict lookup(std::string_view text, std::uint32_t& index);
    // Starts loading what lookup(text) will read (IdTable::prefetch); does nothing for the
    // catalog's numbering, which reads no table.
    void prefetch(std::string_view text) const;

    // An id's text, read once: its index in the catalog's numbering, or its key to intern. The
    // decoder reads an event's ids once to prefetch them and looks them up later with that.
    struct ParsedId {
        bool valid = false;
        bool canonical = false;
        std::uint32_t index = 0; // when canonical
        std::uint64_t key = 0;   // otherwise
    };
    ParsedId parse(std::string_view text) const;
    void prefetch(const ParsedId& id) const;
    // id = parse(text) of this dictionary; text_length = text.size().
    Verdict lookup(const ParsedId& id, std::size_t text_length, std::uint32_t& index);
    // The index of an id already interned, or in the catalog's numbering; never interns.
    std::optional<std::uint32_t> find(std::string_view text) const;

    // Writes the id's text (at most kMaxTextLength characters); index from lookup() or below
    // catalogRange().
    std::size_t format(std::uint32_t index, char* out) const;

    std::string_view prefix() const { return prefix_; }
    std::uint32_t catalogRange() const { return catalog_range_; }
    bool isCatalogIndex(std::uint32_t index) const { return index < catalog_range_; }
    const IdTable& interned() const { return interned_; }
    IdTable& interned() { return interned_; }

    // Distinct ids looked up so far whose index is catalog_size or more: the ids outside a
    // catalog of that many entries (every interned id, and the catalog's numbering beyond it).
    std::uint64_t outsideCatalog(std::uint32_t catalog_size) const;

private:
    static constexpr std::uint32_t kSeenChunkBits = 16; // indexes per chunk of the seen bitmap
    struct SeenChunk {
        std::atomic<std::uint64_t> words[(std::size_t{1} << kSeenChunkBits) / 64] = {};
        std::atomic<std::uint32_t> count{0};
    };
    void noteSeen(std::uint32_t index);

    std::string_view prefix_;
    std::uint32_t catalog_range_;
    IdTable interned_;
    // Which indexes of the catalog's numbering have been looked up (chunks made on first use).
    std::vector<std::atomic<SeenChunk*>> seen_;
    std::mutex seen_mutex_;
};

// The product names of other producers' events, interned like ids (one copy of each name;
// NameId in ids.h).
InternTable& productNames();

} // namespace gm
