// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/kafka_event_source.h"

#include "generator/catalog.h"
#include "pipeline/kafka/kafka_conf.h"

#include <algorithm>
#include <stdexcept>

namespace gm {

namespace {

constexpr auto kLagRefresh = std::chrono::milliseconds(500);

TimestampUs wallClockUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One horizon serves all three streams: the kind is folded into the id so that a transaction
// and a cart event that happen to share a UUID are not taken for duplicates of each other.
Uuid dedupKey(const Uuid& id, int kind) {
    return Uuid{id.high, id.low ^ (static_cast<std::uint64_t>(kind) * 0x9E3779B97F4A7C15ULL)};
}
const Uuid& eventId(const Transaction& event) {
    return event.transaction_id;
}
const Uuid& eventId(const CartEvent& event) {
    return event.event_id;
}
const Uuid& eventId(const ProductViewEvent& event) {
    return event.event_id;
}

bool isCooperative(rd_kafka_t* rk) {
    const char* protocol = rd_kafka_rebalance_protocol(rk);
    return protocol != nullptr && std::string_view(protocol) == "COOPERATIVE";
}

} // namespace

KafkaEventSource::KafkaEventSource(const KafkaSettings& settings, const Catalog& catalog)
    : settings_(settings),
      decoder_(catalog, DecodeOptions{.max_time_ahead = settings.max_event_time_ahead}),
      dedup_(settings.dedup_horizon),
      dead_letters_(settings.dead_letter_capacity, settings.dead_letter_payload_bytes),
      queue_(settings.queue_batches) {
    idle_partition_after = std::chrono::milliseconds(settings.idle_partition_ms);
    std::string error;
    kafka::ConfPtr conf = makeKafkaConf(settings_, KafkaRole::Consumer, error);
    if (!conf) {
        throw std::runtime_error("Kafka consumer: " + error);
    }
    rd_kafka_conf_set_opaque(conf.get(), this);
    rd_kafka_conf_set_rebalance_cb(conf.get(), &KafkaEventSource::onRebalance);
    rd_kafka_conf_set_offset_commit_cb(conf.get(), &KafkaEventSource::onCommit);
    rd_kafka_conf_set_error_cb(conf.get(), &KafkaEventSource::onError);
    char errstr[512];
    consumer_.reset(rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr));
    if (!consumer_) {
        throw std::runtime_error(std::string("Kafka consumer: ") + errstr);
    }
    conf.release(); // rd_kafka_new took it
    // Errors and commit results arrive through consumer_poll on our thread.
    rd_kafka_poll_set_consumer(consumer_.get());
    if (settings_.dedup_horizon > 0) { // 0: no deduplication (a scale-out member's replays)
        decoder_.onEventId(
            [](void* self, EventKind kind, const Uuid& id) {
                static_cast<KafkaEventSource*>(self)->dedup_.prefetch(
                    dedupKey(id, static_cast<int>(kind)));
            },
            this);
    }
}

KafkaEventSource::~KafkaEventSource() {
    close();
}

void KafkaEventSource::start() {
    kafka::PartitionListPtr topics(rd_kafka_topic_partition_list_new(kEventKindCount));
    for (int kind = 0; kind < kEventKindCount; ++kind) {
        rd_kafka_topic_partition_list_add(
            topics.get(), settings_.topics.forKind(static_cast<EventKind>(kind)).c_str(),
            RD_KAFKA_PARTITION_UA);
    }
    const rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw std::runtime_error(std::string("Kafka consumer: subscribe: ") +
                                 rd_kafka_err2str(err));
    }
    thread_ = std::thread([this] { run(); });
}

void KafkaEventSource::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    } else if (!closed_) {
        closed_ = true;
        queue_.close();
    }
}

void KafkaEventSource::close() {
    std::lock_guard lock(close_mutex_);
    stop();
    if (!left_group_) {
        // Leaves the group now, so that the partitions move to other members without waiting
        // for the session timeout. Nothing is committed here: only commitThrough() commits.
        rd_kafka_consumer_close(consumer_.get());
        left_group_ = true;
    }
}

void KafkaEventSource::closeWithoutLeaving() {
    std::lock_guard lock(close_mutex_);
    stop();
    if (!left_group_) {
        left_group_ = true;
        rd_kafka_destroy_flags(consumer_.release(), RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    }
}

std::optional<EventBatch> KafkaEventSource::next(std::chrono::milliseconds timeout) {
    return queue_.popFor(timeout);
}

bool KafkaEventSource::finished() const {
    return closed_ && queue_.drained();
}

void KafkaEventSource::run() {
    rd_kafka_t* rk = consumer_.get();
    now_ = std::chrono::steady_clock::now();
    auto last_lag = now_;
    std::uint64_t loops = 0;
    while (!stopping_) {
        if (hold_requested_.load() != held_) {
            held_ = !held_;
            applyPartitionPause();
        }
        if (!pending_.empty()) {
            offerPending(paused_ ? std::chrono::milliseconds(20) : std::chrono::milliseconds(0));
        }
        // Keep polling while paused: it serves rebalances and keeps us in the group.
        rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, pending_.empty() ? 20 : 0);
        if (message != nullptr) {
            handle(*message);
            rd_kafka_message_destroy(message);
        }
        // Reading the clock per message showed in profiles: look at it when idle, and every
        // 256 messages while busy (far below batch_latency at any useful rate).
        const bool look_at_clock = message == nullptr || (++loops & 255) == 0;
        if (look_at_clock) {
            now_ = std::chrono::steady_clock::now();
        }
        if (pending_.empty() && !touched_.empty() &&
            (current_.size() >= settings_.max_batch ||
             (look_at_clock && now_ - batch_started_ >= batch_latency))) {
            sealCurrent();
            offerPending(std::chrono::milliseconds(0));
        }
        if (look_at_clock && now_ - last_lag >= kLagRefresh) {
            refreshLag();
            last_lag = now_;
            if (message == nullptr && pending_.empty() && touched_.empty()) {
                if (settings_.exact_group) {
                    offerPartitionStates();
                } else {
                    offerEventTime();
                }
            }
        }
    }
    closed_ = true;
    queue_.close();
}

void KafkaEventSource::offerEventTime() {
    const std::optional<TimestampUs> time = sourceEventTime();
    if (!time || (handed_event_time_ && *time <= *handed_event_time_)) {
        return;
    }
    // Caught up and quiet: the partitions that held the time back no longer do (see
    // idle_partition_after), but no message will come to carry the news. An empty batch does,
    // so the windows up to the newest event close now rather than at the next message.
    EventBatch tick;
    tick.first_sequence = next_sequence_;
    tick.source_event_time = time;
    handed_event_time_ = time;
    pending_.push_back(std::move(tick));
    offerPending(std::chrono::milliseconds(0));
}

bool KafkaEventSource::quiet(const PartitionClock& clock) const {
    return clock.caught_up && now_ - clock.last_message >= idle_partition_after;
}

std::vector<PartitionState> KafkaEventSource::partitionStates() const {
    std::vector<PartitionState> states;
    for (int kind = 0; kind < kEventKindCount; ++kind) {
        const auto& clocks = clocks_[kind];
        for (std::size_t partition = 0; partition < clocks.size(); ++partition) {
            if (clocks[partition].assigned) {
                const std::vector<std::uint32_t>& epochs = epochs_[kind];
                states.push_back({static_cast<EventKind>(kind),
                                  static_cast<std::int32_t>(partition), quiet(clocks[partition]),
                                  partition < epochs.size() ? epochs[partition] : 0});
            }
        }
    }
    return states;
}

void KafkaEventSource::offerPartitionStates() {
    std::vector<PartitionState> states = partitionStates();
    if (states.empty() || states == handed_partitions_) {
        return;
    }
    // A partition went quiet (or the assignment changed) while no message came to carry the
    // news: an empty batch does, so the windows it held back close now.
    EventBatch tick;
    tick.first_sequence = next_sequence_;
    tick.partitions = std::move(states);
    handed_partitions_ = tick.partitions;
    pending_.push_back(std::move(tick));
    offerPending(std::chrono::milliseconds(0));
}

void KafkaEventSource::sealCurrent() {
    if (settings_.exact_group) {
        sealByPartition();
    } else if (seal()) {
        pending_.push_back(std::move(current_));
    }
    current_ = EventBatch{};
}

void KafkaEventSource::sealByPartition() {
    // One batch per partition read, each with its own sequences and offset range, so that the
    // engine keeps every partition's order and watermark apart without sorting events.
    const std::vector<PartitionState> states = partitionStates();
    for (const auto& [kind, partition] : touched_) {
        EventBatch batch;
        auto take = [&, kind = kind, partition = partition](auto& from, auto& to) {
            std::vector<std::int32_t>& partitions = current_partitions_[kind];
            std::size_t kept = 0;
            for (std::size_t i = 0; i < from.size(); ++i) {
                if (partitions[i] == partition) {
                    to.push_back(std::move(from[i]));
                } else {
                    if (kept != i) {
                        from[kept] = std::move(from[i]);
                        partitions[kept] = partitions[i];
                    }
                    ++kept;
                }
            }
            from.resize(kept);
            partitions.resize(kept);
        };
        switch (static_cast<EventKind>(kind)) {
        case EventKind::ProductView:
            take(current_.views, batch.views);
            break;
        case EventKind::Cart:
            take(current_.carts, batch.carts);
            break;
        case EventKind::Transaction:
            take(current_.transactions, batch.transactions);
            break;
        }
        OffsetRanges ranges;
        takeRange(kind, partition, ranges);
        const std::uint64_t size = batch.size();
        batch.first_sequence = next_sequence_;
        batch.partition = partition;
        batch.partitions = states;
        tracker_.record(next_sequence_, next_sequence_ + size, std::move(ranges));
        next_sequence_ += size;
        if (size > 0) {
            handed_partitions_ = states;
            batches_.fetch_add(1, std::memory_order_relaxed);
            pending_.push_back(std::move(batch));
        }
    }
    touched_.clear();
    for (auto& partitions : current_partitions_) {
        partitions.clear();
    }
}

bool KafkaEventSource::offerPending(std::chrono::milliseconds wait) {
    while (!pending_.empty()) {
        if (!queue_.pushFor(std::move(pending_.front()), wait)) {
            if (!paused_ && !queue_.closed()) {
                setPaused(true);
            }
            return false;
        }
        pending_.pop_front();
    }
    if (paused_) {
        setPaused(false);
    }
    return true;
}

void KafkaEventSource::setPaused(bool paused) {
    paused_ = paused;
    paused_flag_ = paused;
    if (paused) {
        pauses_.fetch_add(1);
    }
    applyPartitionPause();
}

void KafkaEventSource::hold(bool held) {
    hold_requested_ = held;
}

void KafkaEventSource::applyPartitionPause() {
    const bool pause = paused_ || held_;
    if (pause == partitions_paused_) {
        return;
    }
    // Pausing drops what librdkafka had fetched ahead; resuming fetches from the position after
    // the last message handed to us, so nothing is skipped or read twice.
    rd_kafka_topic_partition_list_t* assignment = nullptr;
    if (rd_kafka_assignment(consumer_.get(), &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        kafka::PartitionListPtr owned(assignment);
        if (pause) {
            rd_kafka_pause_partitions(consumer_.get(), owned.get());
        } else {
            rd_kafka_resume_partitions(consumer_.get(), owned.get());
        }
    }
    partitions_paused_ = pause;
}

int KafkaEventSource::kindOf(rd_kafka_topic_t* topic) {
    for (int kind = 0; kind < kEventKindCount; ++kind) {
        if (topic_handles_[kind] == topic) {
            return kind;
        }
    }
    const auto kind = settings_.topics.kindOf(rd_kafka_topic_name(topic));
    if (!kind) {
        return -1;
    }
    topic_handles_[static_cast<int>(*kind)] = topic;
    return static_cast<int>(*kind);
}

KafkaEventSource::PartitionClock& KafkaEventSource::clockFor(int kind, std::int32_t partition) {
    auto& clocks = clocks_[kind];
    if (static_cast<std::size_t>(partition) >= clocks.size()) {
        clocks.resize(static_cast<std::size_t>(partition) + 1);
    }
    return clocks[partition];
}

void KafkaEventSource::setAssigned(const rd_kafka_topic_partition_list_t& partitions,
                                   bool assigned) {
    for (int i = 0; i < partitions.cnt; ++i) {
        const auto& tp = partitions.elems[i];
        if (const auto kind = settings_.topics.kindOf(tp.topic); kind && tp.partition >= 0) {
            PartitionClock& clock = clockFor(static_cast<int>(*kind), tp.partition);
            clock = PartitionClock{};
            clock.assigned = assigned;
            if (assigned) {
                std::vector<std::uint32_t>& epochs = epochs_[static_cast<int>(*kind)];
                if (epochs.size() <= static_cast<std::size_t>(tp.partition)) {
                    epochs.resize(static_cast<std::size_t>(tp.partition) + 1, 0);
                }
                ++epochs[static_cast<std::size_t>(tp.partition)];
            }
        }
    }
}

std::optional<TimestampUs> KafkaEventSource::sourceEventTime() {
    constexpr TimestampUs kNone = std::numeric_limits<TimestampUs>::min();
    TimestampUs oldest = std::numeric_limits<TimestampUs>::max();
    TimestampUs newest = kNone;
    bool holding = false;
    for (const auto& clocks : clocks_) {
        for (const PartitionClock& clock : clocks) {
            if (!clock.assigned) {
                continue;
            }
            newest = std::max(newest, clock.latest);
            // A partition with nothing left to read cannot bring older events soon: waiting for
            // it would stall every window until its producer writes again.
            if (clock.caught_up && now_ - clock.last_message >= idle_partition_after) {
                continue;
            }
            holding = true;
            oldest = std::min(oldest, clock.latest); // kNone until it brought an event
        }
    }
    if (!holding) {
        return newest == kNone ? std::nullopt : std::optional<TimestampUs>(newest);
    }
    return oldest;
}

KafkaEventSource::Range& KafkaEventSource::rangeFor(int kind, std::int32_t partition) {
    auto& ranges = ranges_[kind];
    if (static_cast<std::size_t>(partition) >= ranges.size()) {
        ranges.resize(static_cast<std::size_t>(partition) + 1);
    }
    return ranges[partition];
}

void KafkaEventSource::handle(const rd_kafka_message_t& message) {
    if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (message.err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            consumer_errors_.fetch_add(1);
            recordError(rd_kafka_message_errstr(&message));
        }
        return;
    }
    const int kind = kindOf(message.rkt);
    if (kind < 0 || message.partition < 0) {
        return; // not one of our topics: cannot happen with subscribe() to exactly ours
    }
    messages_.fetch_add(1, std::memory_order_relaxed);
    if (touched_.empty()) {
        batch_started_ = std::chrono::steady_clock::now();
    }
    Range& range = rangeFor(kind, message.partition);
    if (range.first < 0) {
        range.first = message.offset;
        touched_.emplace_back(kind, message.partition);
    }
    range.last = message.offset;
    switch (static_cast<EventKind>(kind)) {
    case EventKind::Transaction:
        decodeInto(current_.transactions, message, kind);
        break;
    case EventKind::Cart:
        decodeInto(current_.carts, message, kind);
        break;
    case EventKind::ProductView:
        decodeInto(current_.views, message, kind);
        break;
    }
}

template <typename Event>
void KafkaEventSource::decodeInto(std::vector<Event>& events, const rd_kafka_message_t& message,
                                  int kind) {
    const std::string_view payload(static_cast<const char*>(message.payload),
                                   message.payload == nullptr ? 0 : message.len);
    Event& event = events.emplace_back();
    if (auto rejection = decoder_.decode(payload, event)) {
        events.pop_back();
        deadLetter(message, std::move(*rejection));
        return;
    }
    PartitionClock& clock = clockFor(kind, message.partition);
    clock.latest = std::max(clock.latest, event.timestamp);
    Range& range = rangeFor(kind, message.partition);
    range.latest_event = std::max(range.latest_event, event.timestamp);
    clock.last_message = now_;
    if (settings_.dedup_horizon > 0 && !dedup_.insert(dedupKey(eventId(event), kind))) {
        events.pop_back();
        duplicates_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    if (settings_.exact_group) {
        current_partitions_[kind].push_back(message.partition);
    }
    accepted_.fetch_add(1, std::memory_order_relaxed);
}

void KafkaEventSource::deadLetter(const rd_kafka_message_t& message, Rejection&& rejection) {
    DeadLetter letter;
    letter.received_at = wallClockUs();
    letter.topic = rd_kafka_topic_name(message.rkt);
    letter.partition = message.partition;
    letter.offset = message.offset;
    if (message.key != nullptr) {
        letter.key.assign(static_cast<const char*>(message.key), message.key_len);
    }
    letter.payload_bytes = message.payload == nullptr ? 0 : message.len;
    const std::size_t kept = std::min(letter.payload_bytes, dead_letters_.maxPayloadBytes());
    if (kept > 0) {
        letter.payload.assign(static_cast<const char*>(message.payload), kept);
    }
    letter.reason = rejection.reason;
    letter.detail = std::move(rejection.detail);
    dead_letters_.push(std::move(letter));
}

void KafkaEventSource::takeRange(int kind, std::int32_t partition, OffsetRanges& into) {
    Range& range = ranges_[kind][partition];
    if (range.first >= 0) { // a revoke may have dropped it
        into.emplace(
            TopicPartition{settings_.topics.forKind(static_cast<EventKind>(kind)), partition},
            OffsetRange{range.first, range.last, range.latest_event});
    }
    range = Range{};
}

bool KafkaEventSource::seal() {
    OffsetRanges ranges;
    for (const auto& [kind, partition] : touched_) {
        takeRange(kind, partition, ranges);
    }
    touched_.clear();
    const std::uint64_t size = current_.size();
    current_.first_sequence = next_sequence_;
    current_.source_event_time = sourceEventTime();
    if (size > 0 && current_.source_event_time) {
        handed_event_time_ = current_.source_event_time;
    }
    tracker_.record(next_sequence_, next_sequence_ + size, std::move(ranges));
    next_sequence_ += size;
    if (size > 0) {
        batches_.fetch_add(1, std::memory_order_relaxed);
    }
    return size > 0;
}

void KafkaEventSource::dropUnsealed(int kind, std::int32_t partition) {
    std::vector<std::int32_t>& partitions = current_partitions_[kind];
    const auto drop = [&](auto& events) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (partitions[i] != partition) {
                if (kept != i) {
                    events[kept] = std::move(events[i]);
                    partitions[kept] = partitions[i];
                }
                ++kept;
            }
        }
        events.resize(kept);
        partitions.resize(kept);
    };
    switch (static_cast<EventKind>(kind)) {
    case EventKind::ProductView:
        drop(current_.views);
        break;
    case EventKind::Cart:
        drop(current_.carts);
        break;
    case EventKind::Transaction:
        drop(current_.transactions);
        break;
    }
}

void KafkaEventSource::onRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                   rd_kafka_topic_partition_list_t* partitions, void* opaque) {
    auto* self = static_cast<KafkaEventSource*>(opaque);
    const bool cooperative = isCooperative(rk);
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (!self->applyStartOffsets(*partitions)) {
            return; // nothing assigned: the source is stopping (see setStartOffsetLookup)
        }
        if (cooperative) {
            kafka::ErrorPtr(rd_kafka_incremental_assign(rk, partitions));
        } else {
            rd_kafka_assign(rk, partitions);
        }
        if (self->partitions_paused_) {
            rd_kafka_pause_partitions(rk, partitions);
        }
        self->setAssigned(*partitions, true);
    } else {
        // Offsets of revoked partitions are another member's to commit from now on; events of
        // them already read still reach the pipeline (at-least-once; replays are idempotent).
        self->setAssigned(*partitions, false);
        for (int i = 0; i < partitions->cnt; ++i) {
            const auto& tp = partitions->elems[i];
            self->tracker_.forget(TopicPartition{tp.topic, tp.partition});
            if (const auto kind = self->settings_.topics.kindOf(tp.topic)) {
                auto& ranges = self->ranges_[static_cast<int>(*kind)];
                if (static_cast<std::size_t>(tp.partition) < ranges.size()) {
                    ranges[tp.partition] = Range{};
                }
                if (self->settings_.group_member) {
                    self->dropUnsealed(static_cast<int>(*kind), tp.partition);
                }
            }
        }
        if (cooperative) {
            kafka::ErrorPtr(rd_kafka_incremental_unassign(rk, partitions));
        } else {
            rd_kafka_assign(rk, nullptr);
        }
    }
    rd_kafka_topic_partition_list_t* assignment = nullptr;
    if (rd_kafka_assignment(rk, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        self->assigned_ = static_cast<std::size_t>(assignment->cnt);
        rd_kafka_topic_partition_list_destroy(assignment);
    }
}

bool KafkaEventSource::applyStartOffsets(rd_kafka_topic_partition_list_t& partitions) {
    if (!start_offset_lookup_) {
        return true;
    }
    for (int i = 0; i < partitions.cnt; ++i) {
        auto& tp = partitions.elems[i];
        try {
            if (const auto offset = start_offset_lookup_(tp.topic, tp.partition)) {
                tp.offset = *offset;
                started_from_lookup_.fetch_add(1, std::memory_order_relaxed);
            }
        } catch (const std::exception& e) {
            recordError("start offset of " + std::string(tp.topic) + "[" +
                        std::to_string(tp.partition) + "]: " + e.what() +
                        "; stopped reading rather than start the partition elsewhere");
            start_offset_failed_ = true;
            stopping_ = true;
            return false;
        }
    }
    return true;
}

void KafkaEventSource::onCommit(rd_kafka_t*, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t* offsets, void* opaque) {
    auto* self = static_cast<KafkaEventSource*>(opaque);
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) {
        return; // nothing to commit
    }
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && offsets != nullptr) {
        for (int i = 0; i < offsets->cnt; ++i) {
            if (offsets->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
                err = offsets->elems[i].err;
                break;
            }
        }
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        self->commit_errors_.fetch_add(1);
        self->recordError(std::string("offset commit: ") + rd_kafka_err2str(err));
        return;
    }
    self->commits_.fetch_add(1);
}

void KafkaEventSource::onError(rd_kafka_t*, int err, const char* reason, void* opaque) {
    auto* self = static_cast<KafkaEventSource*>(opaque);
    self->consumer_errors_.fetch_add(1);
    self->recordError(std::string(rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))) + ": " +
                      reason);
}

void KafkaEventSource::recordError(std::string error) {
    std::lock_guard lock(status_mutex_);
    last_error_ = std::move(error);
}

bool KafkaEventSource::commitThrough(std::uint64_t end_sequence, bool wait,
                                     TimestampUs oldest_open) {
    if (left_group_) {
        return false;
    }
    const auto advanced = tracker_.release(end_sequence, oldest_open);
    return commit(advanced, wait);
}

bool KafkaEventSource::commitOffsets(const std::map<TopicPartition, std::int64_t>& next_offsets) {
    if (left_group_) {
        return false;
    }
    return commit(next_offsets, false);
}

std::optional<std::int32_t> KafkaEventSource::partitionCount(const std::string& topic,
                                                             std::chrono::milliseconds timeout) {
    if (left_group_) {
        return std::nullopt;
    }
    rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer_.get(), topic.c_str(), nullptr);
    if (handle == nullptr) {
        return std::nullopt;
    }
    const struct rd_kafka_metadata* metadata = nullptr;
    const rd_kafka_resp_err_t err =
        rd_kafka_metadata(consumer_.get(), 0, handle, &metadata, static_cast<int>(timeout.count()));
    rd_kafka_topic_destroy(handle);
    std::optional<std::int32_t> count;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && metadata != nullptr) {
        for (int i = 0; i < metadata->topic_cnt; ++i) {
            const auto& entry = metadata->topics[i];
            if (entry.err == RD_KAFKA_RESP_ERR_NO_ERROR && topic == entry.topic &&
                entry.partition_cnt > 0) {
                count = entry.partition_cnt;
            }
        }
    }
    if (metadata != nullptr) {
        rd_kafka_metadata_destroy(metadata);
    }
    return count;
}

bool KafkaEventSource::commit(const std::map<TopicPartition, std::int64_t>& advanced, bool wait) {
    if (advanced.empty()) {
        return true;
    }
    kafka::PartitionListPtr offsets(
        rd_kafka_topic_partition_list_new(static_cast<int>(advanced.size())));
    for (const auto& [tp, next] : advanced) {
        rd_kafka_topic_partition_list_add(offsets.get(), tp.topic.c_str(), tp.partition)->offset =
            next;
    }
    const rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), offsets.get(), wait ? 0 : 1);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        if (!wait) { // a synchronous commit's failure also reaches onCommit
            commit_errors_.fetch_add(1);
        }
        recordError(std::string("offset commit: ") + rd_kafka_err2str(err));
        return false;
    }
    return true;
}

void KafkaEventSource::refreshLag() {
    rd_kafka_t* rk = consumer_.get();
    rd_kafka_topic_partition_list_t* assignment = nullptr;
    if (rd_kafka_assignment(rk, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        return;
    }
    kafka::PartitionListPtr owned(assignment);
    rd_kafka_position(rk, assignment);
    const auto released = tracker_.released();
    std::vector<PartitionLag> lag;
    lag.reserve(static_cast<std::size_t>(assignment->cnt));
    for (int i = 0; i < assignment->cnt; ++i) {
        const auto& tp = assignment->elems[i];
        PartitionLag entry;
        entry.topic = tp.topic;
        entry.partition = tp.partition;
        entry.position = tp.offset >= 0 ? tp.offset : -1;
        std::int64_t low = -1;
        std::int64_t high = -1;
        // Cached from fetch responses: no broker round trip on this thread.
        if (rd_kafka_get_watermark_offsets(rk, tp.topic, tp.partition, &low, &high) ==
            RD_KAFKA_RESP_ERR_NO_ERROR) {
            entry.high_watermark = high;
        }
        if (entry.high_watermark >= 0) {
            const std::int64_t from =
                entry.position >= 0 ? entry.position : std::max<std::int64_t>(low, 0);
            entry.lag = std::max<std::int64_t>(0, entry.high_watermark - from);
        }
        if (const auto found = released.find(TopicPartition{tp.topic, tp.partition});
            found != released.end()) {
            entry.committed = found->second;
        }
        if (const auto kind = settings_.topics.kindOf(tp.topic); kind && tp.partition >= 0) {
            clockFor(static_cast<int>(*kind), tp.partition).caught_up =
                entry.high_watermark >= 0 && entry.lag == 0;
        }
        lag.push_back(std::move(entry));
    }
    assigned_ = lag.size();
    std::lock_guard lock(status_mutex_);
    lag_ = std::move(lag);
}

std::vector<PartitionLag> KafkaEventSource::lag() const {
    std::lock_guard lock(status_mutex_);
    return lag_;
}

KafkaSourceStatus KafkaEventSource::status() const {
    KafkaSourceStatus status;
    status.messages = messages_.load();
    status.accepted = accepted_.load();
    status.duplicates = duplicates_.load();
    status.dead_letters = dead_letters_.total();
    status.dead_letters_dropped = dead_letters_.dropped();
    status.rejected_by_reason = dead_letters_.countsByReason();
    status.batches = batches_.load();
    status.pauses = pauses_.load();
    status.paused = paused_flag_.load();
    status.held = hold_requested_.load();
    status.assigned_partitions = assigned_.load();
    status.commits = commits_.load();
    status.commit_errors = commit_errors_.load();
    status.consumer_errors = consumer_errors_.load();
    status.partitions_started_from_lookup = started_from_lookup_.load();
    status.start_offset_failed = start_offset_failed_.load();
    std::lock_guard lock(status_mutex_);
    status.last_error = last_error_;
    return status;
}

} // namespace gm
