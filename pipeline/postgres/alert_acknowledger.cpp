// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/alert_acknowledger.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/pg_session.h"

namespace gm {

namespace {
// The advisory lock key of sql/migrations/0008_alert_acknowledgement_lock.sql ('gmack').
constexpr const char* kAcknowledgementLock = "444216730475";
} // namespace

AlertAcknowledger::Result
AlertAcknowledger::acknowledge(const std::vector<std::uint64_t>& alert_ids) const {
    Result result;
    if (alert_ids.empty()) {
        return result;
    }
    // One array parameter ({1,2,3}): ids are digits only, so the literal needs no quoting.
    std::string ids = "{";
    for (std::size_t i = 0; i < alert_ids.size(); ++i) {
        ids += (i > 0 ? "," : "") + std::to_string(alert_ids[i]);
    }
    ids += "}";
    try {
        PgSession session(conninfo_);
        // One transaction: remember the ids for rows the writer has not stored yet, and mark
        // the rows that are there. The lock first, in its own statement, so that the marking
        // statement's snapshot sees an alert row whose insert was under way meanwhile (the
        // trigger takes the same lock shared: sql/migrations/0008_alert_acknowledgement_lock.sql).
        session.exec("BEGIN; SELECT pg_advisory_xact_lock(" + std::string(kAcknowledgementLock) +
                     ")");
        const std::optional<std::string> updated =
            session.execParams("WITH wanted AS (SELECT DISTINCT unnest($1::text[]) AS alert_id), "
                               "remembered AS (INSERT INTO alert_acknowledgements (alert_id) "
                               "  SELECT alert_id FROM wanted ON CONFLICT (alert_id) DO NOTHING), "
                               "marked AS (UPDATE alerts SET acknowledged = true, "
                               "  acknowledged_at = COALESCE(alerts.acknowledged_at, now()) "
                               "  FROM wanted WHERE alerts.alert_id = wanted.alert_id RETURNING 1) "
                               "SELECT count(*) FROM marked",
                               {ids});
        session.exec("COMMIT");
        result.stored = updated ? std::stoul(*updated) : 0;
        result.pending = alert_ids.size() > result.stored ? alert_ids.size() - result.stored : 0;
    } catch (const std::exception& e) {
        result.error = firstLine(e.what());
    }
    return result;
}

} // namespace gm
