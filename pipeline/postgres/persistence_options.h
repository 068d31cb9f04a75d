// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/database_locator.h"

#include <filesystem>
#include <optional>
#include <string>

// How a run persists, apart from the persistence itself so that the runtime's public header
// (read by the window) carries the options without any libpq or libpqxx header.
namespace gm {

struct PersistenceOptions {
    std::optional<std::string> database_url; // --db
    bool raw_events = true;                  // --no-raw-events turns it off
    EnvironmentLookup environment = processEnvironment;
    // Tests: where the embedded cluster lives and as whom it runs (see EmbeddedPostgresOptions).
    std::optional<std::filesystem::path> embedded_root;
    std::optional<std::string> embedded_run_as_user;
    // Where the writer's spill file lives; default defaultSpillDirectory().
    std::optional<std::filesystem::path> spill_directory;
};

} // namespace gm
