// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/id_dictionary.h"

#include <bit>
#include <charconv>
#include <cstring>

namespace gm {

IdDictionary::IdDictionary(std::string_view prefix, std::uint32_t catalog_range,
                           std::uint32_t max_interned, std::size_t max_text_bytes)
    : prefix_(prefix), catalog_range_(catalog_range), interned_(max_interned, max_text_bytes),
      seen_((std::size_t{catalog_range} >> kSeenChunkBits) + 1) {}

IdDictionary::~IdDictionary() {
    for (auto& chunk : seen_) {
        delete chunk.load(std::memory_order_relaxed);
    }
}

void IdDictionary::noteSeen(std::uint32_t index) {
    std::atomic<SeenChunk*>& entry = seen_[index >> kSeenChunkBits];
    SeenChunk* chunk = entry.load(std::memory_order_acquire);
    if (chunk == nullptr) {
        std::lock_guard lock(seen_mutex_);
        chunk = entry.load(std::memory_order_acquire);
        if (chunk == nullptr) {
            chunk = new SeenChunk;
            entry.store(chunk, std::memory_order_release);
        }
    }
    const std::uint32_t bit = index & ((1U << kSeenChunkBits) - 1);
    std::atomic<std::uint64_t>& word = chunk->words[bit / 64];
    const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
    // Read first: once seen, an index costs one load of a word that stays in cache.
    if ((word.load(std::memory_order_relaxed) & mask) == 0 &&
        (word.fetch_or(mask, std::memory_order_relaxed) & mask) == 0) {
        chunk->count.fetch_add(1, std::memory_order_relaxed);
    }
}

std::uint64_t IdDictionary::outsideCatalog(std::uint32_t catalog_size) const {
    std::uint64_t outside = interned_.size();
    if (catalog_size >= catalog_range_) {
        return outside;
    }
    const std::size_t first = catalog_size >> kSeenChunkBits;
    for (std::size_t c = first; c < seen_.size(); ++c) {
        const SeenChunk* chunk = seen_[c].load(std::memory_order_acquire);
        if (chunk == nullptr) {
            continue;
        }
        if (c > first) {
            outside += chunk->count.load(std::memory_order_relaxed);
            continue;
        }
        // The chunk holding the boundary: count the bits at or above it.
        const std::uint32_t from = catalog_size & ((1U << kSeenChunkBits) - 1);
        for (std::uint32_t w = from / 64; w < std::size(chunk->words); ++w) {
            std::uint64_t bits = chunk->words[w].load(std::memory_order_relaxed);
            if (w == from / 64) {
                bits &= ~std::uint64_t{0} << (from % 64);
            }
            outside += static_cast<std::uint64_t>(std::popcount(bits));
        }
    }
    return outside;
}

IdDictionary& IdDictionary::users() {
    // Caps: 16M ids of other numbering (about 0.4 GiB, see docs/dictionaries.md).
    static IdDictionary dictionary("USER_", 100'000'000, 16U << 20, std::size_t{512} << 20);
    return dictionary;
}

IdDictionary& IdDictionary::products() {
    static IdDictionary dictionary("PROD_", 10'000'000, 4U << 20, std::size_t{128} << 20);
    return dictionary;
}

namespace {

// Eight ASCII digits loaded little-endian (the first in the lowest byte): whether they all are
// digits, and their value. Ids of other shops have 9 or more digits: most are read in one step.
bool eightDigits(std::uint64_t word) {
    return ((word & 0xF0F0F0F0F0F0F0F0ULL) |
            (((word + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
           0x3333333333333333ULL;
}

std::uint64_t eightDigitsValue(std::uint64_t word) {
    word = (word & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;            // pairs of digits
    word = (word & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;        // groups of four
    return (word & 0x0000FFFF0000FFFFULL) * 42949672960001 >> 32; // all eight
}

} // namespace

IdDictionary::ParsedId IdDictionary::parse(std::string_view text) const {
    if (text.size() <= prefix_.size() || text.substr(0, prefix_.size()) != prefix_) {
        return {};
    }
    const std::string_view digits = text.substr(prefix_.size());
    if (digits.size() > kMaxDigits) {
        return {};
    }
    std::uint64_t number = 0;
    std::size_t pos = 0;
    // 16 digits at most: the value stays below 10^16 < 2^54 (IdTable::keyOf).
    for (; pos + 8 <= digits.size(); pos += 8) {
        std::uint64_t word;
        std::memcpy(&word, digits.data() + pos, 8);
        if (!eightDigits(word)) {
            return {};
        }
        number = number * 100'000'000 + eightDigitsValue(word);
    }
    for (; pos < digits.size(); ++pos) {
        const char c = digits[pos];
        if (c < '0' || c > '9') {
            return {};
        }
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
    }
    // The catalog's canonical form: at least 8 digits, no padding beyond 8.
    const bool canonical = digits.size() >= 8 && (digits.size() == 8 || digits[0] != '0');
    if (canonical && number >= 1 && number <= catalog_range_) {
        return {true, true, static_cast<std::uint32_t>(number - 1), 0};
    }
    return {true, false, 0, IdTable::keyOf(digits.size(), number)};
}

IdDictionary::Verdict IdDictionary::lookup(std::string_view text, std::uint32_t& index) {
    return lookup(parse(text), text.size(), index);
}

IdDictionary::Verdict IdDictionary::lookup(const ParsedId& parsed, std::size_t text_length,
                                           std::uint32_t& index) {
    if (!parsed.valid) {
        return Verdict::BadPattern;
    }
    if (parsed.canonical) {
        index = parsed.index;
        noteSeen(index);
        return Verdict::Ok;
    }
    const auto id = interned_.intern(parsed.key, text_length);
    if (!id) {
        return Verdict::Full;
    }
    index = catalog_range_ + *id;
    return Verdict::Ok;
}

void IdDictionary::prefetch(std::string_view text) const {
    prefetch(parse(text));
}

void IdDictionary::prefetch(const ParsedId& parsed) const {
    if (parsed.valid && !parsed.canonical) {
        interned_.prefetch(parsed.key);
    }
}

std::optional<std::uint32_t> IdDictionary::find(std::string_view text) const {
    const ParsedId parsed = parse(text);
    if (!parsed.valid) {
        return std::nullopt;
    }
    if (parsed.canonical) {
        return parsed.index;
    }
    const auto id = interned_.find(parsed.key);
    return id ? std::optional<std::uint32_t>(catalog_range_ + *id) : std::nullopt;
}

std::size_t IdDictionary::format(std::uint32_t index, char* out) const {
    std::uint64_t number = std::uint64_t{index} + 1;
    std::size_t width = 8; // the catalog's numbering: zero-padded to 8 digits
    if (index >= catalog_range_) {
        const std::uint64_t key = interned_.key(index - catalog_range_);
        if (key == 0) {
            return 0; // not an index of this dictionary
        }
        number = IdTable::valueOf(key);
        width = IdTable::digitsOf(key);
    }
    std::size_t pos = 0;
    std::memcpy(out, prefix_.data(), prefix_.size());
    pos += prefix_.size();
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
    const auto length = static_cast<std::size_t>(end - digits);
    for (std::size_t pad = length; pad < width; ++pad) {
        out[pos++] = '0';
    }
    std::memcpy(out + pos, digits, length);
    return pos + length;
}

InternTable& productNames() {
    static InternTable names(16U << 20, std::size_t{1} << 30);
    return names;
}

} // namespace gm
