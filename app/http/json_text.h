// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace gm {

// `value` as a JSON string literal, quotes included (RFC 8259 escapes; bytes >= 0x80 pass as
// they are: our texts are UTF-8).
std::string jsonString(std::string_view value);

} // namespace gm
