// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace gm {

// Where the database comes from, in order of precedence.
enum class DatabaseSource {
    CommandLine,    // --db URL
    EnvironmentUrl, // GLOBALMART_DATABASE_URL
    PgEnvironment,  // PGHOST or PGDATABASE set: libpq reads the PG* variables itself
    Embedded        // nothing configured: a private cluster (EmbeddedPostgres)
};

struct DatabaseChoice {
    DatabaseSource source = DatabaseSource::Embedded;
    std::string conninfo;                // empty for PgEnvironment and Embedded
    std::filesystem::path embedded_root; // Embedded only
    // One line for logs and the status bar, password redacted: "--db postgresql://gm:***@db/x".
    std::string description;
    // Set when the URL is malformed: the caller reports it and does not connect.
    std::optional<std::string> error;
};

using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
// Reads the process environment; empty values count as unset.
std::optional<std::string> processEnvironment(const char* name);

// --db, else GLOBALMART_DATABASE_URL, else PG* (when PGHOST or PGDATABASE is set), else the
// embedded cluster under $XDG_DATA_HOME/globalmart/postgres (~/.local/share/... by default).
DatabaseChoice chooseDatabase(const std::optional<std::string>& command_line_url,
                              const EnvironmentLookup& env = processEnvironment);

// $XDG_DATA_HOME/globalmart, or $HOME/.local/share/globalmart; for root without XDG_DATA_HOME
// /var/lib/globalmart, since the embedded server then runs as the postgres account, which cannot
// enter root's home.
std::filesystem::path defaultDataDirectory(const EnvironmentLookup& env = processEnvironment);
// <defaultDataDirectory>/postgres: the embedded cluster.
std::filesystem::path defaultEmbeddedRoot(const EnvironmentLookup& env = processEnvironment);
// <defaultDataDirectory>/spill: the writer's spill files (one per database).
std::filesystem::path defaultSpillDirectory(const EnvironmentLookup& env = processEnvironment);

// Connects once and returns a one-line error naming the problem (bad URL, wrong password,
// unreachable host, ...) or nullopt when the server answers.
std::optional<std::string> probeConnection(const std::string& conninfo);

} // namespace gm
