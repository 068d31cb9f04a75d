// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/event_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/postgres/alert_acknowledger.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/postgres/raw_event_tables.h"
#include "pipeline/postgres/writer.h"
#include "pipeline/row_sink.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace gm {

class Catalog;

struct PersistenceOptions {
    std::optional<std::string> database_url; // --db
    bool raw_events = true;                  // --no-raw-events turns it off
    EnvironmentLookup environment = processEnvironment;
    // Tests: where the embedded cluster lives and as whom it runs (see EmbeddedPostgresOptions).
    std::optional<std::filesystem::path> embedded_root;
    std::optional<std::string> embedded_run_as_user;
};

// Closed-window rows to the PostgreSQL writer: one TableBatch per table and RowBatch, keyed on
// the table's natural primary key (sql/migrations) so that replays update instead of duplicating.
class PostgresRowSink : public RowSink {
public:
    explicit PostgresRowSink(PostgresWriter& writer) : writer_(writer) {}
    void consume(const RowBatch& rows) override;

private:
    PostgresWriter& writer_;
};

// Passes batches through from another source and hands their events to the writer as raw event
// rows on the way. Runs on the pipeline thread, so a full writer buffer slows the pipeline,
// which fills the generator's queue, which slows the generator: back-pressure end to end.
class RawEventTap : public EventSource {
public:
    RawEventTap(EventSource& inner, const Catalog& catalog, PostgresWriter& writer);
    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override;
    bool finished() const override { return inner_.finished(); }

private:
    EventSource& inner_;
    RawEventEncoder encoder_;
    PostgresWriter& writer_;
    RawEventBatches scratch_;
};

// Everything the app needs to persist: the resolved database (flag, environment, PG* or the
// embedded cluster), the schema migrated, and a running writer. Never throws: open() returns
// nothing and a one-line message when persistence cannot start, and the caller runs in memory.
class Persistence {
public:
    struct Opened {
        std::unique_ptr<Persistence> persistence; // null: run in memory
        std::string message;                      // one line; a warning or the reason
        bool configuration_error = false;         // a bad --db value: the caller exits with 2
    };
    static Opened open(const PersistenceOptions& options);
    ~Persistence();

    PostgresWriter& writer() { return *writer_; }
    RowSink& rowSink() { return *row_sink_; }
    bool rawEvents() const { return raw_events_; }
    // "embedded PostgreSQL in /home/ann/.local/share/globalmart/postgres" or the redacted URL.
    const std::string& description() const { return description_; }
    // Acknowledges alerts through short connections of its own (worker threads only).
    AlertAcknowledger alertAcknowledger() const { return AlertAcknowledger(conninfo_); }
    // Writes what is buffered, stops the writer, then the embedded server if it was started here.
    void stop();

    // The jobs' emitted-up-to watermarks stored under `scope` (e.g. a Kafka consumer group) by
    // progressMarks(); kNoWatermark for a job without one. Nothing when the database cannot be
    // read now (`error` then says why, in one line).
    std::optional<std::array<TimestampUs, kJobCount>> loadProgress(const std::string& scope,
                                                                   std::string& error) const;
    // A batch of progress marks only, for PostgresWriter::push: committed with (or after) every
    // row pushed before it.
    static TableBatch progressMarks(const std::string& scope,
                                    const std::array<TimestampUs, kJobCount>& watermarks);

private:
    Persistence() = default;
    std::unique_ptr<EmbeddedPostgres> embedded_;
    std::unique_ptr<PostgresWriter> writer_;
    std::unique_ptr<PostgresRowSink> row_sink_;
    std::string conninfo_;
    std::string description_;
    bool raw_events_ = true;
};

// The table's natural primary key, as in sql/migrations: the writer's ON CONFLICT target.
const std::vector<std::string>& primaryKey(TableId table);

// One line for progress output and the status bar: "db connected | 12,345 rows/s | buffer 3%".
std::string describeWriterStatus(const WriterStatus& status);

} // namespace gm
