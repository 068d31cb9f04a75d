// SPDX-License-Identifier: GPL-3.0-or-later
// The tables the HTTP API reads from PostgreSQL, against a real run persisting into the test
// server and a real warehouse batch over its raw events: every warehouse table and view, and
// the stored history of the real-time tables (?source=database). Pages are checked against SQL
// written here by hand; values a client sends never become SQL (injection attempts are
// harmless); a database that is gone answers 503 naming the problem.
#include "../db/db_test_support.h"
#include "app/http/http_service.h"
#include "app/http/stored_tables.h"
#include "http_test_client.h"
#include "pipeline/csv_text.h"
#include "pipeline/runtime/runtime.h"
#include "pipeline/warehouse/warehouse_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>
#include <pqxx/pqxx>

using namespace gm;
using gm::test::Answer;

namespace {

constexpr TimestampUs kStart = 1'795'591'230'000'000; // 2026-11-25T07:20:30Z

QJsonArray jsonArray(const Answer& answer) {
    return QJsonDocument::fromJson(answer.body).array();
}

QJsonObject errorOf(const Answer& answer) {
    return QJsonDocument::fromJson(answer.body).object().value("error").toObject();
}

// "0-6/123" → 123
long long totalOf(const Answer& answer) {
    const QByteArray range = answer.header("content-range");
    return range.mid(range.indexOf('/') + 1).toLongLong();
}

// The CSV body as fields, header first (our CSV never has line breaks inside fields here).
std::vector<std::string> csvLines(const QByteArray& body) {
    std::vector<std::string> lines;
    for (const QByteArray& line : body.split('\n')) {
        if (!line.isEmpty()) {
            lines.push_back(line.toStdString() + "\n");
        }
    }
    return lines;
}

std::string join(const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& value : values) {
        text += (text.empty() ? "" : " ") + value;
    }
    return text;
}

} // namespace

class HttpStoredTablesTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void warehouseDescriptionsMatchTheDatabase();
    void everyWarehouseRelationServesWhatSqlSelects();
    void filtersOrderAndPagingEqualTheSameSql();
    void jsonTypesFollowTheColumns();
    void badParametersAre400NamingTheParameter();
    void injectionAttemptsAreHarmless();
    void historyFromTheDatabaseReachesBeyondTheSnapshot();
    void aDatabaseThatIsGoneIs503NamingTheProblem(); // last: drops the database

private:
    Answer get(const QString& path, const QUrlQuery& query = {}, bool csv = false) {
        QUrl url(QString("http://127.0.0.1:%1%2").arg(service_->port()).arg(path));
        url.setQuery(query);
        std::map<QByteArray, QByteArray> headers;
        if (csv) {
            headers["Accept"] = "text/csv";
        }
        return gm::test::request(manager_, "GET", url, headers);
    }
    std::vector<std::string> column(const std::string& sql,
                                    const std::vector<std::string>& parameters = {}) {
        pqxx::connection connection(database_->conninfo());
        pqxx::read_transaction txn(connection);
        std::vector<std::string> values;
        for (const pqxx::row& row :
             txn.exec_params(sql, pqxx::prepare::make_dynamic_params(parameters))) {
            values.push_back(row[0].is_null() ? "" : row[0].c_str());
        }
        return values;
    }
    // Every row as its fields, NULL as an empty field (as the API's CSV writes it).
    std::vector<std::vector<std::string>> rows(const std::string& sql) {
        pqxx::connection connection(database_->conninfo());
        pqxx::read_transaction txn(connection);
        std::vector<std::vector<std::string>> out;
        for (const pqxx::row& row : txn.exec(sql)) {
            std::vector<std::string>& fields = out.emplace_back();
            for (const pqxx::field& f : row) {
                fields.push_back(f.is_null() ? "" : f.c_str());
            }
        }
        return out;
    }
    long long count(const std::string& sql, const std::vector<std::string>& parameters = {}) {
        return std::stoll(column(sql, parameters).at(0));
    }
    static std::vector<std::string> field(const QJsonArray& rows, const char* name) {
        std::vector<std::string> values;
        for (const QJsonValue& row : rows) {
            const QJsonValue value = row[name];
            values.push_back(value.isString() ? value.toString().toStdString()
                                              : QString::number(value.toInteger()).toStdString());
        }
        return values;
    }

    QNetworkAccessManager manager_;
    std::unique_ptr<test::ScratchDatabase> database_;
    std::unique_ptr<Runtime> run_;
    RunSlot slot_;
    std::unique_ptr<HttpService> service_;
};

void HttpStoredTablesTest::initTestCase() {
    GM_REQUIRE_SERVER();
    database_ = std::make_unique<test::ScratchDatabase>();
    RuntimeOptions options;
    options.persistence.database_url = database_->conninfo();
    options.catalog.users = 1'500;
    options.catalog.products = 120;
    options.generator.rate = 20'000;
    options.generator.acceleration = 600;
    options.generator.max_speed = true;
    options.generator.event_limit = 40'000;
    options.simulator.anomaly_rate = 0.2;
    options.start_time = kStart;
    options.catalog.reference_time = kStart;
    options.pipeline.workers = 1;
    options.pipeline.recent_rows_per_table = 25; // the snapshot keeps few; the database all
    run_ = std::make_unique<Runtime>(options);
    const auto problem = run_->prepare();
    QVERIFY2(!problem, problem.value_or("").c_str());
    run_->start();
    QTRY_VERIFY_WITH_TIMEOUT(run_->finished(), 150'000);
    run_->stop(); // every row written
    slot_.set(std::shared_ptr<Runtime>(run_.get(), [](Runtime*) {}));
    service_ = std::make_unique<HttpService>(slot_, HttpServiceOptions{});
    const auto failed = service_->start();
    QVERIFY2(!failed, failed ? failed->c_str() : "");

    // No batch has run: the warehouse schema does not exist yet.
    const Answer unbuilt = get("/api/v1/warehouse/dim_customers");
    QCOMPARE(unbuilt.status, 409);
    QVERIFY2(errorOf(unbuilt).value("message").toString().contains("--run-batch"), unbuilt.body);

    warehouse::BatchOptions batch;
    batch.conninfo = database_->conninfo();
    batch.analysis_date = "2026-11-25";
    const warehouse::BatchReport report = warehouse::runBatch(batch);
    QVERIFY2(report.ok(), report.failed_step.c_str());
    QVERIFY(count("SELECT count(*) FROM warehouse.dim_customers") > 50);
    QVERIFY(count("SELECT count(*) FROM warehouse.product_performance") > 50);
}

void HttpStoredTablesTest::cleanupTestCase() {
    service_.reset();
    slot_.set(nullptr);
    run_.reset();
    database_.reset();
}

void HttpStoredTablesTest::warehouseDescriptionsMatchTheDatabase() {
    const Answer listing = get("/api/v1/warehouse");
    QCOMPARE(listing.status, 200);
    const QJsonArray described = jsonArray(listing);
    QCOMPARE(described.size(), int(warehouseTables().size()));
    QVERIFY(described.size() >= 15);
    int views = 0;
    for (const QJsonValue& relation : described) {
        const std::string name = relation["name"].toString().toStdString();
        views += relation["kind"].toString() == "view" ? 1 : 0;
        const auto actual = column("SELECT a.attname || ' ' || format_type(a.atttypid, "
                                   "a.atttypmod) FROM pg_attribute a WHERE a.attrelid = "
                                   "to_regclass('warehouse.' || quote_ident($1)) AND a.attnum > "
                                   "0 AND NOT a.attisdropped ORDER BY a.attnum",
                                   {name});
        std::vector<std::string> listed;
        for (const QJsonValue& c : relation["columns"].toArray()) {
            listed.push_back(c["name"].toString().toStdString() + " " +
                             c["type"].toString().toStdString());
        }
        QCOMPARE(listed, actual);
    }
    QCOMPARE(views, 2);
}

void HttpStoredTablesTest::everyWarehouseRelationServesWhatSqlSelects() {
    for (const StoredTable& table : warehouseTables()) {
        const std::string name(table.info.name);
        const Answer page =
            get(QString::fromStdString("/api/v1/warehouse/" + name), QUrlQuery("limit=40"), true);
        QVERIFY2(page.status == 200, page.body);
        QVERIFY(page.header("content-type").startsWith("text/csv"));
        QCOMPARE(totalOf(page), count("SELECT count(*) FROM warehouse." + name));
        // The same rows by hand: times in the API's ISO 8601 UTC rendering, the rest as text,
        // in key order (text byte-wise).
        std::string select;
        std::string order;
        const auto actual_types =
            column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                   "to_regclass('warehouse.' || quote_ident($1)) AND attnum > 0 AND NOT "
                   "attisdropped ORDER BY attnum",
                   {name});
        for (std::size_t c = 0; c < table.info.column_names.size(); ++c) {
            const std::string& col = table.info.column_names[c];
            select += std::string(c == 0 ? "" : ", ") +
                      (actual_types[c] == "timestamp with time zone"
                           ? "to_char(" + col +
                                 " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                           : col + "::text");
        }
        const std::vector<std::size_t> key =
            table.key.empty() ? std::vector<std::size_t>{0} : table.key;
        for (const std::size_t c : key) {
            // t.: the table's column (a bare name would be the text rendering selected above)
            order += std::string(order.empty() ? "" : ", ") + "t." + table.info.column_names[c] +
                     (actual_types[c] == "text" ? " COLLATE \"C\"" : "");
        }
        std::string expected = csvLine(table.info.column_names);
        for (const auto& row : rows("SELECT " + select + " FROM warehouse." + name +
                                    " AS t ORDER BY " + order + " LIMIT 40")) {
            expected += csvLine(row);
        }
        QCOMPARE(page.body.toStdString(), expected);
    }
}

void HttpStoredTablesTest::filtersOrderAndPagingEqualTheSameSql() {
    struct Case {
        const char* relation;
        const char* query;
        std::string sql_where;
        std::vector<std::string> parameters;
        std::string sql_order;
        const char* key;
    };
    const std::vector<Case> cases = {
        {"dim_customers",
         "total_spent=gt.100&order=total_spent.desc&limit=7&offset=3",
         "total_spent > $1",
         {"100"},
         "total_spent DESC NULLS LAST, customer_id",
         "customer_id"},
        {"dim_customers",
         "country=in.(USA,UK,Germany)&is_current=eq.true&order=country.asc,"
         "total_transactions.desc&limit=11&offset=5",
         "country IN ('USA','UK','Germany') AND is_current",
         {},
         "country COLLATE \"C\", total_transactions DESC NULLS LAST, customer_id",
         "customer_id"},
        {"dim_customers",
         "user_id=like.*1*&rfm_score=neq.3&order=user_id.desc&limit=9",
         "user_id LIKE '%1%' AND rfm_score <> 3",
         {},
         "user_id COLLATE \"C\" DESC, customer_id",
         "customer_id"},
        {"product_performance",
         "analysis_date=lte.2026-11-25&total_revenue=gte.10&category=neq.Books&"
         "order=overall_rank&limit=5&offset=2",
         "analysis_date <= '2026-11-25' AND total_revenue >= 10 AND category <> 'Books'",
         {},
         "overall_rank, analysis_date, product_id COLLATE \"C\"",
         "product_id"},
        {"v_customer_lifetime_value",
         "lifetime_value=lt.5000&order=lifetime_value.desc&limit=6&offset=1",
         "lifetime_value < 5000",
         {},
         "lifetime_value DESC, customer_id",
         "customer_id"},
        {"batch_runs",
         "status=eq.succeeded&order=step&limit=4",
         "status = 'succeeded'",
         {},
         "step COLLATE \"C\", run_id",
         "step"},
    };
    for (const Case& c : cases) {
        const Answer page =
            get(QString("/api/v1/warehouse/%1").arg(c.relation), QUrlQuery(c.query));
        QVERIFY2(page.status == 200, page.body);
        const QUrlQuery query(c.query);
        const std::string relation = std::string("warehouse.") + c.relation;
        const std::string limits = " LIMIT " + query.queryItemValue("limit").toStdString() +
                                   " OFFSET " +
                                   std::to_string(query.queryItemValue("offset").toInt());
        const auto expected =
            column("SELECT " + std::string(c.key) + "::text AS served_key FROM " + relation +
                       " WHERE " + c.sql_where + " ORDER BY " + c.sql_order + limits,
                   c.parameters);
        QVERIFY2(!expected.empty(), c.query);
        const auto served = field(jsonArray(page), c.key);
        QVERIFY2(served == expected,
                 qPrintable(QString("%1?%2: served %3, SQL %4")
                                .arg(c.relation, c.query, QString::fromStdString(join(served)),
                                     QString::fromStdString(join(expected)))));
        QCOMPARE(totalOf(page),
                 count("SELECT count(*) FROM " + relation + " WHERE " + c.sql_where, c.parameters));
    }
    // Paging walks every row once: pages of 13 put together are the whole ordered result.
    std::vector<std::string> walked;
    for (int offset = 0;; offset += 13) {
        const Answer page =
            get("/api/v1/warehouse/dim_customers",
                QUrlQuery(QString("order=total_spent.desc&limit=13&offset=%1").arg(offset)));
        QCOMPARE(page.status, 200);
        const auto keys = field(jsonArray(page), "customer_id");
        walked.insert(walked.end(), keys.begin(), keys.end());
        if (keys.size() < 13) {
            break;
        }
    }
    QCOMPARE(walked,
             column("SELECT customer_id::text AS served_key FROM warehouse.dim_customers ORDER BY "
                    "total_spent DESC, customer_id"));
}

void HttpStoredTablesTest::jsonTypesFollowTheColumns() {
    const Answer page = get("/api/v1/warehouse/dim_customers",
                            QUrlQuery("order=customer_id&limit=1&customer_segment=neq.x"));
    QCOMPARE(page.status, 200);
    const QJsonObject row = jsonArray(page).at(0).toObject();
    QVERIFY(row["customer_id"].isDouble());
    QVERIFY(row["total_spent"].isDouble());
    QVERIFY(row["user_id"].isString());
    QVERIFY(row["is_current"].isBool());
    QVERIFY(row["registration_date"].isString() || row["registration_date"].isNull());
    QVERIFY(row["created_at"].toString().endsWith("Z"));
    QCOMPARE(row["customer_id"].toInteger(),
             std::stoll(column("SELECT min(customer_id)::text FROM warehouse.dim_customers "
                               "WHERE customer_segment <> 'x'")
                            .at(0)));
    // NULL is null: a customer_segment filter on NULL-free rows, then the NULL ones.
    const long long nulls =
        count("SELECT count(*) FROM warehouse.dim_customers WHERE avg_order_value IS NULL");
    if (nulls > 0) {
        const Answer with_nulls = get("/api/v1/warehouse/dim_customers",
                                      QUrlQuery("order=avg_order_value.desc&limit=10000"));
        const QJsonArray rows = jsonArray(with_nulls);
        QVERIFY(rows.last().toObject()["avg_order_value"].isNull()); // NULLs last
    }
}

void HttpStoredTablesTest::badParametersAre400NamingTheParameter() {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"no_such_column=eq.1", "no_such_column"},
        {"order=no_such_column.desc", "order"},
        {"order=customer_id.sideways", "order"},
        {"customer_id=eq.1.5", "customer_id"},
        {"customer_id=eq.abc", "customer_id"},
        {"registration_date=gt.2026-13-01", "registration_date"},
        {"is_current=eq.yes", "is_current"},
        {"created_at=gt.yesterday", "created_at"},
        {"customer_id=between.1", "customer_id"},
        {"limit=10001", "limit"},
        {"offset=-1", "offset"},
        {"rows=open", "rows"}, // the real-time tables' parameter is not a column here
    };
    for (const auto& [query, parameter] : cases) {
        const Answer answer = get("/api/v1/warehouse/dim_customers", QUrlQuery(query));
        QVERIFY2(answer.status == 400, query);
        QCOMPARE(errorOf(answer).value("parameter").toString(), QString(parameter));
    }
    const Answer unknown = get("/api/v1/warehouse/no_such_table");
    QCOMPARE(unknown.status, 404);
    QVERIFY(errorOf(unknown).value("message").toString().contains("/api/v1/warehouse"));
}

void HttpStoredTablesTest::injectionAttemptsAreHarmless() {
    const long long customers = count("SELECT count(*) FROM warehouse.dim_customers");
    const auto page = [&](const QString& name, const QString& value) {
        QUrlQuery query;
        query.addQueryItem(name, value);
        return get("/api/v1/warehouse/dim_customers", query);
    };
    // Values are parameters: they match nothing, whatever they say.
    for (const QString& value :
         {QString("eq.x' OR '1'='1"), QString("eq.'; DROP TABLE warehouse.dim_customers; --"),
          QString("in.(a',b);DELETE FROM warehouse.dim_customers;--)"),
          QString("like.%' OR 1=1 --"), QString("neq.x\\'; SELECT pg_sleep(5); --")}) {
        const Answer answer = page("user_id", value);
        QVERIFY2(answer.status == 200, answer.body);
        const long long total = totalOf(answer);
        QVERIFY2(total == 0 || (value.startsWith("neq") && total == customers), qPrintable(value));
    }
    // Names are looked up in the description: anything else is a 400, never SQL.
    for (const auto& [name, value] :
         {std::pair{"user_id\"; DROP TABLE warehouse.dim_customers; --", "eq.1"},
          std::pair{"customer_id) OR (1=1", "eq.1"},
          std::pair{"order", "customer_id; DROP TABLE warehouse.dim_customers"},
          std::pair{"order", "customer_id.desc NULLS FIRST, (SELECT 1)"},
          std::pair{"limit", "1; DROP TABLE warehouse.dim_customers"}}) {
        const Answer answer = page(name, value);
        QVERIFY2(answer.status == 400, name);
    }
    const Answer injected_table =
        get("/api/v1/warehouse/dim_customers;DROP TABLE warehouse.dim_customers");
    QCOMPARE(injected_table.status, 404);
    QCOMPARE(count("SELECT count(*) FROM warehouse.dim_customers"), customers);
}

void HttpStoredTablesTest::historyFromTheDatabaseReachesBeyondTheSnapshot() {
    for (const char* table : {"alerts", "high_value_anomalies", "suspicious_patterns"}) {
        const long long stored = count(std::string("SELECT count(*) FROM ") + table);
        const Answer snapshot = get(QString("/api/v1/tables/%1").arg(table));
        QCOMPARE(snapshot.status, 200);
        const Answer history =
            get(QString("/api/v1/tables/%1").arg(table), QUrlQuery("source=database&limit=1"));
        QVERIFY2(history.status == 200, history.body);
        QCOMPARE(totalOf(history), stored);
        QVERIFY2(stored > totalOf(snapshot), qPrintable(QString("%1: %2 stored, %3 in the snapshot")
                                                            .arg(table)
                                                            .arg(stored)
                                                            .arg(totalOf(snapshot))));
    }
    // Every stored alert once, paged newest first, as SQL orders them.
    std::vector<std::string> walked;
    for (int offset = 0;; offset += 17) {
        const Answer page = get(
            "/api/v1/tables/alerts",
            QUrlQuery(
                QString("source=database&order=last_seen.desc&limit=17&offset=%1").arg(offset)));
        QCOMPARE(page.status, 200);
        const QJsonArray rows = jsonArray(page);
        for (const QJsonValue& row : rows) {
            QVERIFY(row["alert_id"].isString()); // 63-bit ids stay exact in JavaScript
        }
        const auto ids = field(rows, "alert_id");
        walked.insert(walked.end(), ids.begin(), ids.end());
        if (ids.size() < 17) {
            break;
        }
    }
    QCOMPARE(walked, column("SELECT alert_id FROM alerts ORDER BY last_seen DESC, alert_id "
                            "COLLATE \"C\""));
    // Filters over the history, and the CSV of it.
    const Answer critical = get("/api/v1/tables/alerts",
                                QUrlQuery("source=database&severity=eq.critical&"
                                          "first_seen=gte.2026-11-25T07:30:00Z&order=alert_id"),
                                true);
    QCOMPARE(critical.status, 200);
    const auto expected = column("SELECT alert_id FROM alerts WHERE severity = 'critical' AND "
                                 "first_seen >= '2026-11-25T07:30:00Z' ORDER BY alert_id "
                                 "COLLATE \"C\"");
    QVERIFY(!expected.empty());
    std::vector<std::string> lines = csvLines(critical.body);
    QCOMPARE(lines.size(), expected.size() + 1);
    for (std::size_t r = 0; r < expected.size(); ++r) {
        QVERIFY(lines[r + 1].starts_with(expected[r] + ","));
    }
    QCOMPARE(totalOf(critical), static_cast<long long>(expected.size()));

    const Answer open = get("/api/v1/tables/alerts", QUrlQuery("source=database&rows=open"));
    QCOMPARE(open.status, 400);
    QCOMPARE(errorOf(open).value("parameter").toString(), QString("source"));
    const Answer bad = get("/api/v1/tables/alerts", QUrlQuery("source=disk"));
    QCOMPARE(bad.status, 400);
    QCOMPARE(errorOf(bad).value("parameter").toString(), QString("source"));
}

void HttpStoredTablesTest::aDatabaseThatIsGoneIs503NamingTheProblem() {
    const std::string name = column("SELECT current_database()").at(0);
    {
        PgSession admin("dbname=postgres"); // the server's maintenance database
        admin.exec("DROP DATABASE " + PgSession::quoteIdentifier(name) + " WITH (FORCE)");
    }
    for (const char* path :
         {"/api/v1/warehouse/dim_customers", "/api/v1/tables/alerts?source=database"}) {
        const Answer answer =
            get(QString(path).section('?', 0, 0), QUrlQuery(QString(path).section('?', 1)));
        QCOMPARE(answer.status, 503);
        const QString message = errorOf(answer).value("message").toString();
        QVERIFY2(message.startsWith("database: ") && message.contains(QString::fromStdString(name)),
                 qPrintable(message));
    }
}

QTEST_GUILESS_MAIN(HttpStoredTablesTest)
#include "tst_http_stored_tables.moc"
