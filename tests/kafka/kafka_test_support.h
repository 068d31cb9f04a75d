// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the Kafka tests: a small catalog, generated events, settings for the embedded
// broker, collecting batches from a source, comparing events as multisets, running kcat.
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/simulator.h"
#include "pipeline/kafka/embedded_kafka.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_event_source.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/kafka/kafka_settings.h"

#include <QByteArray>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace gm::test {

constexpr TimestampUs kStart = 1'795'000'000'000'000;

inline const Catalog& catalog() {
    static const Catalog instance(
        CatalogConfig{.users = 1'000, .products = 200, .seed = 7, .reference_time = kStart});
    return instance;
}

inline const EventEncoder& encoder() {
    static const EventEncoder instance(catalog());
    return instance;
}

// `count` events of the simulated shop; the planted-anomaly ground truth is cleared because it
// never travels on the wire.
inline EventBatch generate(std::size_t count, std::uint64_t seed) {
    SimulatorConfig config;
    config.seed = seed;
    ShopSimulator simulator(catalog(), config, kStart);
    EventBatch batch;
    simulator.generate(count, batch);
    for (auto& t : batch.transactions) {
        t.planted_anomaly = PlantedAnomaly::None;
    }
    return batch;
}

// `events` events of the simulated shop at 40 events a simulated second, in slices of 4,096
// (the generator's batches), planted-anomaly ground truth cleared.
inline std::vector<EventBatch> generateSlices(std::size_t events, std::uint64_t seed) {
    SimulatorConfig config;
    config.seed = seed;
    ShopSimulator simulator(catalog(), config, kStart);
    simulator.setShopRate(40);
    std::vector<EventBatch> slices;
    for (std::size_t done = 0; done < events;) {
        EventBatch slice;
        slice.first_sequence = done;
        simulator.generate(std::min<std::size_t>(4'096, events - done), slice);
        for (auto& t : slice.transactions) {
            t.planted_anomaly = PlantedAnomaly::None;
        }
        done += slice.size();
        slices.push_back(std::move(slice));
    }
    return slices;
}

inline std::vector<std::string> eventTopics(const KafkaTopics& topics = {}) {
    return {topics.transactions, topics.cart_events, topics.product_views, topics.alerts};
}

// Small timeouts so that a restarted member or a lost broker does not stall a test for long.
inline KafkaSettings settingsFor(const EmbeddedKafka& kafka, const std::string& group) {
    KafkaSettings settings;
    settings.brokers = kafka.bootstrapServers();
    settings.group = group;
    settings.linger_ms = 5;
    settings.properties = {{"session.timeout.ms", "10000"},
                           {"heartbeat.interval.ms", "500"},
                           {"topic.metadata.refresh.interval.ms", "1000"},
                           {"reconnect.backoff.max.ms", "500"}};
    return settings;
}

inline void append(EventBatch& into, EventBatch&& from) {
    const auto move = [](auto& to, auto& items) {
        to.insert(to.end(), std::make_move_iterator(items.begin()),
                  std::make_move_iterator(items.end()));
    };
    move(into.views, from.views);
    move(into.carts, from.carts);
    move(into.transactions, from.transactions);
}

// Reads batches until `until` says enough (given everything so far) or the timeout passes.
// `on_batch` sees each batch before it is merged (e.g. to check sequences).
inline EventBatch collect(KafkaEventSource& source,
                          const std::function<bool(const EventBatch&)>& until,
                          std::chrono::milliseconds timeout,
                          const std::function<void(const EventBatch&)>& on_batch = {}) {
    EventBatch all;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!until(all) && std::chrono::steady_clock::now() < deadline) {
        if (auto batch = source.next(std::chrono::milliseconds(50))) {
            if (on_batch) {
                on_batch(*batch);
            }
            append(all, std::move(*batch));
        }
    }
    return all;
}

inline std::function<bool(const EventBatch&)> atLeast(std::size_t events) {
    return [events](const EventBatch& batch) { return batch.size() >= events; };
}

template <typename Event> void sortById(std::vector<Event>& events) {
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        if constexpr (requires { a.transaction_id; }) {
            return a.transaction_id < b.transaction_id;
        } else {
            return a.event_id < b.event_id;
        }
    });
}

// A decoded event carries the product names as sent (interned in productNames()); a generated
// one names none (the catalog's applies). The names' text is checked by the codec tests.
inline void forgetNames(EventBatch& batch) {
    for (auto& event : batch.views) {
        event.product_name = kNoName;
        event.compare_names.clear();
    }
    for (auto& event : batch.carts) {
        event.product_name = kNoName;
        for (auto& line : event.items) {
            line.name = kNoName;
        }
    }
    for (auto& event : batch.transactions) {
        for (auto& line : event.products) {
            line.name = kNoName;
        }
    }
}

// Same events per stream, in any order (partitions interleave users), names aside.
inline bool sameEvents(EventBatch a, EventBatch b) {
    forgetNames(a);
    forgetNames(b);
    sortById(a.views);
    sortById(b.views);
    sortById(a.carts);
    sortById(b.carts);
    sortById(a.transactions);
    sortById(b.transactions);
    return a.views == b.views && a.carts == b.carts && a.transactions == b.transactions;
}

inline bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

struct KcatResult {
    int exit_code = -1;
    QByteArray out;
    QByteArray err;
};

// Runs kcat with the arguments; `input` goes to its stdin (e.g. for -P without -l).
inline KcatResult runKcat(const QStringList& arguments, int timeout_ms = 30'000) {
    QProcess process;
    process.start(QStringLiteral("kcat"), arguments);
    KcatResult result;
    if (!process.waitForStarted(5'000)) {
        result.err = "kcat did not start";
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished(2'000);
        result.err = "kcat timed out";
        return result;
    }
    result.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// tests/kafka/data/<name> (GM_KAFKA_TEST_DATA_DIR: an absolute path from CMake, since __FILE__
// may be relative when ccache rewrites paths).
inline QString dataFile(const char* name) {
    return QStringLiteral(GM_KAFKA_TEST_DATA_DIR "/") + QString::fromLatin1(name);
}

// Publishes the slices to the three event topics and waits for every delivery; returns the
// delivery figures (delivered == the events published when all went well).
inline DeliveryStatus publishAll(const EmbeddedKafka& kafka,
                                 const std::vector<EventBatch>& slices) {
    const KafkaSettings settings = settingsFor(kafka, "unused");
    KafkaProducer producer(settings);
    EventPublisher publisher(producer, encoder(), settings.topics);
    for (const EventBatch& slice : slices) {
        if (!publisher.publish(slice)) {
            break;
        }
    }
    producer.flush(std::chrono::seconds(120));
    return producer.status();
}

} // namespace gm::test
