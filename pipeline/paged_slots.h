// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace gm {

// A slot (0 = none) per 32-bit id, found by indexing instead of hashing, for scratch maps that
// are filled and emptied again many times (e.g. one trending window after the other). Ids are
// dense indexes in ranges (the catalog's numbering from 0, interned ids from 10,000,000 up:
// generator/id_dictionary.h), so the slots live in pages of 65,536 allocated on first use: a
// catalog of 250K products costs 4 pages (1 MiB), an id far out one more page, never a slot for
// every id below it.
class PagedSlots {
public:
    std::uint32_t& operator[](std::uint32_t id) {
        const std::size_t page = id >> kPageBits;
        if (page >= pages_.size()) {
            pages_.resize(page + 1);
        }
        if (!pages_[page]) {
            pages_[page] = std::make_unique<Page>();
            pages_[page]->fill(0);
        }
        return (*pages_[page])[id & (kPageSize - 1)];
    }

    // Every slot back to 0 (the pages stay).
    void clear() {
        for (auto& page : pages_) {
            if (page) {
                page->fill(0);
            }
        }
    }

private:
    static constexpr unsigned kPageBits = 16;
    static constexpr std::size_t kPageSize = std::size_t{1} << kPageBits;
    using Page = std::array<std::uint32_t, kPageSize>;
    std::vector<std::unique_ptr<Page>> pages_;
};

} // namespace gm
