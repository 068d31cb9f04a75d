// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/run_options.h"
#include "pipeline/runtime/run_slot.h"

class QApplication;

namespace gm {

// The desktop entry point for main(): builds catalog -> generator -> pipeline from the same
// options as the headless run, opens the window, starts the run and returns app.exec()'s code.
// Each run is put in `run_slot` (the --http server's view) while it runs; null: none.
int runDesktop(QApplication& app, const RunOptions& options, RunSlot* run_slot = nullptr);

} // namespace gm
