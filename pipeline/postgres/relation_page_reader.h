// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

// One page of a table or view in PostgreSQL, filtered and ordered, with the number of rows the
// filters match: what the HTTP API serves of the warehouse and of the stored real-time history.
// Plain header (no libpq): app/ includes it. Identifiers (schema, relation, columns) come from
// the caller's own table descriptions and are quoted; every value is a statement parameter, so
// nothing a client sends becomes SQL text.
namespace gm {

enum class PageFilterOp { Eq, Neq, Gt, Gte, Lt, Lte, In, Like };

struct PageColumn {
    std::string name;
    // How the column compares and prints: Time prints as ISO 8601 UTC with microseconds and Z
    // (the real-time tables' CSV rendering); Text compares and sorts byte-wise (COLLATE "C"), as
    // the snapshot API does; Other (numbers, dates, booleans, uuids) as PostgreSQL's own type.
    enum class Kind { Text, Time, Other } kind = Kind::Other;
};

struct PageFilter {
    std::size_t column = 0;
    PageFilterOp op = PageFilterOp::Eq;
    std::vector<std::string> values; // one, several for In; Like: * or % any run, _ one character
};

struct PageOrder {
    std::size_t column = 0;
    bool descending = false;
};

struct RelationPageRequest {
    std::string schema; // empty: the connection's search path (the real-time tables)
    std::string relation;
    std::vector<PageColumn> columns;
    std::vector<std::size_t> tie_breakers; // appended to the order so that pages do not overlap
    std::vector<PageFilter> filters;
    std::vector<PageOrder> order; // NULLs last in either direction
    std::size_t limit = 1000;
    std::size_t offset = 0;
};

struct RelationPage {
    std::vector<std::vector<std::optional<std::string>>> rows; // nullopt: SQL NULL
    std::size_t total = 0;                                     // rows the filters match
};

// The two statements a request becomes (for tests and the curious): the page and the count,
// each with `parameters` as $1, $2, …
struct RelationPageSql {
    std::string page;
    std::string count;
    std::vector<std::string> parameters;
};
RelationPageSql relationPageSql(const RelationPageRequest& request);

class RelationPageReader {
public:
    explicit RelationPageReader(std::string conninfo) : conninfo_(std::move(conninfo)) {}

    // Why a read failed. Connection: the database cannot be reached (message says why, as
    // describeConnectionFailure does); Missing: the relation or its schema does not exist (e.g.
    // the warehouse is not built yet); Value: a value does not fit its column's type; Other:
    // anything else the server refused (including the statement timeout).
    struct Error {
        enum class Kind { Connection, Missing, Value, Other } kind = Kind::Other;
        std::string message; // one line, password-free
    };
    struct Result {
        std::optional<RelationPage> page;
        std::optional<Error> error;
    };

    // A short connection of its own, both statements in one read-only snapshot, at most
    // `timeout_ms` per statement. Blocking: the caller's thread waits. Never throws.
    Result read(const RelationPageRequest& request, int timeout_ms = 5'000) const;

private:
    std::string conninfo_;
};

} // namespace gm
