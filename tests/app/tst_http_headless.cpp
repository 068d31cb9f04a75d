// SPDX-License-Identifier: GPL-3.0-or-later
// The real globalmart with --http: a headless run serves /metrics (checked by promtool),
// /health and the keyed API while it runs, never prints a key, and refuses a port in use.
#include "headless_http.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {

constexpr const char* kKey = "headless-key-5f3a9c0d17e2b84a";

struct Answer {
    int status = 0;
    QByteArray body;
};

Answer get(QNetworkAccessManager& manager, const QString& url, const QByteArray& key = {}) {
    QNetworkRequest request{QUrl(url)};
    if (!key.isEmpty()) {
        request.setRawHeader("X-API-Key", key);
    }
    QNetworkReply* reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                  reply->readAll()};
    reply->deleteLater();
    return answer;
}

} // namespace

class HttpHeadlessTest : public QObject {
    Q_OBJECT

private slots:
    void servesWhileItRuns() {
        QTemporaryDir directory;
        const QString key_file = directory.filePath("keys");
        QFile keys(key_file);
        QVERIFY(keys.open(QIODevice::WriteOnly));
        keys.write(QByteArray("# API keys\n") + kKey + "\n");
        keys.close();

        QProcess app;
        QByteArray out;
        const QString address = gm::test::startServing(
            app,
            {"--headless", "--no-db", "--rate", "2000", "--accelerate", "60", "--duration", "8",
             "--users", "500", "--products", "50", "--http", "0", "--api-key-file", key_file},
            out);
        QVERIFY2(!address.isEmpty(), out.constData());
        const QString base = "http://" + address;

        QNetworkAccessManager manager;
        QTRY_COMPARE_WITH_TIMEOUT(get(manager, base + "/health").status, 200, 10'000);
        const Answer metrics = get(manager, base + "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("globalmart_run_active 1\n"));
        QVERIFY(metrics.body.contains("globalmart_generator_events_total{kind=\"transaction\"}"));
        // 2,000 events/s is kept: the shop is simulated as asked, not thinned.
        QVERIFY(
            metrics.body.contains("globalmart_generator_simulated_rate_events_per_second 2000\n"));
        QVERIFY(metrics.body.contains("globalmart_generator_thinned 0\n"));
        QProcess promtool;
        promtool.start(QStandardPaths::findExecutable("promtool"), {"check", "metrics"});
        QVERIFY2(promtool.waitForStarted(), "promtool (Debian package prometheus) is missing");
        promtool.write(metrics.body);
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30'000));
        QVERIFY2(promtool.exitCode() == 0,
                 (promtool.readAllStandardOutput() + promtool.readAllStandardError()).constData());

        QCOMPARE(get(manager, base + "/api/v1/tables/sales_per_minute").status, 401);
        QCOMPARE(
            get(manager, base + "/api/v1/tables/sales_per_minute", "wrong-key-0123456789").status,
            403);
        QTRY_VERIFY_WITH_TIMEOUT(
            get(manager, base + "/api/v1/tables/sales_per_minute?limit=1", kKey)
                .body.startsWith("[{\"window_start\":"),
            15'000);

        QVERIFY(app.waitForFinished(60'000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        out += app.readAllStandardOutput();
        const QByteArray err = app.readAllStandardError();
        QVERIFY2(app.exitCode() == 0, (out + err).constData());
        QVERIFY(!out.contains(kKey) && !err.contains(kKey));
        QVERIFY(!out.contains("wrong-key") && !err.contains("wrong-key"));
    }

    void portInUseIsAConfigurationError() {
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        QProcess app;
        app.setProcessEnvironment(gm::test::cleanEnvironment());
        app.start(QStringLiteral(GLOBALMART_EXECUTABLE),
                  {"--headless", "--no-db", "--duration", "5", "--http",
                   QString::number(occupant.serverPort())});
        QVERIFY(app.waitForFinished(60'000));
        QCOMPARE(app.exitCode(), 2);
        const QString err = QString::fromUtf8(app.readAllStandardError()).trimmed();
        QVERIFY2(err.startsWith("globalmart: --http: cannot listen on 127.0.0.1:") &&
                     !err.contains('\n'),
                 qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(HttpHeadlessTest)
#include "tst_http_headless.moc"
