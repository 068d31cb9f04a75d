// SPDX-License-Identifier: GPL-3.0-or-later
// Kafka throughput on the embedded broker, beside kcat on the same broker in the same run:
//   our publish rate (EventEncoder + KafkaProducer, lz4, keyed) vs `kcat -P -l` of the same JSON;
//   our consume-and-decode rate (KafkaEventSource: validation, dedup, batches) vs `kcat -C`.
// Targets: >= 500,000 events/s consumed and decoded, within 2x of kcat's raw consume rate.
// Usage: bench_kafka [events (default 1,000,000)]. Needs kcat on PATH. Run a Release build:
//   cmake -B build/rel -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build/rel --target bench_kafka && build/rel/tests/bench/bench_kafka
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/simulator.h"
#include "pipeline/kafka/embedded_kafka.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_event_source.h"
#include "pipeline/kafka/kafka_producer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

using namespace gm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;
constexpr int kPartitions = 64; // the mock keeps 5 MiB per partition

double seconds(Clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

// CPU seconds of this process (our clients and the in-process broker) plus finished children
// (kcat): on a shared 2-core machine wall time alone mostly measures the neighbours.
double cpuSeconds() {
    const auto total = [](int who) {
        rusage usage{};
        getrusage(who, &usage);
        return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
               (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    return total(RUSAGE_SELF) + total(RUSAGE_CHILDREN);
}

double cpu_mark = 0;

void report(const char* what, std::size_t count, double secs) {
    const double cpu = cpuSeconds() - cpu_mark;
    std::printf("%-44s %9zu msgs %7.3f s %10.0f msg/s wall | %7.3f s CPU %10.0f msg/CPU-s\n", what,
                count, secs, count / secs, cpu, count / cpu);
}

double runTimed(const std::string& command) {
    cpu_mark = cpuSeconds();
    const auto start = Clock::now();
    const int status = std::system(command.c_str());
    const double secs = seconds(Clock::now() - start);
    if (status != 0) {
        std::fprintf(stderr, "failed (%d): %s\n", status, command.c_str());
        std::exit(1);
    }
    return secs;
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    const Catalog catalog(CatalogConfig{.reference_time = kStart});
    const EventEncoder encoder(catalog);
    EventBatch generated;
    {
        ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
        simulator.setShopRate(1000);
        simulator.generate(events, generated);
    }
    KafkaTopics topics;
    EmbeddedKafka kafka(EmbeddedKafkaConfig{
        .brokers = 1,
        .partitions = kPartitions,
        .topics = {topics.transactions, topics.cart_events, topics.product_views, "kcat-bench"}});
    const std::string& bootstrap = kafka.bootstrapServers();
    std::printf("embedded broker %s, %d partitions per topic, %zu events (%zu views, %zu carts, "
                "%zu transactions)\n",
                bootstrap.c_str(), kPartitions, generated.size(), generated.views.size(),
                generated.carts.size(), generated.transactions.size());

    KafkaSettings settings;
    settings.brokers = bootstrap;
    settings.group = "bench";
    settings.properties = {{"log_level", "3"}};

    // Our publisher: encode + produce + wait for every delivery report.
    {
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, encoder, topics);
        cpu_mark = cpuSeconds();
        const auto start = Clock::now();
        publisher.publish(generated);
        producer.flush(std::chrono::minutes(5));
        const double secs = seconds(Clock::now() - start);
        const DeliveryStatus status = producer.status();
        report("publish (encode+produce+ack, lz4)", status.delivered, secs);
        if (status.failed != 0) {
            std::printf("  %llu failed: %s\n", static_cast<unsigned long long>(status.failed),
                        status.last_error.c_str());
        }
    }

    // Our consumer: group join excluded (it is ~3 s of protocol, not throughput).
    {
        KafkaEventSource source(settings, catalog);
        source.start();
        std::size_t received = 0;
        Clock::time_point first;
        while (received < generated.size()) {
            auto batch = source.next(std::chrono::seconds(30));
            if (!batch) {
                std::printf("consumer stalled at %zu events\n", received);
                break;
            }
            if (received == 0) {
                first = Clock::now();
                cpu_mark = cpuSeconds();
            }
            received += batch->size();
        }
        const double secs = seconds(Clock::now() - first);
        report("consume+decode+validate+dedup (1 thread)", received, secs);
        const auto status = source.status();
        std::printf("  messages %llu, dead letters %llu, duplicates %llu, pauses %llu\n",
                    static_cast<unsigned long long>(status.messages),
                    static_cast<unsigned long long>(status.dead_letters),
                    static_cast<unsigned long long>(status.duplicates),
                    static_cast<unsigned long long>(status.pauses));
        source.stop();
    }

    // kcat on the same broker, the same JSON values (one topic, keyless).
    char path[] = "/tmp/bench_kafka_XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) {
        std::perror("mkstemp");
        return 1;
    }
    close(fd);
    {
        std::ofstream out(path, std::ios::binary);
        std::string line;
        const auto write = [&](const auto& list) {
            for (const auto& event : list) {
                line.clear();
                encoder.append(event, line);
                line.push_back('\n');
                out.write(line.data(), static_cast<std::streamsize>(line.size()));
            }
        };
        write(generated.views);
        write(generated.carts);
        write(generated.transactions);
    }
    const double produce_secs = runTimed("kcat -P -b " + bootstrap +
                                         " -t kcat-bench -z lz4 -X linger.ms=20 -X "
                                         "sticky.partitioning.linger.ms=0 -l " +
                                         path);
    report("kcat -P -l (lz4)", generated.size(), produce_secs);
    const double consume_secs =
        runTimed("kcat -C -b " + bootstrap + " -t kcat-bench -e -o beginning -q > /dev/null");
    report("kcat -C -e -o beginning (raw, to /dev/null)", generated.size(), consume_secs);
    std::remove(path);
    return 0;
}
