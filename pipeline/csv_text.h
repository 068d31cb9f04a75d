// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

// RFC 4180 text, the one quoting rule behind every CSV the program writes: the table files of
// --out-dir and the window's table exports.
namespace gm {

// The field as is, or in double quotes with inner quotes doubled when it holds a comma, a quote
// or a line break.
std::string csvQuoted(std::string_view field);
// The fields joined by commas, ended by CRLF.
std::string csvLine(const std::vector<std::string>& fields);

} // namespace gm
