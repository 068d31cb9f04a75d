// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace gm {

// 1234567 -> "1,234,567": figures in progress lines and status text.
std::string groupThousands(std::uint64_t value);

} // namespace gm
