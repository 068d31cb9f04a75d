// SPDX-License-Identifier: GPL-3.0-or-later
// A warehouse in a database of its own (--warehouse-db): the API serves it from there, even for
// a run that persists nothing (--no-db), and says which option is missing when there is none.
// The warehouse is built by a real batch over hand-made raw events in another database (through
// postgres_fdw, as `--run-batch --warehouse-db` does), and the pages are compared with SQL run on
// the warehouse database.
#include "../warehouse/warehouse_test_support.h"
#include "app/http/http_service.h"
#include "http_test_client.h"
#include "pipeline/runtime/run_slot.h"
#include "pipeline/runtime/runtime.h"
#include "pipeline/warehouse/warehouse_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gm;
using gm::test::Answer;

namespace {

// A run that generates a few events and keeps nothing: the API has a runtime to ask.
std::shared_ptr<Runtime> finishedRunWithoutDatabase(std::optional<std::string> warehouse_url) {
    RuntimeOptions options;
    options.persist = false;
    options.warehouse_database_url = std::move(warehouse_url);
    options.catalog.users = 100;
    options.catalog.products = 20;
    options.generator.rate = 10'000;
    options.generator.max_speed = true;
    options.generator.event_limit = 2'000;
    options.pipeline.workers = 1;
    auto run = std::make_shared<Runtime>(options);
    if (const auto problem = run->prepare()) {
        qFatal("prepare: %s", problem->c_str());
    }
    run->start();
    return run;
}

} // namespace

class HttpSeparateWarehouseTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void theApiReadsTheWarehouseDatabase();
    void withoutAWarehouseDatabaseTheAnswerNamesTheOption();
    void theWindowsDatabaseChoiceKeepsBothDatabases();

private:
    Answer get(const QString& path) {
        return test::request(manager_, "GET",
                             QUrl(QString("http://127.0.0.1:%1%2").arg(service_->port()).arg(path)),
                             {});
    }
    void serve(std::shared_ptr<Runtime> run) {
        QTRY_VERIFY_WITH_TIMEOUT(run->finished(), 60'000);
        run->stop();
        slot_.set(std::move(run));
    }

    QNetworkAccessManager manager_;
    std::unique_ptr<test::ScratchDatabase> raw_db_;
    std::unique_ptr<test::ScratchDatabase> warehouse_db_;
    RunSlot slot_;
    std::unique_ptr<HttpService> service_;
};

void HttpSeparateWarehouseTest::initTestCase() {
    GM_REQUIRE_SERVER();
    raw_db_ = std::make_unique<test::ScratchDatabase>();
    warehouse_db_ = std::make_unique<test::ScratchDatabase>();
    test::migrateRealtime(raw_db_->conninfo());
    test::RawEvents raw(raw_db_->conninfo());
    raw.order(1, "USER_A", "2026-11-30T10:00:00Z", "USA",
              {{"PROD_A", 1, "100.00"}, {"PROD_B", 2, "10.00"}});
    raw.order(2, "USER_B", "2026-12-01T09:00:00Z", "Germany", {{"PROD_A", 3, "100.00"}});

    warehouse::BatchOptions batch;
    batch.conninfo = raw_db_->conninfo();
    batch.warehouse_conninfo = warehouse_db_->conninfo();
    batch.analysis_date = "2026-12-01";
    const warehouse::BatchReport report = warehouse::runBatch(batch);
    QVERIFY2(report.ok(), test::failureText(report).c_str());

    service_ = std::make_unique<HttpService>(slot_, HttpServiceOptions{});
    const auto failed = service_->start();
    QVERIFY2(!failed, failed ? failed->c_str() : "");
}

void HttpSeparateWarehouseTest::cleanupTestCase() {
    service_.reset();
    slot_.clear();
    warehouse_db_.reset();
    raw_db_.reset();
}

void HttpSeparateWarehouseTest::theApiReadsTheWarehouseDatabase() {
    serve(finishedRunWithoutDatabase(warehouse_db_->conninfo()));

    const Answer sales = get("/api/v1/warehouse/fact_sales?order=quantity.asc");
    QCOMPARE(sales.status, 200);
    pqxx::connection warehouse(warehouse_db_->conninfo());
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT count(*) FROM fact_sales"), std::string("3"));
    QCOMPARE(sales.header("content-range"), QByteArray("0-2/3"));
    const QJsonArray rows = QJsonDocument::fromJson(sales.body).array();
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0]["quantity"].toInteger(), 1);
    QCOMPARE(rows[2]["quantity"].toInteger(), 3);

    const Answer rfm = get("/api/v1/warehouse/rfm_analysis?order=monetary_value.desc");
    QCOMPARE(rfm.status, 200);
    const QJsonArray customers = QJsonDocument::fromJson(rfm.body).array();
    QCOMPARE(customers.size(), 2);
    GM_COMPARE_TEXT(test::valueOf(warehouse, "SELECT string_agg(user_id, ',' ORDER BY "
                                             "monetary_value DESC) FROM rfm_analysis"),
                    customers[0]["user_id"].toString().toStdString() + "," +
                        customers[1]["user_id"].toString().toStdString());

    // The real-time tables' history still needs the run's own database.
    const Answer history = get("/api/v1/tables/sales_per_minute?source=database");
    QCOMPARE(history.status, 409);
}

void HttpSeparateWarehouseTest::withoutAWarehouseDatabaseTheAnswerNamesTheOption() {
    serve(finishedRunWithoutDatabase(std::nullopt));
    const Answer answer = get("/api/v1/warehouse/fact_sales");
    QCOMPARE(answer.status, 409);
    const QString message =
        QJsonDocument::fromJson(answer.body).object()["error"].toObject()["message"].toString();
    QVERIFY2(message.contains("--no-db") && message.contains("--warehouse-db"), answer.body);
}

void HttpSeparateWarehouseTest::theWindowsDatabaseChoiceKeepsBothDatabases() {
    warehouse::WarehouseDatabase both(raw_db_->conninfo(), warehouse_db_->conninfo());
    QCOMPARE(both.conninfo(), raw_db_->conninfo());
    QCOMPARE(both.warehouseConninfo(), warehouse_db_->conninfo());
    QCOMPARE(both.batchCommandLine(),
             std::string("globalmart --run-batch --db '<URL>' --warehouse-db '<URL>'"));
    QVERIFY(both.description().find("--warehouse-db") != std::string::npos);

    warehouse::WarehouseDatabase one(raw_db_->conninfo());
    QCOMPARE(one.warehouseConninfo(), raw_db_->conninfo());
    QCOMPARE(one.batchCommandLine(), std::string("globalmart --run-batch --db '<URL>'"));
}

QTEST_MAIN(HttpSeparateWarehouseTest)
#include "tst_http_separate_warehouse.moc"
