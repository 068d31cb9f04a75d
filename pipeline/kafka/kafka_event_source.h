// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/bounded_queue.h"
#include "generator/event_decoder.h"
#include "pipeline/event_source.h"
#include "pipeline/kafka/dead_letters.h"
#include "pipeline/kafka/dedup_horizon.h"
#include "pipeline/kafka/kafka_handles.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/kafka/kafka_status.h"
#include "pipeline/kafka/offset_tracker.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gm {

class Catalog;

// A consumer group on the three event topics as an EventSource. A thread of its own reads
// messages, decodes and validates each as its topic's event kind, drops duplicates, keeps bad
// messages as dead letters, and hands EventBatches to a bounded queue. When the queue is full
// the assigned partitions are paused (the broker keeps the data, not our memory) and resumed
// once the pipeline has taken a batch.
//
// With settings.exact_group a sealed batch is split by partition: each batch handed out holds
// the events of one partition only, in offset order, and says so (EventBatch::partition); the
// batches also carry the assigned partitions and which are quiet (EventBatch::partitions), and an
// empty batch brings that news when nothing else comes.
//
// Offsets are never committed automatically: each batch gets stream sequences
// [first_sequence, first_sequence + size), and commitThrough(S) commits what every event
// before S was read from, once the caller knows their rows are durable (see OffsetTracker).
class KafkaEventSource : public EventSource {
public:
    // Throws std::runtime_error with librdkafka's message if the configuration is refused.
    // The catalog must outlive the source.
    KafkaEventSource(const KafkaSettings& settings, const Catalog& catalog);
    ~KafkaEventSource() override;
    KafkaEventSource(const KafkaEventSource&) = delete;
    KafkaEventSource& operator=(const KafkaEventSource&) = delete;

    // Subscribes and starts reading.
    void start();
    // Stops reading and ends the stream: next() drains what is queued, then finished() becomes
    // true. The consumer stays in the group, so that commitThrough() can still commit what
    // the pipeline's final rows made durable; close() (or the destructor) leaves the group.
    void stop();
    // Leaves the group without committing anything not released by commitThrough().
    void close();
    // Stops reading and drops the consumer without leaving the group, as a killed process does:
    // the group notices only when the session times out (session.timeout.ms). For tests of a
    // member's death; the source can do nothing more afterwards.
    void closeWithoutLeaving();

    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override;
    bool finished() const override;

    // Every event with a sequence below end_sequence is durable: commit the offsets they (and
    // the bad messages read among them) came from. Any thread. With `wait`, returns once the
    // broker answered; false if the commit failed (also counted in status()).
    // `oldest_open`: no window or session older than this event time is still open; a
    // partition whose events read among them are not all older stays where it is.
    bool commitThrough(std::uint64_t end_sequence, bool wait = false,
                       TimestampUs oldest_open = std::numeric_limits<TimestampUs>::max());

    // The user's pause: while held, the assigned partitions are paused (nothing more is read;
    // the broker keeps the messages) whatever the back-pressure says; released, reading goes on
    // from the next unread offset. Any thread; the consumer thread applies it within ~20 ms.
    void hold(bool held);
    bool held() const { return hold_requested_.load(); }

    // Scale-out (docs/scale-out.md step 2): where a newly assigned partition starts reading.
    // nullopt: from the group's committed offset (or auto.offset.reset). Called on the consumer
    // thread in the rebalance, before the partition is assigned; may block (a PostgreSQL read).
    // If it throws, the source must not guess: it records the error, stops reading and ends the
    // stream (status().start_offset_failed), so that no partition is read from the wrong place.
    // Set before start().
    using StartOffsetLookup = std::function<std::optional<std::int64_t>(const std::string& topic,
                                                                        std::int32_t partition)>;
    void setStartOffsetLookup(StartOffsetLookup lookup) {
        start_offset_lookup_ = std::move(lookup);
    }

    // Scale-out member (docs/scale-out.md step 2): the member keeps its offsets in PostgreSQL
    // and uses the tracker directly (seed at a claim, per-partition release at a hand-over)
    // instead of commitThrough(); commitOffsets() then tells Kafka what PostgreSQL holds, for
    // the lag tools. Any thread.
    OffsetTracker& offsets() { return tracker_; }
    bool commitOffsets(const std::map<TopicPartition, std::int64_t>& next_offsets);
    // The topic's partition count from the broker's metadata; nullopt if the broker did not
    // answer within `timeout` or does not know the topic. Blocking; any thread.
    std::optional<std::int32_t> partitionCount(const std::string& topic,
                                               std::chrono::milliseconds timeout);

    std::vector<DeadLetter> takeDeadLetters(std::size_t max = SIZE_MAX) {
        return dead_letters_.take(max);
    }
    KafkaSourceStatus status() const;
    // Per assigned partition; refreshed by the consumer thread about twice a second. Any thread.
    std::vector<PartitionLag> lag() const;

    std::chrono::milliseconds batch_latency{50}; // a partial batch waits at most this long
    // A partition whose every message has been read and which brought nothing new for this long
    // is quiet: it no longer holds back the batches' source_event_time (see EventBatch), nor,
    // with settings.exact_group, the windows of its topic. From settings.idle_partition_ms.
    std::chrono::milliseconds idle_partition_after;

private:
    struct Range {
        std::int64_t first = -1;
        std::int64_t last = -1;
        TimestampUs latest_event = std::numeric_limits<TimestampUs>::min();
    };
    // Event-time progress of one assigned partition.
    struct PartitionClock {
        bool assigned = false;
        TimestampUs latest = std::numeric_limits<TimestampUs>::min(); // newest event read
        std::chrono::steady_clock::time_point last_message{};
        bool caught_up = false; // every message up to the high watermark has been read
    };
    static void onRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions, void* opaque);
    static void onCommit(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t* offsets, void* opaque);
    static void onError(rd_kafka_t* rk, int err, const char* reason, void* opaque);

    void run();
    bool commit(const std::map<TopicPartition, std::int64_t>& next_offsets, bool wait);
    void handle(const rd_kafka_message_t& message);
    template <typename Event>
    void decodeInto(std::vector<Event>& events, const rd_kafka_message_t& message, int kind);
    void deadLetter(const rd_kafka_message_t& message, Rejection&& rejection);
    // Gives `current_` its sequences and offset ranges; true if it holds events to hand out.
    bool seal();
    // Moves the offsets read from one partition into the current batch's `into` and resets them.
    void takeRange(int kind, std::int32_t partition, OffsetRanges& into);
    // A group member's revoked partition: its events read but not sealed into a batch are
    // dropped, so that none reaches the engine after the partition's next assignment (which
    // reads them again from the stored replay point).
    void dropUnsealed(int kind, std::int32_t partition);
    // Seals `current_` (if it holds events) and queues it behind the batches already pending;
    // in exact mode as one batch per partition read.
    void sealCurrent();
    void sealByPartition();
    bool offerPending(std::chrono::milliseconds wait);
    void offerEventTime();
    // Exact mode: the assigned partitions and which are quiet, and an empty batch carrying them
    // when they changed while no message came.
    std::vector<PartitionState> partitionStates() const;
    void offerPartitionStates();
    bool quiet(const PartitionClock& clock) const;
    void setPaused(bool paused);
    // Pauses or resumes the assignment so that it is paused exactly while paused_ || held_.
    void applyPartitionPause();
    void refreshLag();
    void recordError(std::string error);
    int kindOf(rd_kafka_topic_t* topic);
    Range& rangeFor(int kind, std::int32_t partition);
    PartitionClock& clockFor(int kind, std::int32_t partition);
    void setAssigned(const rd_kafka_topic_partition_list_t& partitions, bool assigned);
    std::optional<TimestampUs> sourceEventTime();

    // Sets the start offset of each partition of an assignment the lookup knows; false (the
    // error recorded, reading stopped) if it failed.
    bool applyStartOffsets(rd_kafka_topic_partition_list_t& partitions);

    KafkaSettings settings_;
    StartOffsetLookup start_offset_lookup_;
    EventDecoder decoder_;
    DedupHorizon dedup_;
    DeadLetterQueue dead_letters_;
    OffsetTracker tracker_;
    BoundedQueue<EventBatch> queue_;
    kafka::HandlePtr consumer_;

    // Consumer thread only.
    std::array<rd_kafka_topic_t*, kEventKindCount> topic_handles_{};
    EventBatch current_;
    // Exact mode: the partition of each event of current_, by kind, parallel to its vectors.
    std::array<std::vector<std::int32_t>, kEventKindCount> current_partitions_;
    std::array<std::vector<Range>, kEventKindCount> ranges_; // by kind, then partition
    std::array<std::vector<PartitionClock>, kEventKindCount> clocks_;
    // Per partition, how many times it was assigned (PartitionState::epoch).
    std::array<std::vector<std::uint32_t>, kEventKindCount> epochs_;
    std::chrono::steady_clock::time_point now_;         // of the last clock reading in run()
    std::vector<std::pair<int, std::int32_t>> touched_; // partitions in current_'s ranges
    std::chrono::steady_clock::time_point batch_started_;
    // Sealed, waiting for room in the queue, oldest first. Usually at most one; in exact mode a
    // seal makes a batch per partition read.
    std::deque<EventBatch> pending_;
    std::vector<PartitionState> handed_partitions_; // exact mode: the last states handed out
    std::optional<TimestampUs> handed_event_time_;  // the last source_event_time handed out
    std::uint64_t next_sequence_ = 0;
    bool paused_ = false;            // back-pressure: the queue to the pipeline is full
    bool held_ = false;              // the user's pause, as last applied
    bool partitions_paused_ = false; // what the assignment is set to

    std::atomic<std::uint64_t> messages_{0};
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> duplicates_{0};
    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> pauses_{0};
    std::atomic<bool> paused_flag_{false};
    std::atomic<bool> hold_requested_{false};
    std::atomic<std::size_t> assigned_{0};
    std::atomic<std::uint64_t> commits_{0};
    std::atomic<std::uint64_t> commit_errors_{0};
    std::atomic<std::uint64_t> consumer_errors_{0};
    std::atomic<std::uint64_t> started_from_lookup_{0};
    std::atomic<bool> start_offset_failed_{false};
    mutable std::mutex status_mutex_;
    std::string last_error_;
    std::vector<PartitionLag> lag_;

    std::atomic<bool> stopping_{false};
    std::atomic<bool> closed_{false};
    std::atomic<bool> left_group_{false};
    std::mutex close_mutex_;
    std::thread thread_;
};

} // namespace gm
