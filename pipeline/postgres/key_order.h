// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// How many leading columns of the layout are its key columns, in the key's order; 0 when the
// key is not a prefix of the column list (or there is none).
std::size_t leadingKeyFields(const TableBatch& layout);

// The COPY text rows of parts, reordered by their first key_fields fields (compared as bytes,
// separators included), rows with equal keys kept in their order. Every row is kept byte for
// byte; only the order changes.
//
// Why: the raw-event tables' primary keys are random UUIDs, so rows in arrival order land on
// leaf pages all over the btree, and a COPY spends most of the server's time descending it
// (perf: _bt_compare, _bt_relandgetbuf, buffer lookups). In key order consecutive rows descend
// the same path through pages still in the CPU's cache: the server's CPU time per row of
// product_view_events fell by about a third (BENCHMARKS.md, "issue 19"). Lowercase hex UUIDs
// sort as bytes in the same order as the uuid type.
std::string rowsInKeyOrder(const std::vector<std::string_view>& parts, std::size_t key_fields);

} // namespace gm
