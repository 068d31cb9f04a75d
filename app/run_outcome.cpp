// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/run_outcome.h"

#include "pipeline/runtime/runtime.h"

namespace gm {

RunOutcome assessRun(const Runtime& runtime) {
    RunOutcome outcome;
    if (auto failure = runtime.outputFailure()) {
        outcome.problems.push_back(*failure);
    }
    return outcome;
}

} // namespace gm
