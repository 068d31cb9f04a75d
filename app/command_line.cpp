// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/command_line.h"

#include "app/http/api_keys.h"
#include "app/http/http_endpoint.h"
#include "app/version_info.h"
#include "generator/reference_data.h"
#include "pipeline/initial_stock.h"
#include "pipeline/runtime/backfill_plan.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <cmath>
#include <cstdio>
#include <limits>

namespace gm {
namespace {

struct NumberRule {
    const char* option;
    double min;
    double max;
    const char* meaning;
};

// Reads a number option; on failure writes "--name: 'value' is not ..." into error.
std::optional<double> readNumber(const QCommandLineParser& parser, const NumberRule& rule,
                                 std::string& error) {
    const QString text = parser.value(QString::fromLatin1(rule.option));
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !std::isfinite(value)) {
        error = "--" + std::string(rule.option) + ": '" + text.toStdString() +
                "' is not a number (expected " + rule.meaning + ")";
        return std::nullopt;
    }
    if (value < rule.min || value > rule.max) {
        error = "--" + std::string(rule.option) + ": " + text.toStdString() + " is out of range (" +
                rule.meaning + ", " + QString::number(rule.min, 'g', 12).toStdString() + " to " +
                QString::number(rule.max, 'g', 12).toStdString() + ")";
        return std::nullopt;
    }
    return value;
}

std::optional<double> readWholeNumber(const QCommandLineParser& parser, const NumberRule& rule,
                                      std::string& error) {
    auto value = readNumber(parser, rule, error);
    if (value && std::floor(*value) != *value) {
        error = "--" + std::string(rule.option) + ": " +
                parser.value(QString::fromLatin1(rule.option)).toStdString() +
                " is not a whole number (expected " + rule.meaning + ")";
        return std::nullopt;
    }
    return value;
}

// Simulated time must stay inside what the timestamp format (and PostgreSQL, and Kafka
// clients) handle: years 1970 to 9999. A start before 9000 leaves a thousand years for the run.
constexpr TimestampUs kEarliestStart = 0;                     // 1970-01-01T00:00:00Z
constexpr TimestampUs kLatestStart = 221'845'392'000'000'000; // 9000-01-01T00:00:00Z
constexpr double kSecondsPerYear = 365.2425 * 86'400;

// Options that only mean something together with another one, and pairs that contradict each
// other: one line naming both, instead of silently ignoring one of them.
std::optional<std::string> contradiction(const QCommandLineParser& parser) {
    const auto set = [&](const char* name) { return parser.isSet(QString::fromLatin1(name)); };
    const bool kafka_source = parser.value("source") == QLatin1String("kafka");
    if (set("db") && set("no-db")) {
        return "--db and --no-db contradict each other (persist into the database, or not)";
    }
    if (set("no-raw-events") && set("no-db")) {
        return "--no-raw-events needs a database; with --no-db nothing is saved anyway";
    }
    if (set("embedded-kafka") && set("brokers")) {
        return "--embedded-kafka and --brokers contradict each other (start a broker here, or "
               "use the one at --brokers)";
    }
    if (set("topic-partitions") && !set("embedded-kafka")) {
        return "--topic-partitions only applies to the broker --embedded-kafka starts";
    }
    for (const char* producer_option : {"compression", "linger-ms"}) {
        if (set(producer_option) && !set("publish")) {
            return "--" + std::string(producer_option) +
                   " only applies when publishing: add --publish";
        }
    }
    if (set("group") && !kafka_source) {
        return "--group only applies to --source kafka (the consumer group)";
    }
    if (set("exact-group") && !kafka_source) {
        return "--exact-group only applies to --source kafka (windows per partition of its "
               "topics)";
    }
    if (set("group-member") && !kafka_source) {
        return "--group-member only applies to --source kafka (a member of its consumer group)";
    }
    if (set("group-member") && set("no-db")) {
        return "--group-member keeps the group's windows in PostgreSQL: it cannot run with --no-db";
    }
    if (set("reset-progress") && !kafka_source) {
        return "--reset-progress only applies to --source kafka (the marks of its consumer "
               "group)";
    }
    for (const char* http_option : {"api-key-file", "api-rate"}) {
        if (set(http_option) && !set("http")) {
            return "--" + std::string(http_option) + " only applies to the HTTP server: add --http";
        }
    }
    if (set("api-rate") && !set("api-key-file")) {
        return "--api-rate limits requests per API key: add --api-key-file";
    }
    if (set("overwrite-history") && (set("no-db") || kafka_source)) {
        return "--overwrite-history only applies to a generator run that saves to a database "
               "(the history it would overwrite is there)";
    }
    if (set("reset-progress") && set("no-db")) {
        return "--reset-progress and --no-db contradict each other (the marks are in the "
               "database)";
    }
    return std::nullopt;
}

// Simulated time over the run: it must not leave 1970-9999, whatever --duration, --events,
// --rate and --accelerate make of it.
std::optional<std::string> simulatedTimeProblem(TimestampUs start, const std::string& start_text,
                                                double acceleration, double rate, double duration,
                                                double events, bool max_speed) {
    if (start < kEarliestStart || start >= kLatestStart) {
        return "--start: " + start_text +
               " is outside 1970-01-01 to 9000-01-01 (simulated time must stay within the "
               "years 1970 to 9999, and a run needs room to advance)";
    }
    constexpr double kLatestEventSeconds = 253'402'300'799.0; // 9999-12-31T23:59:59Z
    const double room = kLatestEventSeconds - static_cast<double>(start) / 1e6;
    // Each event advances simulated time by acceleration / rate seconds.
    const double by_events = events > 0 ? events * acceleration / rate : 0;
    const double by_duration = duration > 0 && !max_speed ? duration * acceleration : 0;
    const double span = events > 0 && by_duration > 0 ? std::min(by_events, by_duration)
                                                      : std::max(by_events, by_duration);
    if (span > room) {
        char years[32];
        std::snprintf(years, sizeof years, "%.0f", span / kSecondsPerYear);
        return "--accelerate: x" + QString::number(acceleration, 'g', 12).toStdString() +
               " over this run covers about " + years + " simulated years from --start " +
               formatIsoTimestamp(start).substr(0, 10) +
               ", past the end of 9999 (start earlier, accelerate less or run shorter)";
    }
    return std::nullopt;
}

// --out-dir names a directory; an existing file there is a mistake better caught now than
// after connecting to databases and brokers.
std::optional<std::string> outDirProblem(const QString& directory) {
    if (directory.isEmpty()) {
        return "--out-dir: the directory name is empty";
    }
    const QFileInfo info(directory);
    if (info.exists() && !info.isDir()) {
        return "--out-dir: " + directory.toStdString() +
               " exists and is not a directory (the CSV tables need a directory)";
    }
    return std::nullopt;
}

} // namespace

CommandLineResult parseCommandLine(const QStringList& arguments) {
    CommandLineResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "GlobalMart Monitor: simulates an e-commerce shop and watches it in real time.\n"
        "Without --headless it opens the desktop window (headless when there is no display).");
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({"h", "help"}, "Show this help and exit.");
    const QCommandLineOption version({"v", "version"}, "Show the version and exit.");
    parser.addOption(help);
    parser.addOption(version);
    parser.addOptions({
        {"headless", "Run without a window: print live figures once a second and a summary."},
        {"rate", "Events per second over the whole mix, 1 to 100000000 (default 1000).", "N",
         "1000"},
        {"duration", "Stop after S seconds of real time; 0 runs until interrupted (default 0).",
         "S", "0"},
        {"events", "Stop after N events (default: no limit).", "N", "0"},
        {"seed", "Random seed: the same seed gives the same catalog and events (default 42).", "K",
         "42"},
        {"accelerate",
         "Simulated seconds per real second, 0.001 to 1000000 (default 1: real time).", "X", "1"},
        {"max-speed",
         "Do not wait for the wall clock: generate as fast as possible, e.g. to backfill "
         "history. Timestamps still advance by accelerate/rate per event."},
        {"start",
         "Simulation start time, ISO 8601 (e.g. 2026-11-25T00:00:00Z; default: now, or where the "
         "history stored in the database ends if that is later). A time before that end is "
         "refused unless --overwrite-history is given.",
         "TIME"},
        {"overwrite-history",
         "Let --start (or --backfill-days) lie before the end of the history stored in the "
         "database: the run then writes over the stored windows of the times it covers. Without "
         "--start: start now even if the stored history goes on later."},
        {"users", "Number of users in the catalog, 1 to 100000000 (default 10000).", "U", "10000"},
        {"products", "Number of products in the catalog, 1 to 10000000 (default 1000).", "P",
         "1000"},
        {"anomaly-rate", "Share of transactions that are anomalous, 0 to 1 (default 0.02).", "F",
         "0.02"},
        {"view-share", "Share of events that are product views, 0 to 0.95 (default 0.6).", "F",
         "0.6"},
        {"abandonment", "Share of carts abandoned without checkout, 0 to 1 (default 0.7).", "F",
         "0.7"},
        {"workers",
         "Stream-pipeline worker threads, 1 to 256 (default: CPU cores - 1, at least 1). Results "
         "are identical for any count.",
         "N", "0"},
        {"out-dir",
         "Write every real-time table as CSV (RFC 4180, one file per table, UTC timestamps) into "
         "DIR, created if missing.",
         "DIR"},
        {"db",
         "PostgreSQL to persist into: a libpq URI or key=value string (default: "
         "$GLOBALMART_DATABASE_URL, else the PG* variables when PGHOST or PGDATABASE is set, else "
         "a private cluster under $XDG_DATA_HOME/globalmart/postgres).",
         "URL"},
        {"warehouse-db",
         "PostgreSQL URL of the warehouse when it lives in a database of its own (as built by "
         "--run-batch --warehouse-db); the Warehouse page and the API read it there (default: "
         "schema 'warehouse' of --db).",
         "URL"},
        {"no-db", "Do not persist: keep everything in memory."},
        {"stop-timeout",
         "At stop, keep writing buffered rows to PostgreSQL at most S seconds (default 60); rows "
         "still unwritten then stay in the spill file and are written at the next start.",
         "S", "60"},
        {"backfill-days",
         "Generate N days of history ending now at full speed through the pipeline and the "
         "database, then stop (implies --max-speed; not with --start).",
         "N"},
        {"no-raw-events", "Persist the real-time tables but not the raw events."},
        {"source", "Where events come from: generator (default) or kafka.", "generator|kafka"},
        {"reference-data",
         "A reference-data file adding countries, payment methods and categories to the ones "
         "events are validated against (format: docs/reference-data.md).",
         "FILE"},
        {"initial-stock",
         "CSV of known stock levels, product_id,stock (format: docs/initial-stock.md): stock "
         "tables and low-stock alerts then cover these products, in the catalog or not.",
         "FILE"},
        {"publish", "Also publish the generated events to the Kafka topics."},
        {"brokers", "Kafka bootstrap servers, host:port[,host:port...].", "LIST"},
        {"X", "librdkafka property passed as is (repeatable), e.g. -X security.protocol=SSL.",
         "key=value"},
        {"group", "Kafka consumer group (default globalmart-monitor).", "NAME"},
        {"topics",
         "Kafka topics: transactions,cart-events,product-views[,alerts], or 'original' for the "
         "original project's *-topic names.",
         "LIST"},
        {"compression", "Kafka producer compression: none, gzip, snappy, lz4 (default), zstd.",
         "CODEC"},
        {"linger-ms", "Kafka producer batching delay in ms (default 20).", "MS"},
        {"embedded-kafka",
         "Start a Kafka broker on loopback (librdkafka's mock cluster) and use it; prints its "
         "address."},
        {"topic-partitions", "Partitions per topic of the embedded broker (default 32).", "N"},
        {"exact-group",
         "With --source kafka: window state and watermarks per topic partition, so that the rows "
         "depend on the topic data alone, not on how reads of the partitions interleave "
         "(docs/scale-out.md, step 1). A partition read to its end and idle for a second stops "
         "holding windows back."},
        {"group-member",
         "With --source kafka: one of several processes in the consumer group (scale-out, "
         "docs/scale-out.md): window state per topic partition, each partition claimed in "
         "PostgreSQL and its closed windows committed there with its offsets; the group's "
         "finalizer merges them into the tables. Stock levels and alerts are not written in "
         "this mode yet."},
        {"reset-progress",
         "With --source kafka: delete the consumer group's progress marks (table "
         "pipeline_progress) before starting, e.g. after a run with a wrong --start left marks "
         "in the future. Windows are then written again from what Kafka delivers."},
        {"http",
         "Serve Prometheus /metrics, /health and the JSON API /api/v1/ over HTTP on PORT, on "
         "loopback unless an ADDRESS is given (0.0.0.0: every interface; PORT 0: any free "
         "port, printed at start).",
         "[ADDRESS:]PORT"},
        {"api-key-file",
         "With --http: the API (all but /metrics and /health) asks for one of the keys in FILE "
         "(one per line, 16 to 256 characters, # comments) in the X-API-Key header.",
         "FILE"},
        {"api-rate",
         "With --api-key-file: requests per second each key may make on average, 0.1 to 100000 "
         "(default 20; bursts of twice as many).",
         "N"},
        {"webhook",
         "POST each new alert as JSON (with a Slack-compatible \"text\" field) to URL, "
         "retried with backoff on failure; counted in /metrics.",
         "URL"},
    });

    if (!parser.parse(arguments)) {
        result.error = parser.errorText().toStdString();
        result.exit_code = 2;
        return result;
    }
    if (parser.isSet(help)) {
        // Without a QCoreApplication (none exists yet, so that --help works without a display)
        // Qt cannot know the program's name.
        result.output =
            parser.helpText()
                .replace(QLatin1String("<executable_name>"), QLatin1String("globalmart"))
                .toStdString();
        return result;
    }
    if (parser.isSet(version)) {
        result.output = versionReport();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = "unexpected argument '" +
                       parser.positionalArguments().first().toStdString() +
                       "' (options start with --; see --help)";
        result.exit_code = 2;
        return result;
    }

    if (auto problem = contradiction(parser)) {
        result.error = *problem;
        result.exit_code = 2;
        return result;
    }

    RunOptions options;
    options.headless = parser.isSet("headless");
    std::string& error = result.error;
    const auto rate = readNumber(parser, {"rate", 1, 1e8, "events per second"}, error);
    const auto duration =
        rate ? readNumber(parser, {"duration", 0, 1e9, "seconds"}, error) : std::nullopt;
    const auto events =
        duration ? readWholeNumber(parser, {"events", 0, 9e15, "events"}, error) : std::nullopt;
    const auto seed =
        events ? readWholeNumber(parser, {"seed", 0, 9e15, "a whole number"}, error) : std::nullopt;
    const auto acceleration =
        seed ? readNumber(parser, {"accelerate", 1e-3, 1e6, "simulated seconds per real second"},
                          error)
             : std::nullopt;
    const auto users = acceleration
                           ? readWholeNumber(parser, {"users", 1, 1e8, "number of users"}, error)
                           : std::nullopt;
    const auto products =
        users ? readWholeNumber(parser, {"products", 1, 1e7, "number of products"}, error)
              : std::nullopt;
    const auto anomaly_rate =
        products ? readNumber(parser, {"anomaly-rate", 0, 1, "a share of transactions"}, error)
                 : std::nullopt;
    const auto view_share =
        anomaly_rate ? readNumber(parser, {"view-share", 0, 0.95, "a share of events"}, error)
                     : std::nullopt;
    const auto abandonment =
        view_share ? readNumber(parser, {"abandonment", 0, 1, "a share of carts"}, error)
                   : std::nullopt;
    std::optional<double> workers = 0.0;
    if (abandonment && parser.isSet("workers")) {
        workers = readWholeNumber(parser, {"workers", 1, 256, "worker threads"}, error);
    }
    if (!abandonment || !workers) {
        result.exit_code = 2;
        return result;
    }
    if (parser.isSet("out-dir")) {
        if (auto problem = outDirProblem(parser.value("out-dir"))) {
            result.error = *problem;
            result.exit_code = 2;
            return result;
        }
    }
    options.start_time = wallClockNow();
    if (parser.isSet("start")) {
        const auto start = parseIsoTimestamp(parser.value("start").toStdString());
        if (!start) {
            result.error = "--start: '" + parser.value("start").toStdString() +
                           "' is not an ISO 8601 time (e.g. 2026-11-25T00:00:00Z)";
            result.exit_code = 2;
            return result;
        }
        options.start_time = *start;
        options.start_option = "--start";
    }
    const std::string start_text = parser.isSet("start") ? parser.value("start").toStdString()
                                                         : formatIsoTimestamp(options.start_time);
    if (auto problem = simulatedTimeProblem(options.start_time, start_text, *acceleration, *rate,
                                            *duration, *events, parser.isSet("max-speed"))) {
        result.error = *problem;
        result.exit_code = 2;
        return result;
    }
    std::optional<int> backfill_days;
    if (parser.isSet("backfill-days")) {
        bool ok = false;
        backfill_days = parser.value("backfill-days").toInt(&ok);
        if (const auto problem = backfillDaysProblem(ok ? *backfill_days : 0)) {
            result.error =
                "--backfill-days: " + (ok ? *problem
                                          : "'" + parser.value("backfill-days").toStdString() +
                                                "' is not a number of days from 1 to " +
                                                std::to_string(kMaxBackfillDays));
            result.exit_code = 2;
            return result;
        }
        if (parser.isSet("start")) {
            result.error = "--backfill-days: cannot be combined with --start (it ends now)";
            result.exit_code = 2;
            return result;
        }
    }
    options.duration_seconds = *duration;
    options.catalog.users = static_cast<std::uint32_t>(*users);
    options.catalog.products = static_cast<std::uint32_t>(*products);
    options.catalog.seed = static_cast<std::uint64_t>(*seed);
    options.catalog.reference_time = options.start_time;
    options.simulator.seed = static_cast<std::uint64_t>(*seed);
    options.simulator.anomaly_rate = *anomaly_rate;
    options.simulator.view_share = *view_share;
    options.simulator.cart_abandonment = *abandonment;
    options.generator.rate = *rate;
    options.generator.acceleration = *acceleration;
    options.generator.event_limit = static_cast<std::uint64_t>(*events);
    options.generator.max_speed = parser.isSet("max-speed");
    if (backfill_days) {
        // Ends at the start time the options hold (now).
        planBackfill(options, *backfill_days, options.start_time, parser.isSet("accelerate"),
                     parser.isSet("events"));
        options.start_option = "--backfill-days";
    }
    options.workers = static_cast<int>(*workers);
    options.out_dir = parser.value("out-dir").toStdString();
    for (auto [name, url] : {std::pair{"db", &options.database_url},
                             std::pair{"warehouse-db", &options.warehouse_database_url}}) {
        if (parser.isSet(QString::fromLatin1(name))) {
            *url = parser.value(QString::fromLatin1(name)).toStdString();
            if (url->value().empty()) {
                result.error = std::string("--") + name + ": the connection string is empty";
                result.exit_code = 2;
                return result;
            }
        }
    }
    options.persist = !parser.isSet("no-db");
    const auto stop_timeout = readNumber(parser, {"stop-timeout", 0, 1e6, "seconds"}, error);
    if (!stop_timeout) {
        result.exit_code = 2;
        return result;
    }
    options.stop_timeout_seconds = *stop_timeout;
    options.raw_events = !parser.isSet("no-raw-events");
    if (parser.isSet("reference-data")) {
        // Before any decoder or pipeline thread exists: the lists are read-only afterwards.
        if (auto problem = addReferenceDataFile(parser.value("reference-data").toStdString())) {
            result.error = "--reference-data: " + *problem;
            result.exit_code = 2;
            return result;
        }
        result.reference_data_given = true;
    }
    if (parser.isSet("initial-stock")) {
        // Before any run: every run's product table applies it (productTableFrom).
        const QString path = parser.value("initial-stock");
        QFile file(path);
        std::string problem;
        std::optional<InitialStock> stock;
        if (!file.open(QIODevice::ReadOnly)) {
            problem = "cannot be read (" + file.errorString().toStdString() + ")";
        } else {
            const QByteArray text = file.readAll();
            stock = parseInitialStock(
                std::string_view(text.constData(), static_cast<std::size_t>(text.size())), problem);
        }
        if (!stock) {
            result.error = "--initial-stock: " + path.toStdString() + ": " + problem;
            result.exit_code = 2;
            return result;
        }
        setInitialStock(std::move(*stock));
    }
    options.reset_progress = parser.isSet("reset-progress");
    options.overwrite_history = parser.isSet("overwrite-history");
    for (const char* key :
         {"source", "brokers", "group", "topics", "compression", "linger-ms", "topic-partitions"}) {
        if (parser.isSet(key)) {
            if (auto problem =
                    applyKafkaOption(options.kafka, key, parser.value(key).toStdString())) {
                result.error = *problem;
                result.exit_code = 2;
                return result;
            }
        }
    }
    for (const char* flag : {"publish", "embedded-kafka", "exact-group", "group-member"}) {
        if (parser.isSet(flag)) {
            if (auto problem = applyKafkaOption(options.kafka, flag, "")) {
                result.error = *problem;
                result.exit_code = 2;
                return result;
            }
        }
    }
    for (const QString& property : parser.values("X")) {
        if (auto problem = applyKafkaOption(options.kafka, "X", property.toStdString())) {
            result.error = *problem;
            result.exit_code = 2;
            return result;
        }
    }
    if (auto problem = validateKafkaSettings(options.kafka); problem && !options.kafka.embedded) {
        result.error = *problem;
        result.exit_code = 2;
        return result;
    }
    if (parser.isSet("http")) {
        auto endpoint = parseHttpEndpoint(parser.value("http").toStdString());
        if (const auto* problem = std::get_if<std::string>(&endpoint)) {
            result.error = "--http: " + *problem;
            result.exit_code = 2;
            return result;
        }
        options.http_address = std::get<HttpEndpoint>(endpoint).address;
        options.http_port = std::get<HttpEndpoint>(endpoint).port;
    }
    if (parser.isSet("api-key-file")) {
        options.api_key_file = parser.value("api-key-file").toStdString();
        auto keys = readApiKeys(options.api_key_file);
        if (const auto* problem = std::get_if<std::string>(&keys)) {
            result.error = "--api-key-file: " + *problem;
            result.exit_code = 2;
            return result;
        }
    }
    if (parser.isSet("api-rate")) {
        const auto rate = readNumber(parser, {"api-rate", 0.1, 1e5, "requests per second"}, error);
        if (!rate) {
            result.exit_code = 2;
            return result;
        }
        options.api_rate = *rate;
    }
    if (parser.isSet("webhook")) {
        options.webhook_url = parser.value("webhook").toStdString();
        if (auto problem = webhookUrlProblem(options.webhook_url)) {
            result.error = "--webhook: " + *problem;
            result.exit_code = 2;
            return result;
        }
    }
    result.options = options;
    return result;
}

} // namespace gm
