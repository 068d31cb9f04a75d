// SPDX-License-Identifier: GPL-3.0-or-later
// The real program with its window (offscreen platform) and a webhook nobody answers: SIGTERM
// closes the window as Quit does, and on the way out the program prints what became of the
// alerts, as headless does, counting those still queued as unsent.
#include "headless_http.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace {

// The value of an unlabelled sample in /metrics, -1 when absent.
double sample(const QByteArray& metrics, const QByteArray& name) {
    for (const QByteArray& line : metrics.split('\n')) {
        if (line.startsWith(name + ' ')) {
            return line.mid(name.size() + 1).toDouble();
        }
    }
    return -1;
}

QByteArray get(QNetworkAccessManager& manager, const QString& url) {
    QNetworkReply* reply = manager.get(QNetworkRequest(QUrl(url)));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

} // namespace

class WindowWebhookExitTest : public QObject {
    Q_OBJECT

private slots:
    void sigtermClosesTheWindowAndPrintsTheWebhookSummary() {
        // A port nobody listens on: every post fails at once and is retried with backoff, so
        // alerts queue up.
        quint16 dead_port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            dead_port = probe.serverPort();
        }
        QTemporaryDir home; // the window's settings and data stay out of the user's
        QVERIFY(home.isValid());
        QProcess app;
        QProcessEnvironment env = gm::test::cleanEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_CONFIG_HOME", home.filePath("config"));
        env.insert("XDG_DATA_HOME", home.filePath("data"));
        env.insert("XDG_CACHE_HOME", home.filePath("cache"));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(GLOBALMART_EXECUTABLE),
                  {"--no-db", "--accelerate", "600", "--anomaly-rate", "0.3", "--http", "0",
                   "--webhook", QString("http://127.0.0.1:%1/hook").arg(dead_port)});
        QVERIFY(app.waitForStarted());
        QByteArray out;
        const QRegularExpression listening("HTTP server on http://(127\\.0\\.0\\.1:\\d+)");
        QString address;
        QDeadlineTimer deadline(30'000);
        while (address.isEmpty() && !deadline.hasExpired()) {
            app.waitForReadyRead(200);
            out += app.readAllStandardOutput();
            address = listening.match(QString::fromUtf8(out)).captured(1);
        }
        QVERIFY2(!address.isEmpty(), out + app.readAllStandardError());

        // The window's run raises alerts; the webhook queues them.
        QNetworkAccessManager manager;
        double queued = 0;
        deadline.setRemainingTime(60'000);
        while (queued < 3 && !deadline.hasExpired()) {
            queued = sample(get(manager, "http://" + address + "/metrics"),
                            "globalmart_webhook_queued_alerts");
            QTest::qWait(200);
        }
        QVERIFY2(queued >= 3, qPrintable(QString("queued: %1").arg(queued)));

        app.terminate(); // SIGTERM
        QVERIFY2(app.waitForFinished(60'000), "the window did not close on SIGTERM");
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        out += app.readAllStandardOutput();
        const QRegularExpression summary(
            "webhook: (\\d+) alerts sent, (\\d+) failed, (\\d+) retries, (\\d+) dropped \\(queue "
            "full\\), (\\d+) unsent at stop");
        const QRegularExpressionMatch match = summary.match(QString::fromUtf8(out));
        QVERIFY2(match.hasMatch(), out);
        QCOMPARE(match.captured(1).toInt(), 0); // nobody answered
        QVERIFY(match.captured(3).toInt() > 0); // each failed post was retried
        // Retries take 7.5 s per alert: most of what was queued is still unsent at the end.
        QVERIFY2(match.captured(5).toInt() >= 2, out);
    }
};

QTEST_GUILESS_MAIN(WindowWebhookExitTest)
#include "tst_window_webhook_exit.moc"
