// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/product_attributes.h"

#include "generator/id_dictionary.h"

namespace gm {

bool preferLabel(CategoryId category_a, NameId name_a, CategoryId category_b, NameId name_b) {
    if (category_a != category_b) {
        return category_a > category_b;
    }
    if (name_a == name_b) {
        return false;
    }
    if (name_b == kNoName) {
        return true;
    }
    if (name_a == kNoName) {
        return false;
    }
    return productNames().text(name_a) > productNames().text(name_b);
}

ProductAttributes::ProductAttributes() {
    const IdDictionary& products = IdDictionary::products();
    const std::size_t indexes =
        std::size_t{products.catalogRange()} + products.interned().maxEntries();
    directory_ = std::vector<std::atomic<Entry*>>((indexes >> kChunkBits) + 1);
    bytes_ = directory_.size() * sizeof(std::atomic<Entry*>);
}

ProductAttributes::~ProductAttributes() {
    for (auto& chunk : directory_) {
        delete[] chunk.load(std::memory_order_relaxed);
    }
}

ProductAttributes::Entry* ProductAttributes::entry(ProductId product) const {
    const std::size_t chunk = product >> kChunkBits;
    if (chunk >= directory_.size()) {
        return nullptr;
    }
    Entry* entries = directory_[chunk].load(std::memory_order_acquire);
    return entries == nullptr ? nullptr : &entries[product & ((1U << kChunkBits) - 1)];
}

ProductAttributes::Entry& ProductAttributes::writable(ProductId product) {
    std::atomic<Entry*>& slot = directory_[product >> kChunkBits];
    Entry* entries = slot.load(std::memory_order_relaxed);
    if (entries == nullptr) {
        entries = new Entry[std::size_t{1} << kChunkBits];
        slot.store(entries, std::memory_order_release);
        bytes_ += (std::size_t{1} << kChunkBits) * sizeof(Entry);
    }
    return entries[product & ((1U << kChunkBits) - 1)];
}

void ProductAttributes::observe(ProductId product, TimestampUs time, NameId name,
                                CategoryId category, Cents price) {
    if ((std::size_t{product} >> kChunkBits) >= directory_.size()) {
        return; // beyond every index the dictionary can hand out
    }
    Entry& e = writable(product);
    bool changed = false;
    if (!e.seen) {
        e.seen = true;
        products_.fetch_add(1, std::memory_order_relaxed);
    }
    if (name != kNoName) {
        const NameId held_name = e.name.load(std::memory_order_relaxed);
        const CategoryId held_category = e.category.load(std::memory_order_relaxed);
        const bool empty = held_name == kNoName;
        if (empty || time > e.label_time ||
            (time == e.label_time && preferLabel(category, name, held_category, held_name))) {
            changed |= !empty && (name != held_name || category != held_category);
            e.label_time = time;
            e.name.store(name, std::memory_order_relaxed);
            e.category.store(category, std::memory_order_relaxed);
        }
    }
    if (price >= 0) {
        const Cents held = e.price.load(std::memory_order_relaxed);
        if (held < 0 || time > e.price_time || (time == e.price_time && price > held)) {
            changed |= held >= 0 && held != price;
            e.price_time = time;
            e.price.store(price, std::memory_order_relaxed);
        }
    }
    if (changed) {
        changes_.fetch_add(1, std::memory_order_relaxed);
    }
}

void ProductAttributes::observe(const EventBatch& batch) {
    for (const ProductViewEvent& e : batch.views) {
        if (e.event_type == ViewEventType::View) {
            observe(e.product, e.timestamp, e.product_name, e.category, e.price);
        }
    }
    for (const CartEvent& e : batch.carts) {
        if (e.event_type == CartEventType::Checkout) {
            for (const OrderLine& line : e.items) {
                observe(line.product, e.timestamp, line.name, line.category, line.price);
            }
        } else {
            observe(e.product, e.timestamp, e.product_name, e.category, e.price);
        }
    }
    for (const Transaction& tx : batch.transactions) {
        for (const OrderLine& line : tx.products) {
            observe(line.product, tx.timestamp, kNoName, kNoCategory, line.price);
        }
    }
}

ProductAttributes::Values ProductAttributes::get(ProductId product) const {
    const Entry* e = entry(product);
    if (e == nullptr) {
        return {};
    }
    return {e->name.load(std::memory_order_relaxed), e->category.load(std::memory_order_relaxed),
            e->price.load(std::memory_order_relaxed)};
}

} // namespace gm
