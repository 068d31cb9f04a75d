// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"

#include <string>

namespace gm {

// The statements the writer sends for one table layout. Only identifiers (quoted) from the batch
// go into the SQL text; values travel as COPY data or parameters.
struct UpsertStatements {
    std::string copy_into_target;  // COPY t (cols) FROM STDIN
    std::string create_staging;    // session temp table shaped like t, emptied at every commit
    std::string copy_into_staging; // COPY staging (cols) FROM STDIN
    std::string merge;             // INSERT INTO t ... FROM staging ON CONFLICT ...

    static UpsertStatements forLayout(const TableBatch& layout);
};

// Upserts one job's watermark; it only ever moves forward. Parameters: $1 job, $2 timestamptz.
const std::string& progressUpsertSql();

} // namespace gm
