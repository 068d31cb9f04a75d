// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/persistence.h"

#include "generator/number_text.h"
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/postgres/row_table_batches.h"
#include "pipeline/table_schema.h"
#include "pipeline/window_math.h"

#include <array>
#include <cstdio>
#include <pqxx/pqxx>

namespace gm {
namespace {

// What the user set to choose this database, for one-line configuration errors.
std::string settingName(DatabaseSource source) {
    switch (source) {
    case DatabaseSource::CommandLine:
        return "--db";
    case DatabaseSource::EnvironmentUrl:
        return "GLOBALMART_DATABASE_URL";
    case DatabaseSource::PgEnvironment:
        return "the PG* environment (" + describeTarget("") + ")";
    case DatabaseSource::Embedded:
        break;
    }
    return "the embedded PostgreSQL";
}

// Connects once: nothing when the server answers, else why not (sqlstate() tells a wrong
// configuration from an unreachable server).
std::optional<PgError> firstConnectionFailure(const std::string& conninfo) {
    try {
        PgSession session(conninfo);
        return std::nullopt;
    } catch (const PgError& error) {
        return error;
    }
}

void appendNote(std::string& message, const std::string& note) {
    message += (message.empty() ? "" : "; ") + note;
}

// One spill file per database: rows spilled for one server must not be written to another.
// The name is a hash of where the rows go (the connection string, or the PG* variables libpq
// reads), so no password appears in it.
std::string spillFileName(const DatabaseChoice& choice, const EnvironmentLookup& env) {
    std::string identity = choice.conninfo;
    if (choice.source == DatabaseSource::PgEnvironment) {
        for (const char* name :
             {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
            identity += std::string("|") + name + "=" + env(name).value_or("");
        }
    } else if (choice.source == DatabaseSource::Embedded) {
        identity = "embedded|" + choice.embedded_root.string();
    }
    std::uint64_t hash = 1469598103934665603ull; // FNV-1a
    for (const char c : identity) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    char name[40];
    std::snprintf(name, sizeof name, "rows-%016llx.spill", static_cast<unsigned long long>(hash));
    return name;
}

} // namespace

namespace {

// Rows per TableBatch from the row sink: the final flush of a run can close a million windows
// at once, and one batch per table would need all their text in memory at the same moment.
constexpr std::size_t kRowsPerSinkBatch = 20'000;

} // namespace

void PostgresRowSink::consume(const RowBatch& rows) {
    forEachTableBatch(rows, kRowsPerSinkBatch,
                      [this](TableBatch&& batch) { hand(std::move(batch)); });
}

void PostgresRowSink::hand(TableBatch&& batch) {
    const std::size_t rows = batch.rows;
    if (!writer_.push(std::move(batch))) {
        refused_rows_ += rows; // neither buffered nor spilled: reported as lost
    }
}

RawEventTap::RawEventTap(EventSource& inner, const Catalog& catalog, PostgresWriter& writer)
    : inner_(inner), encoder_(catalog), writer_(writer) {}

std::optional<EventBatch> RawEventTap::next(std::chrono::milliseconds timeout) {
    auto batch = inner_.next(timeout);
    if (batch && !batch->empty()) {
        encoder_.append(*batch, scratch_);
        for (TableBatch& table : scratch_.take()) {
            const std::size_t rows = table.rows;
            if (!writer_.push(std::move(table))) {
                refused_rows_ += rows; // neither buffered nor spilled: reported as lost
            }
        }
    }
    return batch;
}

Persistence::Opened Persistence::open(const PersistenceOptions& options) {
    Opened result;
    const DatabaseChoice choice = chooseDatabase(options.database_url, options.environment);
    const std::string setting = settingName(choice.source);
    if (choice.error) {
        result.message = setting + ": " + *choice.error;
        result.configuration_error = true;
        return result;
    }
    if (choice.source != DatabaseSource::Embedded) {
        if (auto problem = connectionValueError(choice.conninfo, setting, options.environment)) {
            result.message = *problem;
            result.configuration_error = true;
            return result;
        }
    }
    auto persistence = std::unique_ptr<Persistence>(new Persistence());
    persistence->raw_events_ = options.raw_events;
    std::string conninfo = choice.conninfo;
    persistence->description_ = choice.description;
    if (choice.source == DatabaseSource::Embedded) {
        EmbeddedPostgresOptions embedded;
        embedded.root = options.embedded_root.value_or(choice.embedded_root);
        embedded.run_as_user = options.embedded_run_as_user;
        persistence->embedded_ = std::make_unique<EmbeddedPostgres>(embedded);
        if (persistence->embedded_->start() != EmbeddedPostgres::Outcome::Running) {
            result.message = persistence->embedded_->error();
            if (result.message.find("in memory") == std::string::npos) {
                result.message += "; running in memory: nothing is saved";
            }
            return result;
        }
        conninfo = persistence->embedded_->conninfo();
        persistence->description_ = "embedded PostgreSQL in " + embedded.root.string();
    }

    if (auto failure = firstConnectionFailure(conninfo)) {
        if (isConfigurationFailure(failure->sqlstate())) {
            // A wrong password, user or database name: retrying cannot help, and retrying
            // forever would look like an outage. The user has to fix the setting.
            result.message = setting + ": " + failure->what();
            result.configuration_error = true;
            return result;
        }
        // A configured server that does not answer now may come back: the writer keeps rows in
        // its buffer and retries, and the status line says so.
        result.message = std::string(failure->what()) +
                         " (will keep retrying; rows wait in memory, then in the spill file)";
    } else {
        try {
            pqxx::connection connection(conninfo);
            MigrationRunner::embedded().migrate(connection);
        } catch (const std::exception& error) {
            std::string what = error.what();
            while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) {
                what.pop_back();
            }
            result.message = "database schema: " + what.substr(0, what.find('\n')) +
                             "; running in memory: nothing is saved";
            return result;
        }
    }
    persistence->conninfo_ = conninfo;
    WriterConfig config;
    config.conninfo = conninfo;
    config.spill_path =
        options.spill_directory.value_or(defaultSpillDirectory(options.environment)) /
        spillFileName(choice, options.environment);
    config.spill_description = persistence->description_;
    persistence->writer_ = std::make_unique<PostgresWriter>(config);
    const WriterStatus found = persistence->writer_->status();
    if (!found.spill_problem.empty()) {
        appendNote(result.message, found.spill_problem);
    }
    if (found.spill_path.empty()) {
        appendNote(result.message, "no spill file: rows that cannot be written at stop are lost "
                                   "(and counted)");
    } else if (found.rows_from_earlier_run > 0) {
        appendNote(result.message, groupThousands(found.rows_from_earlier_run) +
                                       " rows an earlier run could not write wait in " +
                                       found.spill_path + ": they are written first");
    }
    persistence->writer_->start();
    persistence->row_sink_ = std::make_unique<PostgresRowSink>(*persistence->writer_);
    result.persistence = std::move(persistence);
    return result;
}

namespace {
std::string progressJobKey(const std::string& scope, JobId job) {
    return scope + ":" + std::string(jobName(job));
}
} // namespace

std::optional<std::array<TimestampUs, kJobCount>>
Persistence::loadProgress(const std::string& scope, std::string& error) const {
    std::array<TimestampUs, kJobCount> watermarks;
    watermarks.fill(kNoWatermark);
    try {
        pqxx::connection connection(conninfo_);
        pqxx::work work(connection);
        for (int job = 0; job < kJobCount; ++job) {
            const pqxx::result result =
                work.exec_params("SELECT (extract(epoch FROM emitted_up_to) * 1000000)::bigint "
                                 "FROM pipeline_progress WHERE job = $1",
                                 progressJobKey(scope, static_cast<JobId>(job)));
            if (!result.empty() && !result[0][0].is_null()) {
                watermarks[static_cast<std::size_t>(job)] = result[0][0].as<TimestampUs>();
            }
        }
        work.commit();
    } catch (const std::exception& e) {
        error = firstLine(e.what());
        return std::nullopt;
    }
    return watermarks;
}

std::optional<std::size_t> Persistence::resetProgress(const std::string& scope,
                                                      std::string& error) const {
    try {
        pqxx::connection connection(conninfo_);
        pqxx::work work(connection);
        // Marks are "<scope>:<job>"; comparing the prefix as text keeps a group name holding
        // LIKE's % or _ from matching other groups.
        const pqxx::result deleted = work.exec_params(
            "DELETE FROM pipeline_progress WHERE left(job, length($1)) = $1", scope + ":");
        work.commit();
        return static_cast<std::size_t>(deleted.affected_rows());
    } catch (const std::exception& e) {
        error = firstLine(e.what());
        return std::nullopt;
    }
}

TableBatch Persistence::generatorRun(TimestampUs events_from,
                                     std::optional<TimestampUs> events_until) {
    TableBatch run;
    run.table = "generator_runs";
    run.columns = {"events_from", "events_until"};
    run.key_columns = {"events_from"};
    CopyTextBuilder row(run);
    row.timestamp(events_from);
    if (events_until) {
        row.timestamp(*events_until);
    } else {
        row.null();
    }
    row.endRow();
    return run;
}

TableBatch Persistence::progressMarks(const std::string& scope,
                                      const std::array<TimestampUs, kJobCount>& watermarks) {
    TableBatch marks;
    marks.table = "pipeline_progress";
    for (int job = 0; job < kJobCount; ++job) {
        const TimestampUs watermark = watermarks[static_cast<std::size_t>(job)];
        if (watermark != kNoWatermark && watermark != kFlushWatermark) {
            marks.progress.push_back(
                ProgressMark{progressJobKey(scope, static_cast<JobId>(job)), watermark});
        }
    }
    return marks;
}

Persistence::~Persistence() {
    stop();
}

std::uint64_t Persistence::refusedRows() const {
    return row_sink_ ? row_sink_->refusedRows() : 0;
}

void Persistence::stop() {
    stop(WriterConfig{}.stop_timeout);
}

void Persistence::stop(std::chrono::milliseconds write_for) {
    if (writer_) {
        writer_->stop(write_for);
    }
    if (embedded_) {
        embedded_->stop();
    }
}

std::string describeWriterStatus(const WriterStatus& status) {
    // buffered_rows counts every row not written yet, in memory or spilled: never "0" while
    // rows remain.
    std::string line = "db " + std::string(writerStateName(status.state)) + " | " +
                       groupThousands(static_cast<std::uint64_t>(status.rows_per_second)) +
                       " rows/s | " + groupThousands(status.rows_written) + " written | buffer " +
                       groupThousands(status.buffered_rows) + " rows (" +
                       std::to_string(static_cast<int>(status.buffer_fill_pct + 0.5)) + "%)";
    if (status.spilled_rows > 0) {
        line += " | " + groupThousands(status.spilled_rows) + " of them spilled to disk";
    }
    if (status.rows_abandoned > 0) {
        line += " | " + groupThousands(status.rows_abandoned) + " rows LOST";
    }
    if (status.rows_failed > 0) {
        line += " | " + groupThousands(status.rows_failed) + " rejected by the server";
    }
    // A stopped writer's last error is history unless rows were left behind.
    const bool left_rows = status.spilled_rows > 0 || status.rows_abandoned > 0;
    if (!status.last_error.empty() && status.state != WriterState::Connected &&
        (status.state != WriterState::Stopped || left_rows)) {
        line += " | " + status.last_error;
    }
    return line;
}

} // namespace gm
