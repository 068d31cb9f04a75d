// SPDX-License-Identifier: GPL-3.0-or-later
// PostgresWriter throughput against the physical baseline: the same rows loaded with
// `psql \copy` into the same (emptied) table of the same server, in the same run.
//
//   bench_writer [rows=500000] [events=500000] [repeats=2]
//
// Each measurement is repeated (baseline and writer alternating) and the best time is kept:
// other work on a 2-core machine only ever makes a run slower.
//
// Uses the PG* server when PGHOST is set (a scratch database is created and dropped), else a
// private throwaway cluster in a temporary directory (as the postgres user when run as root).
#include "generator/catalog.h"
#include "generator/simulator.h"
#include "pipeline/postgres/child_process.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/raw_event_tables.h"
#include "pipeline/postgres/writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace gm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr TimestampUs kStart = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A server for the run: the PG* one (scratch database) or a private throwaway cluster.
struct Server {
    std::unique_ptr<EmbeddedPostgres> embedded;
    std::filesystem::path temp_dir;
    std::string scratch_db;
    std::string conninfo;
    std::string description;

    bool open() {
        if (const char* host = std::getenv("PGHOST"); host != nullptr && *host != '\0') {
            scratch_db = "gm_bench_" + std::to_string(std::random_device{}());
            PgSession admin("dbname=postgres");
            admin.exec("CREATE DATABASE " + scratch_db);
            conninfo = "dbname=" + scratch_db;
            description = std::string("PG* server at ") + host;
            return true;
        }
        char pattern[] = "/tmp/gm-bench-XXXXXX";
        if (::mkdtemp(pattern) == nullptr) {
            return false;
        }
        temp_dir = pattern;
        ::chmod(pattern, 0755);
        EmbeddedPostgresOptions options;
        options.root = temp_dir / "pg";
        options.throwaway = true;
        options.port = 5433;
        if (::geteuid() == 0) {
            options.run_as_user = "postgres";
        }
        embedded = std::make_unique<EmbeddedPostgres>(options);
        if (embedded->start() != EmbeddedPostgres::Outcome::Running) {
            std::fprintf(stderr, "bench_writer: %s\n", embedded->error().c_str());
            return false;
        }
        conninfo = embedded->conninfo();
        description = "private cluster in " + options.root.string() + " (fsync off)";
        return true;
    }

    ~Server() {
        if (!scratch_db.empty()) {
            try {
                PgSession admin("dbname=postgres");
                admin.exec("DROP DATABASE IF EXISTS " + scratch_db + " WITH (FORCE)");
            } catch (const PgError&) {
            }
        }
        embedded.reset();
        if (!temp_dir.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(temp_dir, ec);
        }
    }
};

std::string psqlPath() {
    if (const auto bin = EmbeddedPostgres::findBinDirectory()) {
        return (*bin / "psql").string();
    }
    return "psql";
}

void truncate(const std::string& conninfo, const std::vector<std::string>& tables) {
    PgSession session(conninfo);
    for (const std::string& t : tables) {
        session.exec("TRUNCATE " + t);
    }
    session.exec("CHECKPOINT");
}

// psql \copy of each batch's rows from a file; returns seconds.
double psqlCopy(const std::string& conninfo, const std::vector<TableBatch>& tables,
                const std::filesystem::path& dir) {
    std::vector<std::string> names;
    std::vector<std::string> commands;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto file = dir / ("rows_" + std::to_string(i) + ".copy");
        std::ofstream(file, std::ios::binary) << tables[i].copy_text;
        std::string columns;
        for (const std::string& c : tables[i].columns) {
            columns += (columns.empty() ? "" : ", ") + PgSession::quoteIdentifier(c);
        }
        commands.push_back("\\copy " + tables[i].table + " (" + columns + ") FROM '" +
                           file.string() + "'");
        names.push_back(tables[i].table);
    }
    truncate(conninfo, names);
    std::vector<std::string> argv = {psqlPath(), "-X", "-q", "-v", "ON_ERROR_STOP=1", conninfo};
    for (const std::string& c : commands) {
        argv.push_back("-c");
        argv.push_back(c);
    }
    const auto start = Clock::now();
    const ProcessResult r = runProcess(argv);
    const double seconds = secondsSince(start);
    if (r.exit_code != 0) {
        std::fprintf(stderr, "psql failed: %s\n", r.output.c_str());
        std::exit(1);
    }
    return seconds;
}

struct WriterRun {
    double seconds = 0;
    WriterStatus status;
};

WriterRun writeAll(const std::string& conninfo, std::vector<TableBatch> batches,
                   const std::vector<std::string>& truncate_first, std::size_t sessions = 2) {
    if (!truncate_first.empty()) {
        truncate(conninfo, truncate_first);
    }
    WriterConfig config;
    config.conninfo = conninfo;
    config.sessions = sessions;
    PostgresWriter writer(config);
    writer.start();
    const auto start = Clock::now();
    for (TableBatch& b : batches) {
        if (!writer.push(std::move(b))) {
            std::fprintf(stderr, "writer refused a batch: the figures below are incomplete\n");
        }
    }
    writer.waitUntilWritten(std::chrono::minutes(10));
    WriterRun run;
    run.seconds = secondsSince(start);
    run.status = writer.status();
    writer.stop();
    if (run.status.rows_failed > 0 || !run.status.last_error.empty()) {
        std::fprintf(stderr, "writer error: %s\n", run.status.last_error.c_str());
    }
    return run;
}

// inventory_by_country rows: a typical windowed table (7 columns, 4-column key).
std::vector<TableBatch> aggregateBatches(std::size_t rows, std::size_t per_batch, int version) {
    static const char* countries[] = {"USA", "UK", "Germany", "France", "Japan"};
    std::vector<TableBatch> out;
    for (std::size_t n = 0; n < rows; ++n) {
        if (n % per_batch == 0) {
            TableBatch b;
            b.table = "inventory_by_country";
            b.columns = {"window_start", "window_end",    "product_id", "country",
                         "units_sold",   "total_revenue", "created_at"};
            b.key_columns = {"window_start", "window_end", "product_id", "country"};
            out.push_back(std::move(b));
        }
        const TimestampUs window =
            kStart + static_cast<TimestampUs>(n / 5000) * 5 * kMicrosPerMinute;
        CopyTextBuilder row(out.back());
        row.timestamp(window).timestamp(window + 5 * kMicrosPerMinute);
        row.productId(static_cast<ProductId>((n / 5) % 1000)).text(countries[n % 5]);
        row.int64(static_cast<std::int64_t>(n % 17) + version)
            .cents(static_cast<std::int64_t>(n % 9973) * 100 + version);
        row.timestamp(window + 5 * kMicrosPerMinute + 30 * kMicrosPerSecond);
        row.endRow();
    }
    return out;
}

std::vector<TableBatch> concatenate(const std::vector<TableBatch>& batches) {
    std::vector<TableBatch> out;
    for (const TableBatch& b : batches) {
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const TableBatch& o) { return o.sameLayout(b); });
        if (it == out.end()) {
            TableBatch empty = b;
            empty.copy_text.clear();
            empty.rows = 0;
            out.push_back(std::move(empty));
            it = out.end() - 1;
        }
        it->copy_text += b.copy_text;
        it->rows += b.rows;
    }
    return out;
}

std::size_t totalRows(const std::vector<TableBatch>& batches) {
    std::size_t rows = 0;
    for (const TableBatch& b : batches) {
        rows += b.rows;
    }
    return rows;
}

void report(const char* what, std::size_t rows, double writer_s, double baseline_s,
            std::size_t events = 0) {
    const double writer_rate = static_cast<double>(rows) / writer_s;
    const double baseline_rate = static_cast<double>(rows) / baseline_s;
    std::printf("%-34s %9zu rows  writer %8.0f rows/s (%.2f s)  psql \\copy %8.0f rows/s (%.2f s)"
                "  = %5.1f %%",
                what, rows, writer_rate, writer_s, baseline_rate, baseline_s,
                100.0 * writer_rate / baseline_rate);
    if (events > 0) {
        std::printf("  | %8.0f events/s", static_cast<double>(events) / writer_s);
    }
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t rows = argc > 1 ? std::stoul(argv[1]) : 500'000;
    const std::size_t event_count = argc > 2 ? std::stoul(argv[2]) : 500'000;
    const int repeats = argc > 3 ? std::stoi(argv[3]) : 2;
    Server server;
    if (!server.open()) {
        return 1;
    }
    {
        pqxx::connection conn(server.conninfo);
        MigrationRunner::embedded().migrate(conn);
    }
    std::printf("server: %s, %u cores\n", server.description.c_str(),
                std::thread::hardware_concurrency());
    char pattern[] = "/tmp/gm-bench-rows-XXXXXX";
    const std::filesystem::path files = ::mkdtemp(pattern);

    // 1. Windowed table, new keys (the normal case: each window is emitted once).
    {
        const auto batches = aggregateBatches(rows, 5000, 0);
        const auto whole = concatenate(batches);
        double baseline = 1e9;
        double writer = 1e9;
        double replay = 1e9;
        for (int r = 0; r < repeats; ++r) {
            baseline = std::min(baseline, psqlCopy(server.conninfo, whole, files));
            writer = std::min(writer,
                              writeAll(server.conninfo, batches, {"inventory_by_country"}).seconds);
            // 2. The same keys again with new values: every row an ON CONFLICT DO UPDATE.
            replay = std::min(
                replay, writeAll(server.conninfo, aggregateBatches(rows, 5000, 1), {}).seconds);
        }
        report("aggregate, new keys", rows, writer, baseline);
        report("aggregate, all keys updated", rows, replay, baseline);
    }

    // 3. Raw events of the simulated shop into the four raw tables.
    {
        CatalogConfig catalog_config;
        catalog_config.users = 100'000;
        catalog_config.products = 10'000;
        catalog_config.reference_time = kStart;
        const Catalog catalog(catalog_config);
        ShopSimulator simulator(catalog, SimulatorConfig{}, kStart);
        simulator.setShopRate(2000);
        const RawEventEncoder encoder(catalog);
        std::vector<TableBatch> batches;
        double encode_seconds = 0;
        for (std::size_t done = 0; done < event_count;) {
            EventBatch events;
            const std::size_t n = std::min<std::size_t>(5000, event_count - done);
            simulator.generate(n, events);
            done += n;
            const auto start = Clock::now();
            RawEventBatches tables = encoder.encode(events);
            encode_seconds += secondsSince(start);
            for (TableBatch& b : tables.take()) {
                batches.push_back(std::move(b));
            }
        }
        const std::size_t raw_rows = totalRows(batches);
        std::printf("raw events: %zu events = %zu rows; encoding %.0f events/s on one core\n",
                    event_count, raw_rows, static_cast<double>(event_count) / encode_seconds);
        const auto whole = concatenate(batches);
        const std::vector<std::string> raw_tables = {"transactions", "transaction_items",
                                                     "cart_events", "product_view_events"};
        double baseline = 1e9;
        double writer = 1e9;
        double replay = 1e9;
        double single = 1e9;
        for (int r = 0; r < repeats; ++r) {
            baseline = std::min(baseline, psqlCopy(server.conninfo, whole, files));
            writer = std::min(writer, writeAll(server.conninfo, batches, raw_tables).seconds);
            replay = std::min(replay, writeAll(server.conninfo, batches, {}).seconds);
            single = std::min(single, writeAll(server.conninfo, batches, raw_tables, 1).seconds);
        }
        report("raw events, new", raw_rows, writer, baseline, event_count);
        report("raw events, new, one session", raw_rows, single, baseline, event_count);
        report("raw events, replayed (all skipped)", raw_rows, replay, baseline, event_count);
    }
    std::error_code ec;
    std::filesystem::remove_all(files, ec);
    return 0;
}
