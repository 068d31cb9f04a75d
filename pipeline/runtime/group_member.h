// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/kafka_event_source.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/partial_codec.h"
#include "pipeline/partition_hand_over_sink.h"
#include "pipeline/postgres/group_finalizer.h"
#include "pipeline/postgres/partial_store.h"
#include "pipeline/runtime/group_member_status.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace gm {

// One member of a scale-out consumer group (--group-member, docs/scale-out.md step 2): claims
// each partition Kafka assigns it in PostgreSQL and starts it where the store says (the source's
// start offset lookup, the engine's resume source), commits each partition's hand-over with its
// progress every `commit_interval` (on the engine's thread: a slow database slows the input),
// tells Kafka the stored offsets for the lag tools, and runs the group's finalizer on a thread of
// its own. The public tables are the finalizer's; this member writes none of them directly.
class GroupMember final : public PartitionHandOverSink {
public:
    struct Options {
        std::string conninfo;
        std::string group_id;
        std::string member_id;
        KafkaTopics topics;
        std::chrono::milliseconds commit_interval{1000};
        std::chrono::milliseconds finalize_interval{1000};
    };
    // The source, config and products must outlive the member. Connects to PostgreSQL (throws
    // pqxx/PgError exceptions with the server's message).
    GroupMember(Options options, KafkaEventSource& source, const PipelineConfig& config,
                std::shared_ptr<const ProductTable> products, std::function<TimestampUs()> clock);
    ~GroupMember() override;
    GroupMember(const GroupMember&) = delete;
    GroupMember& operator=(const GroupMember&) = delete;

    // For KafkaEventSource::setStartOffsetLookup: claims the partition (consumer thread).
    std::optional<std::int64_t> claim(const std::string& topic, std::int32_t partition);
    // Starts the finalizer thread (once the source knows its topics' partitions).
    void startFinalizing();
    // The run is stopping: a commit that keeps failing is given up after `grace` (the engine's
    // last hand-over must not hold the stop forever when the database is gone).
    void beginStop(std::chrono::milliseconds grace);
    // Stops the finalizer thread after one last run; commits no longer wait for the database.
    void stop();

    bool handOverDue() override;
    void handOver(std::uint64_t end_sequence, std::vector<PartitionHandOver>& handed,
                  const PartitionShards& shards) override;
    std::optional<PartitionResume> resumeOf(EventKind topic, std::int32_t partition) override;

    GroupMemberStatus status() const;

private:
    struct Claimed {
        std::int64_t generation = 0;
        std::optional<PartitionProgress> progress;
        bool read = false; // the source has had a replay point for it since the claim
        // Claims of the partition by this member so far: the source's assignment epoch of the
        // current claim (one lookup per assignment).
        std::uint32_t claims = 0;
    };
    std::optional<EventKind> kindOf(const std::string& topic) const;
    const std::string& topicName(EventKind kind) const;
    bool commitWithRetries(const PartitionCommit& commit);
    void stall(const TopicPartition& partition);
    void finalizeLoop();
    void finalizeOnce();
    void recordError(const std::string& error);

    Options options_;
    KafkaEventSource& source_;
    const PipelineConfig& config_;
    std::shared_ptr<const ProductTable> products_;
    std::function<TimestampUs()> clock_;
    ProcessDictionaries dictionaries_;
    PartialEncoder encoder_;

    std::mutex store_mutex_; // the claim (consumer thread) and commits (engine thread)
    PartialStore store_;
    std::map<TopicPartition, Claimed> claimed_; // under store_mutex_
    std::set<TopicPartition> stalled_;          // under store_mutex_

    std::chrono::steady_clock::time_point last_hand_over_{};
    std::unique_ptr<GroupFinalizer> finalizer_; // finalizer thread only
    std::thread finalizer_thread_;
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false; // under wake_mutex_
    std::atomic<bool> stopped_{false};
    std::chrono::steady_clock::time_point give_up_at_{}; // written before stopping_commits_
    std::atomic<bool> stopping_commits_{false};

    mutable std::mutex status_mutex_;
    GroupMemberStatus status_;
};

} // namespace gm
