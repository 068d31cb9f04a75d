// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <optional>

namespace gm {

// Where the schema files (sql/) are: $GLOBALMART_SQL_DIR, else next to the installed binary
// (<prefix>/bin/../share/globalmart/sql), else the source tree the binary was built from.
// Returns the first directory that has a migrations/ subdirectory.
std::optional<std::filesystem::path> findSqlDirectory();

} // namespace gm
