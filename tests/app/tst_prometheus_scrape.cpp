// SPDX-License-Identifier: GPL-3.0-or-later
// The real Prometheus server (Debian package prometheus) scrapes the real globalmart: a headless
// run with --http on loopback, a Prometheus on loopback with a temporary configuration and data
// directory that scrapes it every second, and metrics read back through Prometheus' own query
// API (/api/v1/query) with the values the run was given.
#include "headless_http.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

namespace {

// A loopback port nothing listens on right now (Prometheus cannot report the port it picked for
// :0, so it is told one).
quint16 freePort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        return 0;
    }
    return probe.serverPort();
}

QByteArray get(QNetworkAccessManager& manager, const QUrl& url, int* status = nullptr) {
    QNetworkReply* reply = manager.get(QNetworkRequest(url));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    if (status != nullptr) {
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

// The result vector of an instant query, empty until Prometheus has a sample.
QJsonArray query(QNetworkAccessManager& manager, const QString& base, const QString& promql) {
    QUrl url(base + "/api/v1/query");
    QUrlQuery parameters;
    parameters.addQueryItem("query", promql);
    url.setQuery(parameters);
    const QJsonObject answer = QJsonDocument::fromJson(get(manager, url)).object();
    if (answer.value("status").toString() != "success") {
        return {};
    }
    return answer.value("data").toObject().value("result").toArray();
}

void stop(QProcess& process) {
    if (process.state() == QProcess::NotRunning) {
        return;
    }
    process.terminate();
    if (!process.waitForFinished(15'000)) {
        process.kill();
        process.waitForFinished(5'000);
    }
}

} // namespace

class PrometheusScrapeTest : public QObject {
    Q_OBJECT

private slots:
    void prometheusScrapesTheApp() {
        const QString prometheus_program = QStandardPaths::findExecutable("prometheus");
        QVERIFY2(!prometheus_program.isEmpty(), "prometheus (Debian package prometheus) missing");

        QProcess app;
        QByteArray out;
        const QString target = gm::test::startServing(
            app,
            {"--headless", "--no-db", "--rate", "1500", "--accelerate", "60", "--duration", "90",
             "--users", "500", "--products", "50", "--http", "0"},
            out);
        QVERIFY2(!target.isEmpty(), out.constData());

        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        QFile config(directory.filePath("prometheus.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QString("global:\n"
                             "  scrape_interval: 1s\n"
                             "  scrape_timeout: 1s\n"
                             "scrape_configs:\n"
                             "  - job_name: globalmart\n"
                             "    static_configs:\n"
                             "      - targets: ['%1']\n")
                         .arg(target)
                         .toUtf8());
        config.close();

        const quint16 port = freePort();
        QVERIFY(port != 0);
        QProcess prometheus;
        prometheus.setProcessChannelMode(QProcess::MergedChannels);
        prometheus.start(prometheus_program,
                         {"--config.file=" + config.fileName(),
                          "--storage.tsdb.path=" + directory.filePath("data"),
                          "--web.listen-address=127.0.0.1:" + QString::number(port),
                          "--log.level=warn"});
        QVERIFY(prometheus.waitForStarted());
        const QString base = "http://127.0.0.1:" + QString::number(port);

        QNetworkAccessManager manager;
        // The scrape target is up (Prometheus' own view of the scrape) ...
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray up = query(manager, base, "up{job=\"globalmart\"}");
                return up.size() == 1 && up[0].toObject().value("value").toArray().at(1) == "1";
            }(),
            60'000);
        // ... and a figure the run was given comes back: the generator's requested rate.
        const QJsonArray rate = query(manager, base, "globalmart_generator_rate_events_per_second");
        QCOMPARE(rate.size(), 1);
        QCOMPARE(rate[0].toObject().value("value").toArray().at(1).toString(), QString("1500"));
        QCOMPARE(rate[0].toObject().value("metric").toObject().value("instance").toString(),
                 target);
        // Counters grow between scrapes: events went through the pipeline.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray events = query(manager, base, "globalmart_pipeline_events_total");
                return events.size() == 1 &&
                       events[0].toObject().value("value").toArray().at(1).toString().toDouble() >
                           0;
            }(),
            30'000);
        // The latency histogram is a histogram to Prometheus: quantiles can be computed.
        QTRY_VERIFY_WITH_TIMEOUT(
            query(manager, base,
                  "histogram_quantile(0.99, globalmart_pipeline_event_snapshot_latency_seconds_"
                  "bucket)")
                    .size() == 1,
            30'000);

        stop(prometheus);
        QCOMPARE(prometheus.exitStatus(), QProcess::NormalExit);
        stop(app);
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    }
};

QTEST_GUILESS_MAIN(PrometheusScrapeTest)
#include "tst_prometheus_scrape.moc"
