// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/dead_letters.h"
#include "pipeline/postgres/raw_event_tables.h"

namespace gm {

// A dead letter as a rejected_events row (source "kafka"): the reason name as the stable label
// of the rule, and the one-line detail naming what was wrong.
RejectedEvent toRejectedEvent(DeadLetter&& letter);

} // namespace gm
