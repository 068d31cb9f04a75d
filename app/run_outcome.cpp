// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/run_outcome.h"

#include "pipeline/runtime/output_losses.h"

namespace gm {

RunOutcome assessRun(const Runtime& runtime) {
    return RunOutcome{outputLosses(runtime)};
}

} // namespace gm
