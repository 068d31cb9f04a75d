// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/group_finalizer.h"

#include "pipeline/partial_merge.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/row_table_batches.h"
#include "pipeline/postgres/upsert_sql.h"
#include "pipeline/table_schema.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string_view>

namespace gm {

namespace {

constexpr std::size_t kRowsPerBatch = 20'000;

// Timestamps cross as microseconds since the epoch: kFlushWatermark (the end of a run) is beyond
// what timestamptz holds.
std::string micros(std::string_view column) {
    return "(extract(epoch FROM " + std::string(column) + ") * 1000000)::bigint";
}

std::int64_t asInt(const std::optional<std::string>& text) {
    return text ? std::stoll(*text) : 0;
}

// {a,b,c} as PostgreSQL prints a text[] of plain identifiers.
std::vector<std::string> namesFrom(std::string_view text) {
    std::vector<std::string> names;
    if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
        text = text.substr(1, text.size() - 2);
    }
    while (!text.empty()) {
        const std::size_t comma = std::min(text.find(','), text.size());
        names.emplace_back(text.substr(0, comma));
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return names;
}

// Every batch of one table through one staging COPY and one INSERT ... ON CONFLICT, in the
// caller's transaction.
void upsert(PgSession& session, const std::vector<TableBatch>& batches) {
    std::map<std::string, std::vector<const TableBatch*>> by_layout;
    for (const TableBatch& batch : batches) {
        std::string layout = batch.table;
        for (const std::string& column : batch.columns) {
            layout += "," + column;
        }
        by_layout[layout].push_back(&batch);
    }
    for (const auto& [layout, group] : by_layout) {
        const UpsertStatements sql = UpsertStatements::forLayout(*group.front());
        std::vector<std::string_view> parts;
        for (const TableBatch* batch : group) {
            parts.push_back(batch->copy_text);
        }
        session.exec(sql.create_staging);
        session.exec("TRUNCATE " + PgSession::quoteIdentifier("gm_stage_" + group.front()->table));
        session.copyIn(sql.copy_into_staging, parts);
        session.exec(sql.merge);
    }
}

} // namespace

EventKind topicOfJob(JobId job) {
    switch (job) {
    case JobId::Carts:
        return EventKind::Cart;
    case JobId::Views:
        return EventKind::ProductView;
    case JobId::Sales:
    case JobId::Anomalies:
    case JobId::Inventory:
        break;
    }
    return EventKind::Transaction;
}

GroupFinalizer::GroupFinalizer(std::string conninfo, std::string group_id,
                               std::vector<GroupTopic> topics, const PipelineConfig& config,
                               std::shared_ptr<const ProductTable> products,
                               PartialDictionaries& dictionaries)
    : conninfo_(std::move(conninfo)), group_id_(std::move(group_id)), topics_(std::move(topics)),
      config_(config), products_(std::move(products)), dictionaries_(dictionaries) {
    if (group_id_.empty()) {
        throw std::invalid_argument("the consumer group id is empty");
    }
    for (const GroupTopic& topic : topics_) {
        if (topic.name.empty() || topic.partitions <= 0) {
            throw std::invalid_argument("topic '" + topic.name +
                                        "': a name and at least one partition are needed");
        }
    }
}

GroupFinalizer::~GroupFinalizer() = default;

std::array<TimestampUs, kJobCount> GroupFinalizer::finalWatermarks() {
    std::array<TimestampUs, kJobCount> final_up_to;
    final_up_to.fill(kNoWatermark);
    for (const GroupTopic& topic : topics_) {
        const PgSession::Rows rows = session_->query(
            "SELECT partition, job_watermarks[1], job_watermarks[2], job_watermarks[3], "
            "job_watermarks[4], job_watermarks[5] FROM partition_progress "
            "WHERE group_id = $1 AND topic = $2 AND job_watermarks IS NOT NULL",
            {group_id_, topic.name});
        std::vector<bool> seen(static_cast<std::size_t>(topic.partitions), false);
        std::array<TimestampUs, kJobCount> lowest;
        lowest.fill(std::numeric_limits<TimestampUs>::max());
        for (const auto& row : rows) {
            const std::int64_t partition = asInt(row[0]);
            if (partition >= 0 && partition < topic.partitions) {
                seen[static_cast<std::size_t>(partition)] = true;
            }
            for (int job = 0; job < kJobCount; ++job) {
                lowest[job] = std::min(lowest[job], asInt(row[job + 1]));
            }
        }
        // A partition that has committed nothing may still hold any window's events.
        if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
            continue;
        }
        for (int job = 0; job < kJobCount; ++job) {
            if (topicOfJob(static_cast<JobId>(job)) == topic.kind) {
                final_up_to[job] = lowest[job];
            }
        }
    }
    return final_up_to;
}

std::array<TimestampUs, kJobCount> GroupFinalizer::storedProgress() {
    std::array<TimestampUs, kJobCount> stored;
    stored.fill(kNoWatermark);
    const PgSession::Rows rows = session_->query(
        "SELECT job, finalized_up_to FROM group_progress WHERE group_id = $1", {group_id_});
    for (const auto& row : rows) {
        for (int job = 0; job < kJobCount; ++job) {
            if (row[0] && *row[0] == jobName(static_cast<JobId>(job))) {
                stored[job] = asInt(row[1]);
            }
        }
    }
    return stored;
}

FinalizeReport GroupFinalizer::finalize(TimestampUs now) {
    if (!session_ || !session_->healthy()) {
        session_.reset();
        session_ = std::make_unique<PgSession>(conninfo_);
    }
    PgSession& session = *session_;
    FinalizeReport report;
    // Repeatable read: the partials read, merged and deleted are those of one snapshot, and a
    // member replacing one of them meanwhile makes this transaction fail instead of losing it.
    session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    try {
        const auto locked = session.query(
            "SELECT pg_try_advisory_xact_lock(hashtextextended('globalmart group finalizer ' || "
            "$1, 0))",
            {group_id_});
        if (locked.empty() || !locked[0][0] || *locked[0][0] != "t") {
            session.exec("ROLLBACK");
            return report;
        }
        report.locked = true;
        const std::array<TimestampUs, kJobCount> final_up_to = finalWatermarks();
        const std::array<TimestampUs, kJobCount> stored = storedProgress();

        // Per topic partition, what its members handed over, as the shard had it.
        std::map<std::pair<EventKind, std::int32_t>, ShardOutput> parts;
        for (int job = 0; job < kJobCount; ++job) {
            report.finalized_up_to[job] = std::max(final_up_to[job], stored[job]);
            const EventKind kind = topicOfJob(static_cast<JobId>(job));
            const std::string job_name(jobName(static_cast<JobId>(job)));
            if (stored[job] != kNoWatermark) {
                // A window once merged is final (every partial table is of tumbling or sliding
                // windows closed on the partition's reported watermark): a partial that arrives
                // for it later is a replay's copy, and merging it alone would overwrite the
                // group's row with one partition's part.
                for (const GroupTopic& topic : topics_) {
                    if (topic.kind == kind) {
                        const auto dropped = session.query(
                            "WITH gone AS (DELETE FROM group_partials WHERE group_id = $1 AND "
                            "topic = $2 AND split_part(table_id, '.', 1) = $3 AND " +
                                micros("window_end") +
                                " <= $4::bigint RETURNING 1) SELECT count(*) FROM gone",
                            {group_id_, topic.name, job_name, std::to_string(stored[job])});
                        report.stale_partials += static_cast<std::size_t>(asInt(dropped[0][0]));
                    }
                }
            }
            if (final_up_to[job] == kNoWatermark || final_up_to[job] <= stored[job]) {
                continue;
            }
            for (const GroupTopic& topic : topics_) {
                if (topic.kind != kind) {
                    continue;
                }
                const PgSession::Rows rows = session.query(
                    "SELECT partition, table_id, " + micros("window_start") + ", " +
                        micros("window_end") +
                        ", payload FROM group_partials WHERE group_id = $1 AND topic = $2 "
                        "AND split_part(table_id, '.', 1) = $3 AND " +
                        micros("window_end") +
                        " <= $4::bigint ORDER BY partition, table_id, window_start",
                    {group_id_, topic.name, std::string(jobName(static_cast<JobId>(job))),
                     std::to_string(final_up_to[job])});
                for (const auto& row : rows) {
                    const auto partition = static_cast<std::int32_t>(asInt(row[0]));
                    const std::string where = *row[1] + " of " + topic.name + "[" +
                                              std::to_string(partition) + "], window " + *row[2] +
                                              " .. " + *row[3] + " us";
                    const std::string payload = decodeHexBytea(row[4].value_or(""));
                    const PartialDecodeResult decoded =
                        decodePartial(payload, dictionaries_, parts[{kind, partition}]);
                    if (!decoded.ok()) {
                        throw UnreadablePartial("stored partial " + where +
                                                " cannot be read: " + decoded.error);
                    }
                    if (decoded.table_id != *row[1]) {
                        throw UnreadablePartial("stored partial " + where + " holds " +
                                                decoded.table_id);
                    }
                    ++report.partials;
                    report.cells += decoded.cells;
                }
                session.execParams(
                    "DELETE FROM group_partials WHERE group_id = $1 AND topic = $2 AND "
                    "split_part(table_id, '.', 1) = $3 AND " +
                        micros("window_end") + " <= $4::bigint",
                    {group_id_, topic.name, std::string(jobName(static_cast<JobId>(job))),
                     std::to_string(final_up_to[job])});
            }
            session.execParams("INSERT INTO group_progress (group_id, job, finalized_up_to) "
                               "VALUES ($1, $2, $3) ON CONFLICT (group_id, job) DO UPDATE SET "
                               "finalized_up_to = GREATEST(group_progress.finalized_up_to, "
                               "EXCLUDED.finalized_up_to), updated_at = now()",
                               {group_id_, std::string(jobName(static_cast<JobId>(job))),
                                std::to_string(final_up_to[job])});
        }

        std::vector<ShardOutput> merged;
        merged.reserve(parts.size());
        for (auto& [key, part] : parts) {
            merged.push_back(std::move(part));
        }
        RowBatch rows;
        emitMergedParts(merged, EmitContext{config_, *products_, now}, rows);
        std::vector<TableBatch> batches;
        forEachTableBatch(rows, kRowsPerBatch,
                          [&](TableBatch&& batch) { batches.push_back(std::move(batch)); });
        report.rows += rows.rowCount();

        // Per-event rows, final when their partition produced them.
        const PgSession::Rows stored_rows =
            session.query("SELECT id, table_name, columns, copy_text, row_count FROM group_rows "
                          "WHERE group_id = $1 ORDER BY id",
                          {group_id_});
        std::int64_t last_id = 0;
        for (const auto& row : stored_rows) {
            last_id = std::max(last_id, asInt(row[0]));
            const std::optional<TableId> table = parseTableName(row[1].value_or(""));
            if (!table) {
                throw UnreadablePartial("group_rows " + row[0].value_or("") + " names table '" +
                                        row[1].value_or("") + "', which this build does not have");
            }
            TableBatch& batch = batches.emplace_back();
            batch.table = std::string(tableName(*table));
            batch.columns = namesFrom(row[2].value_or(""));
            batch.key_columns = primaryKey(*table);
            batch.copy_text = row[3].value_or("");
            batch.rows = static_cast<std::size_t>(asInt(row[4]));
            ++report.row_batches;
            report.rows += batch.rows;
        }
        upsert(session, batches);
        if (!stored_rows.empty()) {
            session.execParams("DELETE FROM group_rows WHERE group_id = $1 AND id <= $2",
                               {group_id_, std::to_string(last_id)});
        }
        session.exec("COMMIT");
    } catch (...) {
        if (session.healthy()) {
            try {
                session.exec("ROLLBACK");
            } catch (const PgError&) {
                // The server ends the transaction with the connection.
            }
        }
        throw;
    }
    return report;
}

} // namespace gm
