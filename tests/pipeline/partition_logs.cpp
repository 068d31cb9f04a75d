// SPDX-License-Identifier: GPL-3.0-or-later
#include "partition_logs.h"

#include "generator/simulator.h"

#include <algorithm>
#include <array>
#include <limits>
#include <random>

namespace gm::test {
namespace {

constexpr int kTopics = kEventKindCount;

template <typename Event> void shiftBack(Event& event, std::uint64_t salt) {
    event.timestamp -= 2 * kMicrosPerMinute;
    if constexpr (requires { event.transaction_id; }) {
        event.transaction_id = makeUuidV4(salt, 0x1A7E);
    } else {
        event.event_id = makeUuidV4(salt, 0x1A7E);
    }
}

} // namespace

std::int32_t partitionOfUser(UserId user) {
    return static_cast<std::int32_t>((static_cast<std::uint64_t>(user) * 0x9E3779B97F4A7C15ULL) >>
                                     61) %
           kLogPartitions;
}

PartitionedShop partitionedShop(const Catalog& catalog, int late_every) {
    PartitionedShop data;
    ShopSimulator simulator(catalog, SimulatorConfig{.seed = 21}, kPartitionLogStart);
    simulator.setShopRate(30);
    for (int i = 0; i < 24; ++i) {
        EventBatch batch;
        simulator.generate(1'500, batch);
        data.in_order.push_back(std::move(batch));
    }
    for (int topic = 0; topic < kTopics; ++topic) {
        for (int partition = 0; partition < kLogPartitions; ++partition) {
            data.logs.push_back({static_cast<EventKind>(topic), partition, {}});
        }
    }
    std::array<std::uint64_t, kTopics * kLogPartitions> counts{};
    auto append = [&](EventKind topic, const auto& event, auto member) {
        const auto index = static_cast<std::size_t>(static_cast<int>(topic) * kLogPartitions +
                                                    partitionOfUser(event.user));
        auto& into = data.logs[index].events.*member;
        into.push_back(event);
        if (late_every > 0 && ++counts[index] % static_cast<std::uint64_t>(late_every) == 0) {
            auto copy = event;
            shiftBack(copy, ++data.late_copies);
            into.push_back(std::move(copy));
        }
    };
    for (const EventBatch& batch : data.in_order) {
        for (const auto& event : batch.views) {
            append(EventKind::ProductView, event, &EventBatch::views);
        }
        for (const auto& event : batch.carts) {
            append(EventKind::Cart, event, &EventBatch::carts);
        }
        for (const auto& tx : batch.transactions) {
            append(EventKind::Transaction, tx, &EventBatch::transactions);
        }
    }
    return data;
}

std::vector<PartitionState> allLogPartitions() {
    std::vector<PartitionState> states;
    for (int topic = 0; topic < kTopics; ++topic) {
        for (int partition = 0; partition < kLogPartitions; ++partition) {
            states.push_back({static_cast<EventKind>(topic), partition, false});
        }
    }
    return states;
}

EventBatch slice(const PartitionLog& log, std::size_t from, std::size_t count) {
    EventBatch batch;
    batch.partition = log.partition;
    auto take = [&](const auto& events, auto& into) {
        const std::size_t end = std::min(events.size(), from + count);
        if (from < end) {
            into.assign(events.begin() + static_cast<std::ptrdiff_t>(from),
                        events.begin() + static_cast<std::ptrdiff_t>(end));
        }
    };
    take(log.events.views, batch.views);
    take(log.events.carts, batch.carts);
    take(log.events.transactions, batch.transactions);
    return batch;
}

std::vector<EventBatch> interleave(const std::vector<PartitionLog>& logs, Order order,
                                   unsigned seed) {
    std::vector<EventBatch> batches;
    std::vector<std::size_t> read(logs.size(), 0);
    std::mt19937 random(seed);
    auto next = [&](std::size_t log, std::size_t count) {
        batches.push_back(slice(logs[log], read[log], count));
        read[log] += count;
    };
    auto left = [&](std::size_t log) { return read[log] < logs[log].size(); };
    if (order == Order::OneFarAhead) {
        for (std::size_t log = 0; log < logs.size(); ++log) {
            while (logs[log].partition == 0 && left(log)) {
                next(log, 333);
            }
        }
    }
    bool any = true;
    while (any) {
        any = false;
        if (order == Order::RandomBatches) {
            std::vector<std::size_t> open;
            for (std::size_t log = 0; log < logs.size(); ++log) {
                if (left(log)) {
                    open.push_back(log);
                }
            }
            if (!open.empty()) {
                any = true;
                next(open[random() % open.size()], 1 + random() % 700);
            }
            continue;
        }
        for (std::size_t log = 0; log < logs.size(); ++log) {
            if (left(log)) {
                any = true;
                next(log, 100);
            }
        }
    }
    std::uint64_t sequence = 0;
    for (EventBatch& batch : batches) {
        batch.first_sequence = sequence;
        sequence += batch.size();
    }
    batches.front().partitions = allLogPartitions();
    return batches;
}

const char* topicName(EventKind topic) {
    switch (topic) {
    case EventKind::ProductView:
        return "product_views";
    case EventKind::Cart:
        return "cart_events";
    default:
        return "transactions";
    }
}

TopicPartition topicPartition(EventKind topic, std::int32_t partition) {
    return {topicName(topic), partition};
}

EventKind topicOf(const TopicPartition& tp) {
    for (const EventKind topic : {EventKind::ProductView, EventKind::Cart}) {
        if (tp.topic == topicName(topic)) {
            return topic;
        }
    }
    return EventKind::Transaction;
}

// The logs from the given offsets on, interleaved round robin, with their offsets.
std::vector<OffsetBatch>
batchesFrom(const std::vector<PartitionLog>& logs,
            const std::map<std::pair<EventKind, std::int32_t>, std::int64_t>& start_offsets,
            std::uint64_t first_sequence) {
    std::vector<PartitionLog> tails;
    std::vector<std::int64_t> bases;
    for (const PartitionLog& log : logs) {
        const auto found = start_offsets.find({log.topic, log.partition});
        const std::int64_t from = found == start_offsets.end() ? 0 : found->second;
        PartitionLog tail{log.topic, log.partition,
                          slice(log, static_cast<std::size_t>(from), log.size())};
        tails.push_back(std::move(tail));
        bases.push_back(from);
    }
    std::vector<EventBatch> batches = interleave(tails, Order::RoundRobin, 0);
    std::map<std::pair<EventKind, std::int32_t>, std::int64_t> next;
    for (std::size_t i = 0; i < tails.size(); ++i) {
        next[{tails[i].topic, tails[i].partition}] = bases[i];
    }
    std::vector<OffsetBatch> out;
    for (EventBatch& batch : batches) {
        OffsetBatch& entry = out.emplace_back();
        entry.topic = !batch.views.empty()   ? EventKind::ProductView
                      : !batch.carts.empty() ? EventKind::Cart
                                             : EventKind::Transaction;
        std::int64_t& offset = next[{entry.topic, *batch.partition}];
        entry.first_offset = offset;
        offset += static_cast<std::int64_t>(batch.size());
        batch.first_sequence += first_sequence;
        entry.events = std::move(batch);
    }
    return out;
}

TimestampUs newestOf(const EventBatch& batch) {
    TimestampUs newest = std::numeric_limits<TimestampUs>::min();
    auto each = [&](const auto& events) {
        for (const auto& event : events) {
            newest = std::max(newest, event.timestamp);
        }
    };
    each(batch.views);
    each(batch.carts);
    each(batch.transactions);
    return newest;
}

} // namespace gm::test
