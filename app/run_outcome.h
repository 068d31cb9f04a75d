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

// Every way a finished run can have lost output, one line each. This is THE place that decides
// the headless exit code (runHeadless returns assessRun(...).exitCode()): a new kind of loss (for
// example rows the PostgreSQL writer could neither write nor keep at stop) is added here.
RunOutcome assessRun(const Runtime& runtime);

} // namespace gm
