// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/flush_writer.h"

#include "pipeline/postgres/key_order.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/upsert_sql.h"

#include <algorithm>
#include <exception>
#include <string_view>
#include <thread>

namespace gm {

// Batches of one table layout in a flush: their rows go through one COPY.
struct LayoutGroup {
    const TableBatch* layout;
    std::vector<std::string_view> parts;
    std::size_t bytes = 0;
};

namespace {

// After a direct COPY collided with existing keys, the table goes through staging for this many
// flushes: collisions come in runs (a replay, a restarted job), and each failed attempt costs a
// rolled-back COPY.
constexpr int kDirectCooldownFlushes = 16;

std::vector<LayoutGroup> groupByLayout(const std::vector<TableBatch>& batches) {
    std::vector<LayoutGroup> groups;
    for (const TableBatch& batch : batches) {
        if (batch.rows == 0 || batch.columns.empty()) {
            continue; // progress only
        }
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const LayoutGroup& g) { return g.layout->sameLayout(batch); });
        if (it == groups.end()) {
            groups.push_back(LayoutGroup{&batch, {}, 0});
            it = groups.end() - 1;
        }
        it->parts.push_back(batch.copy_text);
        it->bytes += batch.copy_text.size();
    }
    return groups;
}

void rollbackQuietly(PgSession& session) {
    if (!session.healthy()) {
        return;
    }
    try {
        session.exec("ROLLBACK");
    } catch (const PgError&) {
        // The connection broke during the rollback: the server discards the transaction anyway.
    }
}

} // namespace

FlushWriter::FlushWriter(std::string conninfo, std::size_t sessions)
    : conninfo_(std::move(conninfo)), sessions_(std::max<std::size_t>(sessions, 1)) {}

FlushWriter::~FlushWriter() = default;

void FlushWriter::connect() {
    for (auto& session : sessions_) {
        if (!session || !session->healthy()) {
            session.reset();
            session = std::make_unique<PgSession>(conninfo_);
        }
    }
}

bool FlushWriter::connected() const {
    return std::all_of(sessions_.begin(), sessions_.end(),
                       [](const auto& s) { return s && s->healthy(); });
}

void FlushWriter::disconnect() {
    for (auto& session : sessions_) {
        session.reset();
    }
}

void FlushWriter::writeOn(PgSession& session, const std::vector<const LayoutGroup*>& groups,
                          const std::vector<TableBatch>* progress_from, bool commit) {
    session.exec("BEGIN");
    try {
        for (const LayoutGroup* group : groups) {
            const TableBatch& layout = *group->layout;
            const UpsertStatements sql = UpsertStatements::forLayout(layout);
            int& cooldown = direct_cooldown_.at(layout.table);
            if (cooldown == 0 && !layout.key_columns.empty()) {
                // Fast path: a COPY straight into the table costs about half of staging +
                // INSERT ... SELECT. A key collision rolls back to the savepoint.
                session.exec("SAVEPOINT gm_direct");
                try {
                    // Insert-only rows go in key order: far fewer cache misses in the primary
                    // key's btree (key_order.h). Order does not matter here: the direct COPY
                    // succeeds only when every key is new and distinct; otherwise staging below
                    // takes the rows in arrival order.
                    const std::size_t key_fields =
                        layout.on_conflict == ConflictAction::Ignore ? leadingKeyFields(layout) : 0;
                    if (key_fields > 0) {
                        const std::string sorted = rowsInKeyOrder(group->parts, key_fields);
                        session.copyIn(sql.copy_into_target, sorted);
                    } else {
                        session.copyIn(sql.copy_into_target, group->parts);
                    }
                    session.exec("RELEASE SAVEPOINT gm_direct");
                    continue;
                } catch (const PgError& e) {
                    if (e.connectionLost() || e.sqlstate() != "23505") {
                        throw;
                    }
                    session.exec("ROLLBACK TO SAVEPOINT gm_direct");
                    cooldown = kDirectCooldownFlushes;
                }
            } else if (cooldown > 0) {
                --cooldown;
            }
            session.exec(sql.create_staging);
            session.copyIn(sql.copy_into_staging, group->parts);
            session.exec(sql.merge);
        }
        if (progress_from != nullptr) {
            for (const TableBatch& batch : *progress_from) {
                for (const ProgressMark& mark : batch.progress) {
                    session.execParams(progressUpsertSql(),
                                       {mark.job, formatIsoTimestamp(mark.emitted_up_to)});
                }
            }
        }
        if (commit) {
            session.exec("COMMIT");
        }
    } catch (const PgError&) {
        rollbackQuietly(session);
        throw;
    }
}

void FlushWriter::write(const std::vector<TableBatch>& batches) {
    const std::vector<LayoutGroup> groups = groupByLayout(batches);
    // Upserted tables stay with the progress marks on the primary session; insert-only tables
    // go, biggest first, to the least loaded session.
    std::vector<std::vector<const LayoutGroup*>> work(sessions_.size());
    std::vector<std::size_t> load(sessions_.size(), 0);
    std::vector<const LayoutGroup*> spreadable;
    for (const LayoutGroup& group : groups) {
        direct_cooldown_.try_emplace(group.layout->table, 0); // no map inserts in the threads
        if (group.layout->on_conflict == ConflictAction::Ignore && sessions_.size() > 1) {
            spreadable.push_back(&group);
        } else {
            work[0].push_back(&group);
            load[0] += group.bytes;
        }
    }
    std::sort(spreadable.begin(), spreadable.end(),
              [](const LayoutGroup* a, const LayoutGroup* b) { return a->bytes > b->bytes; });
    // Groups of one table (different column lists) share a session: they share a cooldown
    // counter, and two sessions inserting the same keys would wait on each other's locks.
    std::map<std::string_view, std::size_t> session_of_table;
    for (const LayoutGroup* group : spreadable) {
        auto [it, added] = session_of_table.try_emplace(group->layout->table, 0);
        if (added) {
            it->second =
                static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        }
        work[it->second].push_back(group);
        load[it->second] += group->bytes;
    }

    std::vector<std::exception_ptr> errors(sessions_.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < sessions_.size(); ++i) {
        if (work[i].empty()) {
            continue;
        }
        threads.emplace_back([&, i] {
            try {
                writeOn(*sessions_[i], work[i], nullptr, true);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    }
    try {
        writeOn(*sessions_[0], work[0], &batches, false);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (std::thread& t : threads) {
        t.join();
    }
    // A lost connection is reported first: it decides that the flush is retried as a whole.
    std::exception_ptr first;
    for (const std::exception_ptr& e : errors) {
        if (!e) {
            continue;
        }
        try {
            std::rethrow_exception(e);
        } catch (const PgError& pg) {
            if (!first || pg.connectionLost()) {
                first = e;
            }
        } catch (...) {
            first = first ? first : e;
        }
    }
    if (first) {
        rollbackQuietly(*sessions_[0]);
        std::rethrow_exception(first);
    }
    try {
        sessions_[0]->exec("COMMIT");
    } catch (const PgError&) {
        rollbackQuietly(*sessions_[0]);
        throw;
    }
}

} // namespace gm
