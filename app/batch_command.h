// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>
#include <cstdio>

namespace gm {

// True when the arguments ask for batch mode (--run-batch).
bool isBatchCommand(const QStringList& arguments);

// globalmart --run-batch [--analysis-date YYYY-MM-DD] [--full-reload] [--db URL]
//            [--warehouse-db URL]
// Loads the warehouse from the raw event tables, then runs every batch job for the analysis
// date; one line per step (rows, seconds) and the data-quality result on out. Returns 0 when
// every step succeeded, 1 naming the failed step on err, 2 for a bad option.
int runBatchCommand(const QStringList& arguments, std::FILE* out, std::FILE* err);

} // namespace gm
