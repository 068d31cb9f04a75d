// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/name_index.h"

#include "generator/short_text.h"

#include <cstring>

namespace gm {

NameIndex::NameIndex(const std::vector<std::string>& names) : names_(&names) {
    slots_.fill(kEmpty);
    for (std::size_t i = 0; i < names.size() && i < kMaxNames; ++i) {
        if (find(names[i])) {
            continue;
        }
        std::size_t slot = slotOf(names[i]);
        while (slots_[slot] != kEmpty) {
            slot = (slot + 1) % kSlots;
        }
        slots_[slot] = static_cast<std::uint8_t>(i);
    }
}

std::size_t NameIndex::slotOf(std::string_view text) {
    // Up to eight bytes from each end (overlapping when short), mixed with the length.
    const std::size_t size = text.size();
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    if (size >= 8) {
        std::memcpy(&head, text.data(), 8);
        std::memcpy(&tail, text.data() + size - 8, 8);
    } else if (size >= 4) {
        std::uint32_t first, last;
        std::memcpy(&first, text.data(), 4);
        std::memcpy(&last, text.data() + size - 4, 4);
        head = first;
        tail = last;
    } else if (size > 0) {
        head = static_cast<unsigned char>(text[0]) |
               static_cast<std::uint64_t>(static_cast<unsigned char>(text[size / 2])) << 8 |
               static_cast<std::uint64_t>(static_cast<unsigned char>(text[size - 1])) << 16;
    }
    std::uint64_t hash = (head ^ size * 0x9E3779B97F4A7C15ULL) * 0xBF58476D1CE4E5B9ULL;
    hash ^= tail * 0x94D049BB133111EBULL;
    hash ^= hash >> 31;
    return static_cast<std::size_t>(hash) % kSlots;
}

std::optional<std::uint8_t> NameIndex::find(std::string_view text) const {
    if (names_ == nullptr) {
        return std::nullopt;
    }
    for (std::size_t slot = slotOf(text);; slot = (slot + 1) % kSlots) {
        const std::uint8_t index = slots_[slot];
        if (index == kEmpty) {
            return std::nullopt;
        }
        if (sameShortText((*names_)[index], text)) {
            return index;
        }
    }
}

} // namespace gm
