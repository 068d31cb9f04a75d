// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gm {

// Removes secrets from text that may quote a connection string: password=... (quoted or not)
// and the password part of postgresql://user:password@host URIs.
std::string redactSecrets(std::string_view text);

// The first line of a (possibly multi-line) libpq message, trimmed, secrets redacted.
std::string firstLine(std::string_view message);

// One line for the user naming what went wrong when connecting: "wrong password for user
// \"gm\"", "no PostgreSQL server at /tmp/pg port 5499 (connection refused)", "bad database URL:
// ...". conninfo is only used (redacted) to say which server was meant.
std::string describeConnectionFailure(std::string_view libpq_message, std::string_view conninfo);

// Checks the syntax of a libpq URI or key=value string without connecting; the error in one line.
std::optional<std::string> conninfoSyntaxError(const std::string& conninfo);

// Values libpq parses without complaint but refuses only when it connects (sslmode=bogus,
// port=notaport, connect_timeout=soon), checked without connecting. A keyword the conninfo does
// not give is checked in the PG* variable libpq falls back to (PGSSLMODE, PGPORT, ...). The
// error is one line naming where the bad value came from: `setting` ("--db") for the conninfo,
// the variable's name for the environment.
std::optional<std::string>
connectionValueError(const std::string& conninfo, std::string_view setting,
                     const std::function<std::optional<std::string>(const char*)>& environment);

// The SQLSTATE-like class of a failed connection attempt, from libpq's message (libpq gives no
// SQLSTATE before a connection exists): "28P01" wrong or missing password, "28000" refused by
// role or pg_hba.conf rules, "3D000" no such database, "08001" anything else (no server, network,
// server starting up: worth retrying).
std::string connectionFailureState(std::string_view libpq_message);
// True for states no retry can cure: the configuration (user, password, database) is wrong.
bool isConfigurationFailure(std::string_view state);

// "host /tmp/x port 5499 database gm user postgres" for messages, from the conninfo plus the PG*
// environment libpq would use. Never includes the password.
std::string describeTarget(const std::string& conninfo);

} // namespace gm
