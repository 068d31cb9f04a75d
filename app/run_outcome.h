// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace gm {

class Runtime;

// Exit codes of globalmart:
//   0  the run ended and everything it produced is where the user asked for it;
//   1  the run ended but lost output (see RunOutcome::problems);
//   2  bad configuration: the run did not start (command line, --db, --out-dir, Kafka, ...).
inline constexpr int kExitOk = 0;
inline constexpr int kExitOutputLost = 1;
inline constexpr int kExitBadConfiguration = 2;

// How a run that started ended, judged after Runtime::stop().
struct RunOutcome {
    std::vector<std::string> problems; // one line each, printed to stderr
    int exitCode() const { return problems.empty() ? kExitOk : kExitOutputLost; }
};

// How the headless run ends (runHeadless returns assessRun(...).exitCode()): the losses are those
// of pipeline/runtime/output_losses.h, where a new kind of loss is added.
RunOutcome assessRun(const Runtime& runtime);

} // namespace gm
