// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/pg_session.h"

#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <cstdlib>
#include <libpq-fe.h>

namespace gm {
namespace {

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

void ignoreNotice(void*, const char*) {}

// Class 08 (connection exception), 57P01-57P03 (shutdown / cannot connect now) and 53300 (too
// many connections): retrying later on a fresh connection can succeed.
bool isConnectionState(const std::string& state) {
    return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03" ||
           state == "53300";
}

} // namespace

PgSession::PgSession(const std::string& conninfo) {
    // Without a timeout, an unreachable host holds the writer thread for the kernel's TCP
    // timeout (minutes), and with it stop(). Listed before the connection string, which libpq
    // expands in place (expand_dbname), so a connect_timeout given there or in
    // PGCONNECT_TIMEOUT still wins.
    const char* env_timeout = std::getenv("PGCONNECT_TIMEOUT");
    const bool default_timeout = env_timeout == nullptr || *env_timeout == '\0';
    const char* keywords[] = {default_timeout ? "connect_timeout" : "dbname", "dbname", nullptr};
    const char* values[] = {default_timeout ? "10" : "", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr) {
        throw PgError("out of memory while connecting to PostgreSQL", "", true);
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string libpq_message = PQerrorMessage(conn_);
        std::string message = describeConnectionFailure(libpq_message, conninfo);
        PQfinish(conn_);
        conn_ = nullptr;
        throw PgError(std::move(message), connectionFailureState(libpq_message), true);
    }
    // Server notices ("relation already exists, skipping") would otherwise go to stderr.
    PQsetNoticeProcessor(conn_, ignoreNotice, nullptr);
}

PgSession::~PgSession() {
    if (conn_ != nullptr) {
        PQfinish(conn_);
    }
}

bool PgSession::healthy() const {
    return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

void PgSession::fail(const char* what, const void* result) {
    const auto* res = static_cast<const PGresult*>(result);
    std::string state;
    std::string message;
    if (res != nullptr) {
        if (const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) {
            state = s;
        }
        message = PQresultErrorMessage(res);
    }
    if (message.empty()) {
        message = PQerrorMessage(conn_);
    }
    const bool lost = PQstatus(conn_) != CONNECTION_OK || isConnectionState(state);
    throw PgError(std::string(what) + ": " + firstLine(message), state, lost);
}

void PgSession::exec(const std::string& sql) {
    Result result(PQexec(conn_, sql.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail("statement failed", result.get());
    }
}

std::optional<std::string>
PgSession::execParams(const std::string& sql,
                      const std::vector<std::optional<std::string>>& params) {
    Rows rows = query(sql, params);
    if (rows.empty() || rows.front().empty()) {
        return std::nullopt;
    }
    return std::move(rows.front().front());
}

PgSession::Rows PgSession::query(const std::string& sql,
                                 const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    Result result(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail("statement failed", result.get());
    }
    Rows rows;
    const int count = PQntuples(result.get());
    const int fields = PQnfields(result.get());
    rows.reserve(static_cast<std::size_t>(count));
    for (int r = 0; r < count; ++r) {
        auto& row = rows.emplace_back();
        row.reserve(static_cast<std::size_t>(fields));
        for (int f = 0; f < fields; ++f) {
            if (PQgetisnull(result.get(), r, f)) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(
                    std::string(PQgetvalue(result.get(), r, f),
                                static_cast<std::size_t>(PQgetlength(result.get(), r, f))));
            }
        }
    }
    return rows;
}

std::string decodeHexBytea(std::string_view text) {
    const auto nibble = [&](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw std::invalid_argument("bytea text holds a character that is not a hex digit");
    };
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
        throw std::invalid_argument("bytea text is not in the hex format (\\x...)");
    }
    std::string bytes;
    bytes.reserve((text.size() - 2) / 2);
    for (std::size_t i = 2; i < text.size(); i += 2) {
        bytes.push_back(static_cast<char>(nibble(text[i]) * 16 + nibble(text[i + 1])));
    }
    return bytes;
}

void PgSession::copyIn(const std::string& copy_statement, std::string_view data) {
    copyIn(copy_statement, std::vector<std::string_view>{data});
}

void PgSession::copyIn(const std::string& copy_statement,
                       const std::vector<std::string_view>& parts) {
    {
        Result start(PQexec(conn_, copy_statement.c_str()));
        if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
            fail("COPY failed to start", start.get());
        }
    }
    // Chunks of 1 MiB: big enough that the per-call cost vanishes, small enough that libpq's
    // output buffer does not double the batch in memory.
    constexpr std::size_t chunk = 1 << 20;
    bool sent = true;
    for (const std::string_view data : parts) {
        for (std::size_t pos = 0; pos < data.size() && sent; pos += chunk) {
            const std::size_t n = std::min(chunk, data.size() - pos);
            sent = PQputCopyData(conn_, data.data() + pos, static_cast<int>(n)) == 1;
        }
    }
    if (sent) {
        sent = PQputCopyEnd(conn_, nullptr) == 1;
    }
    // Read every result: a COPY the server rejected reports its error here.
    Result failure;
    while (Result result{PQgetResult(conn_)}) {
        if (PQresultStatus(result.get()) == PGRES_COPY_IN) {
            // Still in COPY after a failed send: end it, or PQgetResult would never finish.
            if (PQputCopyEnd(conn_, "client could not send the data") != 1) {
                break;
            }
            sent = false;
            continue;
        }
        if (PQresultStatus(result.get()) != PGRES_COMMAND_OK && !failure) {
            failure = std::move(result);
        }
    }
    if (failure || !sent) {
        fail("COPY failed", failure.get());
    }
}

std::string PgSession::quoteIdentifier(std::string_view name) {
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

} // namespace gm
