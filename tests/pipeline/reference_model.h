// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"
#include "pipeline/product_table.h"
#include "pipeline/rows.h"

#include <vector>

namespace gm::test {

// A brute-force recomputation of every table from the whole event list, written independently
// of the pipeline (ordered maps, plain sets, no windows state machine): every window is computed
// as if the run had been flushed at the end. Assumes in-order events (no late ones).
RowBatch referenceRows(const std::vector<EventBatch>& batches, const ProductTable& products,
                       const PipelineConfig& config);

} // namespace gm::test
