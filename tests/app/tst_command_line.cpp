// SPDX-License-Identifier: GPL-3.0-or-later
// The real globalmart executable: options, one-line errors, a short headless run.
#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exit_code = -1;
    QString out;
    QString err;
};

Run runGlobalmart(
    const QStringList& arguments, int timeout_ms = 30'000,
    const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(GLOBALMART_EXECUTABLE), arguments);
    if (!process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private slots:
    void helpDocumentsEveryOption() {
        const Run run = runGlobalmart({"--help"});
        QCOMPARE(run.exit_code, 0);
        for (const char* option :
             {"--headless", "--rate", "--duration", "--seed", "--accelerate", "--users",
              "--products", "--max-speed", "--start", "--events", "--anomaly-rate", "--view-share",
              "--abandonment", "--stop-timeout", "--overwrite-history", "--exact-group"}) {
            QVERIFY2(run.out.contains(QLatin1String(option)), option);
        }
    }

    void badValuesGiveOneLineNamingTheOption_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("option");
        QTest::newRow("rate not a number")
            << QStringList{"--headless", "--rate", "fast"} << "--rate";
        QTest::newRow("rate zero") << QStringList{"--headless", "--rate", "0"} << "--rate";
        QTest::newRow("negative duration")
            << QStringList{"--headless", "--duration", "-1"} << "--duration";
        QTest::newRow("seed fraction") << QStringList{"--headless", "--seed", "1.5"} << "--seed";
        QTest::newRow("accelerate zero")
            << QStringList{"--headless", "--accelerate", "0"} << "--accelerate";
        QTest::newRow("no users") << QStringList{"--headless", "--users", "0"} << "--users";
        QTest::newRow("too many products")
            << QStringList{"--headless", "--products", "1e9"} << "--products";
        QTest::newRow("anomaly rate above 1")
            << QStringList{"--headless", "--anomaly-rate", "2"} << "--anomaly-rate";
        QTest::newRow("bad start") << QStringList{"--headless", "--start", "tomorrow"} << "--start";
        QTest::newRow("unknown option") << QStringList{"--headless", "--colour", "red"} << "colour";
        QTest::newRow("no workers") << QStringList{"--headless", "--workers", "0"} << "--workers";
        QTest::newRow("empty db") << QStringList{"--headless", "--db", ""} << "--db";
        QTest::newRow("negative stop timeout")
            << QStringList{"--headless", "--stop-timeout", "-1"} << "--stop-timeout";
        QTest::newRow("malformed db url")
            << QStringList{"--headless", "--db", "postgresql://[::1"} << "--db";
        QTest::newRow("unknown source")
            << QStringList{"--headless", "--source", "carrier-pigeon"} << "--source";
        QTest::newRow("kafka without brokers")
            << QStringList{"--headless", "--source", "kafka"} << "--brokers";
        QTest::newRow("unknown librdkafka property")
            << QStringList{"--headless", "-X", "no.such.property=1"} << "no.such.property";
    }

    void badValuesGiveOneLineNamingTheOption() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, option);
        const Run run = runGlobalmart(arguments);
        QCOMPARE(run.exit_code, 2);
        const QString message = run.err.trimmed();
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        QVERIFY2(message.startsWith("globalmart: "), qPrintable(message));
        QVERIFY2(message.contains(option), qPrintable(message));
        QVERIFY(run.out.isEmpty());
    }

    void headlessRunPrintsProgressAndSummary() {
        const Run run =
            runGlobalmart({"--headless", "--rate", "20000", "--duration", "2.5", "--seed", "3"});
        QCOMPARE(run.exit_code, 0);
        const QStringList progress =
            run.out.split('\n').filter(QRegularExpression(R"(^\[\d+s\] )"));
        QVERIFY2(progress.size() >= 2, qPrintable(run.out));
        QVERIFY2(run.out.contains("Summary"), qPrintable(run.out));
        const auto total = QRegularExpression(R"(events\s+([\d,]+) in)").match(run.out);
        QVERIFY(total.hasMatch());
        const double events = total.captured(1).remove(',').toDouble();
        QVERIFY2(events > 0.8 * 20000 * 2.5 && events < 1.2 * 20000 * 2.5, qPrintable(run.out));
    }

    void eventLimitStopsTheRun() {
        // The suite's database holds later history (the run above): this fixed start lies
        // inside it, which only --overwrite-history allows (tests/db/tst_one_timeline).
        const Run run =
            runGlobalmart({"--headless", "--max-speed", "--events", "250000", "--accelerate", "600",
                           "--start", "2026-11-25T00:00:00Z", "--overwrite-history"});
        QCOMPARE(run.exit_code, 0);
        QVERIFY2(run.out.contains("250,000 in"), qPrintable(run.out));
        QVERIFY2(run.out.contains("2026-11-25T00:00:00.000000Z"), qPrintable(run.out));
    }

    // A backfill of one day at 100 users makes about 11 events per user and day and ends now:
    // exactly 1,100 events, not whatever the generator produced before the clock check saw the
    // end (it used to run 50 days into the future).
    void backfillEndsNow() {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const Run run =
            runGlobalmart({"--headless", "--no-db", "--backfill-days", "1", "--users", "100"});
        QCOMPARE(run.exit_code, 0);
        QVERIFY2(run.out.contains(QRegularExpression(R"(events +1,100 in)")), qPrintable(run.out));
        const auto span = QRegularExpression(R"(simulated time +(\S+) to (\S+))").match(run.out);
        QVERIFY2(span.hasMatch(), qPrintable(run.out));
        const QDateTime end =
            QDateTime::fromString(span.captured(2).left(19) + QLatin1Char('Z'), Qt::ISODate);
        QVERIFY2(end.isValid(), qPrintable(span.captured(2)));
        QVERIFY2(end <= QDateTime::currentDateTimeUtc().addSecs(60) && end >= before.addSecs(-600),
                 qPrintable(span.captured(2)));
    }

    void noDbRunsInMemoryAndSaysSo() {
        const Run run =
            runGlobalmart({"--headless", "--no-db", "--rate", "1000", "--duration", "1"});
        QCOMPARE(run.exit_code, 0);
        QVERIFY2(run.out.contains("--no-db: nothing is saved"), qPrintable(run.out));
        QVERIFY(!run.out.contains("db connected"));
    }

    // The rows it could not write are not lost and not hidden: they stay in the spill file, the
    // summary says how many and where, and the exit code says that not everything was saved.
    void unreachableDatabaseIsRetriedWithoutShowingThePassword() {
        QTemporaryDir home;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert("XDG_DATA_HOME", home.path()); // the spill directory
        const Run run =
            runGlobalmart({"--headless", "--db", "postgresql://analyst:s3cret@127.0.0.1:1/shop",
                           "--rate", "1000", "--duration", "1.5", "--stop-timeout", "1"},
                          30'000, environment);
        QCOMPARE(run.exit_code, 1);
        QVERIFY2(run.out.contains("db retrying"), qPrintable(run.out));
        const auto spilled =
            QRegularExpression(
                R"(NOT WRITTEN +([\d,]+) rows spilled to (\S+), written at next start)")
                .match(run.out);
        QVERIFY2(spilled.hasMatch(), qPrintable(run.out));
        QVERIFY(spilled.captured(1) != "0");
        QVERIFY(spilled.captured(2).startsWith(home.path() + "/globalmart/spill/"));
        QVERIFY(!run.out.contains("buffer 0 rows"));
        QVERIFY(!run.out.contains("s3cret"));
        QVERIFY(!run.err.contains("s3cret"));
        QFile file(spilled.captured(2));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("s3cret")); // the header names the database, redacted
    }

    void versionIsPrinted() {
        const Run run = runGlobalmart({"--version"});
        QCOMPARE(run.exit_code, 0);
        QVERIFY(run.out.startsWith("globalmart "));
        for (const char* library : {"Qt", "librdkafka", "libpqxx", "libpq"}) {
            QVERIFY2(run.out.contains(QLatin1String(library)), library);
        }
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
