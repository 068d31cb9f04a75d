// SPDX-License-Identifier: GPL-3.0-or-later
// A fixed-seed run through the pipeline into a fresh database: every table in PostgreSQL holds
// exactly the rows the pipeline produced in memory, and the raw event tables hold every event.
#include "generator/catalog.h"
#include "generator/generator_runner.h"
#include "pipeline/memory_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/postgres/persistence.h"
#include "pipeline/table_schema.h"
#include "tests/db/db_test_support.h"

#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <thread>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000; // 2026-11-18T...Z

// Values as both sides render them, brought to one form: timestamps to microseconds, numbers
// to doubles (compared within 1e-9 relative), booleans to true/false, the rest as text.
struct Value {
    bool is_null = false;
    bool numeric = false;
    double number = 0;
    std::string text;
};

Value normalise(const std::string& raw, bool is_null) {
    Value value;
    value.is_null = is_null || raw.empty();
    if (value.is_null) {
        return value;
    }
    std::string text = raw;
    // PostgreSQL (DateStyle ISO, TimeZone UTC): "2026-11-25 10:15:30.123456+00".
    if (text.size() >= 22 && text[4] == '-' && text[10] == ' ' && text.ends_with("+00")) {
        text = text.substr(0, text.size() - 3) + "Z";
    }
    if (auto time = parseIsoTimestamp(text); time && text.size() >= 19 && text[4] == '-') {
        value.numeric = true;
        value.number = static_cast<double>(*time);
        return value;
    }
    if (text == "t" || text == "true") {
        value.text = "true";
        return value;
    }
    if (text == "f" || text == "false") {
        value.text = "false";
        return value;
    }
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (end != nullptr && *end == '\0' && !text.empty() &&
        text.find_first_not_of("0123456789.-+e") == std::string::npos) {
        value.numeric = true;
        value.number = number;
        return value;
    }
    value.text = text;
    return value;
}

bool sameValue(const Value& a, const Value& b) {
    if (a.is_null || b.is_null) {
        return a.is_null == b.is_null;
    }
    if (a.numeric && b.numeric) {
        const double scale = std::max({1.0, std::abs(a.number), std::abs(b.number)});
        return std::abs(a.number - b.number) <= 1e-9 * scale;
    }
    return a.numeric == b.numeric && a.text == b.text;
}

std::string keyOf(const std::vector<Value>& row, std::size_t key_columns) {
    std::string key;
    for (std::size_t i = 0; i < key_columns && i < row.size(); ++i) {
        key += row[i].numeric ? std::to_string(static_cast<long long>(row[i].number)) : row[i].text;
        key += '|';
    }
    return key;
}

// Every table in the database equals the pipeline's rows (the newest version per primary key,
// all columns), and the raw event tables hold every generated event.
void expectDatabaseEqualsMemory(const std::string& conninfo, const RowBatch& rows,
                                const SimulatorStats& stats) {
    pqxx::connection connection(conninfo);
    pqxx::work work(connection);
    work.exec("SET TIME ZONE 'UTC'");
    std::size_t tables_with_rows = 0;
    for (int index = 0; index < kTableCount; ++index) {
        const auto table = static_cast<TableId>(index);
        const auto expected_text = tableText(rows, table);
        const auto& names = columns(table);
        std::string select = "SELECT ";
        for (std::size_t c = 0; c < names.size(); ++c) {
            select += (c ? ", " : "") + connection.quote_name(names[c]) + "::text";
        }
        select += " FROM " + connection.quote_name(std::string(tableName(table)));
        const pqxx::result stored = work.exec(select);
        tables_with_rows += !expected_text.empty();
        // Upserted tables (alerts, stock levels) keep the newest version of a key: so does
        // the expectation.
        std::vector<std::size_t> key_columns;
        for (const std::string& key : primaryKey(table)) {
            key_columns.push_back(static_cast<std::size_t>(
                std::find(names.begin(), names.end(), key) - names.begin()));
        }
        std::map<std::string, std::vector<Value>> expected;
        for (const auto& fields : expected_text) {
            std::vector<Value> row;
            for (const auto& field : fields) {
                row.push_back(normalise(field, false));
            }
            std::string key;
            for (std::size_t c : key_columns) {
                key += keyOf({row[c]}, 1);
            }
            expected[key] = row;
        }
        QVERIFY2(stored.size() == expected.size(),
                 qPrintable(QString("%1: %2 keys in memory, %3 rows in PostgreSQL")
                                .arg(QString::fromStdString(std::string(tableName(table))))
                                .arg(expected.size())
                                .arg(stored.size())));
        for (const auto& stored_row : stored) {
            std::vector<Value> row;
            for (std::size_t c = 0; c < names.size(); ++c) {
                const auto field = stored_row[static_cast<int>(c)];
                row.push_back(normalise(field.is_null() ? "" : field.c_str(), field.is_null()));
            }
            std::string key;
            for (std::size_t c : key_columns) {
                key += keyOf({row[c]}, 1);
            }
            const auto found = expected.find(key);
            QVERIFY2(found != expected.end(),
                     qPrintable(QString("%1: a stored row the pipeline did not produce: %2")
                                    .arg(QString::fromStdString(std::string(tableName(table))))
                                    .arg(QString::fromStdString(key))));
            for (std::size_t c = 0; c < names.size(); ++c) {
                QVERIFY2(sameValue(found->second[c], row[c]),
                         qPrintable(QString("%1.%2 differs")
                                        .arg(QString::fromStdString(std::string(tableName(table))))
                                        .arg(QString::fromStdString(names[c]))));
            }
        }
    }
    QVERIFY(tables_with_rows >= 18);

    const auto count = [&](const char* table) {
        return work.exec1(std::string("SELECT count(*) FROM ") + table)[0].as<std::uint64_t>();
    };
    QCOMPARE(count("transactions"), stats.by_kind[static_cast<int>(EventKind::Transaction)]);
    QCOMPARE(count("cart_events"), stats.by_kind[static_cast<int>(EventKind::Cart)]);
    QCOMPARE(count("product_view_events"), stats.by_kind[static_cast<int>(EventKind::ProductView)]);
}

// Runs `events` events with a fixed seed through the pipeline into memory and the database;
// `during` is called on the test thread while the run goes on.
struct RunResult {
    RowBatch rows;
    SimulatorStats stats;
};

RunResult runThroughPipeline(Persistence& persistence, std::uint64_t events, bool paced,
                             const std::function<void()>& during = {}) {
    const Catalog catalog(
        CatalogConfig{.users = 10'000, .products = 1'000, .seed = 11, .reference_time = kStart});
    SimulationClock clock(kStart, 600.0, paced);
    BoundedQueue<EventBatch> queue(16);
    GeneratorSettings settings;
    settings.rate = 100'000;
    settings.acceleration = 600; // ~170 simulated events a second: hours of windows
    settings.max_speed = !paced;
    settings.event_limit = events;
    SimulatorConfig simulator;
    simulator.seed = 11;
    GeneratorRunner generator(catalog, simulator, settings, clock, queue);
    QueueSource queue_source(queue);
    RawEventTap source(queue_source, catalog, persistence.writer());
    MemorySink memory;
    FanOutSink sinks;
    sinks.add(memory);
    sinks.add(persistence.rowSink());
    PipelineConfig config;
    config.workers = 2;
    Pipeline pipeline(
        config, std::make_shared<const ProductTable>(productTableFrom(catalog)),
        [&clock] { return clock.now(); }, source, sinks);
    pipeline.start();
    generator.start();
    if (during) {
        during();
    }
    pipeline.join();
    generator.stop();
    return {memory.rows(), generator.status().stats};
}

} // namespace

class TestPersistenceEquivalence : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { GM_REQUIRE_SERVER(); }

    void databaseEqualsMemory() {
        test::ScratchDatabase database;
        PersistenceOptions options;
        options.database_url = database.conninfo();
        auto opened = Persistence::open(options);
        QVERIFY2(opened.persistence, opened.message.c_str());
        Persistence& persistence = *opened.persistence;
        const RunResult run = runThroughPipeline(persistence, 1'000'000, false);
        QVERIFY(persistence.writer().waitUntilWritten(std::chrono::minutes(5)));
        QCOMPARE(persistence.writer().status().rows_failed, std::uint64_t{0});
        expectDatabaseEqualsMemory(database.conninfo(), run.rows, run.stats);
        persistence.stop();
    }

    // The server stops (pg_ctl stop -m fast) while events keep coming and starts again: rows wait
    // in the writer's buffer, and the database ends exactly as if nothing had happened.
    void databaseEqualsMemoryAcrossAnOutage() {
        test::ThrowawayCluster cluster;
        std::string reason;
        if (!cluster.start(reason)) {
            QSKIP(reason.c_str());
        }
        PersistenceOptions options;
        options.database_url = cluster.server->conninfo();
        auto opened = Persistence::open(options);
        QVERIFY2(opened.persistence, opened.message.c_str());
        Persistence& persistence = *opened.persistence;
        bool saw_retrying = false;
        const RunResult run = runThroughPipeline(persistence, 600'000, true, [&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            QCOMPARE(cluster.pgCtl({"stop", "-m", "fast", "-w"}).exit_code, 0);
            for (int i = 0; i < 40 && !saw_retrying; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                saw_retrying = persistence.writer().status().state == WriterState::Retrying;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            QCOMPARE(cluster.server->start(), EmbeddedPostgres::Outcome::Running);
        });
        QVERIFY2(saw_retrying, "the writer never noticed the server was gone");
        QVERIFY(persistence.writer().waitUntilWritten(std::chrono::minutes(5)));
        const WriterStatus status = persistence.writer().status();
        QCOMPARE(status.rows_failed, std::uint64_t{0});
        QVERIFY(status.retries > 0);
        expectDatabaseEqualsMemory(cluster.server->conninfo(), run.rows, run.stats);
        persistence.stop();
    }
};

QTEST_GUILESS_MAIN(TestPersistenceEquivalence)
#include "tst_persistence_equivalence.moc"
