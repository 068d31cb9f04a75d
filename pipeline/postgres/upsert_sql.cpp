// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/upsert_sql.h"

#include "pipeline/postgres/pg_session.h"

#include <algorithm>

namespace gm {
namespace {

std::string joinQuoted(const std::vector<std::string>& names, std::string_view prefix = {}) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) {
            out += ", ";
        }
        out += prefix;
        out += PgSession::quoteIdentifier(names[i]);
    }
    return out;
}

} // namespace

UpsertStatements UpsertStatements::forLayout(const TableBatch& layout) {
    const std::string target = PgSession::quoteIdentifier(layout.table);
    const std::string staging = PgSession::quoteIdentifier("gm_stage_" + layout.table);
    const std::string columns = joinQuoted(layout.columns);
    const std::string keys = joinQuoted(layout.key_columns);

    UpsertStatements s;
    s.copy_into_target = "COPY " + target + " (" + columns + ") FROM STDIN";
    // gm_seq numbers rows in arrival order so that the last version of a key wins. ON COMMIT
    // DELETE ROWS empties the table cheaply at each commit, so it is created once per session
    // instead of once per flush (which would churn the catalog).
    s.create_staging = "CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + target +
                       " INCLUDING DEFAULTS, gm_seq bigserial) ON COMMIT DELETE ROWS";
    s.copy_into_staging = "COPY " + staging + " (" + columns + ") FROM STDIN";

    if (layout.on_conflict == ConflictAction::Ignore || layout.key_columns.empty()) {
        // DO NOTHING tolerates a key repeated inside the batch, so no DISTINCT (and no sort).
        s.merge = "INSERT INTO " + target + " (" + columns + ") SELECT " + columns + " FROM " +
                  staging + " ORDER BY gm_seq ON CONFLICT";
        if (!layout.key_columns.empty()) {
            s.merge += " (" + keys + ")";
        }
        s.merge += " DO NOTHING";
        return s;
    }

    // DO UPDATE may touch a row only once per statement: keep the last row of each key.
    std::string updates;
    const auto listed = [](const std::vector<std::string>& names, const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const std::string& column : layout.columns) {
        if (listed(layout.key_columns, column) || listed(layout.keep_on_conflict, column)) {
            continue;
        }
        if (!updates.empty()) {
            updates += ", ";
        }
        const std::string quoted = PgSession::quoteIdentifier(column);
        updates += quoted + " = EXCLUDED." + quoted;
    }
    s.merge = "INSERT INTO " + target + " (" + columns + ") SELECT DISTINCT ON (" + keys + ") " +
              columns + " FROM " + staging + " ORDER BY " + keys + ", gm_seq DESC ON CONFLICT (" +
              keys + ") DO " + (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
    return s;
}

const std::string& progressUpsertSql() {
    static const std::string sql =
        "INSERT INTO pipeline_progress (job, emitted_up_to, updated_at) "
        "VALUES ($1, $2::timestamptz, now()) ON CONFLICT (job) DO UPDATE SET "
        "emitted_up_to = GREATEST(pipeline_progress.emitted_up_to, EXCLUDED.emitted_up_to), "
        "updated_at = EXCLUDED.updated_at";
    return sql;
}

} // namespace gm
