// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/dedup_horizon.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace gm {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

std::size_t slotOf(const Uuid& id, std::size_t mask) {
    // UUIDs are mostly random bits, but ids from other producers need not be: mix both halves
    // (splitmix64's finalizer), so that patterned ids do not pile up in one probe run.
    std::uint64_t x = id.high ^ std::rotl(id.low, 29) * 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return static_cast<std::size_t>(x ^ (x >> 31)) & mask;
}

// Zeroed slots (all nil), aligned to a huge page when at least one fits, with the kernel asked
// to back them by huge pages (Linux, transparent huge pages in "madvise" mode or "always").
Uuid* allocateSlots(std::size_t slots) {
    const std::size_t bytes = slots * sizeof(Uuid);
    const std::size_t alignment = bytes >= kHugePage ? kHugePage : alignof(Uuid);
    void* memory = std::aligned_alloc(alignment, (bytes + alignment - 1) / alignment * alignment);
    if (memory == nullptr) {
        throw std::bad_alloc();
    }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= kHugePage) {
        madvise(memory, bytes, MADV_HUGEPAGE); // advice only: without it, 4 KiB pages
    }
#endif
    std::memset(memory, 0, bytes);
    return static_cast<Uuid*>(memory);
}

} // namespace

void DedupHorizon::FreeSlots::operator()(Uuid* slots) const {
    std::free(slots);
}

DedupHorizon::DedupHorizon(std::size_t capacity)
    : generation_size_(std::max<std::size_t>(capacity / 2, 1)),
      // At most half full, so linear probes stay short. Tables are allocated on first use so
      // an idle source costs nothing.
      slots_(std::bit_ceil(2 * generation_size_)) {}

bool DedupHorizon::Table::contains(const Uuid& id) const {
    if (!entries) {
        return false;
    }
    for (std::size_t i = slotOf(id, mask);; i = (i + 1) & mask) {
        if (entries[i] == id) {
            return true;
        }
        if (entries[i].isNil()) {
            return false;
        }
    }
}

void DedupHorizon::Table::insert(const Uuid& id, std::size_t slots) {
    if (!entries) {
        entries.reset(allocateSlots(slots));
        mask = slots - 1;
    }
    std::size_t i = slotOf(id, mask);
    while (!entries[i].isNil()) {
        i = (i + 1) & mask;
    }
    entries[i] = id;
    ++count;
}

void DedupHorizon::Table::clear() {
    if (entries) {
        std::memset(static_cast<void*>(entries.get()), 0, (mask + 1) * sizeof(Uuid));
    }
    count = 0;
}

void DedupHorizon::prefetch(const Uuid& id) const {
    // The young table is written by insert() when the id is new: fetch its slot for writing.
    if (young_.entries) {
        __builtin_prefetch(&young_.entries[slotOf(id, young_.mask)], 1);
    }
    if (old_.entries) {
        __builtin_prefetch(&old_.entries[slotOf(id, old_.mask)], 0);
    }
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
    young_.insert(id, slots_);
    return true;
}

} // namespace gm
