// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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

// "host /tmp/x port 5499 database gm user postgres" for messages, from the conninfo plus the PG*
// environment libpq would use. Never includes the password.
std::string describeTarget(const std::string& conninfo);

} // namespace gm
