// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/dead_letters.h"
#include "pipeline/postgres/raw_event_tables.h"

namespace gm {

// A dead letter as a rejected_events row (source "kafka"). The row has no detail column, so
// the one-line detail is not stored; the reason name is, as the stable label of the rule.
RejectedEvent toRejectedEvent(DeadLetter&& letter);

} // namespace gm
