// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"

#include <cstddef>
#include <memory>

namespace gm {

// Remembers recent event ids to drop redelivered events (producer retries, replays of one
// topic by two producers). Bounded by count rather than time because memory is what must not
// grow: it remembers at least the last capacity/2 ids and at most the last `capacity`.
// Two generations of flat open-addressing tables: when the young one holds capacity/2 ids it
// becomes the old one and the former old one is cleared. That costs one memset per half
// horizon instead of a node allocation and an eviction per id, which made std::unordered_set
// with FIFO eviction the consumer's second-largest cost. Not thread-safe: the consumer thread
// owns it.
//
// The tables are large (16 MiB each at the default million ids) and every id lands at a random
// place in both, so a lookup waits for memory twice: the tables sit on huge pages where the
// system allows (one TLB entry per 2 MiB instead of per 4 KiB), and prefetch() lets the caller
// start both loads early.
class DedupHorizon {
public:
    explicit DedupHorizon(std::size_t capacity);

    // True the first time an id is seen within the horizon, false for a duplicate.
    bool insert(const Uuid& id);
    // Starts loading the slots insert(id) will look at first, so that the cache misses overlap
    // with other work (the Kafka source calls it as soon as an event's id is decoded, before
    // its other fields). Changes nothing.
    void prefetch(const Uuid& id) const;
    std::size_t size() const { return young_.count + old_.count; }
    std::size_t capacity() const { return 2 * generation_size_; }

private:
    struct FreeSlots {
        void operator()(Uuid* slots) const;
    };
    struct Table {
        std::unique_ptr<Uuid[], FreeSlots> entries; // the nil UUID marks an empty slot
        std::size_t mask = 0;                       // slots - 1, once allocated
        std::size_t count = 0;
        bool contains(const Uuid& id) const;
        void insert(const Uuid& id, std::size_t slots);
        void clear();
    };

    std::size_t generation_size_;
    std::size_t slots_;          // per table, a power of two
    bool has_nil_young_ = false; // the nil UUID cannot live in a table
    bool has_nil_old_ = false;
    Table young_;
    Table old_;
};

} // namespace gm
