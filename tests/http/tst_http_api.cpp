// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP server against a real run: every route through a real client (QNetworkAccessManager
// and raw sockets), rows checked against the run's own snapshot, computed here independently.
#include "app/http/http_service.h"
#include "app/http/stored_tables.h"
#include "http_test_client.h"
#include "pipeline/csv_text.h"
#include "pipeline/runtime/runtime.h"
#include "pipeline/table_schema.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QUrlQuery>
#include <algorithm>
#include <set>

using namespace gm;
using gm::test::Answer;

namespace {

constexpr const char* kKey = "test-key-0123456789abcdef";

RuntimeOptions shopRun(std::uint64_t events) {
    RuntimeOptions options;
    options.persist = false;
    options.catalog.users = 2'000;
    options.catalog.products = 150;
    options.generator.rate = 20'000;
    options.generator.acceleration = 600; // ten simulated minutes a second: windows close
    options.generator.max_speed = events > 0;
    options.generator.event_limit = events;
    options.simulator.anomaly_rate = 0.2;
    options.start_time = 1'795'591'230'000'000; // 2026-11-25T07:20:30Z
    options.catalog.reference_time = options.start_time;
    options.pipeline.workers = 1;
    options.pipeline.recent_rows_per_table = 1'000;
    return options;
}

QJsonArray jsonArray(const Answer& answer) {
    return QJsonDocument::fromJson(answer.body).array();
}

QJsonObject errorOf(const Answer& answer) {
    return QJsonDocument::fromJson(answer.body).object().value("error").toObject();
}

int columnIndex(TableId table, const char* name) {
    const auto& names = tableInfo(table).column_names;
    return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
}

} // namespace

class HttpApiTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void metricsPassPromtoolAndMatchTheRunsCounters();
    void healthIsUnavailableOnceTheRunFinished();
    void healthIsReadyWhileARunGoes();
    void everyTableServesEverySnapshotRow();
    void filtersMatchRowsSelectedIndependently();
    void orderAndPagingMatchAnIndependentSort();
    void openWindowRowsOnRequest();
    void csvWhenAcceptAsksForIt();
    void badParametersAre400NamingTheParameter();
    void unknownPathsTablesAndMethodsAreJsonErrors();
    void apiKeysAreRequiredExceptForMetricsAndHealth();
    void keysMatchOnlyWhole();
    void rateLimitAnswers429WithRetryAfter();
    void oversizeRequestsAre413AndClosed();
    void malformedRequestsLeaveTheServerWorking();
    void pipelinedRequestsAreAnsweredInOrder();
    void everyDocumentedRouteAnswers();
    void acknowledgingNeedsADatabaseAndAnId();
    void databaseReadsWithoutADatabaseAre409();
    void repeatedRequestsFollowEachNewSnapshot();
    void encodedSeparatorsAreNotAnotherRequest();

private:
    Answer get(const QString& path_and_query, std::map<QByteArray, QByteArray> headers = {},
               quint16 port = 0) {
        return gm::test::request(manager_, "GET",
                                 QUrl(QString("http://127.0.0.1:%1%2")
                                          .arg(port == 0 ? open_->port() : port)
                                          .arg(path_and_query)),
                                 headers);
    }
    std::vector<TextRow> snapshotRows(TableId table) const {
        return tableText(snapshot_->recent, table);
    }

    QNetworkAccessManager manager_;
    std::unique_ptr<Runtime> run_;
    RunSlot slot_;
    SnapshotPtr snapshot_;
    std::unique_ptr<HttpService> open_;  // no keys
    std::unique_ptr<HttpService> keyed_; // keys, one request per second, bursts of two
};

void HttpApiTest::initTestCase() {
    run_ = std::make_unique<Runtime>(shopRun(60'000));
    QVERIFY(!run_->prepare());
    run_->start();
    QTRY_VERIFY_WITH_TIMEOUT(run_->finished(), 120'000);
    snapshot_ = run_->pipeline().snapshot();
    QVERIFY(snapshot_ != nullptr);
    QVERIFY(snapshot_->recent.sales_by_country.size() > 20);
    slot_.set(std::shared_ptr<Runtime>(run_.get(), [](Runtime*) {}));

    open_ = std::make_unique<HttpService>(slot_, HttpServiceOptions{});
    const auto problem = open_->start();
    QVERIFY2(!problem, problem ? problem->c_str() : "");
    QVERIFY(open_->port() != 0);

    HttpServiceOptions keyed;
    keyed.access.keys = std::set<std::string>{kKey, "second-key-0123456789abcdef"};
    keyed.access.requests_per_second = 1;
    keyed.access.burst = 2;
    keyed_ = std::make_unique<HttpService>(slot_, keyed);
    QVERIFY(!keyed_->start());
}

void HttpApiTest::cleanupTestCase() {
    open_.reset();
    keyed_.reset();
    slot_.clear();
    if (run_) {
        run_->stop();
    }
}

void HttpApiTest::metricsPassPromtoolAndMatchTheRunsCounters() {
    const Answer answer = get("/metrics");
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.header("content-type").startsWith("text/plain; version=0.0.4"));

    const QString promtool = QStandardPaths::findExecutable("promtool");
    QVERIFY2(!promtool.isEmpty(), "promtool (Debian package prometheus) is not installed");
    QProcess check;
    check.start(promtool, {"check", "metrics"});
    QVERIFY(check.waitForStarted());
    check.write(answer.body);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(30'000));
    QVERIFY2(check.exitCode() == 0,
             (check.readAllStandardOutput() + check.readAllStandardError()).constData());

    // The run has finished: its counters no longer move, so each sample must equal them.
    const PipelineFigures figures = run_->pipeline().counters().figures();
    const auto sample = [&](const QByteArray& line_start) {
        for (const QByteArray& line : answer.body.split('\n')) {
            if (line.startsWith(line_start + ' ')) {
                return line.mid(line_start.size() + 1).toDouble();
            }
        }
        return -1.0;
    };
    QCOMPARE(sample("globalmart_pipeline_events_total"), static_cast<double>(figures.events));
    QCOMPARE(sample("globalmart_pipeline_rows_total"), static_cast<double>(figures.rows));
    QCOMPARE(sample("globalmart_stream_events_total{stream=\"transactions\"}"),
             static_cast<double>(figures.jobs[static_cast<int>(JobId::Sales)].received));
    QCOMPARE(sample("globalmart_job_rows_total{job=\"anomalies\"}"),
             static_cast<double>(figures.jobs[static_cast<int>(JobId::Anomalies)].emitted_rows));
    QCOMPARE(sample("globalmart_job_late_events_total{job=\"carts\"}"),
             static_cast<double>(figures.jobs[static_cast<int>(JobId::Carts)].late));
    QCOMPARE(sample("globalmart_run_active"), 0.0);
    QVERIFY(sample("process_resident_memory_bytes") > 1e6);
    QVERIFY(sample("process_cpu_seconds_total") > 0);
    QVERIFY(answer.body.contains("globalmart_build_info{version=\""));

    // The event -> snapshot latency histogram: one observation per batch that held events, the
    // buckets cumulative, the +Inf bucket equal to the count, the sum the run's own.
    const LatencyHistogramFigures& latency = figures.snapshot_latency;
    const QByteArray histogram = "globalmart_pipeline_event_snapshot_latency_seconds";
    QVERIFY(answer.body.contains("# TYPE " + histogram + " histogram\n"));
    QVERIFY(latency.count > 0 && latency.count <= figures.batches);
    QCOMPARE(sample(histogram + "_count"), static_cast<double>(latency.count));
    QCOMPARE(sample(histogram + "_bucket{le=\"+Inf\"}"), static_cast<double>(latency.count));
    QVERIFY(qAbs(sample(histogram + "_sum") - latency.sum_seconds) < 1e-6);
    double previous = 0;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kSnapshotLatencyBounds.size(); ++i) {
        cumulative += latency.buckets[i];
        const double bucket = sample(histogram + "_bucket{le=\"" +
                                     QByteArray::number(kSnapshotLatencyBounds[i]) + "\"}");
        QCOMPARE(bucket, static_cast<double>(cumulative));
        QVERIFY(bucket >= previous);
        previous = bucket;
    }
    // Snapshots are published ~10 times a second: a batch waits about that long at most.
    QVERIFY(sample(histogram + "_sum") / latency.count < 1.0);
}

void HttpApiTest::healthIsUnavailableOnceTheRunFinished() {
    const Answer answer = get("/health");
    QCOMPARE(answer.status, 503);
    const QJsonObject health = QJsonDocument::fromJson(answer.body).object();
    QCOMPARE(health.value("live").toBool(), true);
    QCOMPARE(health.value("ready").toBool(), false);
    QCOMPARE(health.value("checks").toObject().value("pipeline").toObject().value("state"),
             QJsonValue("finished"));
}

void HttpApiTest::healthIsReadyWhileARunGoes() {
    Runtime running(shopRun(0));
    QVERIFY(!running.prepare());
    RunSlot slot;
    HttpService service(slot, HttpServiceOptions{});
    QVERIFY(!service.start());
    QCOMPARE(get("/health", {}, service.port()).status, 503); // no run yet
    QCOMPARE(get("/api/v1/tables/alerts", {}, service.port()).status, 503);
    QCOMPARE(QJsonDocument::fromJson(get("/api/v1/run", {}, service.port()).body)
                 .object()
                 .value("state")
                 .toString(),
             QString("idle"));
    running.start();
    GeneratorRunner* generator = running.generator();
    RunCommands commands; // as the headless run offers them
    commands.pause = [&running] { running.pause(); };
    commands.resume = [&running] { running.resume(); };
    commands.set_rate = [generator](double rate) { generator->setRate(rate); };
    slot.set(std::shared_ptr<Runtime>(&running, [](Runtime*) {}), commands);
    const Answer answer = get("/health", {}, service.port());
    QCOMPARE(answer.status, 200);
    const QJsonObject health = QJsonDocument::fromJson(answer.body).object();
    QCOMPARE(health.value("status").toString(), QString("ok"));
    QCOMPARE(health.value("ready").toBool(), true);
    QVERIFY(get("/metrics", {}, service.port()).body.contains("globalmart_run_active 1\n"));

    // Run state and commands: each is applied by the run, and the state shows it.
    const auto run = [&] {
        return QJsonDocument::fromJson(get("/api/v1/run", {}, service.port()).body).object();
    };
    const auto post = [&](const QString& path) {
        return gm::test::request(
            manager_, "POST", QUrl(QString("http://127.0.0.1:%1%2").arg(service.port()).arg(path)));
    };
    QCOMPARE(run().value("state").toString(), QString("running"));
    QCOMPARE(run().value("source").toString(), QString("generator"));
    QCOMPARE(run().value("rate").toDouble(), 20'000.0);
    QCOMPARE(post("/api/v1/run/pause").status, 202);
    QTRY_COMPARE_WITH_TIMEOUT(run().value("state").toString(), QString("paused"), 10'000);
    QCOMPARE(post("/api/v1/run/rate?events_per_second=500").status, 202);
    QTRY_COMPARE_WITH_TIMEOUT(run().value("rate").toDouble(), 500.0, 10'000);
    QCOMPARE(post("/api/v1/run/resume").status, 202);
    QTRY_COMPARE_WITH_TIMEOUT(run().value("state").toString(), QString("running"), 10'000);
    const std::uint64_t events = static_cast<std::uint64_t>(run().value("events").toDouble());
    QTRY_VERIFY_WITH_TIMEOUT(run().value("events").toDouble() > static_cast<double>(events),
                             10'000);
    for (const char* bad : {"/api/v1/run/rate", "/api/v1/run/rate?events_per_second=0",
                            "/api/v1/run/rate?events_per_second=fast"}) {
        const Answer refused = post(bad);
        QVERIFY2(refused.status == 400, bad);
        QCOMPARE(errorOf(refused).value("parameter").toString(), QString("events_per_second"));
    }
    slot.clear();
    running.stop();
}

void HttpApiTest::everyTableServesEverySnapshotRow() {
    const Answer list = get("/api/v1/tables");
    QCOMPARE(list.status, 200);
    QCOMPARE(jsonArray(list).size(), kTableCount);
    for (int i = 0; i < kTableCount; ++i) {
        const auto table = static_cast<TableId>(i);
        const QString name = QString::fromUtf8(std::string(tableName(table)));
        QCOMPARE(jsonArray(list)[i].toObject().value("name").toString(), name);
        const Answer answer = get("/api/v1/tables/" + name + "?limit=10000");
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("x-snapshot").toULongLong(), snapshot_->number);
        const std::vector<TextRow> expected = snapshotRows(table);
        const QJsonArray rows = jsonArray(answer);
        QCOMPARE(rows.size(), static_cast<qsizetype>(expected.size()));
        QCOMPARE(answer.header("content-range"),
                 expected.empty()
                     ? QByteArray("*/0")
                     : QByteArray("0-" + QByteArray::number(qsizetype(expected.size()) - 1) + "/" +
                                  QByteArray::number(qsizetype(expected.size()))));
        const TableInfo& info = tableInfo(table);
        for (std::size_t r = 0; r < expected.size(); ++r) {
            const QJsonObject row = rows[static_cast<qsizetype>(r)].toObject();
            QCOMPARE(row.size(), static_cast<qsizetype>(info.columns.size()));
            for (std::size_t c = 0; c < info.columns.size(); ++c) {
                const QJsonValue value =
                    row.value(QString::fromUtf8(std::string(info.columns[c].name)));
                const QString text = QString::fromStdString(expected[r][c]);
                if (value.isDouble()) {
                    QCOMPARE(value.toDouble(), text.toDouble());
                } else if (value.isBool()) {
                    QCOMPARE(value.toBool() ? QString("true") : QString("false"), text);
                } else if (value.isNull()) {
                    QVERIFY(text.isEmpty());
                } else {
                    QCOMPARE(value.toString(), text);
                }
            }
        }
    }
}

void HttpApiTest::filtersMatchRowsSelectedIndependently() {
    const TableId table = TableId::SalesByCountry;
    const std::vector<TextRow> all = snapshotRows(table);
    const int revenue = columnIndex(table, "total_revenue");
    const int country = columnIndex(table, "country");
    const int start = columnIndex(table, "window_start");
    std::vector<double> revenues;
    for (const TextRow& row : all) {
        revenues.push_back(QString::fromStdString(row[revenue]).toDouble());
    }
    std::sort(revenues.begin(), revenues.end());
    const double median = revenues[revenues.size() / 2];
    const QString middle_start = QString::fromStdString(all[all.size() / 2][start]);
    const QString first_country = QString::fromStdString(all.front()[country]);

    struct Case {
        QString query;
        std::function<bool(const TextRow&)> keep;
    };
    const auto rev = [&](const TextRow& row) {
        return QString::fromStdString(row[revenue]).toDouble();
    };
    const std::vector<Case> cases{
        {"total_revenue=gt." + QString::number(median, 'f', 2),
         [&](const TextRow& row) { return rev(row) > median; }},
        {"total_revenue=lte." + QString::number(median, 'f', 2),
         [&](const TextRow& row) { return rev(row) <= median; }},
        {"country=eq." + first_country,
         [&](const TextRow& row) { return QString::fromStdString(row[country]) == first_country; }},
        {"country=neq." + first_country,
         [&](const TextRow& row) { return QString::fromStdString(row[country]) != first_country; }},
        {"country=in.(USA,Germany,Japan)",
         [&](const TextRow& row) {
             const QString c = QString::fromStdString(row[country]);
             return c == "USA" || c == "Germany" || c == "Japan";
         }},
        {"country=like.U*",
         [&](const TextRow& row) { return QString::fromStdString(row[country]).startsWith('U'); }},
        {"window_start=gte." + middle_start + "&total_revenue=lt." +
             QString::number(median, 'f', 2),
         [&](const TextRow& row) {
             return QString::fromStdString(row[start]) >= middle_start && rev(row) < median;
         }},
        {"window_start=lt." +
             QString(QUrl::toPercentEncoding(QString::fromStdString(
                 formatIsoTimestamp(parseIsoTimestamp(middle_start.toStdString()).value() + 1)))),
         [&](const TextRow& row) { return QString::fromStdString(row[start]) <= middle_start; }},
    };
    for (const Case& test : cases) {
        std::set<std::pair<std::string, std::string>> expected;
        for (const TextRow& row : all) {
            if (test.keep(row)) {
                expected.insert({row[start], row[country]});
            }
        }
        const Answer answer = get("/api/v1/tables/sales_by_country?limit=10000&" + test.query);
        QVERIFY2(answer.status == 200, qPrintable(test.query + ": " + answer.body));
        std::set<std::pair<std::string, std::string>> served;
        for (const QJsonValue& row : jsonArray(answer)) {
            served.insert({row["window_start"].toString().toStdString(),
                           row["country"].toString().toStdString()});
        }
        QVERIFY2(served == expected, qPrintable(test.query));
        QVERIFY2(!expected.empty() || test.query.startsWith("country=like"),
                 qPrintable("no row selected by " + test.query + ": a weak case"));
        QCOMPARE(answer.header("content-range").split('/').last().toULongLong(), expected.size());
    }
}

void HttpApiTest::orderAndPagingMatchAnIndependentSort() {
    const TableId table = TableId::SalesByCountry;
    std::vector<TextRow> all = snapshotRows(table);
    const int revenue = columnIndex(table, "total_revenue");
    const int country = columnIndex(table, "country");
    std::stable_sort(all.begin(), all.end(), [&](const TextRow& a, const TextRow& b) {
        const double x = QString::fromStdString(a[revenue]).toDouble();
        const double y = QString::fromStdString(b[revenue]).toDouble();
        return x != y ? x > y : a[country] < b[country];
    });
    const std::size_t offset = 3;
    const std::size_t limit = 7;
    const Answer answer = get(QString("/api/v1/tables/sales_by_country?order=total_revenue.desc,"
                                      "country.asc&limit=%1&offset=%2")
                                  .arg(limit)
                                  .arg(offset));
    QCOMPARE(answer.status, 200);
    const QJsonArray rows = jsonArray(answer);
    QCOMPARE(rows.size(), static_cast<qsizetype>(limit));
    for (std::size_t i = 0; i < limit; ++i) {
        const TextRow& expected = all[offset + i];
        QCOMPARE(rows[static_cast<qsizetype>(i)]["total_revenue"].toDouble(),
                 QString::fromStdString(expected[revenue]).toDouble());
        QCOMPARE(rows[static_cast<qsizetype>(i)]["country"].toString(),
                 QString::fromStdString(expected[country]));
    }
    QCOMPARE(answer.header("content-range"),
             QByteArray::number(qulonglong(offset)) + "-" +
                 QByteArray::number(qulonglong(offset + limit - 1)) + "/" +
                 QByteArray::number(qulonglong(all.size())));
    // Past the end: an empty page that still counts the rows.
    const Answer past = get(QString("/api/v1/tables/sales_by_country?offset=%1").arg(all.size()));
    QCOMPARE(past.status, 200);
    QCOMPARE(jsonArray(past).size(), 0);
    QCOMPARE(past.header("content-range"), "*/" + QByteArray::number(qulonglong(all.size())));
}

void HttpApiTest::openWindowRowsOnRequest() {
    const std::vector<TextRow> open = tableText(snapshot_->partial, TableId::SalesPerMinute);
    const Answer answer = get("/api/v1/tables/sales_per_minute?rows=open");
    QCOMPARE(answer.status, 200);
    QCOMPARE(jsonArray(answer).size(), static_cast<qsizetype>(open.size()));
}

void HttpApiTest::csvWhenAcceptAsksForIt() {
    const Answer answer = get("/api/v1/tables/sales_by_country?limit=5", {{"Accept", "text/csv"}});
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.header("content-type").startsWith("text/csv"));
    const QList<QByteArray> lines = answer.body.split('\n');
    QCOMPARE(lines.size(), 7); // header, five rows, and the empty rest after the last CRLF
    QByteArray header;
    for (const std::string& name : columns(TableId::SalesByCountry)) {
        header += (header.isEmpty() ? "" : ",") + QByteArray::fromStdString(name);
    }
    QCOMPARE(lines[0], header + "\r");
    const std::vector<TextRow> all = snapshotRows(TableId::SalesByCountry);
    QByteArray first;
    for (const std::string& field : all.front()) {
        first += (first.isEmpty() ? "" : ",") + QByteArray::fromStdString(field);
    }
    QCOMPARE(lines[1], first + "\r");
}

void HttpApiTest::badParametersAre400NamingTheParameter() {
    const std::vector<std::pair<QString, QString>> cases{
        {"limit=abc", "limit"},
        {"limit=10001", "limit"},
        {"offset=-1", "offset"},
        {"colour=eq.red", "colour"},
        {"country=equals.USA", "country"},
        {"total_revenue=gt.lots", "total_revenue"},
        {"window_start=gt.yesterday", "window_start"},
        {"country=in.USA", "country"},
        {"order=nowhere.asc", "order"},
        {"order=country.sideways", "order"},
        {"rows=half", "rows"},
    };
    for (const auto& [query, parameter] : cases) {
        const Answer answer = get("/api/v1/tables/sales_by_country?" + query);
        QVERIFY2(answer.status == 400, qPrintable(query));
        QVERIFY(answer.header("content-type").startsWith("application/json"));
        const QJsonObject error = errorOf(answer);
        QCOMPARE(error.value("status").toInt(), 400);
        QCOMPARE(error.value("parameter").toString(), parameter);
        QVERIFY(error.value("message").toString().contains(parameter));
    }
}

void HttpApiTest::unknownPathsTablesAndMethodsAreJsonErrors() {
    const Answer nowhere = get("/nowhere");
    QCOMPARE(nowhere.status, 404);
    QCOMPARE(errorOf(nowhere).value("status").toInt(), 404);
    const Answer no_table = get("/api/v1/tables/no_such_table");
    QCOMPARE(no_table.status, 404);
    QVERIFY(errorOf(no_table).value("message").toString().contains("no_such_table"));
    const Answer post = gm::test::request(
        manager_, "DELETE", QUrl(QString("http://127.0.0.1:%1/metrics").arg(open_->port())));
    QCOMPARE(post.status, 405);
    QCOMPARE(post.header("allow"), QByteArray("GET"));
    QCOMPARE(errorOf(post).value("status").toInt(), 405);
}

void HttpApiTest::apiKeysAreRequiredExceptForMetricsAndHealth() {
    const quint16 port = keyed_->port();
    QCOMPARE(get("/metrics", {}, port).status, 200);
    QCOMPARE(get("/health", {}, port).status, 503); // finished run: alive, not ready
    const Answer missing = get("/api/v1/tables", {}, port);
    QCOMPARE(missing.status, 401);
    QVERIFY(errorOf(missing).value("message").toString().contains("X-API-Key"));
    const Answer wrong = get("/api/v1/tables", {{"X-API-Key", "not-a-key-0123456789"}}, port);
    QCOMPARE(wrong.status, 403);
    QVERIFY(!wrong.body.contains("not-a-key")); // keys are never echoed
    QCOMPARE(get("/api/v1/tables", {{"X-API-Key", kKey}}, port).status, 200);
}

void HttpApiTest::keysMatchOnlyWhole() {
    const std::set<std::string> keys{kKey, "second-key-0123456789abcdef"};
    QVERIFY(isOneOfTheKeys(keys, kKey));
    QVERIFY(isOneOfTheKeys(keys, "second-key-0123456789abcdef"));
    const std::string key = kKey;
    QVERIFY(!isOneOfTheKeys(keys, key.substr(0, key.size() - 1))); // a prefix
    QVERIFY(!isOneOfTheKeys(keys, key + "0"));                     // longer
    QVERIFY(!isOneOfTheKeys(keys, ""));
    std::string last_wrong = key;
    last_wrong.back() ^= 1;
    QVERIFY(!isOneOfTheKeys(keys, last_wrong));
    std::string first_wrong = key;
    first_wrong.front() ^= 1;
    QVERIFY(!isOneOfTheKeys(keys, first_wrong));
    QVERIFY(!isOneOfTheKeys({}, key));
}

void HttpApiTest::rateLimitAnswers429WithRetryAfter() {
    const quint16 port = keyed_->port();
    const std::map<QByteArray, QByteArray> key{{"X-API-Key", "second-key-0123456789abcdef"}};
    // A burst of two, then one a second: the third at once is refused.
    QCOMPARE(get("/api/v1/tables/alerts?limit=1", key, port).status, 200);
    QCOMPARE(get("/api/v1/tables/alerts?limit=1", key, port).status, 200);
    const Answer refused = get("/api/v1/tables/alerts?limit=1", key, port);
    QCOMPARE(refused.status, 429);
    QVERIFY(refused.header("retry-after").toInt() >= 1);
    QCOMPARE(errorOf(refused).value("status").toInt(), 429);
    QVERIFY(get("/metrics", {}, port).body.contains("globalmart_http_rate_limited_total 1\n"));
    QThread::msleep(static_cast<unsigned long>(refused.header("retry-after").toInt()) * 1000);
    QCOMPARE(get("/api/v1/tables/alerts?limit=1", key, port).status, 200);
}

void HttpApiTest::oversizeRequestsAre413AndClosed() {
    const QByteArray request =
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + QByteArray(200 * 1024, 'a') + "\r\n\r\n";
    const QByteArray answer = gm::test::rawExchange(open_->port(), request);
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(200).constData());
    QVERIFY(answer.contains("\"status\":413"));
    QCOMPARE(get("/health").status, 503); // and the server carries on
}

void HttpApiTest::malformedRequestsLeaveTheServerWorking() {
    for (const QByteArray& garbage :
         {QByteArray("NOT HTTP AT ALL\r\n\r\n"), QByteArray("GET / HTTP/9.9\r\n\r\n"),
          QByteArray("\x00\x01\x02\xff\r\n\r\n", 8), QByteArray("GET /health HTTP/1.1\r\nHost")}) {
        const QByteArray answer = gm::test::rawExchange(open_->port(), garbage, 1'000);
        // Either an error status or a closed connection; never a success for garbage.
        QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), answer.constData());
    }
    QCOMPARE(get("/metrics").status, 200);
}

void HttpApiTest::pipelinedRequestsAreAnsweredInOrder() {
    // Three requests in one write, each answered with a different status and type.
    const QByteArray requests = "GET /api/v1/tables/alerts?limit=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
    const QByteArray answer = gm::test::rawExchange(open_->port(), requests, 10'000, 3);
    const auto first = answer.indexOf("HTTP/1.1 200");
    const auto second = answer.indexOf("HTTP/1.1 404");
    const auto third = answer.indexOf("HTTP/1.1 200", first + 1);
    QVERIFY2(first == 0 && second > first && third > second, answer.left(400).constData());
    QVERIFY(answer.indexOf("Content-Range", first) < second);
    QVERIFY(answer.indexOf("# TYPE globalmart_build_info gauge", third) > third);
}

void HttpApiTest::everyDocumentedRouteAnswers() {
    const Answer document = get("/api/v1/openapi.json", {{"X-API-Key", kKey}}, keyed_->port());
    QCOMPARE(document.status, 200);
    const QJsonObject openapi = QJsonDocument::fromJson(document.body).object();
    QCOMPARE(openapi.value("openapi").toString(), QString("3.0.3"));
    const QJsonObject paths = openapi.value("paths").toObject();
    QVERIFY(paths.size() >= 6);
    QVERIFY(!snapshot_->recent.alerts.empty());
    const QString alert_id = QString::number(snapshot_->recent.alerts.front().alert_id);
    int requests = 0;
    int documented_tables = 0;
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject methods = path.value().toObject();
        QVERIFY2(!methods.isEmpty(), qPrintable(path.key()));
        for (auto method = methods.begin(); method != methods.end(); ++method) {
            const QJsonObject operation = method.value().toObject();
            const QJsonObject responses = operation.value("responses").toObject();
            QStringList concrete{QString(path.key()).replace("{id}", alert_id)};
            for (const char* placeholder : {"table", "name"}) {
                const QString braced = QString("{%1}").arg(placeholder);
                if (!path.key().contains(braced)) {
                    continue;
                }
                concrete.clear();
                for (const QJsonValue& parameter : operation.value("parameters").toArray()) {
                    if (parameter["name"] == placeholder) {
                        for (const QJsonValue& name : parameter["schema"]["enum"].toArray()) {
                            concrete << QString(path.key()).replace(braced, name.toString());
                        }
                    }
                }
                // Every real-time table; every warehouse table and view (this run has no
                // database: they answer 409, a documented answer).
                QCOMPARE(concrete.size(), path.key().contains("warehouse")
                                              ? int(warehouseTables().size())
                                              : kTableCount);
                ++documented_tables;
            }
            for (const QString& route : concrete) {
                const Answer answer = gm::test::request(
                    manager_, method.key().toUpper().toLatin1(),
                    QUrl(QString("http://127.0.0.1:%1%2").arg(open_->port()).arg(route)));
                ++requests;
                QVERIFY2(responses.contains(QString::number(answer.status)),
                         qPrintable(method.key() + " " + route + " answered " +
                                    QString::number(answer.status)));
                QVERIFY2(answer.status != 404 && answer.status != 405, qPrintable(route));
            }
        }
    }
    QCOMPARE(documented_tables, 2); // /api/v1/tables/{table} and /api/v1/warehouse/{name}
    QVERIFY(requests >= 5 + kTableCount + int(warehouseTables().size()));
}

void HttpApiTest::acknowledgingNeedsADatabaseAndAnId() {
    const auto post = [&](const QString& path) {
        return gm::test::request(
            manager_, "POST", QUrl(QString("http://127.0.0.1:%1%2").arg(open_->port()).arg(path)));
    };
    const QString id = QString::number(snapshot_->recent.alerts.front().alert_id);
    const Answer without_database = post("/api/v1/alerts/" + id + "/ack");
    QCOMPARE(without_database.status, 409);
    QVERIFY(errorOf(without_database).value("message").toString().contains("--no-db"));
    const Answer bad_id = post("/api/v1/alerts/12ab/ack");
    QCOMPARE(bad_id.status, 400);
    QCOMPARE(errorOf(bad_id).value("parameter").toString(), QString("id"));
    const Answer by_get = get("/api/v1/alerts/" + id + "/ack");
    QCOMPARE(by_get.status, 405);
    QCOMPARE(by_get.header("allow"), QByteArray("POST"));
}

void HttpApiTest::databaseReadsWithoutADatabaseAre409() {
    // This run keeps no database (persist = false): the listing still describes the warehouse,
    // its rows and the stored history cannot be read, and the answer says why.
    const Answer listing = get("/api/v1/warehouse");
    QCOMPARE(listing.status, 200);
    QCOMPARE(jsonArray(listing).size(), int(warehouseTables().size()));
    for (const char* path :
         {"/api/v1/warehouse/dim_customers?limit=5", "/api/v1/tables/alerts?source=database"}) {
        const Answer answer = get(path);
        QCOMPARE(answer.status, 409);
        QVERIFY2(errorOf(answer).value("message").toString().contains("--no-db"), answer.body);
    }
    // Parameters are checked first: a bad one is a 400 with or without a database.
    const Answer bad = get("/api/v1/warehouse/dim_customers?customer_id=eq.1.5");
    QCOMPARE(bad.status, 400);
    QCOMPARE(errorOf(bad).value("parameter").toString(), QString("customer_id"));
    const Answer source = get("/api/v1/tables/alerts?source=elsewhere");
    QCOMPARE(source.status, 400);
    QCOMPARE(errorOf(source).value("parameter").toString(), QString("source"));
    // The snapshot's alert ids are strings as well.
    const QJsonArray alerts = jsonArray(get("/api/v1/tables/alerts?limit=3"));
    QVERIFY(!alerts.isEmpty());
    QVERIFY(alerts.at(0).toObject().value("alert_id").isString());
}

void HttpApiTest::repeatedRequestsFollowEachNewSnapshot() {
    // The handler keeps each snapshot's rows as text and its answers until the next snapshot:
    // the same request must still give each new snapshot's rows, exactly.
    Runtime running(shopRun(0));
    QVERIFY(!running.prepare());
    RunSlot slot;
    HttpService service(slot, HttpServiceOptions{});
    QVERIFY(!service.start());
    running.start();
    slot.set(std::shared_ptr<Runtime>(&running, [](Runtime*) {}));
    QTRY_VERIFY_WITH_TIMEOUT(running.pipeline().snapshot() != nullptr, 10'000);
    std::set<std::uint64_t> verified;
    QElapsedTimer clock;
    clock.start();
    while (verified.size() < 4 && clock.elapsed() < 60'000) {
        const SnapshotPtr before = running.pipeline().snapshot();
        const Answer answer = get("/api/v1/tables/sales_per_minute?rows=open",
                                  {{"Accept", "text/csv"}}, service.port());
        const SnapshotPtr after = running.pipeline().snapshot();
        QCOMPARE(answer.status, 200);
        if (before->number != after->number ||
            answer.header("x-snapshot") != QByteArray::number(before->number)) {
            continue; // a snapshot was published meanwhile: which one answered is unknown
        }
        std::string expected = csvLine(tableInfo(TableId::SalesPerMinute).column_names);
        for (const TextRow& row : tableText(before->partial, TableId::SalesPerMinute)) {
            expected += csvLine(row);
        }
        QCOMPARE(answer.body.toStdString(), expected);
        verified.insert(before->number);
        QTest::qWait(30);
    }
    QVERIFY2(verified.size() >= 4, qPrintable(QString::number(verified.size())));
    slot.clear();
    running.stop();
}

void HttpApiTest::encodedSeparatorsAreNotAnotherRequest() {
    // Two filters, then one filter whose value holds the same text encoded: answers kept per
    // snapshot must not take one for the other.
    const Answer two = get("/api/v1/tables/sales_by_country?country=eq.USA&total_revenue=gt.0");
    QCOMPARE(two.status, 200);
    QVERIFY(!jsonArray(two).isEmpty());
    const Answer one = get("/api/v1/tables/sales_by_country?country=eq.USA%26total_revenue%3Dgt.0");
    QCOMPARE(one.status, 200);
    QCOMPARE(one.header("content-range"), QByteArray("*/0")); // no country is named that
}

QTEST_GUILESS_MAIN(HttpApiTest)
#include "tst_http_api.moc"
