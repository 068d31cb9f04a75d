// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/output_losses.h"

#include "generator/number_text.h"
#include "pipeline/runtime/runtime.h"

namespace gm {

std::vector<std::string> outputLosses(const Runtime& runtime) {
    std::vector<std::string> problems;
    if (auto failure = runtime.outputFailure()) {
        problems.push_back(*failure);
    }
    if (const auto database = runtime.services().database) {
        const WriterStatus& status = database->writer;
        if (status.spilled_rows > 0) {
            problems.push_back(groupThousands(status.spilled_rows) +
                               " rows are not in the database yet: kept in " + status.spill_path +
                               ", written at the next start");
        }
        const std::uint64_t lost = status.rows_abandoned + runtime.rowsRefusedByWriter();
        if (lost > 0) {
            problems.push_back(
                groupThousands(lost) + " rows were lost: could be neither written nor spilled" +
                (status.spill_problem.empty() ? std::string() : " (" + status.spill_problem + ")"));
        }
        if (status.rows_failed > 0) {
            problems.push_back(groupThousands(status.rows_failed) +
                               " rows were refused by the database server (see the log above "
                               "for the reason)");
        }
    }
    if (const auto member = runtime.services().group_member) {
        if (member->not_stored_at_stop > 0) {
            problems.push_back(groupThousands(member->not_stored_at_stop) +
                               " partition hand-overs of this group member were not stored (the "
                               "database did not answer while stopping): the partitions' next "
                               "owner reads their events again");
        }
        if (member->stalled_partitions > 0) {
            problems.push_back(groupThousands(member->stalled_partitions) +
                               " partitions stopped being stored: the database refused a commit (" +
                               member->last_error + ")");
        }
    }
    return problems;
}

} // namespace gm
