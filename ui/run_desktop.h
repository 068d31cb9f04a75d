// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/run_options.h"

class QApplication;

namespace gm {

// The desktop entry point for main(): builds catalog -> generator -> pipeline from the same
// options as the headless run, opens the window, starts the run and returns app.exec()'s code.
int runDesktop(QApplication& app, const RunOptions& options);

} // namespace gm
