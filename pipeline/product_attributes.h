// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace gm {

// Product attributes as the events sent them (docs/dictionaries.md): the label (product_name and
// category, sent together by views, cart events and checkout items) and the price (those, and
// transaction lines). Per attribute the newest event time wins; equal times go to the larger
// value (category, then name text; price), so the final state does not depend on the order the
// events arrived in. A newer value that differs from the held one counts as a change.
//
// One writer thread (the engine's router, over whole batches), any number of readers: the
// values are atomics in chunks that never move, so a reader (the window's product names) never
// waits for the writer. Memory: one chunk of 4,096 entries (160 KiB) per range of product
// indexes seen.
class ProductAttributes {
public:
    struct Values {
        NameId name = kNoName;
        CategoryId category = kNoCategory;
        Cents price = -1; // -1: no price seen
    };

    ProductAttributes();
    ~ProductAttributes();
    ProductAttributes(const ProductAttributes&) = delete;
    ProductAttributes& operator=(const ProductAttributes&) = delete;

    // Writer thread only. name == kNoName: the event carried no label (a generated event or a
    // transaction line); price < 0: no price.
    void observe(ProductId product, TimestampUs time, NameId name, CategoryId category,
                 Cents price);
    void observe(const EventBatch& batch);

    // Any thread.
    Values get(ProductId product) const;
    std::uint64_t changes() const { return changes_.load(std::memory_order_relaxed); }
    std::uint64_t products() const { return products_.load(std::memory_order_relaxed); }
    std::size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

private:
    static constexpr std::uint32_t kChunkBits = 12;
    struct Entry {
        std::atomic<NameId> name{kNoName};
        std::atomic<CategoryId> category{kNoCategory};
        std::atomic<Cents> price{-1};
        TimestampUs label_time = 0; // writer only
        TimestampUs price_time = 0; // writer only
        bool seen = false;          // writer only
    };
    Entry* entry(ProductId product) const;
    Entry& writable(ProductId product);

    std::vector<std::atomic<Entry*>> directory_;
    std::atomic<std::uint64_t> changes_{0};
    std::atomic<std::uint64_t> products_{0};
    std::atomic<std::size_t> bytes_{0};
};

// True when label (a) is to be kept over label (b) at the same event time.
bool preferLabel(CategoryId category_a, NameId name_a, CategoryId category_b, NameId name_b);

} // namespace gm
