// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/shard.h"

#include <vector>

namespace gm {

// Turns the closed windows and per-event rows of several parts (topic partitions, in partition
// order) into rows, with the code StreamEngine merges its shards' output with: the emit*
// functions and the session tables' emitter, in one unbounded call. The heart of the group's
// finalizer (docs/scale-out.md step 2.4): rows from the parts a group's members handed over are
// the rows one process emits from the same windows. Stock on hand, low-stock alerts and the
// alerts table are not here: they depend on transaction order (step 3). Empties the parts.
void emitMergedParts(std::vector<ShardOutput>& parts, const EmitContext& context, RowBatch& out);

} // namespace gm
