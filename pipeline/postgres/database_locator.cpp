// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/database_locator.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/pg_session.h"

#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace gm {
namespace {

DatabaseChoice fromUrl(DatabaseSource source, std::string url, const std::string& label) {
    DatabaseChoice choice;
    choice.source = source;
    choice.conninfo = std::move(url);
    choice.description = label + " " + redactSecrets(choice.conninfo);
    choice.error = conninfoSyntaxError(choice.conninfo);
    return choice;
}

} // namespace

std::optional<std::string> processEnvironment(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

std::filesystem::path defaultDataDirectory(const EnvironmentLookup& env) {
    std::filesystem::path data_home;
    if (const auto xdg = env("XDG_DATA_HOME"); xdg && std::filesystem::path(*xdg).is_absolute()) {
        data_home = *xdg;
    } else if (::geteuid() == 0) {
        // Root's home is closed to the postgres account the embedded server runs as.
        return "/var/lib/globalmart";
    } else {
        std::string home = env("HOME").value_or("");
        if (home.empty()) {
            if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_dir) {
                home = pw->pw_dir;
            }
        }
        data_home = std::filesystem::path(home) / ".local" / "share";
    }
    return data_home / "globalmart";
}

std::filesystem::path defaultEmbeddedRoot(const EnvironmentLookup& env) {
    return defaultDataDirectory(env) / "postgres";
}

std::filesystem::path defaultSpillDirectory(const EnvironmentLookup& env) {
    return defaultDataDirectory(env) / "spill";
}

DatabaseChoice chooseDatabase(const std::optional<std::string>& command_line_url,
                              const EnvironmentLookup& env) {
    if (command_line_url) {
        return fromUrl(DatabaseSource::CommandLine, *command_line_url, "--db");
    }
    if (auto url = env("GLOBALMART_DATABASE_URL")) {
        return fromUrl(DatabaseSource::EnvironmentUrl, std::move(*url), "GLOBALMART_DATABASE_URL");
    }
    if (env("PGHOST") || env("PGDATABASE")) {
        DatabaseChoice choice;
        choice.source = DatabaseSource::PgEnvironment;
        choice.description = "PG* environment (" + describeTarget("") + ")";
        return choice;
    }
    DatabaseChoice choice;
    choice.source = DatabaseSource::Embedded;
    choice.embedded_root = defaultEmbeddedRoot(env);
    choice.description = "embedded PostgreSQL in " + choice.embedded_root.string();
    return choice;
}

std::optional<std::string> probeConnection(const std::string& conninfo) {
    if (auto error = conninfoSyntaxError(conninfo)) {
        return error;
    }
    try {
        PgSession session(conninfo);
        return std::nullopt;
    } catch (const PgError& e) {
        return std::string(e.what());
    }
}

} // namespace gm
