// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace gm {

// What a scale-out group member (--group-member, GroupMember) has done so far.
struct GroupMemberStatus {
    std::uint64_t claims = 0;           // partitions claimed (each assignment of one)
    std::uint64_t resumed = 0;          // of them, taken over from stored progress
    std::uint64_t commits = 0;          // partition commits that landed
    std::uint64_t fenced = 0;           // commits refused: another member owns the partition
    std::uint64_t commit_retries = 0;   // commits tried again after a database error
    std::uint64_t finalizations = 0;    // finalizer runs that held the group's lock
    std::uint64_t finalized_rows = 0;   // rows those runs upserted into the public tables
    std::uint64_t finalizer_errors = 0; // runs that failed (retried on the next tick)
    // Partitions whose commit the store refused for good (not a connection or serialization
    // error): nothing more is stored for them until they are claimed again, so their events are
    // read again by their next owner rather than their windows skipped.
    std::uint64_t stalled_partitions = 0;
    // Partition commits given up while stopping (the database did not answer in time): not lost,
    // their events are read again by the partition's next owner, but this run did not store them.
    std::uint64_t not_stored_at_stop = 0;
    std::string last_error; // of a commit or a finalizer run; empty: none
};

} // namespace gm
