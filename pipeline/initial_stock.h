// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gm {

// Known stock levels from a file (`--initial-stock`, format in docs/initial-stock.md): CSV
// `product_id,stock`, the header optional. A product listed here has known stock even outside
// our catalog, so stock_levels rows and low-stock alerts apply to it; for a catalog product it
// replaces the generated inventory.
struct InitialStock {
    // By product index, ascending, each product once.
    std::vector<std::pair<ProductId, std::int64_t>> levels;

    bool empty() const { return levels.empty(); }
};

// The largest stock a line may give: far beyond any real shelf, well inside int64 arithmetic.
inline constexpr std::int64_t kMaxInitialStock = 1'000'000'000'000;

// Parses the text of such a file. Product ids are looked up in (and, outside our numbering,
// interned into) IdDictionary::products(). A fault gives one line: "LINE N: what is wrong".
std::optional<InitialStock> parseInitialStock(std::string_view text, std::string& problem);

// The process-wide initial stock that productTableFrom(catalog) applies to every run: set once
// at start-up from the command line, before any run (like --reference-data).
const InitialStock& initialStock();
void setInitialStock(InitialStock stock);

} // namespace gm
