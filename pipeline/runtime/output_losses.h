// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace gm {

class Runtime;

// Every way a stopped run can have left its output short of where the user asked for it, one
// line each: a broken CSV output, rows still in the spill file, rows lost, rows the server
// refused. Empty: everything the run produced is stored. The headless exit code
// (app/run_outcome.h) and the window's Backfill dialog both judge a run by this list, so a new
// kind of loss is added here.
std::vector<std::string> outputLosses(const Runtime& runtime);

} // namespace gm
