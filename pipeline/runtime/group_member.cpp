// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/group_member.h"

#include "pipeline/postgres/partition_commit.h"

#include <librdkafka/rdkafka.h>
#include <limits>
#include <pqxx/pqxx>
#include <string_view>

namespace gm {

namespace {

constexpr auto kMetadataTimeout = std::chrono::seconds(5);
constexpr auto kCommitRetryPause = std::chrono::seconds(1);

// SQLSTATE classes a commit may succeed after: connection exceptions, transaction rollbacks
// (serialization failures, deadlocks), insufficient resources, operator intervention (a server
// shutting down or starting), lock not available.
bool retryable(const std::string& sqlstate) {
    const std::string_view state = sqlstate;
    return state.empty() || state.starts_with("08") || state.starts_with("40") ||
           state.starts_with("53") || state.starts_with("57") || state == "55P03";
}

} // namespace

GroupMember::GroupMember(Options options, KafkaEventSource& source, const PipelineConfig& config,
                         std::shared_ptr<const ProductTable> products,
                         std::function<TimestampUs()> clock)
    : options_(std::move(options)), source_(source), config_(config),
      products_(std::move(products)), clock_(std::move(clock)), encoder_(dictionaries_),
      store_(options_.conninfo, options_.group_id) {}

GroupMember::~GroupMember() {
    stop();
}

std::optional<EventKind> GroupMember::kindOf(const std::string& topic) const {
    return options_.topics.kindOf(topic);
}

const std::string& GroupMember::topicName(EventKind kind) const {
    return options_.topics.forKind(kind);
}

std::optional<std::int64_t> GroupMember::claim(const std::string& topic, std::int32_t partition) {
    const TopicPartition tp{topic, partition};
    const std::lock_guard lock(store_mutex_);
    const PartitionClaim claim = store_.claim(tp, options_.member_id);
    Claimed& claimed = claimed_[tp];
    claimed.generation = claim.generation;
    claimed.progress = claim.progress;
    claimed.read = false;
    ++claimed.claims;
    stalled_.erase(tp); // claimed anew: rebuilt from the store, so its commits may go on
    {
        const std::lock_guard status_lock(status_mutex_);
        ++status_.claims;
        status_.resumed += claim.progress ? 1 : 0;
    }
    if (!claim.progress) {
        // Nobody committed anything for it: from its first message, not from an offset Kafka
        // may hold from a run outside the group, which the store knows nothing of.
        return RD_KAFKA_OFFSET_BEGINNING;
    }
    const PartitionProgress& stored = *claim.progress;
    source_.offsets().seed(
        tp, {stored.replay_from, stored.next_offset,
             stored.newest_before_replay.value_or(std::numeric_limits<TimestampUs>::min())});
    return stored.replay_from;
}

std::optional<PartitionResume> GroupMember::resumeOf(EventKind topic, std::int32_t partition) {
    const std::lock_guard lock(store_mutex_);
    const auto found = claimed_.find(TopicPartition{topicName(topic), partition});
    if (found == claimed_.end() || !found->second.progress) {
        return std::nullopt;
    }
    const PartitionProgress& stored = *found->second.progress;
    PartitionResume resume;
    resume.floors.fill(kNoWatermark);
    if (stored.job_watermarks.size() == static_cast<std::size_t>(kJobCount)) {
        std::copy(stored.job_watermarks.begin(), stored.job_watermarks.end(),
                  resume.floors.begin());
    }
    resume.newest_before = stored.newest_before_replay.value_or(kNoWatermark);
    return resume;
}

bool GroupMember::handOverDue() {
    return std::chrono::steady_clock::now() - last_hand_over_ >= options_.commit_interval;
}

void GroupMember::handOver(std::uint64_t end_sequence, std::vector<PartitionHandOver>& handed,
                           const PartitionShards& shards) {
    last_hand_over_ = std::chrono::steady_clock::now();
    source_.offsets().release(end_sequence, [&](const TopicPartition& tp) {
        const std::optional<EventKind> kind = kindOf(tp.topic);
        return kind ? shards.oldestOpenStart(*kind, tp.partition) : kFlushWatermark;
    });
    const EmitContext context{config_, *products_, clock_()};
    std::map<TopicPartition, std::int64_t> stored_offsets;
    for (PartitionHandOver& partition : handed) {
        const TopicPartition tp{topicName(partition.topic), partition.partition};
        std::int64_t generation = 0;
        const std::optional<OffsetTracker::ReplayPoint> point = source_.offsets().replayPoint(tp);
        bool had_point = false;
        bool stalled = false;
        bool other_assignment = false;
        {
            const std::lock_guard lock(store_mutex_);
            stalled = stalled_.contains(tp);
            const auto found = claimed_.find(tp);
            if (found != claimed_.end()) {
                generation = found->second.generation;
                // State built in an earlier assignment of the partition (the engine rebuilds it
                // from the store once it sees the new one): storing it now could raise the
                // floors past windows of hand-overs that were dropped while the partition was
                // revoked, and those windows would never be rebuilt.
                other_assignment = partition.epoch != found->second.claims;
                // The tracker knew where the partition stood since its claim (a stored point,
                // or what was read), and now does not: it was revoked.
                had_point = found->second.progress.has_value() || found->second.read;
                found->second.read = found->second.read || point.has_value();
            }
        }
        if (stalled || other_assignment) {
            continue; // see commitWithRetries, and above
        }
        if (generation == 0) {
            // Not claimed through the store: its windows cannot be stored safely. Its events stay
            // unreleased in the store (nothing advanced), so whoever claims it reads them again.
            recordError("partition " + tp.topic + "[" + std::to_string(tp.partition) +
                        "] was not claimed; its hand-over is not stored");
            continue;
        }
        PartitionPosition position;
        if (point) {
            // Right after a take-over the source has read less than the store said was read.
            position = {std::max(point->next_offset, point->replay_from),
                        point->replay_from,
                        point->newest_before,
                        {}};
        } else if (had_point) {
            // The source forgot where the partition stands: it was revoked. Its new owner
            // resumes from what was stored; storing "from the start" would only make it replay
            // the whole partition.
            continue;
        }
        const PartitionCommit commit =
            partitionCommit(partition, tp, generation, position, encoder_, context);
        if (commitWithRetries(commit)) {
            stored_offsets[tp] = position.next_offset;
            // If the partition is claimed anew (a rebalance that gives it back), its rebuild
            // starts from this commit: floors below what was just stored would rebuild windows
            // the group may already have merged.
            const std::lock_guard lock(store_mutex_);
            const auto found = claimed_.find(tp);
            if (found != claimed_.end() && found->second.generation == generation) {
                found->second.progress = commit.progress;
            }
        }
    }
    source_.commitOffsets(stored_offsets);
}

bool GroupMember::commitWithRetries(const PartitionCommit& commit) {
    for (;;) {
        try {
            const std::lock_guard lock(store_mutex_);
            store_.commit(commit);
            const std::lock_guard status_lock(status_mutex_);
            ++status_.commits;
            return true;
        } catch (const PartitionFenced& fenced) {
            // Another member owns the partition now and reads it from the stored replay point.
            const std::lock_guard status_lock(status_mutex_);
            ++status_.fenced;
            status_.last_error = fenced.what();
            return false;
        } catch (const pqxx::broken_connection& error) {
            recordError(std::string("commit of ") + commit.partition.topic + "[" +
                        std::to_string(commit.partition.partition) + "]: " + error.what());
        } catch (const pqxx::sql_error& error) {
            recordError(std::string("commit of ") + commit.partition.topic + "[" +
                        std::to_string(commit.partition.partition) + "]: " + error.what());
            if (!retryable(error.sqlstate())) {
                stall(commit.partition);
                return false;
            }
        } catch (const std::exception& error) {
            // Data the store refuses (std::invalid_argument and the like): trying again cannot
            // help, and storing later hand-overs of the partition would skip this one's windows.
            recordError(std::string("commit of ") + commit.partition.topic + "[" +
                        std::to_string(commit.partition.partition) + "]: " + error.what());
            stall(commit.partition);
            return false;
        }
        if (stopped_ || (stopping_commits_ && std::chrono::steady_clock::now() >= give_up_at_)) {
            // Not lost: the stored replay point still covers these events; the partition's next
            // owner reads them again. But this member did not store its work: the run says so
            // (outputLosses) and exits non-zero.
            const std::lock_guard status_lock(status_mutex_);
            ++status_.not_stored_at_stop;
            return false;
        }
        {
            const std::lock_guard status_lock(status_mutex_);
            ++status_.commit_retries;
        }
        // Later hand-overs of the partition must not land before this one: wait here, and the
        // engine's input (and so the consumer) waits with it.
        std::this_thread::sleep_for(kCommitRetryPause);
    }
}

void GroupMember::stall(const TopicPartition& partition) {
    {
        const std::lock_guard lock(store_mutex_);
        stalled_.insert(partition);
    }
    const std::lock_guard status_lock(status_mutex_);
    ++status_.stalled_partitions;
}

void GroupMember::startFinalizing() {
    if (finalizer_thread_.joinable()) {
        return;
    }
    finalizer_thread_ = std::thread([this] { finalizeLoop(); });
}

void GroupMember::finalizeLoop() {
    std::unique_lock lock(wake_mutex_);
    for (;;) {
        const bool stop =
            wake_.wait_for(lock, options_.finalize_interval, [this] { return stopping_; });
        lock.unlock();
        finalizeOnce();
        lock.lock();
        if (stop) {
            return;
        }
    }
}

void GroupMember::finalizeOnce() {
    try {
        if (!finalizer_) {
            std::vector<GroupTopic> topics;
            for (const EventKind kind :
                 {EventKind::ProductView, EventKind::Cart, EventKind::Transaction}) {
                const std::string& name = topicName(kind);
                const auto partitions = source_.partitionCount(name, kMetadataTimeout);
                if (!partitions) {
                    recordError("finalizer: the broker did not say how many partitions '" + name +
                                "' has");
                    return;
                }
                topics.push_back({kind, name, *partitions});
            }
            finalizer_ = std::make_unique<GroupFinalizer>(options_.conninfo, options_.group_id,
                                                          std::move(topics), config_, products_,
                                                          dictionaries_);
        }
        const FinalizeReport report = finalizer_->finalize(clock_());
        if (report.locked) {
            const std::lock_guard status_lock(status_mutex_);
            ++status_.finalizations;
            status_.finalized_rows += report.rows;
        }
    } catch (const std::exception& error) {
        {
            const std::lock_guard status_lock(status_mutex_);
            ++status_.finalizer_errors;
        }
        recordError(std::string("finalizer: ") + error.what());
    }
}

void GroupMember::beginStop(std::chrono::milliseconds grace) {
    give_up_at_ = std::chrono::steady_clock::now() + grace;
    stopping_commits_ = true;
}

void GroupMember::stop() {
    stopped_ = true;
    {
        const std::lock_guard lock(wake_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (finalizer_thread_.joinable()) {
        finalizer_thread_.join();
    }
}

void GroupMember::recordError(const std::string& error) {
    // One line: libpq's messages carry newlines and tabs ("...failed: ...\n\tIs the server
    // running...").
    std::string line;
    for (const char c : error) {
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (!space) {
            line += c;
        } else if (!line.empty() && line.back() != ' ') {
            line += ' ';
        }
    }
    while (!line.empty() && line.back() == ' ') {
        line.pop_back();
    }
    const std::lock_guard lock(status_mutex_);
    status_.last_error = std::move(line);
}

GroupMemberStatus GroupMember::status() const {
    const std::lock_guard lock(status_mutex_);
    return status_;
}

} // namespace gm
