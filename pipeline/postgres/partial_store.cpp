// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/partial_store.h"

#include "pipeline/pipeline_config.h"

#include <algorithm>
#include <cstdio>
#include <pqxx/pqxx>

namespace gm {

namespace {

// Timestamps cross as microseconds since the epoch both ways, so that nothing is rounded.
constexpr const char* kFromMicros =
    "(timestamptz 'epoch' + ($%d::bigint * interval '1 microsecond'))";

std::string fromMicros(int parameter) {
    char text[96];
    std::snprintf(text, sizeof text, kFromMicros, parameter);
    return text;
}

std::string micros(std::string_view column) {
    return "(extract(epoch FROM " + std::string(column) + ") * 1000000)::bigint";
}

std::optional<TimestampUs> optionalMicros(const pqxx::field& field) {
    if (field.is_null()) {
        return std::nullopt;
    }
    return field.as<TimestampUs>();
}

// bigint[] as PostgreSQL writes it: {1,-2,3}.
std::vector<TimestampUs> watermarksFrom(std::string_view text) {
    std::vector<TimestampUs> values;
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
        throw std::runtime_error("job_watermarks: unexpected array text '" + std::string(text) +
                                 "'");
    }
    text = text.substr(1, text.size() - 2);
    while (!text.empty()) {
        const std::size_t comma = std::min(text.find(','), text.size());
        values.push_back(std::stoll(std::string(text.substr(0, comma))));
        text.remove_prefix(std::min(comma + 1, text.size()));
    }
    return values;
}

std::string watermarksText(const std::vector<TimestampUs>& values) {
    std::string text = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        text += (i ? "," : "") + std::to_string(values[i]);
    }
    return text + "}";
}

std::optional<PartitionProgress> progressFrom(const pqxx::row& row, int first) {
    if (row[first].is_null()) {
        return std::nullopt;
    }
    PartitionProgress progress;
    progress.next_offset = row[first].as<std::int64_t>();
    progress.replay_from = row[first + 1].as<std::int64_t>();
    progress.newest_event = optionalMicros(row[first + 2]);
    progress.caught_up_at = optionalMicros(row[first + 3]);
    progress.newest_before_replay = optionalMicros(row[first + 4]);
    if (!row[first + 5].is_null()) {
        progress.job_watermarks = watermarksFrom(row[first + 5].c_str());
    }
    return progress;
}

std::string progressColumns() {
    return "next_offset, replay_from, " + micros("newest_event_at") + ", " +
           micros("caught_up_at") + ", " + micros("replay_newest_event_at") + ", job_watermarks";
}

void checkPartition(const TopicPartition& partition) {
    if (partition.topic.empty() || partition.partition < 0) {
        throw std::invalid_argument("partition '" + partition.topic + "' " +
                                    std::to_string(partition.partition) +
                                    ": a topic name and a partition number >= 0 are needed");
    }
}

void checkProgress(const PartitionProgress& progress) {
    if (!progress.job_watermarks.empty() &&
        progress.job_watermarks.size() != static_cast<std::size_t>(kJobCount)) {
        throw std::invalid_argument("job_watermarks holds " +
                                    std::to_string(progress.job_watermarks.size()) +
                                    " values, not one per job (" + std::to_string(kJobCount) + ")");
    }
    if (progress.replay_from < 0 || progress.replay_from > progress.next_offset) {
        throw std::invalid_argument("replay_from " + std::to_string(progress.replay_from) +
                                    " is not within [0, next_offset " +
                                    std::to_string(progress.next_offset) + "]");
    }
}

} // namespace

struct PartialStore::Connection {
    explicit Connection(const std::string& conninfo) : pq(conninfo) {}
    pqxx::connection pq;
};

PartialStore::PartialStore(const std::string& conninfo, std::string group_id)
    : connection_(std::make_unique<Connection>(conninfo)), group_id_(std::move(group_id)) {
    if (group_id_.empty()) {
        throw std::invalid_argument("the consumer group id is empty");
    }
}

PartialStore::~PartialStore() = default;

PartitionClaim PartialStore::claim(const TopicPartition& partition, std::string_view member_id) {
    checkPartition(partition);
    pqxx::work work(connection_->pq);
    const pqxx::row row = work.exec_params1(
        "INSERT INTO partition_progress (group_id, topic, partition, generation, owner) "
        "VALUES ($1, $2, $3, 1, $4) "
        "ON CONFLICT (group_id, topic, partition) DO UPDATE SET "
        "generation = partition_progress.generation + 1, owner = EXCLUDED.owner, "
        "claimed_at = now() "
        "RETURNING generation, " +
            progressColumns(),
        group_id_, partition.topic, partition.partition, std::string(member_id));
    work.commit();
    PartitionClaim claim;
    claim.generation = row[0].as<std::int64_t>();
    claim.progress = progressFrom(row, 1);
    return claim;
}

void PartialStore::commit(const PartitionCommit& commit) {
    checkPartition(commit.partition);
    checkProgress(commit.progress);
    // libpqxx 6.4 takes no std::optional: a null const char* is its NULL parameter.
    const std::string newest = commit.progress.newest_event
                                   ? std::to_string(*commit.progress.newest_event)
                                   : std::string();
    const std::string caught_up = commit.progress.caught_up_at
                                      ? std::to_string(*commit.progress.caught_up_at)
                                      : std::string();
    const std::string before_replay = commit.progress.newest_before_replay
                                          ? std::to_string(*commit.progress.newest_before_replay)
                                          : std::string();
    const std::string watermarks = watermarksText(commit.progress.job_watermarks);
    const char* newest_or_null = commit.progress.newest_event ? newest.c_str() : nullptr;
    const char* caught_up_or_null = commit.progress.caught_up_at ? caught_up.c_str() : nullptr;
    const char* before_replay_or_null =
        commit.progress.newest_before_replay ? before_replay.c_str() : nullptr;
    const char* watermarks_or_null =
        commit.progress.job_watermarks.empty() ? nullptr : watermarks.c_str();
    pqxx::work work(connection_->pq);
    // The progress first: its row lock holds off a claim until this transaction ends, and a
    // claim that came first leaves a generation this commit does not match.
    const pqxx::result updated = work.exec_params(
        "UPDATE partition_progress SET next_offset = $5, replay_from = $6, "
        "newest_event_at = " +
            fromMicros(7) + ", caught_up_at = " + fromMicros(8) +
            ", replay_newest_event_at = " + fromMicros(9) +
            ", job_watermarks = $10::bigint[], updated_at = now() "
            "WHERE group_id = $1 AND topic = $2 AND partition = $3 AND generation = $4 "
            "RETURNING 1",
        group_id_, commit.partition.topic, commit.partition.partition, commit.generation,
        commit.progress.next_offset, commit.progress.replay_from, newest_or_null, caught_up_or_null,
        before_replay_or_null, watermarks_or_null);
    if (updated.empty()) {
        const pqxx::result owner =
            work.exec_params("SELECT owner, generation FROM partition_progress "
                             "WHERE group_id = $1 AND topic = $2 AND partition = $3",
                             group_id_, commit.partition.topic, commit.partition.partition);
        work.abort();
        const std::string where = commit.partition.topic + "[" +
                                  std::to_string(commit.partition.partition) + "] of group '" +
                                  group_id_ + "'";
        if (owner.empty()) {
            throw PartitionFenced("partition " + where + " was never claimed");
        }
        throw PartitionFenced("partition " + where + " is now member '" +
                              owner[0][0].as<std::string>() + "''s (generation " +
                              owner[0][1].as<std::string>() + "), not generation " +
                              std::to_string(commit.generation) + "'s: commit refused");
    }
    for (const StoredPartial& partial : commit.partials) {
        if (partial.window_end <= partial.window_start) {
            throw std::invalid_argument("partial of " + partial.table_id +
                                        ": window_end is not after window_start");
        }
        work.exec_params("INSERT INTO group_partials (group_id, table_id, topic, partition, "
                         "window_start, window_end, payload) VALUES ($1, $2, $3, $4, " +
                             fromMicros(5) + ", " + fromMicros(6) +
                             ", $7) "
                             "ON CONFLICT (group_id, table_id, topic, partition, window_start) "
                             "DO UPDATE SET window_end = EXCLUDED.window_end, "
                             "payload = EXCLUDED.payload, written_at = now()",
                         group_id_, partial.table_id, commit.partition.topic,
                         commit.partition.partition, partial.window_start, partial.window_end,
                         pqxx::binarystring(partial.payload.data(), partial.payload.size()));
    }
    for (const TableBatch& rows : commit.rows) {
        if (rows.rows == 0) {
            continue;
        }
        std::string columns = "{";
        for (std::size_t i = 0; i < rows.columns.size(); ++i) {
            columns += (i ? "," : "") + rows.columns[i];
        }
        columns += "}";
        work.exec_params("INSERT INTO group_rows (group_id, topic, partition, table_name, columns, "
                         "copy_text, row_count) VALUES ($1, $2, $3, $4, $5::text[], $6, $7)",
                         group_id_, commit.partition.topic, commit.partition.partition, rows.table,
                         columns, rows.copy_text, static_cast<std::int64_t>(rows.rows));
    }
    work.commit();
}

std::vector<StoredPartitionState> PartialStore::partitions(std::string_view topic) {
    pqxx::read_transaction work(connection_->pq);
    const pqxx::result rows =
        work.exec_params("SELECT partition, owner, generation, " + progressColumns() +
                             " FROM partition_progress WHERE group_id = $1 AND topic = $2 "
                             "ORDER BY partition",
                         group_id_, std::string(topic));
    std::vector<StoredPartitionState> states;
    states.reserve(rows.size());
    for (const pqxx::row& row : rows) {
        StoredPartitionState state;
        state.partition = {std::string(topic), row[0].as<std::int32_t>()};
        state.owner = row[1].as<std::string>();
        state.generation = row[2].as<std::int64_t>();
        state.progress = progressFrom(row, 3);
        states.push_back(std::move(state));
    }
    return states;
}

std::vector<std::pair<std::int32_t, StoredPartial>>
PartialStore::partialsEndingBy(std::string_view topic, TimestampUs up_to) {
    pqxx::read_transaction work(connection_->pq);
    const pqxx::result rows = work.exec_params(
        "SELECT partition, table_id, " + micros("window_start") + ", " + micros("window_end") +
            ", payload FROM group_partials "
            "WHERE group_id = $1 AND topic = $2 AND window_end <= " +
            fromMicros(3) + " ORDER BY window_end, table_id, window_start, partition",
        group_id_, std::string(topic), up_to);
    std::vector<std::pair<std::int32_t, StoredPartial>> partials;
    partials.reserve(rows.size());
    for (const pqxx::row& row : rows) {
        StoredPartial partial;
        partial.table_id = row[1].as<std::string>();
        partial.window_start = row[2].as<TimestampUs>();
        partial.window_end = row[3].as<TimestampUs>();
        const pqxx::binarystring payload(row[4]);
        partial.payload.assign(payload.get(), payload.size());
        partials.emplace_back(row[0].as<std::int32_t>(), std::move(partial));
    }
    return partials;
}

} // namespace gm
