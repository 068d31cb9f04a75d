// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/validation.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

// What the Kafka clients report, as plain structs: the runtime hands these to the window and
// the headless run, which never see a librdkafka type.
namespace gm {

struct PartitionLag {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t position = -1;       // next offset this consumer reads; -1: nothing read yet
    std::int64_t high_watermark = -1; // -1: not known yet
    std::int64_t lag = 0;             // high watermark - position, 0 when either is unknown
    std::int64_t committed = -1;      // last offset commitThrough() released; -1: none
};

struct KafkaSourceStatus {
    std::uint64_t messages = 0;   // read from Kafka, good or bad
    std::uint64_t accepted = 0;   // events handed to the pipeline
    std::uint64_t duplicates = 0; // dropped: id already seen within the dedup horizon
    std::uint64_t dead_letters = 0;
    std::uint64_t dead_letters_dropped = 0; // counted but not kept: the dead-letter queue was full
    std::array<std::uint64_t, kRejectReasonCount> rejected_by_reason{};
    std::uint64_t batches = 0;
    std::uint64_t pauses = 0; // times the partitions were paused for back-pressure
    bool paused = false;
    bool held = false; // paused by the user (the window's Pause): nothing is read meanwhile
    std::size_t assigned_partitions = 0;
    std::uint64_t commits = 0; // offset commits the broker acknowledged
    std::uint64_t commit_errors = 0;
    std::uint64_t consumer_errors = 0;
    // Partitions whose start offset came from the StartOffsetLookup (scale-out), and whether a
    // lookup failed (then the source stopped reading).
    std::uint64_t partitions_started_from_lookup = 0;
    bool start_offset_failed = false;
    std::string last_error; // one line; empty if none
};

// What became of the messages handed to a producer, for the System page and for tests.
struct DeliveryStatus {
    std::uint64_t queued = 0;    // accepted by produce()
    std::uint64_t delivered = 0; // acknowledged by the broker
    std::uint64_t failed = 0;    // refused at produce() or reported failed by the broker
    std::uint64_t in_flight = 0; // queued, not yet delivered or failed
    std::string last_error;      // one line; empty if nothing ever failed
};

} // namespace gm
