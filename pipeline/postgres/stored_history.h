// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <optional>
#include <string>

namespace gm {

// Where the history stored in a database ends: the earliest event time a new generator run may
// write without producing a row key an earlier run already wrote (so that its upserts change
// none of that run's rows).
//
// That is the end of the newest stored window of every table keyed by time alone (window plus
// country, product, category, query or user: the 13 fixed-window tables), and just after the
// newest per-event time (anomalies, low-stock alerts). A sliding window reaches up to its length
// past its last event, so the answer can lie up to 10 minutes (trending_products) past the last
// event: a new run starting earlier would re-form those windows from its own events and
// overwrite them. The stretch in between stays without events (a visible, honest gap).
// Tables keyed by session or event ids are left out: a run starting elsewhere gets other ids
// (ShopSimulator::id_salt_), so their keys never meet. The raw event tables count from the
// windows' end on: a run that crashed wrote raw events whose windows it never closed, and a new
// run must not write those times again either.
//
// Every window part is one backward step on a btree (the primary keys lead with window_start);
// the raw tables' BRIN indexes read only the block ranges past the windows' end. So this takes
// milliseconds on any size of history.
struct StoredHistory {
    std::optional<TimestampUs> end; // nothing: no history
    std::string error;              // non-empty: the database could not be read (one line)
};
StoredHistory readStoredHistory(const std::string& conninfo);

} // namespace gm
