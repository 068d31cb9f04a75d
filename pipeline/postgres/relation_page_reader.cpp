// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/relation_page_reader.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/pg_session.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace gm {
namespace {

std::string quoted(const std::string& name) {
    return PgSession::quoteIdentifier(name);
}

// A column of the relation, qualified: a bare name in ORDER BY would mean the output column of
// that name, i.e. the text rendering (numbers would sort as text).
std::string columnOf(const PageColumn& column) {
    return "r." + quoted(column.name);
}

// The column as the API prints it.
std::string selected(const PageColumn& column) {
    const std::string name = columnOf(column);
    if (column.kind == PageColumn::Kind::Time) {
        return "to_char(" + name + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    }
    return name + "::text";
}

// The column as it compares and sorts: text byte-wise, as the snapshot API does.
std::string compared(const PageColumn& column) {
    return columnOf(column) + (column.kind == PageColumn::Kind::Text ? " COLLATE \"C\"" : "");
}

const char* comparison(PageFilterOp op) {
    switch (op) {
    case PageFilterOp::Eq:
        return " = ";
    case PageFilterOp::Neq:
        return " <> ";
    case PageFilterOp::Gt:
        return " > ";
    case PageFilterOp::Gte:
        return " >= ";
    case PageFilterOp::Lt:
        return " < ";
    case PageFilterOp::Lte:
        return " <= ";
    case PageFilterOp::In:
    case PageFilterOp::Like:
        break;
    }
    return " = ";
}

// The API's like takes * as well as % for any run; no escape character, as in the snapshot API.
std::string likePattern(std::string pattern) {
    std::replace(pattern.begin(), pattern.end(), '*', '%');
    return pattern;
}

std::string whereClause(const RelationPageRequest& request, std::vector<std::string>& parameters) {
    std::string where;
    const auto parameter = [&](std::string value, const PageColumn& column) {
        parameters.push_back(std::move(value));
        // Times are given as ISO 8601 text; the rest takes the column's type from the comparison.
        return "$" + std::to_string(parameters.size()) +
               (column.kind == PageColumn::Kind::Time ? "::timestamptz" : "");
    };
    for (const PageFilter& filter : request.filters) {
        const PageColumn& column = request.columns.at(filter.column);
        where += where.empty() ? " WHERE " : " AND ";
        if (filter.op == PageFilterOp::Like) {
            where += columnOf(column) + "::text LIKE " +
                     parameter(likePattern(filter.values.at(0)), PageColumn{}) + "::text ESCAPE ''";
        } else if (filter.op == PageFilterOp::In) {
            if (filter.values.empty()) {
                where += "false";
                continue;
            }
            where += compared(column) + " IN (";
            for (std::size_t i = 0; i < filter.values.size(); ++i) {
                where += (i > 0 ? ", " : "") + parameter(filter.values[i], column);
            }
            where += ")";
        } else {
            where +=
                compared(column) + comparison(filter.op) + parameter(filter.values.at(0), column);
        }
    }
    return where;
}

std::string orderClause(const RelationPageRequest& request) {
    std::vector<PageOrder> order = request.order;
    for (const std::size_t column : request.tie_breakers) {
        if (std::none_of(order.begin(), order.end(),
                         [&](const PageOrder& key) { return key.column == column; })) {
            order.push_back({column, false});
        }
    }
    std::string clause;
    for (const PageOrder& key : order) {
        clause += (clause.empty() ? " ORDER BY " : ", ") +
                  compared(request.columns.at(key.column)) + (key.descending ? " DESC" : " ASC") +
                  " NULLS LAST";
    }
    return clause;
}

RelationPageReader::Error errorOf(const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    using Kind = RelationPageReader::Error::Kind;
    Kind kind = Kind::Other;
    if (state == "42P01" || state == "3F000") {
        kind = Kind::Missing;
    } else if (state.starts_with("22")) {
        kind = Kind::Value;
    } else if (state.starts_with("08") || state.starts_with("57P")) {
        kind = Kind::Connection;
    }
    return {kind, firstLine(e.what())};
}

} // namespace

RelationPageSql relationPageSql(const RelationPageRequest& request) {
    RelationPageSql sql;
    const std::string relation =
        (request.schema.empty() ? std::string() : quoted(request.schema) + ".") +
        quoted(request.relation) + " AS r";
    const std::string where = whereClause(request, sql.parameters);
    std::string columns;
    for (const PageColumn& column : request.columns) {
        columns += (columns.empty() ? "" : ", ") + selected(column) + " AS " + quoted(column.name);
    }
    sql.page = "SELECT " + columns + " FROM " + relation + where + orderClause(request) +
               " LIMIT " + std::to_string(request.limit) + " OFFSET " +
               std::to_string(request.offset);
    sql.count = "SELECT count(*) FROM " + relation + where;
    return sql;
}

RelationPageReader::Result RelationPageReader::read(const RelationPageRequest& request,
                                                    int timeout_ms) const {
    const RelationPageSql sql = relationPageSql(request);
    std::unique_ptr<pqxx::connection> connection;
    try {
        connection = std::make_unique<pqxx::connection>(conninfo_);
    } catch (const std::exception& e) {
        return {std::nullopt,
                Error{Error::Kind::Connection, describeConnectionFailure(e.what(), conninfo_)}};
    }
    try {
        // One snapshot for the page and its count, so Content-Range agrees with the rows.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> txn(*connection);
        txn.exec("SET LOCAL statement_timeout = " + std::to_string(std::max(1, timeout_ms)));
        txn.exec("SET LOCAL TimeZone = 'UTC'");
        const auto parameters = pqxx::prepare::make_dynamic_params(sql.parameters);
        const pqxx::result rows = txn.exec_params(sql.page, parameters);
        const pqxx::result count = txn.exec_params(sql.count, parameters);
        RelationPage page;
        page.total = count[0][0].as<std::size_t>();
        page.rows.reserve(rows.size());
        for (const pqxx::row& row : rows) {
            std::vector<std::optional<std::string>>& out = page.rows.emplace_back();
            out.reserve(row.size());
            for (const pqxx::field& field : row) {
                out.push_back(field.is_null() ? std::nullopt
                                              : std::optional<std::string>(field.c_str()));
            }
        }
        txn.commit();
        return {std::move(page), std::nullopt};
    } catch (const pqxx::broken_connection& e) {
        return {std::nullopt, Error{Error::Kind::Connection, firstLine(e.what())}};
    } catch (const pqxx::sql_error& e) {
        return {std::nullopt, errorOf(e)};
    } catch (const std::exception& e) {
        return {std::nullopt, Error{Error::Kind::Other, firstLine(e.what())}};
    }
}

} // namespace gm
