// SPDX-License-Identifier: GPL-3.0-or-later
// Kafka throughput on the embedded broker, beside kcat on the same broker in the same run:
//   publish: EventEncoder + KafkaProducer (lz4, keyed) vs `kcat -P -l` of the same JSON;
//   consume: KafkaEventSource (decode, validation, dedup, batches) vs `kcat -C`;
//   consume + process: KafkaEventSource feeding the stream Pipeline (all five jobs, rows
//   counted and dropped), with the default worker count and with 2 workers.
// Targets: >= 500,000 events/s consumed and processed, within 2x of kcat's raw consume rate.
// Usage: bench_kafka [events (default 1,000,000)]. Needs kcat on PATH. Run a Release build:
//   cmake -B build/rel -G Ninja -DCMAKE_BUILD_TYPE=Release
//   cmake --build build/rel --target bench_kafka && build/rel/tests/bench/bench_kafka
// BENCH_KAFKA_FOREIGN=1: another shop's streams (issue 16): 1,000,000 users and 250,000
// products, every id spelled outside our catalog's numbering (USER_90…, PROD_90…) so that all
// are interned on the fly, none known at start; the pipeline row runs first, and the sizes of
// the dictionaries are printed. BENCH_KAFKA_FOREIGN=canonical: the same shop with its ids in
// our catalog's numbering (nothing interned but the names), to tell the cost of interning from
// the cost of a larger shop.
// BENCH_KAFKA_X="key=value,key=value" adds librdkafka properties to our clients (not to kcat),
// applied after our defaults like -X, e.g. "debug=fetch,log_level=7" or a queue size to try.
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/id_dictionary.h"
#include "generator/simulator.h"
#include "pipeline/kafka/embedded_kafka.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_event_source.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/pipeline.h"
#include "pipeline/process_memory.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <malloc.h>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace gm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;
constexpr int kPartitions = 64; // the mock keeps 5 MiB per partition
// A consumer that brings nothing for this long has stalled: report it rather than hang.
constexpr auto kStallTimeout = std::chrono::seconds(30);

// CPU seconds of this process (our clients and the in-process broker) plus finished children
// (kcat): on a shared 2-core machine wall time alone mostly measures the neighbours.
double cpuSeconds() {
    const auto total = [](int who) {
        rusage usage{};
        getrusage(who, &usage);
        return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    };
    return total(RUSAGE_SELF) + total(RUSAGE_CHILDREN);
}

struct Mark {
    Clock::time_point wall;
    double cpu = 0;
    static Mark now() { return Mark{Clock::now(), cpuSeconds()}; }
};

struct Span {
    double wall = 0;
    double cpu = 0;
    static Span between(const Mark& from, const Mark& to) {
        return Span{std::chrono::duration<double>(to.wall - from.wall).count(), to.cpu - from.cpu};
    }
    Span& operator+=(const Span& other) {
        wall += other.wall;
        cpu += other.cpu;
        return *this;
    }
};

void report(const char* what, std::size_t count, const Span& span) {
    const auto n = static_cast<double>(count);
    std::printf("%-44s %9zu msgs %7.3f s %10.0f msg/s wall | %7.3f s CPU %10.0f msg/CPU-s\n", what,
                count, span.wall, n / span.wall, span.cpu, n / span.cpu);
}

unsigned long long ull(std::uint64_t value) {
    return static_cast<unsigned long long>(value);
}

// CPU seconds of each thread of this process by thread id, with its name.
using ThreadCpu = std::map<int, std::pair<std::string, double>>;

ThreadCpu threadCpu() {
    ThreadCpu threads;
    const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", error)) {
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos) {
            continue;
        }
        // After the name: state and ten more fields, then utime and stime.
        std::istringstream fields(stat.substr(close + 2));
        std::string skip;
        for (int i = 0; i < 11; ++i) {
            fields >> skip;
        }
        long user = 0;
        long system = 0;
        fields >> user >> system;
        threads[std::atoi(entry.path().filename().c_str())] = {
            stat.substr(open + 1, close - open - 1), static_cast<double>(user + system) * tick};
    }
    return threads;
}

// The threads that worked most between two readings, beside the wall time: one near the wall
// time bounds the row; all well below it means waiting (fetch stalls) or a busy machine.
void reportBusiest(const ThreadCpu& before, const ThreadCpu& after, double wall) {
    std::vector<std::pair<double, std::string>> busy;
    for (const auto& [tid, thread] : after) {
        const auto earlier = before.find(tid);
        busy.emplace_back(thread.second - (earlier == before.end() ? 0 : earlier->second.second),
                          thread.first);
    }
    std::sort(busy.rbegin(), busy.rend());
    std::printf("  busiest threads, CPU-s in %.2f s:", wall);
    for (std::size_t i = 0; i < std::min<std::size_t>(4, busy.size()); ++i) {
        std::printf(" %s %.2f", busy[i].second.c_str(), busy[i].first);
    }
    std::printf("\n");
}

// What a row adds to resident memory at its peak (librdkafka's prefetch queue, batches,
// pipeline state). Freed heap goes back to the kernel and the peak is reset first, so that
// earlier rows neither hide nor inflate it.
class PeakRss {
public:
    PeakRss() {
        malloc_trim(0);
        std::ofstream("/proc/self/clear_refs") << "5";
        base_kib_ = statusKib("VmRSS:");
    }
    double growthMib() const { return static_cast<double>(statusKib("VmHWM:") - base_kib_) / 1024; }

private:
    static long statusKib(const std::string& field) {
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);) {
            if (line.starts_with(field)) {
                return std::atol(line.c_str() + field.size());
            }
        }
        return 0;
    }
    long base_kib_ = 0;
};

void reportSource(const KafkaEventSource& source, const PeakRss& rss) {
    const KafkaSourceStatus status = source.status();
    std::printf("  messages %llu, dead letters %llu, duplicates %llu, pauses %llu, peak RSS "
                "+%.0f MiB\n",
                ull(status.messages), ull(status.dead_letters), ull(status.duplicates),
                ull(status.pauses), rss.growthMib());
}

std::vector<std::pair<std::string, std::string>> extraProperties() {
    std::vector<std::pair<std::string, std::string>> properties;
    const char* env = std::getenv("BENCH_KAFKA_X");
    std::string_view list = env != nullptr ? env : "";
    while (!list.empty()) {
        const std::string_view pair = list.substr(0, list.find(','));
        list.remove_prefix(std::min(list.size(), pair.size() + 1));
        if (const auto eq = pair.find('='); eq != std::string_view::npos) {
            properties.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
        }
    }
    return properties;
}

Span runCommand(const std::string& command) {
    const Mark start = Mark::now();
    const int status = std::system(command.c_str());
    const Span span = Span::between(start, Mark::now());
    if (status != 0) {
        std::fprintf(stderr, "failed (%d): %s\n", status, command.c_str());
        std::exit(1);
    }
    return span;
}

// Between the Kafka source and the pipeline: notes when the first batch leaves, and ends the
// stream once `expected` events went through, at the pipeline's next read after the last batch,
// i.e. once that batch is processed. The group join (~3 s of protocol) is not throughput.
class MeasuredSource final : public EventSource {
public:
    MeasuredSource(KafkaEventSource& source, std::size_t expected)
        : source_(source), expected_(expected) {}

    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override {
        if (passed_ >= expected_) {
            if (!end_) {
                end_ = Mark::now();
                threads_at_end_ = threadCpu();
            }
            return std::nullopt;
        }
        auto batch = source_.next(timeout);
        if (batch) {
            if (!start_) {
                start_ = Mark::now();
                threads_at_start_ = threadCpu();
            }
            passed_ += batch->size();
        }
        return batch;
    }
    bool finished() const override { return end_.has_value() || source_.finished(); }

    std::size_t passed() const { return passed_; }
    // The rest is valid once the reader is done with the source.
    Span span() const {
        return start_ ? Span::between(*start_, end_.value_or(Mark::now())) : Span{};
    }
    const std::optional<Mark>& end() const { return end_; }
    void reportThreads() const {
        reportBusiest(threads_at_start_, end_ ? threads_at_end_ : threadCpu(), span().wall);
    }

private:
    KafkaEventSource& source_;
    const std::size_t expected_;
    std::atomic<std::size_t> passed_{0};
    std::optional<Mark> start_;
    std::optional<Mark> end_;
    ThreadCpu threads_at_start_;
    ThreadCpu threads_at_end_;
};

void reportDictionaries(std::size_t attribute_bytes, std::uint64_t attribute_changes) {
    const IdTable& users = IdDictionary::users().interned();
    const IdTable& products = IdDictionary::products().interned();
    const InternTable& names = productNames();
    const auto mib = [](std::size_t bytes) { return static_cast<double>(bytes) / (1 << 20); };
    std::printf("  dictionaries: %u users %.1f MiB (%.1f B/id), %u products %.1f MiB, %u names "
                "%.1f MiB; product attributes %.1f MiB, %llu changes\n",
                users.size(), mib(users.bytes()),
                users.size() ? static_cast<double>(users.bytes()) / users.size() : 0.0,
                products.size(), mib(products.bytes()), names.size(), mib(names.bytes()),
                mib(attribute_bytes), ull(attribute_changes));
}

// Another shop's spelling of our generated ids: outside our catalog's numbering.
void respellIds(std::string& json) {
    for (const std::string_view prefix :
         {std::string_view("\"USER_0"), std::string_view("\"PROD_0")}) {
        for (std::size_t at = json.find(prefix); at != std::string::npos;
             at = json.find(prefix, at + prefix.size() + 1)) {
            json.insert(at + prefix.size() - 1, "9");
        }
    }
}

// Consume + decode: the source's batches read and dropped on this thread.
void benchConsume(const KafkaSettings& settings, const Catalog& catalog, std::size_t expected) {
    const PeakRss rss;
    KafkaEventSource kafka(settings, catalog);
    kafka.start();
    MeasuredSource source(kafka, expected);
    while (!source.finished()) {
        if (!source.next(std::chrono::duration_cast<std::chrono::milliseconds>(kStallTimeout)) &&
            source.passed() < expected) {
            std::printf("consumer stalled at %zu events\n", source.passed());
            break;
        }
    }
    report("consume+decode+validate+dedup (1 thread)", source.passed(), source.span());
    reportSource(kafka, rss);
    source.reportThreads();
    kafka.stop();
}

class CountingSink final : public RowSink {
public:
    void consume(const RowBatch& rows) override { rows_ += rows.rowCount(); }
    std::uint64_t rows() const { return rows_; }

private:
    std::uint64_t rows_ = 0;
};

// Consume + decode + process: the source feeding the stream pipeline (its own thread, snapshots
// ten times a second as in the application) into a sink that only counts rows.
void benchPipeline(const KafkaSettings& settings, const Catalog& catalog, std::size_t expected,
                   int workers, TimestampUs sim_now) {
    const PeakRss rss;
    KafkaEventSource kafka(settings, catalog);
    kafka.start();
    MeasuredSource source(kafka, expected);
    CountingSink sink;
    PipelineConfig config;
    config.workers = workers;
    const auto products = std::make_shared<const ProductTable>(productTableFrom(catalog));
    Pipeline pipeline(
        config, products, [sim_now] { return sim_now; }, source, sink);
    pipeline.start();
    std::size_t seen = 0;
    auto progressed = Clock::now();
    bool stalled = false;
    while (!pipeline.finished()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (source.passed() != seen) {
            seen = source.passed();
            progressed = Clock::now();
        } else if (!stalled && Clock::now() - progressed > kStallTimeout) {
            std::printf("consumer stalled at %zu events\n", seen);
            stalled = true;
            kafka.stop(); // ends the stream, so the pipeline flushes and finishes
        }
    }
    const Mark flushed = Mark::now();
    pipeline.join();
    const Span span = source.span();
    const std::string what = "consume+decode+pipeline, " + std::to_string(workers) +
                             (workers == 1 ? " worker" : " workers") +
                             (workers == PipelineConfig{}.workers ? " (default)" : "");
    report(what.c_str(), source.passed(), span);
    const PipelineFigures figures = pipeline.counters().figures();
    std::uint64_t late = 0;
    for (const JobFigures& job : figures.jobs) {
        late += job.late;
    }
    // The final flush closes every open window at once: end-of-run work, outside the figure.
    std::printf("  processed %llu, rows %llu, late (summed over jobs) %llu, longest batch %.0f ms, "
                "final flush ~%.2f s\n",
                ull(figures.events), ull(sink.rows()), ull(late),
                static_cast<double>(figures.max_batch_latency_us) / 1e3,
                source.end() ? Span::between(*source.end(), flushed).wall : 0.0);
    reportSource(kafka, rss);
    source.reportThreads();
    kafka.stop();
    reportDictionaries(products->live->bytes(), figures.product_attribute_changes);
}

} // namespace

int main(int argc, char** argv) {
    returnLargeBlocksToTheSystem(); // as the application does: peak RSS as it would see it
    const std::size_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
    if (events == 0) {
        std::fprintf(stderr, "usage: bench_kafka [events]\n");
        return 2;
    }
    const char* foreign_mode = std::getenv("BENCH_KAFKA_FOREIGN");
    const bool foreign = foreign_mode != nullptr;
    const bool respell = foreign && std::string_view(foreign_mode) != "canonical";
    // The consumer's catalog stays the default; a foreign shop's is its own and larger.
    const Catalog catalog(CatalogConfig{.reference_time = kStart});
    const Catalog shop_catalog(foreign ? CatalogConfig{.users = 1'000'000,
                                                       .products = 250'000,
                                                       .seed = 16,
                                                       .reference_time = kStart}
                                       : CatalogConfig{.reference_time = kStart});
    const EventEncoder encoder(shop_catalog);
    EventBatch generated;
    TimestampUs sim_now = kStart;
    {
        ShopSimulator simulator(shop_catalog, SimulatorConfig{}, kStart);
        simulator.setShopRate(1000);
        simulator.generate(events, generated);
        sim_now = simulator.now();
    }
    KafkaTopics topics;
    EmbeddedKafka broker(EmbeddedKafkaConfig{
        .brokers = 1,
        .partitions = kPartitions,
        .topics = {topics.transactions, topics.cart_events, topics.product_views, "kcat-bench"}});
    const std::string& bootstrap = broker.bootstrapServers();
    std::printf("embedded broker %s, %d partitions per topic, %zu events (%zu views, %zu carts, "
                "%zu transactions)\n",
                bootstrap.c_str(), kPartitions, generated.size(), generated.views.size(),
                generated.carts.size(), generated.transactions.size());

    KafkaSettings settings;
    settings.brokers = bootstrap;
    settings.properties = {{"log_level", "3"}};
    for (auto& property : extraProperties()) {
        settings.properties.push_back(std::move(property));
    }

    if (foreign) {
        KafkaProducer producer(settings);
        std::string value;
        std::string key;
        const auto publish = [&](const auto& events, const std::string& topic) {
            for (const auto& event : events) {
                value.clear();
                encoder.append(event, value);
                key = formatUserId(event.user);
                if (respell) {
                    respellIds(value);
                    respellIds(key.insert(0, "\"")); // the key is the user id, respelled alike
                    key.erase(0, 1);
                }
                producer.produce(topic, key, value);
            }
        };
        publish(generated.views, topics.product_views);
        publish(generated.carts, topics.cart_events);
        publish(generated.transactions, topics.transactions);
        producer.flush(std::chrono::minutes(5));
        std::printf("foreign shop: 1,000,000 users, 250,000 products, ids %s; "
                    "%u users, %u products interned before consuming\n",
                    respell ? "outside our numbering" : "in our numbering",
                    IdDictionary::users().interned().size(),
                    IdDictionary::products().interned().size());
        settings.group = "bench-foreign";
        benchPipeline(settings, catalog, generated.size(), PipelineConfig{}.workers, sim_now);
        settings.group = "bench-foreign-consume";
        benchConsume(settings, catalog, generated.size());
        return 0;
    }

    // Our publisher: encode + produce + wait for every delivery report.
    {
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, encoder, topics);
        const Mark start = Mark::now();
        publisher.publish(generated);
        producer.flush(std::chrono::minutes(5));
        const DeliveryStatus status = producer.status();
        report("publish (encode+produce+ack, lz4)", status.delivered,
               Span::between(start, Mark::now()));
        if (status.failed != 0) {
            std::printf("  %llu failed: %s\n", ull(status.failed), status.last_error.c_str());
        }
    }

    // Each row reads everything from the beginning with a consumer group of its own.
    settings.group = "bench";
    benchConsume(settings, catalog, generated.size());
    std::vector<int> worker_counts{PipelineConfig{}.workers};
    if (worker_counts.front() != 2) {
        worker_counts.push_back(2);
    }
    for (const int workers : worker_counts) {
        settings.group = "bench-pipeline-" + std::to_string(workers);
        benchPipeline(settings, catalog, generated.size(), workers, sim_now);
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
        // The value size sets what librdkafka's prefetch queue holds per message.
        std::printf("JSON values: %.0f bytes per event on average\n",
                    static_cast<double>(static_cast<std::streamoff>(out.tellp())) /
                            static_cast<double>(generated.size()) -
                        1);
    }
    report("kcat -P -l (lz4)", generated.size(),
           runCommand("kcat -P -b " + bootstrap +
                      " -t kcat-bench -z lz4 -X linger.ms=20 -X sticky.partitioning.linger.ms=0 "
                      "-l " +
                      path));
    std::remove(path);
    // kcat -e stops at end of partition, which librdkafka only reports after an empty fetch that
    // the broker holds for fetch.wait.max.ms (500 ms by default); our rows stop at the last
    // event. So each kcat -C row is also run without that wait.
    const auto kcatConsume = [&](const std::string& topic, const char* extra) {
        return runCommand("kcat -C -b " + bootstrap + " -t " + topic + " -e -o beginning -q " +
                          extra + " > /dev/null");
    };
    // kcat reading what our publisher wrote (keyed, so smaller batches per partition), one topic
    // after the other.
    const auto kcatOurs = [&](const char* extra) {
        Span ours;
        for (const std::string* topic :
             {&topics.product_views, &topics.cart_events, &topics.transactions}) {
            ours += kcatConsume(*topic, extra);
        }
        return ours;
    };
    const char* no_wait = "-X fetch.wait.max.ms=10";
    report("kcat -C -e -o beginning (raw, to /dev/null)", generated.size(),
           kcatConsume("kcat-bench", ""));
    report("kcat -C raw, -X fetch.wait.max.ms=10", generated.size(),
           kcatConsume("kcat-bench", no_wait));
    report("kcat -C of our three topics (raw)", generated.size(), kcatOurs(""));
    report("kcat -C of our topics, fetch.wait.max.ms=10", generated.size(), kcatOurs(no_wait));
    return 0;
}
