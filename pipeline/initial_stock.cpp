// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/initial_stock.h"

#include "generator/id_dictionary.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace gm {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

bool isHeader(std::string_view id, std::string_view stock) {
    const auto lower = [](std::string_view text) {
        std::string out(text);
        std::transform(out.begin(), out.end(), out.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return out;
    };
    return lower(id) == "product_id" && lower(stock) == "stock";
}

// Quoted for a message, cut short and with other bytes than printable ASCII as \xHH, so that
// a binary file still gives one readable line.
std::string shown(std::string_view text) {
    constexpr std::size_t kShown = 40;
    std::string out = "'";
    for (const char c : text.substr(0, kShown)) {
        if (c >= ' ' && c < 127) {
            out += c;
        } else {
            constexpr char kHex[] = "0123456789abcdef";
            const auto byte = static_cast<unsigned char>(c);
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
        }
    }
    return out + (text.size() > kShown ? "...'" : "'");
}

InitialStock& processStock() {
    static InitialStock stock;
    return stock;
}

} // namespace

std::optional<InitialStock> parseInitialStock(std::string_view text, std::string& problem) {
    std::map<ProductId, std::pair<std::int64_t, std::size_t>> levels; // stock, line
    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view raw = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++line_number;
        const std::string_view line = trimmed(raw);
        if (line.empty()) {
            continue;
        }
        const std::string where = "line " + std::to_string(line_number) + ": ";
        const std::size_t comma = line.find(',');
        if (comma == std::string_view::npos ||
            line.find(',', comma + 1) != std::string_view::npos) {
            problem = where + "expected two fields, product_id,stock; got " + shown(line);
            return std::nullopt;
        }
        const std::string_view id = trimmed(line.substr(0, comma));
        const std::string_view stock_text = trimmed(line.substr(comma + 1));
        if (line_number == 1 && isHeader(id, stock_text)) {
            continue;
        }
        std::uint32_t product = 0;
        switch (IdDictionary::products().lookup(id, product)) {
        case IdDictionary::Verdict::Ok:
            break;
        case IdDictionary::Verdict::BadPattern:
            problem = where + shown(id) + " is not a product id (PROD_<digits>, 1 to 16 digits)";
            return std::nullopt;
        case IdDictionary::Verdict::Full:
            problem = where + shown(id) + " is new and the product dictionary is full";
            return std::nullopt;
        }
        std::int64_t stock = 0;
        const auto [ptr, ec] =
            std::from_chars(stock_text.data(), stock_text.data() + stock_text.size(), stock);
        if (stock_text.empty() || ec != std::errc() ||
            ptr != stock_text.data() + stock_text.size() || stock < 0 || stock > kMaxInitialStock) {
            problem = where + "stock " + shown(stock_text) + " is not a whole number from 0 to " +
                      std::to_string(kMaxInitialStock);
            return std::nullopt;
        }
        const auto [at, inserted] = levels.try_emplace(product, stock, line_number);
        if (!inserted) {
            problem = where + std::string(id) + " is already given on line " +
                      std::to_string(at->second.second);
            return std::nullopt;
        }
    }
    InitialStock out;
    out.levels.reserve(levels.size());
    for (const auto& [product, entry] : levels) {
        out.levels.emplace_back(product, entry.first);
    }
    return out;
}

const InitialStock& initialStock() {
    return processStock();
}

void setInitialStock(InitialStock stock) {
    processStock() = std::move(stock);
}

} // namespace gm
