// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// The position of a name in a fixed list of at most 255 names (the categories, countries and
// payment methods of the reference data): a hash of the text's length and its first and last
// bytes picks a slot, and one comparison confirms it. Scanning the list compared a category
// against up to 100 names on every event that carries one. Built once per list; the list must
// outlive the index and not change.
class NameIndex {
public:
    static constexpr std::size_t kMaxNames = 255;

    NameIndex() = default;
    // names.size() <= kMaxNames; a name listed twice keeps its first position.
    explicit NameIndex(const std::vector<std::string>& names);

    std::optional<std::uint8_t> find(std::string_view text) const;

private:
    static constexpr std::size_t kSlots = 1024; // at most a quarter full: probes stay short
    static constexpr std::uint8_t kEmpty = 0xFF;

    static std::size_t slotOf(std::string_view text);

    const std::vector<std::string>* names_ = nullptr;
    std::array<std::uint8_t, kSlots> slots_{};
};

} // namespace gm
