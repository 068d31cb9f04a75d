// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/api_handler.h"

#include "app/http/json_text.h"
#include "app/http/openapi.h"
#include "app/http/webhook_notifier.h"
#include "generator/timestamp.h"
#include "pipeline/csv_text.h"
#include "pipeline/table_schema.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace gm {
namespace {

constexpr std::string_view kTablesPrefix = "/api/v1/tables/";
constexpr std::string_view kWarehousePath = "/api/v1/warehouse";
constexpr std::string_view kWarehousePrefix = "/api/v1/warehouse/";
constexpr std::string_view kAlertsPrefix = "/api/v1/alerts/";
constexpr std::string_view kAckSuffix = "/ack";

constexpr std::string_view kRunPath = "/api/v1/run";

bool isRunCommand(const std::string& path) {
    return path == "/api/v1/run/pause" || path == "/api/v1/run/resume" ||
           path == "/api/v1/run/rate";
}

bool isAlertAck(const std::string& path) {
    return path.starts_with(kAlertsPrefix) && path.ends_with(kAckSuffix) &&
           path.size() > kAlertsPrefix.size() + kAckSuffix.size();
}

bool isNumeric(SqlType type) {
    return type == SqlType::BigInt || type == SqlType::Integer || type == SqlType::Money ||
           type == SqlType::Double;
}

// One JSON object per row: numbers and booleans as JSON values, NULL (an empty field) as null.
std::string jsonRows(const TableInfo& table, const TablePage& page) {
    std::string out = "[";
    out.reserve(page.rows.size() * 256);
    std::vector<std::string> keys;
    for (const std::string& name : table.column_names) {
        keys.push_back(jsonString(name) + ":");
    }
    for (std::size_t r = 0; r < page.rows.size(); ++r) {
        out += r == 0 ? "{" : ",{";
        const TextRow& row = *page.rows[r];
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c > 0) {
                out += ',';
            }
            out += keys[c];
            const SqlType type = table.columns[c].type;
            if (row[c].empty() && table.columns[c].nullable) {
                out += "null";
            } else if (isNumeric(type) || type == SqlType::Boolean) {
                out += row[c];
            } else {
                out += jsonString(row[c]);
            }
        }
        out += '}';
    }
    out += "]";
    return out;
}

std::string csvRows(const TableInfo& table, const TablePage& page) {
    std::string out = csvLine(table.column_names);
    for (const TextRow* row : page.rows) {
        out += csvLine(*row);
    }
    return out;
}

bool wantsCsv(const std::string& accept) {
    return accept.find("text/csv") != std::string::npos;
}

std::string boolText(bool value) {
    return value ? "true" : "false";
}

} // namespace

HttpReply errorReply(int status, const std::string& message, const std::string& parameter) {
    HttpReply reply;
    reply.status = status;
    reply.body =
        "{\"error\":{\"status\":" + std::to_string(status) + ",\"message\":" + jsonString(message) +
        (parameter.empty() ? std::string() : ",\"parameter\":" + jsonString(parameter)) + "}}";
    return reply;
}

ApiHandler::ApiHandler(const RunSlot& slot, ApiAccess access, const WebhookNotifier* webhook)
    : slot_(slot), access_(std::move(access)), webhook_(webhook),
      limiter_(access_.requests_per_second, access_.burst) {}

HttpReply ApiHandler::handle(const HttpRequestView& request) {
    HttpReply reply = route(request);
    count(reply);
    return reply;
}

HttpReply ApiHandler::refuse(int status, const std::string& message) {
    HttpReply reply = errorReply(status, message);
    count(reply);
    return reply;
}

void ApiHandler::count(const HttpReply& reply) {
    std::lock_guard lock(figures_mutex_);
    const int index = std::clamp(reply.status / 100 - 2, 0, 3);
    ++figures_.responses[static_cast<std::size_t>(index)];
    if (reply.status == 429) {
        ++figures_.rate_limited;
    }
}

HttpFigures ApiHandler::figures() const {
    std::lock_guard lock(figures_mutex_);
    return figures_;
}

std::optional<HttpReply> ApiHandler::authorise(const HttpRequestView& request) {
    if (!access_.keys) {
        return std::nullopt;
    }
    if (!request.api_key) {
        HttpReply reply = errorReply(401, "this API needs a key in the X-API-Key header");
        reply.headers.emplace_back("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        return reply;
    }
    if (!isOneOfTheKeys(*access_.keys, *request.api_key)) {
        return errorReply(403, "the key in X-API-Key is not one of the server's keys");
    }
    if (const auto wait = limiter_.take(*request.api_key)) {
        HttpReply reply = errorReply(429, "rate limit of this key exceeded; retry later");
        const auto seconds = std::max<long long>(1, (wait->count() + 999) / 1000);
        reply.headers.emplace_back("Retry-After", std::to_string(seconds));
        return reply;
    }
    return std::nullopt;
}

HttpReply ApiHandler::route(const HttpRequestView& request) {
    const std::string& path = request.path;
    const bool known = path == "/metrics" || path == "/health" || path == "/api/v1/tables" ||
                       path == "/api/v1/openapi.json" || path.starts_with(kTablesPrefix) ||
                       path == kWarehousePath || path.starts_with(kWarehousePrefix) ||
                       isAlertAck(path) || path == kRunPath || isRunCommand(path);
    if (!known) {
        return errorReply(404, "no such resource: " + path + " (see /api/v1/openapi.json)");
    }
    const std::string allowed = isAlertAck(path) || isRunCommand(path) ? "POST" : "GET";
    if (request.method != allowed) {
        HttpReply reply = errorReply(405, "method " + request.method + " not allowed on " + path);
        reply.headers.emplace_back("Allow", allowed);
        return reply;
    }
    if (path == "/metrics") {
        const std::shared_ptr<Runtime> runtime = slot_.runtime();
        HttpReply reply;
        reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
        const std::optional<WebhookFigures> webhook =
            webhook_ != nullptr ? std::optional(webhook_->figures()) : std::nullopt;
        reply.body = metricsReport(runtime.get(), figures(), webhook ? &*webhook : nullptr);
        return reply;
    }
    if (path == "/health") {
        return health();
    }
    if (auto refused = authorise(request)) {
        return *refused;
    }
    if (path == "/api/v1/openapi.json") {
        HttpReply reply;
        reply.body = openApiDocument(access_.keys.has_value());
        return reply;
    }
    if (path == "/api/v1/tables") {
        return tableList();
    }
    if (path == kWarehousePath) {
        return warehouseList();
    }
    if (path.starts_with(kWarehousePrefix)) {
        const std::string name = path.substr(kWarehousePrefix.size());
        const StoredTable* stored = findWarehouseTable(name);
        if (stored == nullptr) {
            return errorReply(404, "no warehouse table or view named '" + name +
                                       "' (GET /api/v1/warehouse lists them)");
        }
        return storedTable(request, *stored, {}, "warehouse tables");
    }
    if (path == kRunPath) {
        return runState();
    }
    if (isRunCommand(path)) {
        return runCommand(request);
    }
    if (isAlertAck(path)) {
        return acknowledge(path.substr(kAlertsPrefix.size(),
                                       path.size() - kAlertsPrefix.size() - kAckSuffix.size()));
    }
    return table(request, path.substr(kTablesPrefix.size()));
}

HttpReply ApiHandler::health() {
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    bool ready = runtime != nullptr && !runtime->finished();
    std::string checks = "\"pipeline\":{\"ok\":" + boolText(ready) + ",\"state\":" +
                         jsonString(runtime == nullptr    ? "not running"
                                    : runtime->finished() ? "finished"
                                                          : "running") +
                         "}";
    if (runtime != nullptr) {
        const RuntimeServices services = runtime->services();
        if (services.database) {
            const WriterState state = services.database->writer.state;
            const bool reachable = state == WriterState::Connected;
            ready = ready && reachable;
            checks += ",\"database\":{\"ok\":" + boolText(reachable) +
                      ",\"state\":" + jsonString(writerStateName(state)) + "}";
        }
        if (services.kafka_in) {
            const bool assigned = services.kafka_in->assigned_partitions > 0;
            ready = ready && assigned;
            checks += ",\"kafka_consumer\":{\"ok\":" + boolText(assigned) +
                      ",\"assigned_partitions\":" +
                      std::to_string(services.kafka_in->assigned_partitions) + "}";
        }
    }
    HttpReply reply;
    reply.status = ready ? 200 : 503;
    reply.body = std::string("{\"status\":") + (ready ? "\"ok\"" : "\"unavailable\"") +
                 ",\"live\":true,\"ready\":" + boolText(ready) + ",\"checks\":{" + checks + "}}";
    return reply;
}

HttpReply ApiHandler::acknowledge(const std::string& id_text) {
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (id_text.empty() || error != std::errc() || end != id_text.data() + id_text.size()) {
        return errorReply(400, "id: '" + id_text + "' is not an alert id (a whole number)", "id");
    }
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    if (runtime == nullptr) {
        return errorReply(503, "no run is going: there is no database to store the mark in");
    }
    const std::optional<AlertAcknowledger> acknowledger = runtime->alertAcknowledger();
    if (!acknowledger) {
        return errorReply(409, "this run keeps no database (--no-db): acknowledgements cannot "
                               "be stored");
    }
    // A short connection of its own: this request waits for it, the pipeline never does.
    const AlertAcknowledger::Result result = acknowledger->acknowledge({id});
    if (result.error) {
        return errorReply(503, "the acknowledgement was not stored: " + *result.error);
    }
    if (const RunCommands commands = slot_.commands(); commands.acknowledged) {
        commands.acknowledged(id);
    }
    HttpReply reply;
    reply.body = "{\"alert_id\":" + jsonString(id_text) +
                 ",\"acknowledged\":true,\"row_marked\":" + boolText(result.stored > 0) +
                 ",\"pending\":" + boolText(result.pending > 0) + "}";
    return reply;
}

HttpReply ApiHandler::runState() {
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    HttpReply reply;
    if (runtime == nullptr) {
        reply.body = "{\"state\":\"idle\"}";
        return reply;
    }
    const PipelineFigures figures = runtime->pipeline().counters().figures();
    std::string body = "{";
    std::string state = runtime->finished() ? "finished" : "running";
    // The run's pause, not the generator's status: the generator takes a command at its next
    // batch, and a Kafka run has no generator.
    if (runtime->paused() && state == "running") {
        state = "paused";
    }
    if (GeneratorRunner* generator = runtime->generator()) {
        const GeneratorStatus status = generator->status();
        char numbers[160];
        std::snprintf(numbers, sizeof numbers,
                      ",\"source\":\"generator\",\"rate\":%.17g,\"acceleration\":%.17g",
                      status.rate, status.acceleration);
        body += "\"state\":" + jsonString(state) + numbers +
                ",\"simulated_time\":" + jsonString(formatIsoTimestamp(status.sim_time));
    } else {
        body += "\"state\":" + jsonString(state) + ",\"source\":\"kafka\"";
    }
    body += ",\"events\":" + std::to_string(figures.events) +
            ",\"rows\":" + std::to_string(figures.rows) +
            ",\"alerts\":" + std::to_string(figures.alerts_raised) + "}";
    reply.body = std::move(body);
    return reply;
}

HttpReply ApiHandler::runCommand(const HttpRequestView& request) {
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    if (runtime == nullptr) {
        return errorReply(503, "no run is going");
    }
    const RunCommands commands = slot_.commands();
    const std::string command = request.path.substr(kRunPath.size() + 1);
    if (command == "rate") {
        if (runtime->generator() == nullptr) {
            return errorReply(409, "this run reads Kafka: there is no generator to pace");
        }
        std::optional<double> rate;
        for (const auto& [key, value] : request.query) {
            if (key == "events_per_second") {
                double parsed = 0;
                const auto [end, error] =
                    std::from_chars(value.data(), value.data() + value.size(), parsed);
                if (error == std::errc() && end == value.data() + value.size() && parsed >= 1 &&
                    parsed <= 1e8) {
                    rate = parsed;
                } else {
                    return errorReply(400,
                                      "events_per_second: '" + value +
                                          "' is not a number from 1 to 100000000",
                                      "events_per_second");
                }
            }
        }
        if (!rate) {
            return errorReply(400, "events_per_second: missing (e.g. ?events_per_second=5000)",
                              "events_per_second");
        }
        if (!commands.set_rate) {
            return errorReply(409, "this run does not take rate changes");
        }
        commands.set_rate(*rate);
    } else {
        const auto& action = command == "pause" ? commands.pause : commands.resume;
        if (!action) {
            return errorReply(409, "this run does not take " + command + " commands");
        }
        action();
    }
    HttpReply reply;
    reply.status = 202; // the generator applies commands at its next batch, Kafka at its next poll
    reply.body = "{\"accepted\":" + jsonString(command) + "}";
    return reply;
}

HttpReply ApiHandler::tableList() {
    std::string body = "[";
    for (int i = 0; i < kTableCount; ++i) {
        const TableInfo& info = tableInfo(static_cast<TableId>(i));
        body += i == 0 ? "{" : ",{";
        body += "\"name\":" + jsonString(info.name) + ",\"columns\":[";
        for (std::size_t c = 0; c < info.columns.size(); ++c) {
            body += (c == 0 ? "{" : ",{") + std::string("\"name\":") +
                    jsonString(info.columns[c].name) +
                    ",\"type\":" + jsonString(sqlTypeName(info.columns[c].type)) +
                    ",\"key\":" + boolText(info.columns[c].key) +
                    ",\"nullable\":" + boolText(info.columns[c].nullable) + "}";
        }
        body += "]}";
    }
    body += "]";
    HttpReply reply;
    reply.body = std::move(body);
    return reply;
}

HttpReply ApiHandler::table(const HttpRequestView& request, const std::string& name) {
    const auto id = parseTableName(name);
    if (!id) {
        return errorReply(404, "no table named '" + name + "' (GET /api/v1/tables lists them)");
    }
    const TableInfo& info = tableInfo(*id);
    std::string rows_kind = "closed";
    std::string source = "snapshot";
    for (const auto& [key, value] : request.query) {
        if (key == "rows") {
            rows_kind = value;
        } else if (key == "source") {
            source = value;
        }
    }
    if (rows_kind != "closed" && rows_kind != "open") {
        return errorReply(400, "rows: '" + rows_kind + "' is not closed or open", "rows");
    }
    if (source != "snapshot" && source != "database") {
        return errorReply(400, "source: '" + source + "' is not snapshot or database", "source");
    }
    if (source == "database") {
        if (rows_kind == "open") {
            return errorReply(400,
                              "source: open windows are in the snapshot only (rows=open needs "
                              "source=snapshot)",
                              "source");
        }
        return storedTable(request, storedRealtimeTable(*id), {"rows", "source"},
                           "the stored history");
    }
    auto parsed = parseTableQuery(info, request.query, {"rows", "source"});
    if (const auto* problem = std::get_if<QueryError>(&parsed)) {
        return errorReply(400, problem->parameter + ": " + problem->message, problem->parameter);
    }
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    if (runtime == nullptr) {
        return errorReply(503, "no run is going: there are no rows to serve");
    }
    const SnapshotPtr snapshot = runtime->pipeline().snapshot();
    if (snapshot == nullptr) {
        return errorReply(503, "the pipeline has not published its first snapshot yet");
    }
    forgetOlderSnapshots(snapshot);
    // Lengths first: decoded names and values may hold '&' and '=' themselves.
    std::string key = request.path + '?';
    for (const auto& [name, value] : request.query) {
        key +=
            std::to_string(name.size()) + ':' + name + std::to_string(value.size()) + ':' + value;
    }
    key += wantsCsv(request.accept) ? "csv" : "json";
    for (const CachedReply& cached : replies_) {
        if (cached.key == key) {
            return cached.reply;
        }
    }
    const std::shared_ptr<const std::vector<TextRow>> rows =
        snapshotText(snapshot, *id, rows_kind == "open");
    const TablePage page = runTableQuery(info, std::get<TableQuery>(parsed), *rows);
    HttpReply reply;
    if (wantsCsv(request.accept)) {
        reply.content_type = "text/csv; charset=utf-8";
        reply.body = csvRows(info, page);
    } else {
        reply.body = jsonRows(info, page);
    }
    reply.headers.emplace_back("Content-Range", contentRange(page));
    reply.headers.emplace_back("X-Snapshot", std::to_string(snapshot->number));
    replies_.push_front({std::move(key), reply});
    if (replies_.size() > kCachedReplies) {
        replies_.pop_back();
    }
    return reply;
}

void ApiHandler::forgetOlderSnapshots(const SnapshotPtr& current) {
    if (!cached_snapshot_.owner_before(current) && !current.owner_before(cached_snapshot_) &&
        !cached_snapshot_.expired()) {
        return;
    }
    cached_snapshot_ = current;
    replies_.clear();
    for (auto& kinds : text_) {
        kinds = {};
    }
}

std::shared_ptr<const std::vector<TextRow>> ApiHandler::snapshotText(const SnapshotPtr& snapshot,
                                                                     TableId table, bool open) {
    forgetOlderSnapshots(snapshot);
    auto& cached = text_[static_cast<std::size_t>(table)][open ? 1 : 0];
    if (cached == nullptr) {
        cached = std::make_shared<const std::vector<TextRow>>(
            tableText(open ? snapshot->partial : snapshot->recent, table));
    }
    return cached;
}

HttpReply ApiHandler::warehouseList() {
    std::string body = "[";
    for (const StoredTable& table : warehouseTables()) {
        body += body.size() == 1 ? "{" : ",{";
        body += "\"name\":" + jsonString(table.info.name) +
                ",\"kind\":" + (table.view ? "\"view\"" : "\"table\"") + ",\"columns\":[";
        for (std::size_t c = 0; c < table.info.columns.size(); ++c) {
            const ColumnInfo& column = table.info.columns[c];
            body += (c == 0 ? "{" : ",{") + std::string("\"name\":") + jsonString(column.name) +
                    ",\"type\":" + jsonString(table.sql_types[c]) +
                    ",\"key\":" + boolText(column.key) +
                    ",\"nullable\":" + boolText(column.nullable) + "}";
        }
        body += "]}";
    }
    body += "]";
    HttpReply reply;
    reply.body = std::move(body);
    return reply;
}

HttpReply ApiHandler::storedTable(const HttpRequestView& request, const StoredTable& table,
                                  const std::vector<std::string>& ignored,
                                  const std::string& what) {
    auto parsed = parseTableQuery(table.info, request.query, ignored);
    if (const auto* problem = std::get_if<QueryError>(&parsed)) {
        return errorReply(400, problem->parameter + ": " + problem->message, problem->parameter);
    }
    const TableQuery& query = std::get<TableQuery>(parsed);
    if (const auto problem = storedValueProblem(table, query)) {
        return errorReply(400, problem->parameter + ": " + problem->message, problem->parameter);
    }
    const std::shared_ptr<Runtime> runtime = slot_.runtime();
    if (runtime == nullptr) {
        return errorReply(503, "no run is going: there is no database to read " + what + " from");
    }
    const bool warehouse = !table.schema.empty();
    const std::optional<RelationPageReader> reader =
        warehouse ? runtime->warehouseReader() : runtime->relationReader();
    if (!reader) {
        return errorReply(409, "this run keeps no database (--no-db" +
                                   std::string(warehouse ? ", and no --warehouse-db" : "") +
                                   "): " + what + " live only in PostgreSQL");
    }
    const RelationPageReader::Result result = reader->read(relationPageRequest(table, query));
    if (result.error) {
        using Kind = RelationPageReader::Error::Kind;
        switch (result.error->kind) {
        case Kind::Connection:
            return errorReply(503, "database: " + result.error->message);
        case Kind::Missing:
            return errorReply(409, "database: " + result.error->message +
                                       (table.schema.empty()
                                            ? std::string()
                                            : " (the warehouse is built by the first batch: "
                                              "globalmart --run-batch, or the window's "
                                              "Warehouse page)"));
        case Kind::Value:
            return errorReply(400, "a value does not fit its column: " + result.error->message);
        case Kind::Other:
            break;
        }
        return errorReply(503, "database: " + result.error->message);
    }
    std::vector<TextRow> rows;
    rows.reserve(result.page->rows.size());
    for (const auto& stored : result.page->rows) {
        TextRow& row = rows.emplace_back();
        row.reserve(stored.size());
        for (const auto& field : stored) {
            row.push_back(field.value_or(std::string())); // an empty field is NULL, as in CSV
        }
    }
    TablePage page;
    page.total = result.page->total;
    page.offset = query.offset;
    for (const TextRow& row : rows) {
        page.rows.push_back(&row);
    }
    HttpReply reply;
    if (wantsCsv(request.accept)) {
        reply.content_type = "text/csv; charset=utf-8";
        reply.body = csvRows(table.info, page);
    } else {
        reply.body = jsonRows(table.info, page);
    }
    reply.headers.emplace_back("Content-Range", contentRange(page));
    return reply;
}

} // namespace gm
