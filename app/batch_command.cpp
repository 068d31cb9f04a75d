// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/batch_command.h"

#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/warehouse/warehouse_runner.h"

#include <QCommandLineParser>
#include <memory>

namespace gm {

bool isBatchCommand(const QStringList& arguments) {
    return arguments.contains(QStringLiteral("--run-batch"));
}

int runBatchCommand(const QStringList& arguments, std::FILE* out, std::FILE* err) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions({
        {"run-batch", "Load the warehouse, run every batch job, then exit."},
        {"analysis-date", "The date the jobs analyse (default: today, UTC).", "YYYY-MM-DD"},
        {"full-reload", "Empty the warehouse and load all raw events again."},
        {"db", "PostgreSQL URL of the raw event tables (default as for the app).", "URL"},
        {"warehouse-db", "PostgreSQL URL of the warehouse (default: schema 'warehouse' of --db).",
         "URL"},
    });
    if (!parser.parse(arguments)) {
        std::fprintf(err, "globalmart: %s\n", parser.errorText().toStdString().c_str());
        return 2;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(err, "globalmart: --run-batch: unexpected argument '%s'\n",
                     parser.positionalArguments().front().toStdString().c_str());
        return 2;
    }
    warehouse::BatchOptions options;
    options.full_reload = parser.isSet("full-reload");
    options.analysis_date = parser.isSet("analysis-date")
                                ? parser.value("analysis-date").toStdString()
                                : warehouse::todayUtc();
    if (!warehouse::isIsoDate(options.analysis_date)) {
        std::fprintf(err, "globalmart: --analysis-date: '%s' is not a date YYYY-MM-DD\n",
                     options.analysis_date.c_str());
        return 2;
    }
    const std::optional<std::string> url =
        parser.isSet("db") ? std::optional(parser.value("db").toStdString()) : std::nullopt;
    const DatabaseChoice choice = chooseDatabase(url);
    if (choice.error) {
        std::fprintf(err, "globalmart: %s\n", choice.error->c_str());
        return 2;
    }
    if (parser.isSet("warehouse-db")) {
        options.warehouse_conninfo = parser.value("warehouse-db").toStdString();
        if (options.warehouse_conninfo.empty()) {
            std::fprintf(err, "globalmart: --warehouse-db: the URL is empty\n");
            return 2;
        }
    }
    std::unique_ptr<EmbeddedPostgres> embedded;
    options.conninfo = choice.conninfo;
    if (choice.source == DatabaseSource::Embedded) {
        EmbeddedPostgresOptions embedded_options;
        embedded_options.root = choice.embedded_root;
        embedded = std::make_unique<EmbeddedPostgres>(embedded_options);
        if (embedded->start() != EmbeddedPostgres::Outcome::Running) {
            std::fprintf(err, "globalmart: --run-batch: %s\n", embedded->error().c_str());
            return 1;
        }
        options.conninfo = embedded->conninfo();
    }

    std::fprintf(out, "Warehouse batch for %s on %s%s%s\n", options.analysis_date.c_str(),
                 choice.description.c_str(),
                 options.warehouse_conninfo.empty() ? "" : ", warehouse in --warehouse-db",
                 options.full_reload ? " (full reload)" : "");
    std::fflush(out);
    warehouse::BatchReport report;
    try {
        report = warehouse::runBatch(options, [out](const warehouse::StepReport& step) {
            if (step.ok) {
                std::fprintf(out, "  %-22s %12lld rows %8.2f s\n", step.step.c_str(),
                             static_cast<long long>(step.rows), step.seconds);
            } else {
                std::fprintf(out, "  %-22s FAILED after %.2f s: %s\n", step.step.c_str(),
                             step.seconds, step.error.c_str());
            }
            std::fflush(out);
        });
    } catch (const std::exception& error) {
        std::fprintf(err, "globalmart: --run-batch: %s\n", error.what());
        return 1;
    }
    if (!report.quality.empty()) {
        int failed = 0;
        for (const auto& check : report.quality) {
            if (!check.passed) {
                ++failed;
                std::fprintf(out, "  quality FAILED: %s on %s: expected %s, got %s\n",
                             check.check.c_str(), check.table.c_str(), check.expected.c_str(),
                             check.actual.c_str());
            }
        }
        std::fprintf(out, "Data quality: %zu checks, %d failed (etl_quality run %lld)\n",
                     report.quality.size(), failed, static_cast<long long>(report.run_id));
    }
    if (!report.ok()) {
        std::fprintf(err, "globalmart: --run-batch: step %s failed (batch_runs run %lld)\n",
                     report.failed_step.c_str(), static_cast<long long>(report.run_id));
        return 1;
    }
    std::fprintf(out, "Batch run %lld succeeded\n", static_cast<long long>(report.run_id));
    return 0;
}

} // namespace gm
