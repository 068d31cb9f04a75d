// SPDX-License-Identifier: GPL-3.0-or-later
// What the partial codec (pipeline/partial_codec.h, scale-out step 2.1) makes of a run: the
// shop's events split by user into partitions as our publisher does, each partition's closed
// windows (exact mode's PartitionShards, flushed at the end) encoded, decoded into fresh outputs
// and emitted. Prints payloads, cells and bytes per table, and the rows emitted from the
// original and from the decoded cells (they must be equal). A program, not a test: figures go to
// BENCHMARKS.md.
//
//   bench_partial_codec [--events N] [--users U] [--products P] [--partitions K]
//                       [--shop-rate R] [--seeds DIR]
//
// --seeds DIR writes the smallest payload of each table, without its checksum, as
// DIR/<table id>: the seeds of tests/fuzz/fuzz_partial_codec (which appends the checksum).
//
// Instructions per cell: run under `valgrind --tool=callgrind` and read the inclusive costs of
// runShards (the jobs' own work), encodeAll, decodeAll and emitAll (callgrind_annotate
// --inclusive=yes); the phases are separate functions for that.
//
// Trending is encoded per 10-minute window. For the record of what per-pane encoding would have
// to carry, the program also counts the (pane, product) cells and the distinct
// (pane, product, user) viewers a pane form would need (docs/scale-out.md, "Step 2.1 as built").
#include "generator/simulator.h"
#include "pipeline/partial_codec.h"
#include "pipeline/partial_merge.h"
#include "pipeline/partition_shards.h"
#include "pipeline/product_table.h"
#include "pipeline/session_emitter.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

using namespace gm;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
    std::uint64_t events = 1'000'000;
    std::uint32_t users = 10'000;
    std::uint32_t products = 1'000;
    int partitions = 4;
    double shop_rate = 2'000; // events per simulated second, as bench_pipeline
    std::string seeds;        // directory for fuzz seeds; empty: none
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const char* value = argv[i + 1];
        if (name == "--events") {
            options.events = std::strtoull(value, nullptr, 10);
        } else if (name == "--users") {
            options.users = static_cast<std::uint32_t>(std::atol(value));
        } else if (name == "--products") {
            options.products = static_cast<std::uint32_t>(std::atol(value));
        } else if (name == "--partitions") {
            options.partitions = std::max(1, std::atoi(value));
        } else if (name == "--shop-rate") {
            options.shop_rate = std::atof(value);
        } else if (name == "--seeds") {
            options.seeds = value;
        } else {
            std::fprintf(stderr, "unknown option %s\n", name.c_str());
            std::exit(2);
        }
    }
    return options;
}

int partitionOf(UserId user, int partitions) {
    return static_cast<int>(((static_cast<std::uint64_t>(user) * 0x9E3779B97F4A7C15ULL) >> 32) %
                            static_cast<std::uint64_t>(partitions));
}

std::vector<EventBatch> partitionLogs(const Catalog& catalog, const Options& options,
                                      TimestampUs start) {
    ShopSimulator simulator(catalog, SimulatorConfig{}, start);
    simulator.setShopRate(options.shop_rate);
    std::vector<EventBatch> logs(static_cast<std::size_t>(options.partitions));
    for (std::uint64_t done = 0; done < options.events;) {
        EventBatch batch;
        const std::size_t count =
            static_cast<std::size_t>(std::min<std::uint64_t>(4096, options.events - done));
        simulator.generate(count, batch);
        done += count;
        for (auto& e : batch.views) {
            logs[static_cast<std::size_t>(partitionOf(e.user, options.partitions))].views.push_back(
                std::move(e));
        }
        for (auto& e : batch.carts) {
            logs[static_cast<std::size_t>(partitionOf(e.user, options.partitions))].carts.push_back(
                std::move(e));
        }
        for (auto& t : batch.transactions) {
            logs[static_cast<std::size_t>(partitionOf(t.user, options.partitions))]
                .transactions.push_back(std::move(t));
        }
    }
    return logs;
}

[[gnu::noinline]] std::vector<ShardOutput> runShards(const std::vector<EventBatch>& logs,
                                                     const PipelineConfig& config) {
    std::vector<ShardOutput> outputs(logs.size());
    for (std::size_t p = 0; p < logs.size(); ++p) {
        PartitionShards shards(config);
        const auto partition = static_cast<std::int32_t>(p);
        constexpr std::size_t kChunk = 4096;
        auto feed = [&](const auto& events, auto add) {
            for (std::size_t from = 0; from < events.size(); from += kChunk) {
                add(std::span(events).subspan(from, std::min(kChunk, events.size() - from)));
            }
        };
        feed(logs[p].views, [&](auto part) { shards.add(partition, part, {}, {}); });
        feed(logs[p].carts, [&](auto part) { shards.add(partition, {}, part, {}); });
        feed(logs[p].transactions, [&](auto part) { shards.add(partition, {}, {}, part); });
        shards.flush(outputs[p]);
        // Per-event rows are not encoded: leave them out of both emissions.
        outputs[p].anomalies.high_value.clear();
        outputs[p].anomalies.high_quantity.clear();
        outputs[p].carts.abandoned.clear();
    }
    return outputs;
}

[[gnu::noinline]] std::vector<std::vector<EncodedPartial>>
encodeAll(const std::vector<ShardOutput>& outputs) {
    ProcessDictionaries dictionaries;
    PartialEncoder encoder(dictionaries);
    std::vector<std::vector<EncodedPartial>> encoded(outputs.size());
    for (std::size_t p = 0; p < outputs.size(); ++p) {
        encoder.encode(outputs[p], encoded[p]);
    }
    return encoded;
}

[[gnu::noinline]] std::vector<ShardOutput>
decodeAll(const std::vector<std::vector<EncodedPartial>>& encoded, std::size_t& failures) {
    ProcessDictionaries dictionaries;
    std::vector<ShardOutput> decoded(encoded.size());
    for (std::size_t p = 0; p < encoded.size(); ++p) {
        for (const EncodedPartial& partial : encoded[p]) {
            const PartialDecodeResult result =
                decodePartial(partial.payload, dictionaries, decoded[p]);
            if (!result.ok()) {
                ++failures;
                std::fprintf(stderr, "decode failed: %s\n", result.error.c_str());
            }
        }
    }
    return decoded;
}

[[gnu::noinline]] RowBatch emitAll(std::vector<ShardOutput>& outputs, const EmitContext& context) {
    RowBatch rows;
    emitMergedParts(outputs, context, rows);
    return rows;
}

// What a per-pane trending encoding would have to carry: cells per (pane, product) and the
// distinct viewers of each, per partition (every view is in time; the generator sends none late).
void paneFigures(const std::vector<EventBatch>& logs, const PipelineConfig& config) {
    std::uint64_t pane_cells = 0;
    std::uint64_t pane_viewers = 0;
    std::uint64_t pane_users = 0;
    for (const EventBatch& log : logs) {
        std::unordered_set<std::uint64_t> cells;
        std::unordered_set<std::uint64_t> viewers;
        std::unordered_set<std::uint64_t> users;
        for (const ProductViewEvent& e : log.views) {
            if (e.event_type != ViewEventType::View) {
                continue;
            }
            const auto pane = static_cast<std::uint64_t>(e.timestamp / config.trending_slide);
            cells.insert(pane << 32 | e.product);
            viewers.insert((pane << 52) ^ (static_cast<std::uint64_t>(e.product) << 26) ^ e.user);
            users.insert(pane << 32 | e.user);
        }
        pane_cells += cells.size();
        pane_viewers += viewers.size();
        pane_users += users.size();
    }
    std::printf("trending as panes would be: %llu (pane, product) cells, %llu distinct (pane, "
                "product, user) viewers, %llu distinct (pane, user) texts\n",
                static_cast<unsigned long long>(pane_cells),
                static_cast<unsigned long long>(pane_viewers),
                static_cast<unsigned long long>(pane_users));
}

void writeSeeds(const std::vector<std::vector<EncodedPartial>>& encoded, const std::string& dir) {
    std::map<std::string, const EncodedPartial*> smallest;
    for (const auto& partition : encoded) {
        for (const EncodedPartial& partial : partition) {
            const EncodedPartial*& best = smallest[partial.table_id];
            if (best == nullptr || partial.payload.size() < best->payload.size()) {
                best = &partial;
            }
        }
    }
    for (const auto& [id, partial] : smallest) {
        const std::string path = dir + "/" + id;
        std::FILE* file = std::fopen(path.c_str(), "wb");
        if (file == nullptr) {
            std::fprintf(stderr, "cannot write %s\n", path.c_str());
            std::exit(1);
        }
        std::fwrite(partial->payload.data(), 1, partial->payload.size() - 4, file);
        std::fclose(file);
    }
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    const TimestampUs start = *parseIsoTimestamp("2026-01-01T00:00:00Z");
    CatalogConfig catalog_config;
    catalog_config.users = options.users;
    catalog_config.products = options.products;
    catalog_config.reference_time = start;
    const Catalog catalog(catalog_config);
    const ProductTable products = productTableFrom(catalog);
    PipelineConfig config;
    config.exact_partitions = true;

    const std::vector<EventBatch> logs = partitionLogs(catalog, options, start);
    auto t0 = Steady::now();
    std::vector<ShardOutput> outputs = runShards(logs, config);
    auto t1 = Steady::now();
    const auto encoded = encodeAll(outputs);
    auto t2 = Steady::now();
    std::size_t failures = 0;
    std::vector<ShardOutput> decoded = decodeAll(encoded, failures);
    auto t3 = Steady::now();

    struct Figures {
        std::size_t payloads = 0;
        std::size_t cells = 0;
        std::size_t bytes = 0;
    };
    std::map<std::string, Figures> per_table;
    Figures total;
    for (const auto& partition : encoded) {
        for (const EncodedPartial& partial : partition) {
            Figures& f = per_table[partial.table_id];
            ++f.payloads;
            f.cells += partial.cells;
            f.bytes += partial.payload.size();
            ++total.payloads;
            total.cells += partial.cells;
            total.bytes += partial.payload.size();
        }
    }
    std::printf("%llu events, %u users, %u products, %d partitions, shop rate %.0f/s\n",
                static_cast<unsigned long long>(options.events), options.users, options.products,
                options.partitions, options.shop_rate);
    std::printf("| table | payloads | cells | bytes | bytes/cell | share of bytes |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const std::string_view id : partialTableIds()) {
        const Figures& f = per_table[std::string(id)];
        std::printf("| `%s` | %zu | %zu | %zu | %.1f | %.1f %% |\n", std::string(id).c_str(),
                    f.payloads, f.cells, f.bytes,
                    f.cells == 0 ? 0.0
                                 : static_cast<double>(f.bytes) / static_cast<double>(f.cells),
                    100.0 * static_cast<double>(f.bytes) / static_cast<double>(total.bytes));
    }
    std::printf("| all | %zu | %zu | %zu | %.1f | |\n", total.payloads, total.cells, total.bytes,
                static_cast<double>(total.bytes) / static_cast<double>(total.cells));
    paneFigures(logs, config);
    if (!options.seeds.empty()) {
        writeSeeds(encoded, options.seeds);
    }

    const EmitContext context{config, products, start};
    const RowBatch original_rows = emitAll(outputs, context);
    const RowBatch decoded_rows = emitAll(decoded, context);
    auto ms = [](auto a, auto b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    std::printf("wall ms (noisy): shards %.0f, encode %.0f, decode %.0f\n", ms(t0, t1), ms(t1, t2),
                ms(t2, t3));
    std::printf("rows emitted: original %zu, decoded %zu; decode failures %zu\n",
                original_rows.rowCount(), decoded_rows.rowCount(), failures);
    return failures == 0 && original_rows.rowCount() == decoded_rows.rowCount() ? 0 : 1;
}
