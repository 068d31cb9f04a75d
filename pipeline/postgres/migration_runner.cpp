// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/migration_runner.h"

#include "sql/embedded_sql.h"

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

namespace {

// "0003_raw_events.sql" -> version 3, name "raw_events"; throws on any other shape.
Migration migrationNamed(const std::string& file, std::string sql) {
    Migration m;
    const char* begin = file.data();
    const char* end = file.data() + file.size();
    const auto [next, error] = std::from_chars(begin, end, m.version);
    if (error != std::errc() || next == begin || next == end || *next != '_' || m.version <= 0 ||
        !file.ends_with(".sql")) {
        throw std::runtime_error("migration file name must be NNNN_name.sql: " + file);
    }
    m.name = file.substr(static_cast<std::size_t>(next - begin) + 1);
    m.name.resize(m.name.size() - 4); // ".sql"
    m.sql = std::move(sql);
    return m;
}

void sortAndCheckUnique(std::vector<Migration>& migrations, const std::string& where) {
    std::sort(migrations.begin(), migrations.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version) {
            throw std::runtime_error("two migrations with number " +
                                     std::to_string(migrations[i].version) + " in " + where);
        }
    }
}

} // namespace

std::vector<Migration> loadMigrations(const std::filesystem::path& directory) {
    std::vector<Migration> migrations;
    for (const auto& entry : std::filesystem::directory_iterator(directory)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql") {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
            throw std::runtime_error("cannot read migration " + entry.path().string());
        }
        migrations.push_back(migrationNamed(entry.path().filename().string(), text.str()));
    }
    sortAndCheckUnique(migrations, directory.string());
    return migrations;
}

std::vector<Migration> embeddedMigrations(std::string_view folder) {
    std::vector<Migration> migrations;
    const std::string prefix = std::string(folder) + "/";
    for (const EmbeddedSqlFile& file : embeddedSqlFiles()) {
        if (file.path.starts_with(prefix) &&
            file.path.find('/', prefix.size()) == std::string_view::npos) {
            migrations.push_back(migrationNamed(std::string(file.path.substr(prefix.size())),
                                                std::string(file.text)));
        }
    }
    sortAndCheckUnique(migrations, "the embedded sql/" + std::string(folder));
    return migrations;
}

MigrationRunner::MigrationRunner(std::vector<Migration> migrations)
    : migrations_(std::move(migrations)) {
    std::sort(migrations_.begin(), migrations_.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
}

MigrationRunner MigrationRunner::embedded() {
    return MigrationRunner(embeddedMigrations("migrations"));
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
