// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/event_source.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/postgres/alert_acknowledger.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/postgres/persistence_options.h"
#include "pipeline/postgres/raw_event_tables.h"
#include "pipeline/postgres/relation_page_reader.h"
#include "pipeline/postgres/stored_history.h"
#include "pipeline/postgres/writer.h"
#include "pipeline/row_sink.h"

#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace gm {

class Catalog;

// Closed-window rows to the PostgreSQL writer: one TableBatch per table and RowBatch, keyed on
// the table's natural primary key (sql/migrations) so that replays update instead of duplicating.
class PostgresRowSink : public RowSink {
public:
    explicit PostgresRowSink(PostgresWriter& writer) : writer_(writer) {}
    void consume(const RowBatch& rows) override;
    // Rows the writer refused (could neither buffer nor spill them): lost, and reported.
    std::uint64_t refusedRows() const { return refused_rows_; }

private:
    void hand(TableBatch&& batch);
    PostgresWriter& writer_;
    std::atomic<std::uint64_t> refused_rows_{0};
};

// Passes batches through from another source and hands their events to the writer as raw event
// rows on the way. Runs on the pipeline thread, so a full writer buffer slows the pipeline,
// which fills the generator's queue, which slows the generator: back-pressure end to end.
class RawEventTap : public EventSource {
public:
    RawEventTap(EventSource& inner, const Catalog& catalog, PostgresWriter& writer);
    std::optional<EventBatch> next(std::chrono::milliseconds timeout) override;
    bool finished() const override { return inner_.finished(); }
    // Raw event rows the writer refused (could neither buffer nor spill them).
    std::uint64_t refusedRows() const { return refused_rows_; }

private:
    EventSource& inner_;
    RawEventEncoder encoder_;
    PostgresWriter& writer_;
    RawEventBatches scratch_;
    std::atomic<std::uint64_t> refused_rows_{0};
};

// Everything the app needs to persist: the resolved database (flag, environment, PG* or the
// embedded cluster), the schema migrated, and a running writer. Never throws: open() returns
// nothing and a one-line message when persistence cannot start, and the caller runs in memory.
class Persistence {
public:
    struct Opened {
        std::unique_ptr<Persistence> persistence; // null: run in memory
        std::string message;                      // one line; a warning or the reason
        // A bad --db (or GLOBALMART_DATABASE_URL, PG*) value, or a server refusing the user,
        // password or database: the caller exits with 2. The message names the setting.
        bool configuration_error = false;
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
    // Where the database is, for components with connections of their own (a group member).
    const std::string& conninfo() const { return conninfo_; }
    // Reads pages of stored tables through short connections of its own (the HTTP API).
    RelationPageReader relationReader() const { return RelationPageReader(conninfo_); }
    // Writes what is buffered (for `write_for`, by default the writer's stop timeout; then the
    // rest goes to the spill file), stops the writer, then the embedded server if it was
    // started here.
    void stop();
    void stop(std::chrono::milliseconds write_for);
    // Rows of the real-time tables the writer refused (see PostgresRowSink::refusedRows).
    std::uint64_t refusedRows() const;

    // Where the history already stored ends (stored_history.h); a short connection of its own.
    StoredHistory storedHistory() const { return readStoredHistory(conninfo_); }
    // The jobs' emitted-up-to watermarks stored under `scope` (e.g. a Kafka consumer group) by
    // progressMarks(); kNoWatermark for a job without one. Nothing when the database cannot be
    // read now (`error` then says why, in one line).
    std::optional<std::array<TimestampUs, kJobCount>> loadProgress(const std::string& scope,
                                                                   std::string& error) const;
    // Deletes the progress marks stored under `scope` (--reset-progress: a run with a wrong
    // --start or clock left marks in the far future, and every later window would count as
    // already written). Returns how many job marks were removed; nothing (and `error`) when the
    // database cannot be written now.
    std::optional<std::size_t> resetProgress(const std::string& scope, std::string& error) const;
    // The generator_runs row (sql/migrations/0007) of a generator run whose first event is at
    // `events_from`: without `events_until` when it starts, with its last event time when it
    // stops. For PostgresWriter::push, after the rows it describes.
    static TableBatch generatorRun(TimestampUs events_from,
                                   std::optional<TimestampUs> events_until);
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

} // namespace gm
