// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/dedup_horizon.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace gm {

namespace {

std::size_t slotOf(const Uuid& id, std::size_t mask) {
    // UUIDs are mostly random bits, but ids from other producers need not be: mix both halves
    // (splitmix64's finalizer), so that patterned ids do not pile up in one probe run.
    std::uint64_t x = id.high ^ std::rotl(id.low, 29) * 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(x ^ (x >> 31)) & mask;
}

} // namespace

DedupHorizon::DedupHorizon(std::size_t capacity)
    : generation_size_(std::max<std::size_t>(capacity / 2, 1)) {
    // At most half full, so linear probes stay short. Tables are allocated on first use so an
    // idle source costs nothing.
    const std::size_t entries = std::bit_ceil(2 * generation_size_);
    young_.entries.reserve(entries);
    old_.entries.reserve(entries);
}

bool DedupHorizon::Table::contains(const Uuid& id) const {
    if (entries.empty()) {
        return false;
    }
    const std::size_t mask = entries.size() - 1;
    for (std::size_t i = slotOf(id, mask);; i = (i + 1) & mask) {
        if (entries[i] == id) {
            return true;
        }
        if (entries[i].isNil()) {
            return false;
        }
    }
}

void DedupHorizon::Table::insert(const Uuid& id) {
    if (entries.empty()) {
        entries.resize(entries.capacity());
    }
    const std::size_t mask = entries.size() - 1;
    std::size_t i = slotOf(id, mask);
    while (!entries[i].isNil()) {
        i = (i + 1) & mask;
    }
    entries[i] = id;
    ++count;
}

void DedupHorizon::Table::clear() {
    std::fill(entries.begin(), entries.end(), Uuid{});
    count = 0;
}

bool DedupHorizon::insert(const Uuid& id) {
    if (id.isNil()) {
        if (has_nil_young_ || has_nil_old_) {
            return false;
        }
        has_nil_young_ = true;
        return true;
    }
    if (young_.contains(id) || old_.contains(id)) {
        return false;
    }
    if (young_.count >= generation_size_) {
        std::swap(young_, old_);
        young_.clear();
        has_nil_old_ = has_nil_young_;
        has_nil_young_ = false;
    }
    young_.insert(id);
    return true;
}

} // namespace gm
