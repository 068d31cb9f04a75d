// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/table_batch.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gm {

class PgSession;
struct LayoutGroup;

// Writes one flush of table batches: per table layout a COPY straight into the table (keys are
// normally new) or, when keys collide, a COPY into a temp staging table and one INSERT ...
// SELECT DISTINCT ON (key) ... ON CONFLICT. Not thread-safe; the writer thread owns it.
//
// Transactions: rows of upserted (ConflictAction::Update) tables and the progress marks are
// written in one transaction on the primary session, so a job's watermark never runs ahead of
// its rows. With more than one session, insert-only tables (ConflictAction::Ignore: the raw
// events) are spread over the other sessions and written in parallel, each in its own
// transaction, committed before the primary one: a crash in between leaves raw rows that a retry
// skips (DO NOTHING) and never a watermark without its rows. A single COPY keeps one server core
// busy; this is what lets the writer use a second one.
class FlushWriter {
public:
    FlushWriter(std::string conninfo, std::size_t sessions);
    ~FlushWriter();
    FlushWriter(const FlushWriter&) = delete;
    FlushWriter& operator=(const FlushWriter&) = delete;

    // Opens the sessions that are not open and healthy. Throws PgError.
    void connect();
    bool connected() const;
    void disconnect();

    // Throws PgError; on any error nothing of the primary transaction is committed.
    void write(const std::vector<TableBatch>& batches);

private:
    void writeOn(PgSession& session, const std::vector<const LayoutGroup*>& groups,
                 const std::vector<TableBatch>* progress_from, bool commit);

    std::string conninfo_;
    std::vector<std::unique_ptr<PgSession>> sessions_;
    // Tables whose last direct COPY hit an existing key go through staging for the next few
    // flushes instead of trying (and rolling back) again.
    std::map<std::string, int> direct_cooldown_;
};

} // namespace gm
