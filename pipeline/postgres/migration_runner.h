// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace gm {

struct Migration {
    int version = 0;  // from the file name: 0003_raw_events.sql -> 3
    std::string name; // "raw_events"
    std::string sql;
};

// The database was migrated by a newer globalmart: refusing to touch it is the only safe move.
class SchemaTooNewError : public std::runtime_error {
public:
    SchemaTooNewError(int database_version, int known_version);
    int databaseVersion() const { return database_version_; }
    int knownVersion() const { return known_version_; }

private:
    int database_version_;
    int known_version_;
};

// Reads NNNN_name.sql files of a directory, ordered by number. Throws std::runtime_error on a
// malformed name, a duplicate number or an unreadable file.
std::vector<Migration> loadMigrations(const std::filesystem::path& directory);
// The NNNN_name.sql files compiled into the program from sql/<folder>/ (sql/CMakeLists.txt).
std::vector<Migration> embeddedMigrations(std::string_view folder);

// Brings a database's schema up to the newest migration. Each pending migration runs in its own
// transaction together with its schema_version row, so a failure leaves the database at the
// previous version. A transaction-scoped advisory lock serialises concurrent runners (two app
// instances starting at once): the second waits, then finds nothing left to do.
class MigrationRunner {
public:
    explicit MigrationRunner(std::vector<Migration> migrations);
    // The real-time schema compiled into the program (sql/migrations).
    static MigrationRunner embedded();

    struct Result {
        int from_version = 0;
        int to_version = 0;
        std::vector<int> applied;
    };
    // Throws SchemaTooNewError, or pqxx errors from the statements.
    Result migrate(pqxx::connection_base& connection) const;
    // 0 when the database has no schema_version table yet.
    static int databaseVersion(pqxx::connection_base& connection);
    int latestVersion() const;
    const std::vector<Migration>& migrations() const { return migrations_; }

private:
    std::vector<Migration> migrations_;
};

} // namespace gm
