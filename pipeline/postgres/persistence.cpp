// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/persistence.h"

#include "generator/number_text.h"
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/table_schema.h"
#include "pipeline/window_math.h"

#include <array>
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

} // namespace

void PostgresRowSink::consume(const RowBatch& rows) {
    for (int index = 0; index < kTableCount; ++index) {
        const auto table = static_cast<TableId>(index);
        const auto texts = tableText(rows, table);
        if (texts.empty()) {
            continue;
        }
        TableBatch batch;
        batch.table = std::string(tableName(table));
        batch.columns = columns(table);
        batch.key_columns = primaryKey(table);
        batch.on_conflict = ConflictAction::Update;
        CopyTextBuilder builder(batch);
        for (const auto& fields : texts) {
            for (const std::string& field : fields) {
                if (field.empty()) {
                    builder.null(); // table_schema: an empty text is SQL NULL
                } else {
                    builder.text(field);
                }
            }
            builder.endRow();
        }
        writer_.push(std::move(batch));
    }
}

RawEventTap::RawEventTap(EventSource& inner, const Catalog& catalog, PostgresWriter& writer)
    : inner_(inner), encoder_(catalog), writer_(writer) {}

std::optional<EventBatch> RawEventTap::next(std::chrono::milliseconds timeout) {
    auto batch = inner_.next(timeout);
    if (batch && !batch->empty()) {
        encoder_.append(*batch, scratch_);
        for (TableBatch& table : scratch_.take()) {
            writer_.push(std::move(table));
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
        result.message =
            std::string(failure->what()) + " (will keep retrying; rows wait in memory)";
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
    persistence->writer_ = std::make_unique<PostgresWriter>(config);
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

void Persistence::stop() {
    if (writer_) {
        writer_->stop();
    }
    if (embedded_) {
        embedded_->stop();
    }
}

std::string describeWriterStatus(const WriterStatus& status) {
    std::string line = "db " + std::string(writerStateName(status.state)) + " | " +
                       groupThousands(static_cast<std::uint64_t>(status.rows_per_second)) +
                       " rows/s | " + groupThousands(status.rows_written) + " written | buffer " +
                       groupThousands(status.buffered_rows) + " rows (" +
                       std::to_string(static_cast<int>(status.buffer_fill_pct + 0.5)) + "%)";
    if (status.rows_failed > 0) {
        line += " | " + groupThousands(status.rows_failed) + " rejected by the server";
    }
    if (!status.last_error.empty() && status.state != WriterState::Connected) {
        line += " | " + status.last_error;
    }
    return line;
}

} // namespace gm
