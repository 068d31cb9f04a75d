// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/persistence.h"

#include "generator/number_text.h"
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/sql_directory.h"
#include "pipeline/table_schema.h"
#include "pipeline/window_math.h"

#include <array>
#include <pqxx/pqxx>

namespace gm {
namespace {

std::string grouped(std::uint64_t value) {
    return groupThousands(value);
}

} // namespace

const std::vector<std::string>& primaryKey(TableId table) {
    static const std::vector<std::string> window = {"window_start", "window_end"};
    static const std::array<std::vector<std::string>, kTableCount> keys = [] {
        std::array<std::vector<std::string>, kTableCount> k;
        const auto with = [](std::vector<std::string> base,
                             std::initializer_list<const char*> more) {
            for (const char* column : more) {
                base.emplace_back(column);
            }
            return base;
        };
        k[static_cast<std::size_t>(TableId::SalesPerMinute)] = window;
        k[static_cast<std::size_t>(TableId::SalesByCountry)] = with(window, {"country"});
        k[static_cast<std::size_t>(TableId::CartSessions)] =
            with(window, {"user_id", "session_id"});
        k[static_cast<std::size_t>(TableId::CartMetrics)] = with(window, {"country"});
        k[static_cast<std::size_t>(TableId::AbandonedCarts)] =
            with(window, {"user_id", "session_id"});
        k[static_cast<std::size_t>(TableId::TrendingProducts)] = with(window, {"product_id"});
        k[static_cast<std::size_t>(TableId::CategoryPerformance)] =
            with(window, {"category", "country"});
        k[static_cast<std::size_t>(TableId::SearchBehavior)] =
            with(window, {"search_query", "country"});
        k[static_cast<std::size_t>(TableId::BrowsingSessions)] =
            with(window, {"user_id", "session_id"});
        k[static_cast<std::size_t>(TableId::HighValueAnomalies)] = {"transaction_id"};
        k[static_cast<std::size_t>(TableId::HighQuantityAnomalies)] = {"transaction_id",
                                                                       "product_id"};
        k[static_cast<std::size_t>(TableId::SuspiciousPatterns)] = with(window, {"user_id"});
        k[static_cast<std::size_t>(TableId::AnomalyStats)] = with(window, {"country"});
        k[static_cast<std::size_t>(TableId::ProductSalesVelocity)] = with(window, {"product_id"});
        k[static_cast<std::size_t>(TableId::InventoryByCountry)] =
            with(window, {"product_id", "country"});
        k[static_cast<std::size_t>(TableId::HighDemandAlerts)] = with(window, {"product_id"});
        k[static_cast<std::size_t>(TableId::RestockAlerts)] =
            with(window, {"product_id", "country"});
        k[static_cast<std::size_t>(TableId::InventoryMetrics)] = with(window, {"country"});
        k[static_cast<std::size_t>(TableId::StockLevels)] = {"product_id"};
        k[static_cast<std::size_t>(TableId::LowStockAlerts)] = {"product_id", "detected_at"};
        k[static_cast<std::size_t>(TableId::Alerts)] = {"alert_id"};
        return k;
    }();
    return keys[static_cast<std::size_t>(table)];
}

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
        if (table == TableId::Alerts) {
            batch.keep_on_conflict = {"acknowledged"}; // set by the analyst, not the pipeline
        }
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
    if (choice.error) {
        result.message = *choice.error;
        result.configuration_error = true;
        return result;
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

    if (auto problem = probeConnection(conninfo)) {
        // A configured server that does not answer now may come back: the writer keeps rows in
        // its buffer and retries, and the status line says so.
        result.message = *problem + " (will keep retrying; rows wait in memory)";
    } else {
        const auto sql = findSqlDirectory();
        if (!sql) {
            result.message = "cannot find the SQL schema files (set GLOBALMART_SQL_DIR); running "
                             "in memory: nothing is saved";
            return result;
        }
        try {
            pqxx::connection connection(conninfo);
            MigrationRunner::fromDirectory(*sql).migrate(connection);
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
                       grouped(static_cast<std::uint64_t>(status.rows_per_second)) + " rows/s | " +
                       grouped(status.rows_written) + " written | buffer " +
                       grouped(status.buffered_rows) + " rows (" +
                       std::to_string(static_cast<int>(status.buffer_fill_pct + 0.5)) + "%)";
    if (status.rows_failed > 0) {
        line += " | " + grouped(status.rows_failed) + " rejected by the server";
    }
    if (!status.last_error.empty() && status.state != WriterState::Connected) {
        line += " | " + status.last_error;
    }
    return line;
}

} // namespace gm
