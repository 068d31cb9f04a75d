// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <span>
#include <string_view>

// The schema files of sql/, compiled into the program (sql/CMakeLists.txt lists them), so an
// installed or moved binary migrates its database without looking for files.
namespace gm {

struct EmbeddedSqlFile {
    std::string_view path; // relative to sql/, e.g. "migrations/0001_realtime.sql"
    std::string_view text;
};

// In the order sql/CMakeLists.txt lists them.
std::span<const EmbeddedSqlFile> embeddedSqlFiles();

} // namespace gm
