// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP server of a run that persists into the test's PostgreSQL: /health reports the
// database, and POST /api/v1/alerts/<id>/ack stores the acknowledgement there.
#include "app/http/http_service.h"
#include "db_test_support.h"
#include "pipeline/runtime/runtime.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <pqxx/pqxx>

using namespace gm;

namespace {

struct Answer {
    int status = 0;
    QJsonObject json;
};

Answer send(QNetworkAccessManager& manager, const QByteArray& method, const QString& url) {
    QNetworkReply* reply = manager.sendCustomRequest(QNetworkRequest{QUrl(url)}, method);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  QJsonDocument::fromJson(reply->readAll()).object()};
    reply->deleteLater();
    return answer;
}

} // namespace

class HttpAlertAckTest : public QObject {
    Q_OBJECT

private slots:
    void healthAndAcknowledgementThroughTheDatabase() {
        GM_REQUIRE_SERVER();
        test::ScratchDatabase database;
        RuntimeOptions options;
        options.persistence.database_url = database.conninfo();
        options.catalog.users = 1'000;
        options.catalog.products = 100;
        options.generator.rate = 2'000;
        options.generator.acceleration = 600;
        options.simulator.anomaly_rate = 0.2;
        options.start_time = 1'795'591'230'000'000; // 2026-11-25T07:20:30Z
        options.catalog.reference_time = options.start_time;
        options.pipeline.workers = 1;
        Runtime runtime(options);
        const auto problem = runtime.prepare();
        QVERIFY2(!problem, problem.value_or("").c_str());
        RunSlot slot;
        HttpService service(slot, HttpServiceOptions{});
        QVERIFY(!service.start());
        const QString base = QString::fromStdString(service.url());
        runtime.start();
        slot.set(std::shared_ptr<Runtime>(&runtime, [](Runtime*) {}));

        QNetworkAccessManager manager;
        QTRY_COMPARE_WITH_TIMEOUT(send(manager, "GET", base + "/health").status, 200, 20'000);
        const QJsonObject database_check = send(manager, "GET", base + "/health")
                                               .json.value("checks")
                                               .toObject()
                                               .value("database")
                                               .toObject();
        QCOMPARE(database_check.value("state").toString(), QString("connected"));
        QCOMPARE(database_check.value("ok").toBool(), true);

        QTRY_VERIFY_WITH_TIMEOUT(!runtime.pipeline().snapshot()->recent.alerts.empty(), 30'000);
        const std::string alert_id =
            std::to_string(runtime.pipeline().snapshot()->recent.alerts.front().alert_id);
        const Answer acknowledged = send(
            manager, "POST", base + "/api/v1/alerts/" + QString::fromStdString(alert_id) + "/ack");
        QCOMPARE(acknowledged.status, 200);
        QCOMPARE(acknowledged.json.value("alert_id").toString().toStdString(), alert_id);
        QCOMPARE(acknowledged.json.value("acknowledged").toBool(), true);

        slot.clear();
        runtime.stop();
        QCOMPARE(send(manager, "GET", base + "/health").status, 503);
        // Every row is written now: the alert's row carries the mark, whichever came first.
        pqxx::connection connection(database.conninfo());
        pqxx::read_transaction transaction(connection);
        const pqxx::result marks = transaction.exec_params(
            "SELECT count(*) FROM alert_acknowledgements WHERE alert_id = $1", alert_id);
        QCOMPARE(marks[0][0].as<int>(), 1);
        const pqxx::result row = transaction.exec_params(
            "SELECT acknowledged, acknowledged_at IS NOT NULL FROM alerts WHERE alert_id = $1",
            alert_id);
        QCOMPARE(row.size(), pqxx::result::size_type{1});
        QCOMPARE(row[0][0].as<bool>(), true);
        QCOMPARE(row[0][1].as<bool>(), true);
    }
};

QTEST_GUILESS_MAIN(HttpAlertAckTest)
#include "tst_http_alert_ack.moc"
