// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"
#include "pipeline/rows.h"

#include <cstddef>
#include <functional>

namespace gm {

// The rows of a RowBatch as the writer takes them: per table, TableBatches of at most max_rows
// rows in COPY text, keyed on the table's natural primary key so that a replay updates instead
// of duplicating (alerts keep the analyst's acknowledgement). Tables without rows give none.
void forEachTableBatch(const RowBatch& rows, std::size_t max_rows,
                       const std::function<void(TableBatch&&)>& hand);

} // namespace gm
