// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/migration_runner.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

namespace gm {
namespace {

// "globalmart" in ASCII: the key every globalmart instance locks while migrating.
constexpr long long kMigrationLockKey = 0x676c6f62616c6d;

constexpr const char* kCreateVersionTable = "CREATE TABLE IF NOT EXISTS schema_version ("
                                            " version integer PRIMARY KEY,"
                                            " name text NOT NULL,"
                                            " applied_at timestamptz NOT NULL DEFAULT now())";

int readVersion(pqxx::transaction_base& txn) {
    const pqxx::row exists = txn.exec1("SELECT to_regclass('schema_version') IS NOT NULL");
    if (!exists[0].as<bool>()) {
        return 0;
    }
    const pqxx::row row = txn.exec1("SELECT coalesce(max(version), 0) FROM schema_version");
    return row[0].as<int>();
}

void lock(pqxx::transaction_base& txn) {
    txn.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
}

} // namespace

SchemaTooNewError::SchemaTooNewError(int database_version, int known_version)
    : std::runtime_error("database schema is version " + std::to_string(database_version) +
                         " but this globalmart knows up to " + std::to_string(known_version) +
                         ": upgrade globalmart"),
      database_version_(database_version), known_version_(known_version) {}

std::vector<Migration> loadMigrations(const std::filesystem::path& directory) {
    std::vector<Migration> migrations;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        const std::string file = entry.path().filename().string();
        if (!entry.is_regular_file() || entry.path().extension() != ".sql") {
            continue;
        }
        Migration m;
        const char* begin = file.data();
        const char* end = file.data() + file.size();
        const auto [next, error] = std::from_chars(begin, end, m.version);
        if (error != std::errc() || next == begin || next == end || *next != '_' ||
            m.version <= 0) {
            throw std::runtime_error("migration file name must be NNNN_name.sql: " + file);
        }
        m.name = file.substr(static_cast<std::size_t>(next - begin) + 1);
        m.name.resize(m.name.size() - 4); // ".sql"
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            throw std::runtime_error("cannot read migration " + entry.path().string());
        }
        m.sql = text.str();
        migrations.push_back(std::move(m));
    }
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version) {
            throw std::runtime_error("two migrations with number " +
                                     std::to_string(migrations[i].version) + " in " +
                                     directory.string());
        }
    }
    return migrations;
}

MigrationRunner::MigrationRunner(std::vector<Migration> migrations)
    : migrations_(std::move(migrations)) {
    std::sort(migrations_.begin(), migrations_.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

MigrationRunner MigrationRunner::fromDirectory(const std::filesystem::path& sql_directory) {
    const auto dir = sql_directory / "migrations";
    if (!std::filesystem::is_directory(dir)) {
        throw std::runtime_error("no migrations directory at " + dir.string());
    }
    return MigrationRunner(loadMigrations(dir));
}

int MigrationRunner::latestVersion() const {
    return migrations_.empty() ? 0 : migrations_.back().version;
}

int MigrationRunner::databaseVersion(pqxx::connection_base& connection) {
    pqxx::read_transaction txn(connection);
    return readVersion(txn);
}

MigrationRunner::Result MigrationRunner::migrate(pqxx::connection_base& connection) const {
    Result result;
    {
        pqxx::work txn(connection);
        lock(txn);
        txn.exec(kCreateVersionTable);
        result.from_version = readVersion(txn);
        txn.commit();
    }
    if (result.from_version > latestVersion()) {
        throw SchemaTooNewError(result.from_version, latestVersion());
    }
    result.to_version = result.from_version;
    for (const Migration& m : migrations_) {
        if (m.version <= result.to_version) {
            continue;
        }
        pqxx::work txn(connection);
        lock(txn);
        // Another instance may have applied it while we waited for the lock.
        const int current = readVersion(txn);
        if (current > latestVersion()) {
            throw SchemaTooNewError(current, latestVersion());
        }
        if (current >= m.version) {
            result.to_version = current;
            continue;
        }
        try {
            txn.exec(m.sql);
        } catch (const pqxx::sql_error& e) {
            throw std::runtime_error("migration " + std::to_string(m.version) + "_" + m.name +
                                     " failed: " + e.what());
        }
        txn.exec_params("INSERT INTO schema_version (version, name) VALUES ($1, $2)", m.version,
                        m.name);
        txn.commit();
        result.applied.push_back(m.version);
        result.to_version = m.version;
    }
    return result;
}

} // namespace gm
