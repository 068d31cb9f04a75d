// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/id_dictionary.h"

#include <charconv>
#include <cstring>

namespace gm {

IdDictionary::IdDictionary(std::string_view prefix, std::uint32_t catalog_range,
                           std::uint32_t max_interned, std::size_t max_text_bytes)
    : prefix_(prefix), catalog_range_(catalog_range), interned_(max_interned, max_text_bytes) {}

IdDictionary& IdDictionary::users() {
    // Caps: 16M ids of other numbering (about 0.4 GiB, see docs/dictionaries.md).
    static IdDictionary dictionary("USER_", 100'000'000, 16U << 20, std::size_t{512} << 20);
    return dictionary;
}

IdDictionary& IdDictionary::products() {
    static IdDictionary dictionary("PROD_", 10'000'000, 4U << 20, std::size_t{128} << 20);
    return dictionary;
}

IdDictionary::Verdict IdDictionary::lookup(std::string_view text, std::uint32_t& index) {
    if (text.size() <= prefix_.size() || text.substr(0, prefix_.size()) != prefix_) {
        return Verdict::BadPattern;
    }
    const std::string_view digits = text.substr(prefix_.size());
    if (digits.size() > kMaxDigits) {
        return Verdict::BadPattern;
    }
    std::uint64_t number = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return Verdict::BadPattern;
        }
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
    }
    // The catalog's canonical form: at least 8 digits, no padding beyond 8.
    const bool canonical = digits.size() >= 8 && (digits.size() == 8 || digits[0] != '0');
    if (canonical && number >= 1 && number <= catalog_range_) {
        index = static_cast<std::uint32_t>(number - 1);
        return Verdict::Ok;
    }
    const auto id = interned_.intern(text);
    if (!id) {
        return Verdict::Full;
    }
    index = catalog_range_ + *id;
    return Verdict::Ok;
}

std::size_t IdDictionary::format(std::uint32_t index, char* out) const {
    if (index >= catalog_range_) {
        const std::string_view text = interned_.text(index - catalog_range_);
        std::memcpy(out, text.data(), text.size());
        return text.size();
    }
    std::size_t pos = 0;
    std::memcpy(out, prefix_.data(), prefix_.size());
    pos += prefix_.size();
    char digits[20];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, std::uint64_t{index} + 1);
    const auto length = static_cast<std::size_t>(end - digits);
    for (std::size_t pad = length; pad < 8; ++pad) {
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
