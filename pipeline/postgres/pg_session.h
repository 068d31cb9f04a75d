// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;

namespace gm {

// A failed statement or connection. connection_lost tells a retry on a new connection apart from
// an error the same data would hit again (constraint violation, bad value).
class PgError : public std::runtime_error {
public:
    PgError(std::string message, std::string sqlstate, bool connection_lost)
        : std::runtime_error(std::move(message)), sqlstate_(std::move(sqlstate)),
          connection_lost_(connection_lost) {}
    const std::string& sqlstate() const { return sqlstate_; }
    bool connectionLost() const { return connection_lost_; }

private:
    std::string sqlstate_;
    bool connection_lost_;
};

// A raw libpq connection: libpqxx 6.4 hides its PGconn, and the COPY fast path needs
// PQputCopyData (about a tenth of pqxx::stream_to's client CPU per row). Not thread-safe.
class PgSession {
public:
    // Throws PgError (connection_lost = true) with a one-line, password-free description.
    explicit PgSession(const std::string& conninfo);
    ~PgSession();
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    bool healthy() const;

    // Runs one or more statements that return no rows needed by the caller.
    void exec(const std::string& sql);
    // One statement with text parameters (nullopt = NULL); returns the first column of the first
    // row, if any.
    std::optional<std::string> execParams(const std::string& sql,
                                          const std::vector<std::optional<std::string>>& params);
    // One statement with text parameters; every row, every column as text (nullopt = NULL). For
    // results of a bounded size (a bytea column comes as PostgreSQL's hex text: decodeHexBytea).
    using Rows = std::vector<std::vector<std::optional<std::string>>>;
    Rows query(const std::string& sql, const std::vector<std::optional<std::string>>& params);
    // COPY <target> FROM STDIN with data in COPY text format.
    void copyIn(const std::string& copy_statement, std::string_view data);
    // The same with the data in several consecutive pieces (whole rows each), sent as one COPY.
    void copyIn(const std::string& copy_statement, const std::vector<std::string_view>& parts);

    // Identifier quoting for table and column names taken from batches.
    static std::string quoteIdentifier(std::string_view name);

private:
    [[noreturn]] void fail(const char* what, const void* result);

    pg_conn* conn_ = nullptr;
};

// The bytes of a bytea value in PostgreSQL's hex output format ("\\x0a1b..."); throws
// std::invalid_argument on anything else.
std::string decodeHexBytea(std::string_view text);

} // namespace gm
