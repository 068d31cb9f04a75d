// SPDX-License-Identifier: GPL-3.0-or-later
// Pausing a headless run: Ctrl+Z (SIGTSTP) pauses simulated time before the process stops, and
// the shell's fg (SIGCONT) resumes from the same instant; over HTTP, a run reading Kafka pauses
// its partitions as the window's Pause does.
#include "../http/http_test_client.h"
#include "headless_http.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QTimer>
#include <csignal>

namespace {

struct Answer {
    int status = 0;
    QJsonObject body;
};

Answer call(QNetworkAccessManager& manager, const QString& url, bool post = false) {
    const gm::test::Answer answer = gm::test::request(manager, post ? "POST" : "GET", QUrl(url));
    return {answer.status, QJsonDocument::fromJson(answer.body).object()};
}

// 'T' while stopped by a signal, 'S' or 'R' while it runs.
char processState(qint64 pid) {
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly)) {
        return '?';
    }
    const QByteArray text = stat.readAll();
    const qsizetype after_name = text.lastIndexOf(')');
    return after_name > 0 && after_name + 2 < text.size() ? text[after_name + 2] : '?';
}

bool waitForState(qint64 pid, char state) {
    for (int i = 0; i < 100; ++i) {
        if (processState(pid) == state) {
            return true;
        }
        QTest::qWait(50);
    }
    return false;
}

qint64 simulatedMs(const Answer& run) {
    return QDateTime::fromString(run.body["simulated_time"].toString(), Qt::ISODateWithMs)
        .toMSecsSinceEpoch();
}

bool waitForOutput(QProcess& app, QByteArray& out, const QByteArray& text) {
    for (int i = 0; i < 100 && !out.contains(text); ++i) {
        app.waitForReadyRead(100);
        out += app.readAllStandardOutput();
    }
    return out.contains(text);
}

// The server answers before the run has started (a broker to start, a catalog to build).
bool waitForRunning(QNetworkAccessManager& manager, const QString& base) {
    for (int i = 0; i < 200; ++i) {
        if (call(manager, base + "/api/v1/run").body["state"].toString() == "running") {
            return true;
        }
        QTest::qWait(100);
    }
    return false;
}

} // namespace

class HeadlessPauseTest : public QObject {
    Q_OBJECT

private slots:
    void ctrlZPausesSimulatedTimeAndFgResumes() {
        QProcess app;
        QByteArray out;
        const QString address =
            gm::test::startServing(app,
                                   {"--headless", "--no-db", "--rate", "2000", "--accelerate", "60",
                                    "--duration", "60", "--http", "0"},
                                   out);
        QVERIFY2(!address.isEmpty(), out.constData());
        const QString base = "http://" + address;
        QNetworkAccessManager manager;
        QVERIFY(waitForRunning(manager, base));
        QTest::qWait(1'000);
        const qint64 pid = app.processId();

        const Answer before = call(manager, base + "/api/v1/run");
        QCOMPARE(before.body["state"].toString(), QString("running"));
        QElapsedTimer wall;
        wall.start();
        ::kill(static_cast<pid_t>(pid), SIGTSTP);
        QVERIFY(waitForState(pid, 'T'));
        QVERIFY(waitForOutput(app, out, "Paused (Ctrl+Z)"));
        QTest::qWait(5'000); // 5 minutes of simulated time at x60, were it running
        ::kill(static_cast<pid_t>(pid), SIGCONT);
        QVERIFY(waitForOutput(app, out, "Resumed"));
        const Answer after = call(manager, base + "/api/v1/run");
        QCOMPARE(after.body["state"].toString(), QString("running"));
        QVERIFY(wall.elapsed() >= 5'000);
        // Only the time the process ran outside the stop advanced the simulation: well under
        // the 300 s a running clock would have added.
        const qint64 advanced = simulatedMs(after) - simulatedMs(before);
        QVERIFY2(advanced >= 0 && advanced < 90'000, QByteArray::number(advanced).constData());
        // And it goes on running.
        QTest::qWait(1'500);
        QVERIFY(simulatedMs(call(manager, base + "/api/v1/run")) > simulatedMs(after));

        app.terminate();
        QVERIFY(app.waitForFinished(60'000));
        out += app.readAllStandardOutput();
        QCOMPARE(app.exitCode(), 0);
    }

    void aKafkaRunPausesItsPartitionsOverHttp() {
        QProcess app;
        QByteArray out;
        const QString address =
            gm::test::startServing(app,
                                   {"--headless", "--no-db", "--source", "kafka",
                                    "--embedded-kafka", "--duration", "60", "--http", "0"},
                                   out);
        QVERIFY2(!address.isEmpty(), out.constData());
        const QString base = "http://" + address;
        QNetworkAccessManager manager;
        QVERIFY(waitForRunning(manager, base));
        QCOMPARE(call(manager, base + "/api/v1/run/pause", true).status, 202);
        QCOMPARE(call(manager, base + "/api/v1/run").body["state"].toString(), QString("paused"));
        QVERIFY2(waitForOutput(app, out, "(held: paused)"), out.constData());
        // The rate belongs to a generator, which this run does not have.
        QCOMPARE(call(manager, base + "/api/v1/run/rate?events_per_second=100", true).status, 409);
        QCOMPARE(call(manager, base + "/api/v1/run/resume", true).status, 202);
        QCOMPARE(call(manager, base + "/api/v1/run").body["state"].toString(), QString("running"));
        // The next report lines, written after the resume, no longer say held.
        QTest::qWait(1'200);
        app.waitForReadyRead(100);
        app.readAllStandardOutput();
        out.clear();
        QVERIFY(waitForOutput(app, out, "kafka in:"));
        QVERIFY2(!out.contains("(held: paused)"), out.constData());

        app.terminate();
        QVERIFY(app.waitForFinished(60'000));
        QCOMPARE(app.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(HeadlessPauseTest)
#include "tst_headless_pause.moc"
