// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/openapi.h"

#include "app/http/stored_tables.h"
#include "app/version_info.h"
#include "pipeline/table_schema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gm {
namespace {

QJsonObject errorResponse(const char* description) {
    return QJsonObject{
        {"description", description},
        {"content",
         QJsonObject{
             {"application/json",
              QJsonObject{{"schema", QJsonObject{{"$ref", "#/components/schemas/Error"}}}}}}}};
}

QJsonObject queryParameter(const char* name, const char* description, QJsonObject schema) {
    return QJsonObject{{"name", name},
                       {"in", "query"},
                       {"required", false},
                       {"description", description},
                       {"schema", schema}};
}

QJsonObject operation(const char* summary, QJsonObject responses, bool secured,
                      QJsonArray parameters = {}) {
    QJsonObject op{{"summary", summary}, {"responses", responses}};
    if (!parameters.isEmpty()) {
        op["parameters"] = parameters;
    }
    if (!secured) {
        op["security"] = QJsonArray{};
    }
    return op;
}

QJsonObject json(const char* description) {
    return QJsonObject{{"description", description},
                       {"content", QJsonObject{{"application/json", QJsonObject{}}}}};
}

QJsonObject runCommandResponses(const QJsonObject& auth_errors, bool generator_only) {
    QJsonObject responses{
        {"202", json("Accepted: applied at the generator's next batch or Kafka's next poll.")},
        {"409",
         errorResponse(generator_only ? "The run reads Kafka (no generator), or takes no commands."
                                      : "The run takes no commands.")},
        {"503", errorResponse("No run is going.")}};
    for (auto it = auth_errors.begin(); it != auth_errors.end(); ++it) {
        responses[it.key()] = it.value();
    }
    return responses;
}

} // namespace

std::string openApiDocument(bool keys_required) {
    QJsonArray table_names;
    for (int i = 0; i < kTableCount; ++i) {
        table_names.append(QString::fromUtf8(std::string(tableName(static_cast<TableId>(i)))));
    }
    QJsonObject auth_errors;
    if (keys_required) {
        auth_errors = QJsonObject{{"401", errorResponse("No X-API-Key header.")},
                                  {"403", errorResponse("Unknown key.")},
                                  {"429", errorResponse("Rate limit of the key exceeded; see "
                                                        "the Retry-After header.")}};
    }
    const auto with = [](QJsonObject responses, const QJsonObject& more) {
        for (auto it = more.begin(); it != more.end(); ++it) {
            responses[it.key()] = it.value();
        }
        return responses;
    };

    QJsonArray table_parameters{
        QJsonObject{{"name", "table"},
                    {"in", "path"},
                    {"required", true},
                    {"schema", QJsonObject{{"type", "string"}, {"enum", table_names}}}},
        queryParameter("rows",
                       "closed (default): the newest closed rows of the run's snapshot; open: "
                       "the live values of open windows (sales_per_minute, sales_by_country, "
                       "cart_metrics, anomaly_stats, inventory_metrics).",
                       QJsonObject{{"type", "string"}, {"enum", QJsonArray{"closed", "open"}}}),
        queryParameter(
            "source",
            "snapshot (default): the run's newest rows, from memory; database: every "
            "row the run's PostgreSQL holds (the full history, e.g. of anomalies and "
            "alerts), with the same filters, order and paging run as SQL. Needs a "
            "database (409 with --no-db) and rows=closed.",
            QJsonObject{{"type", "string"}, {"enum", QJsonArray{"snapshot", "database"}}}),
        queryParameter("order", "col.asc or col.desc, comma-separated; NULLs last.",
                       QJsonObject{{"type", "string"}}),
        queryParameter("limit", "Rows per page, 0 to 10000 (default 1000).",
                       QJsonObject{{"type", "integer"}, {"minimum", 0}, {"maximum", 10000}}),
        queryParameter("offset", "Rows to skip.", QJsonObject{{"type", "integer"}, {"minimum", 0}}),
        QJsonObject{
            {"name", "filters"},
            {"in", "query"},
            {"required", false},
            {"description",
             "Any column as column=op.value with op eq, neq, gt, gte, lt, lte, like "
             "(wildcards * or %, and _) or in.(a,b); numbers compare as numbers, times "
             "(ISO 8601) as instants."},
            {"style", "form"},
            {"explode", true},
            {"schema", QJsonObject{{"type", "object"},
                                   {"additionalProperties", QJsonObject{{"type", "string"}}}}}},
    };
    QJsonObject table_ok{
        {"description", "The page; Content-Range gives first-last/total (or */total when empty)."},
        {"headers",
         QJsonObject{{"Content-Range", QJsonObject{{"schema", QJsonObject{{"type", "string"}}}}}}},
        {"content",
         QJsonObject{
             {"application/json",
              QJsonObject{{"schema", QJsonObject{{"type", "array"},
                                                 {"items", QJsonObject{{"type", "object"}}}}}}},
             {"text/csv", QJsonObject{{"schema", QJsonObject{{"type", "string"}}}}}}}};

    QJsonArray warehouse_names;
    for (const StoredTable& table : warehouseTables()) {
        warehouse_names.append(QString::fromUtf8(std::string(table.info.name)));
    }
    QJsonArray warehouse_parameters{
        QJsonObject{{"name", "name"},
                    {"in", "path"},
                    {"required", true},
                    {"schema", QJsonObject{{"type", "string"}, {"enum", warehouse_names}}}}};
    for (const QJsonValue& parameter : table_parameters) {
        const QString name = parameter["name"].toString();
        if (name != "table" && name != "rows" && name != "source") {
            warehouse_parameters.append(parameter);
        }
    }

    QJsonObject paths{
        {"/metrics",
         QJsonObject{
             {"get", operation("Prometheus metrics (text format 0.0.4).",
                               QJsonObject{
                                   {"200", QJsonObject{{"description", "Metrics"},
                                                       {"content", QJsonObject{{"text/plain",
                                                                                QJsonObject{}}}}}}},
                               false)}}},
        {"/health",
         QJsonObject{{"get", operation("Liveness and readiness: pipeline running, database "
                                       "reachable and Kafka partitions assigned when used.",
                                       QJsonObject{{"200", json("Ready.")},
                                                   {"503", json("Alive, not ready.")}},
                                       false)}}},
        {"/api/v1/openapi.json",
         QJsonObject{{"get", operation("This document.",
                                       with(QJsonObject{{"200", json("OpenAPI 3.0 document.")}},
                                            auth_errors),
                                       true)}}},
        {"/api/v1/tables",
         QJsonObject{
             {"get", operation("The real-time tables with their columns and types.",
                               with(QJsonObject{{"200", json("Table descriptions.")}}, auth_errors),
                               true)}}},
        {"/api/v1/tables/{table}",
         QJsonObject{
             {"get", operation("Rows of a real-time table, filtered, ordered and paged.",
                               with(QJsonObject{{"200", table_ok},
                                                {"400", errorResponse("A bad parameter, "
                                                                      "named in the body.")},
                                                {"404", errorResponse("No such table.")},
                                                {"409", errorResponse("source=database in a run "
                                                                      "without a database.")},
                                                {"503", errorResponse("No run is going, or "
                                                                      "(source=database) the "
                                                                      "database cannot be "
                                                                      "read; the message "
                                                                      "says why.")}},
                                    auth_errors),
                               true, table_parameters)}}},
        {"/api/v1/warehouse",
         QJsonObject{{"get", operation("The warehouse tables and views (schema warehouse of the "
                                       "run's database) with their columns and SQL types.",
                                       with(QJsonObject{{"200", json("Table descriptions.")}},
                                            auth_errors),
                                       true)}}},
        {"/api/v1/warehouse/{name}",
         QJsonObject{
             {"get",
              operation("Rows of a warehouse table or view, read from PostgreSQL: the same "
                        "filters, order and paging as the real-time tables, run as one "
                        "parameterised statement (and a count for Content-Range).",
                        with(QJsonObject{{"200", table_ok},
                                         {"400", errorResponse("A bad parameter, named in the "
                                                               "body.")},
                                         {"404", errorResponse("No such table or view.")},
                                         {"409", errorResponse("The run keeps no database, or "
                                                               "the warehouse is not built "
                                                               "there yet.")},
                                         {"503", errorResponse("No run is going, or the "
                                                               "database cannot be read; the "
                                                               "message says why.")}},
                             auth_errors),
                        true, warehouse_parameters)}}},
        {"/api/v1/run",
         QJsonObject{{"get", operation("The run: state (idle, running, paused, finished), "
                                       "source, rate, acceleration, simulated time, events, "
                                       "rows and alerts so far.",
                                       with(QJsonObject{{"200", json("Run state.")}}, auth_errors),
                                       true)}}},
        {"/api/v1/run/pause",
         QJsonObject{{"post", operation("Pause: simulated time stands still, or the Kafka "
                                        "partitions are held.",
                                        runCommandResponses(auth_errors, false), true)}}},
        {"/api/v1/run/resume",
         QJsonObject{{"post", operation("Resume from the same simulated instant, or read on.",
                                        runCommandResponses(auth_errors, false), true)}}},
        {"/api/v1/run/rate",
         QJsonObject{
             {"post",
              operation("Set the generator's rate.",
                        with(runCommandResponses(auth_errors, true),
                             QJsonObject{{"400", errorResponse("events_per_second missing or "
                                                               "out of 1 to 100000000.")}}),
                        true,
                        QJsonArray{QJsonObject{{"name", "events_per_second"},
                                               {"in", "query"},
                                               {"required", true},
                                               {"schema", QJsonObject{{"type", "number"},
                                                                      {"minimum", 1},
                                                                      {"maximum", 1e8}}}}})}}},
        {"/api/v1/alerts/{id}/ack",
         QJsonObject{
             {"post",
              [&] {
                  QJsonObject op = operation(
                      "Acknowledge an alert: stored in PostgreSQL (alerts.acknowledged, "
                      "acknowledged_at), also for an alert whose row is not written yet.",
                      with(QJsonObject{{"200", json("Stored; row_marked tells whether the "
                                                    "alert's row was already written.")},
                                       {"400", errorResponse("The id is not a whole number.")},
                                       {"409", errorResponse("The run keeps no database.")},
                                       {"503", errorResponse("No run, or the database refused.")}},
                           auth_errors),
                      true,
                      QJsonArray{QJsonObject{{"name", "id"},
                                             {"in", "path"},
                                             {"required", true},
                                             {"description", "alert_id of the alerts table"},
                                             {"schema", QJsonObject{{"type", "string"},
                                                                    {"pattern", "^[0-9]+$"}}}}});
                  return op;
              }()}}},
    };
    QJsonObject components{
        {"schemas",
         QJsonObject{
             {"AlertNotification",
              QJsonObject{
                  {"description",
                   "The body the alert webhook posts (--webhook). alert_id is a string of "
                   "digits: ids are 63-bit hashes, beyond what a JavaScript number keeps "
                   "exactly (2^53); the alerts table serves it as a string too."},
                  {"type", "object"},
                  {"properties",
                   QJsonObject{
                       {"text", QJsonObject{{"type", "string"}}},
                       {"alert",
                        QJsonObject{
                            {"type", "object"},
                            {"properties",
                             QJsonObject{{"alert_id",
                                          QJsonObject{{"type", "string"}, {"pattern", "^[0-9]+$"}}},
                                         {"kind", QJsonObject{{"type", "string"}}},
                                         {"severity", QJsonObject{{"type", "string"}}},
                                         {"subject", QJsonObject{{"type", "string"}}},
                                         {"title", QJsonObject{{"type", "string"}}},
                                         {"message", QJsonObject{{"type", "string"}}},
                                         {"first_seen",
                                          QJsonObject{{"type", "string"}, {"format", "date-time"}}},
                                         {"last_seen",
                                          QJsonObject{{"type", "string"}, {"format", "date-time"}}},
                                         {"occurrences", QJsonObject{{"type", "integer"}}}}}}}}}}},
             {"Error",
              QJsonObject{
                  {"type", "object"},
                  {"properties",
                   QJsonObject{
                       {"error",
                        QJsonObject{
                            {"type", "object"},
                            {"properties",
                             QJsonObject{{"status", QJsonObject{{"type", "integer"}}},
                                         {"message", QJsonObject{{"type", "string"}}},
                                         {"parameter", QJsonObject{{"type", "string"}}}}}}}}}}}}}};
    QJsonObject document{
        {"openapi", "3.0.3"},
        {"info", QJsonObject{{"title", "GlobalMart Monitor"}, {"version", buildVersion()}}},
        {"paths", paths},
    };
    if (keys_required) {
        components["securitySchemes"] = QJsonObject{
            {"apiKey", QJsonObject{{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}}};
        document["security"] = QJsonArray{QJsonObject{{"apiKey", QJsonArray{}}}};
    }
    document["components"] = components;
    return QJsonDocument(document).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace gm
