// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/sql_directory.h"

#include <cstdlib>
#include <system_error>
#include <vector>

namespace gm {
namespace {

bool hasMigrations(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_directory(dir / "migrations", ec);
}

} // namespace

std::optional<std::filesystem::path> findSqlDirectory() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("GLOBALMART_SQL_DIR"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    }
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path bin = exe.parent_path();
        candidates.push_back(bin / ".." / "share" / "globalmart" / "sql");
        candidates.push_back(bin / "sql");
    }
#ifdef GM_SQL_SOURCE_DIR
    candidates.emplace_back(GM_SQL_SOURCE_DIR);
#endif
    for (const auto& dir : candidates) {
        if (hasMigrations(dir)) {
            return std::filesystem::weakly_canonical(dir, ec);
        }
    }
    return std::nullopt;
}

} // namespace gm
