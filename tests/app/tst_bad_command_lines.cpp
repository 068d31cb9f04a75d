// SPDX-License-Identifier: GPL-3.0-or-later
// Every contradiction and malformed value on the command line: the real globalmart exits with 2
// and one line naming the option, never an abort; good command lines still run.
#include "tests/support/program_run.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = gm::test::ProgramRun;

// PG* and GLOBALMART_* variables of the test environment are removed so that each row sees only
// its own; `environment` adds "NAME=value" pairs.
Run runGlobalmart(const QStringList& arguments, const QStringList& environment = {},
                  int timeout_ms = 60'000) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith("PG") || key.startsWith("GLOBALMART_")) {
            env.remove(key);
        }
    }
    env.insert("QT_QPA_PLATFORM", "offscreen");
    for (const QString& pair : environment) {
        const auto equals = pair.indexOf('=');
        env.insert(pair.left(equals), pair.mid(equals + 1));
    }
    return gm::test::runProgram(QStringLiteral(GLOBALMART_EXECUTABLE), arguments, timeout_ms, env);
}

QByteArray existingFileHead() {
    QFile file(QCoreApplication::applicationFilePath());
    return file.open(QIODevice::ReadOnly) ? file.read(4096)
                                          : QByteArray("\x7f"
                                                       "ELF");
}

QString existingFile() {
    return QCoreApplication::applicationFilePath();
}

// A file with this text in a directory that lives as long as the test.
QString fileWith(const QString& name, const QByteArray& text) {
    static QTemporaryDir dir;
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size()) {
        qFatal("cannot write %s", qPrintable(file.fileName()));
    }
    return file.fileName();
}

} // namespace

class TestBadCommandLines : public QObject {
    Q_OBJECT

private slots:
    void rejectedWithOneLine_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("names");
        const QStringList none;
        const auto row = [&](const char* name, QStringList arguments, const char* names,
                             QStringList environment = {}) {
            QTest::newRow(name) << (QStringList{"--headless"} + arguments) << environment
                                << QString::fromLatin1(names);
        };
        // Reference data: a file that cannot be read or is not in the format.
        row("reference data missing", {"--reference-data", "/nonexistent/reference.txt"},
            "--reference-data");
        row("reference data not the format", {"--reference-data", existingFile()},
            "--reference-data");
        row("reference data a directory", {"--reference-data", QDir::tempPath()},
            "--reference-data");
        // Initial stock: the message names the option, the file and the line.
        const auto stock = [&](const char* name, const QByteArray& text, const char* line) {
            const QString path = fileWith(QString::fromLatin1(name) + ".csv", text);
            const QByteArray names = "--initial-stock: " + path.toUtf8() + ": " + line;
            QTest::newRow(name) << QStringList{"--headless", "--initial-stock", path} << none
                                << QString::fromUtf8(names);
        };
        row("initial stock missing", {"--initial-stock", "/nonexistent/stock.csv"},
            "--initial-stock: /nonexistent/stock.csv: cannot be read");
        stock("stock bad id", "product_id,stock\nPROD_1,5\nSKU_2,5\n", "line 3: 'SKU_2'");
        stock("stock negative", "PROD_00000001,-1\n", "line 1: stock '-1'");
        stock("stock not a number", "PROD_00000001,5\n\nPROD_00000002,five\n",
              "line 3: stock 'five'");
        stock("stock too large", "PROD_1,1000000000001\n", "line 1: stock");
        stock("stock three fields", "PROD_1,5,6\n", "line 1: expected two fields");
        stock("stock one field", "product_id,stock\nPROD_1\n", "line 2: expected two fields");
        stock("stock repeated", "PROD_7,1\nPROD_8,2\nPROD_7,3\n",
              "line 3: PROD_7 is already given on line 1");
        stock("stock binary", existingFileHead(), "line 1:");
        // Kafka topics: Kafka's naming rule, one topic per stream.
        row("topics repeated", {"--topics", "a,a,a"}, "--topics");
        row("topics two of three alike", {"--topics", "tx,carts,tx"}, "--topics");
        row("topic with a blank", {"--topics", "tx,cart events,views"}, "--topics");
        row("topic with a slash", {"--topics", "tx,carts,views/x"}, "--topics");
        row("topic dot", {"--topics", ".,carts,views"}, "--topics");
        row("topic dot dot", {"--topics", "tx,..,views"}, "--topics");
        row("topic too long", {"--topics", QString(250, 'x') + ",carts,views"}, "--topics");
        row("topics two names", {"--topics", "tx,carts"}, "--topics");
        row("topic empty", {"--topics", "tx,,views"}, "--topics");
        row("event topic is the alerts topic", {"--topics", "tx,carts,alerts"}, "--topics");
        // Brokers.
        row("broker without port", {"--source", "kafka", "--brokers", "nohostport"}, "--brokers");
        row("broker port zero", {"--source", "kafka", "--brokers", "kafka:0"}, "--brokers");
        row("broker port too big", {"--source", "kafka", "--brokers", "kafka:99999"}, "--brokers");
        row("broker without host", {"--source", "kafka", "--brokers", ":9092"}, "--brokers");
        row("broker list with a hole", {"--source", "kafka", "--brokers", "a:1,,b:2"}, "--brokers");
        row("broker port not a number", {"--source", "kafka", "--brokers", "a:port"}, "--brokers");
        row("publish without a broker", {"--publish"}, "--brokers");
        // Contradictions and options that need another one.
        row("db and no-db", {"--db", "dbname=x", "--no-db"}, "--no-db");
        row("embedded kafka and brokers",
            {"--source", "kafka", "--embedded-kafka", "--brokers", "a:9092"}, "--brokers");
        row("partitions without embedded kafka",
            {"--source", "kafka", "--brokers", "a:9092", "--topic-partitions", "4"},
            "--topic-partitions");
        row("compression without publish", {"--compression", "zstd"}, "--compression");
        row("linger without publish", {"--linger-ms", "5"}, "--linger-ms");
        row("group without kafka source", {"--group", "g"}, "--group");
        row("no raw events without a database", {"--no-raw-events", "--no-db"}, "--no-raw-events");
        row("reset progress without kafka source", {"--reset-progress"}, "--reset-progress");
        row("exact group without kafka source", {"--exact-group"}, "--exact-group");
        row("group member without kafka source", {"--group-member"}, "--group-member");
        row("group member without a database",
            {"--source", "kafka", "--embedded-kafka", "--no-db", "--group-member"},
            "--group-member");
        row("reset progress without a database",
            {"--source", "kafka", "--embedded-kafka", "--no-db", "--reset-progress"},
            "--reset-progress");
        row("overwrite history without a database", {"--overwrite-history", "--no-db"},
            "--overwrite-history");
        row("overwrite history with a kafka source",
            {"--source", "kafka", "--embedded-kafka", "--overwrite-history"},
            "--overwrite-history");
        // Kafka values.
        row("unknown compression", {"--publish", "--embedded-kafka", "--compression", "brotli"},
            "--compression");
        row("linger not a number", {"--publish", "--embedded-kafka", "--linger-ms", "soon"},
            "--linger-ms");
        row("zero partitions", {"--embedded-kafka", "--publish", "--topic-partitions", "0"},
            "--topic-partitions");
        row("empty group", {"--source", "kafka", "--embedded-kafka", "--group", ""}, "--group");
        row("property without value", {"-X", "acks"}, "-X");
        row("property without key", {"-X", "=1"}, "-X");
        // The database, checked without connecting.
        row("sslmode bogus", {"--db", "host=/tmp sslmode=bogus"}, "--db");
        row("port not a port", {"--db", "host=/tmp port=notaport"}, "--db");
        row("uri port not a port", {"--db", "postgresql://u@h:notaport/x"}, "--db");
        row("connect timeout not a number", {"--db", "host=/tmp connect_timeout=soon"}, "--db");
        row("target session attrs", {"--db", "host=/tmp target_session_attrs=fastest"}, "--db");
        row("unknown keyword", {"--db", "host=/tmp colour=blue"}, "--db");
        row("warehouse db empty", {"--warehouse-db", ""}, "--warehouse-db");
        row("warehouse db sslmode bogus", {"--no-db", "--warehouse-db", "host=/tmp sslmode=bogus"},
            "--warehouse-db");
        row("warehouse db malformed", {"--warehouse-db", "postgresql://[::1"}, "--warehouse-db");
        row("PGSSLMODE bogus", {}, "PGSSLMODE", {"PGHOST=/tmp", "PGSSLMODE=bogus"});
        row("PGPORT not a port", {}, "PGPORT", {"PGHOST=/tmp", "PGPORT=abc"});
        row("bad GLOBALMART_DATABASE_URL", {}, "GLOBALMART_DATABASE_URL",
            {"GLOBALMART_DATABASE_URL=host=/tmp bogus_option=1"});
        // Simulated time stays within 1970-9999.
        row("start in year 0", {"--start", "0000-01-01T00:00:00Z"}, "--start");
        row("start before 1970", {"--start", "1969-12-31T23:59:59Z"}, "--start");
        row("start at the end of 9999",
            {"--start", "9999-12-31T23:59:00Z", "--accelerate", "100000"}, "--start");
        row("accelerated past 9999 by duration",
            {"--start", "8999-12-01T00:00:00Z", "--accelerate", "1000000", "--duration", "100000"},
            "--accelerate");
        row("accelerated past 9999 by events",
            {"--start", "8999-01-01T00:00:00Z", "--accelerate", "1000", "--rate", "1", "--events",
             "1000000000", "--max-speed"},
            "--accelerate");
        row("start month 13", {"--start", "2026-13-01T00:00:00Z"}, "--start");
        // Numbers.
        row("rate too high", {"--rate", "1e9"}, "--rate");
        row("duration nan", {"--duration", "nan"}, "--duration");
        row("negative events", {"--events", "-5"}, "--events");
        row("seed too big", {"--seed", "1e16"}, "--seed");
        row("accelerate too much", {"--accelerate", "2e6"}, "--accelerate");
        row("view share too high", {"--view-share", "0.99"}, "--view-share");
        row("negative abandonment", {"--abandonment", "-0.1"}, "--abandonment");
        row("too many workers", {"--workers", "257"}, "--workers");
        row("fractional users", {"--users", "1.5"}, "--users");
        // --out-dir.
        row("out dir is a file", {"--no-db", "--out-dir", existingFile()}, "--out-dir");
        row("out dir below a file", {"--no-db", "--out-dir", existingFile() + "/tables"},
            "--out-dir");
        row("positional argument", {"extra"}, "extra");
        // The HTTP server: its address, and its key options only with it.
        row("http not a port", {"--no-db", "--http", "web"}, "--http");
        row("http port too large", {"--no-db", "--http", "70000"}, "--http");
        row("http port empty", {"--no-db", "--http", "127.0.0.1:"}, "--http");
        row("http bad address", {"--no-db", "--http", "1.2.3:8080"}, "--http");
        row("http ipv6 without brackets", {"--no-db", "--http", "::1:8080"}, "--http");
        row("api key file without http", {"--no-db", "--api-key-file", existingFile()},
            "--api-key-file");
        row("api key file missing", {"--no-db", "--http", "0", "--api-key-file", "/nonexistent/k"},
            "--api-key-file");
        row("api key file without keys", {"--no-db", "--http", "0", "--api-key-file", "/dev/null"},
            "--api-key-file");
        row("api rate without keys", {"--no-db", "--http", "0", "--api-rate", "5"}, "--api-rate");
        row("webhook not a url", {"--no-db", "--webhook", "hooks.example.com/x"}, "--webhook");
        row("webhook ftp", {"--no-db", "--webhook", "ftp://hooks.example.com/x"}, "--webhook");
        row("webhook without host", {"--no-db", "--webhook", "http:///x"}, "--webhook");
    }

    void rejectedWithOneLine() {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, names);
        const Run run = runGlobalmart(arguments, environment);
        QCOMPARE(run.status, QProcess::NormalExit); // no abort, no crash
        QVERIFY2(run.exit_code == 2, qPrintable(run.err + run.out));
        const QString message = run.err.trimmed();
        QVERIFY2(!message.isEmpty() && !message.contains('\n'), qPrintable(message));
        QVERIFY2(message.startsWith("globalmart: "), qPrintable(message));
        QVERIFY2(message.contains(names), qPrintable(message));
        QVERIFY2(run.out.isEmpty(), qPrintable(run.out));
    }

    void helpNamesTheProgram() {
        const Run run = runGlobalmart({"--help"});
        QCOMPARE(run.exit_code, 0);
        QVERIFY2(run.out.startsWith("Usage: globalmart "), qPrintable(run.out.left(80)));
        QVERIFY(!run.out.contains("executable_name"));
        QVERIFY(run.out.contains("--reset-progress"));
        QVERIFY(run.out.contains("--overwrite-history"));
    }

    // The edges of what is allowed still run.
    void goodCommandLinesRun_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("start 1970")
            << QStringList{"--start", "1970-01-01T00:00:00Z", "--events", "20000", "--max-speed"};
        QTest::newRow("start late in 8999 accelerated")
            << QStringList{"--start", "8999-12-31T00:00:00Z", "--accelerate", "1000", "--events",
                           "20000",   "--max-speed"};
        QTest::newRow("embedded kafka publishing")
            << QStringList{"--embedded-kafka",   "--publish",
                           "--compression",      "zstd",
                           "--linger-ms",        "5",
                           "--topic-partitions", "2",
                           "--topics",           "tx.v1,cart_events,views-1",
                           "--events",           "20000",
                           "--max-speed"};
    }

    void goodCommandLinesRun() {
        QFETCH(QStringList, arguments);
        const Run run = runGlobalmart(QStringList{"--headless", "--no-db"} + arguments);
        QCOMPARE(run.status, QProcess::NormalExit);
        QVERIFY2(run.exit_code == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains("20,000 in"), qPrintable(run.out));
    }

    // No --events, no --duration: simulated time would run past 9999 within seconds at this
    // acceleration; the generator stops at the last time an event can carry instead.
    void theGeneratorStopsAtTheEndOfTime() {
        const Run run =
            runGlobalmart({"--headless", "--no-db", "--max-speed", "--start",
                           "8999-12-31T00:00:00Z", "--accelerate", "1000000", "--rate", "1"});
        QCOMPARE(run.status, QProcess::NormalExit);
        QVERIFY2(run.exit_code == 0, qPrintable(run.err + run.out));
        QVERIFY2(run.out.contains("end of time"), qPrintable(run.out));
        QVERIFY2(QRegularExpression(R"(simulated time\s+8999-12-31T00:00:00.000000Z to 9999-)")
                     .match(run.out)
                     .hasMatch(),
                 qPrintable(run.out));
    }

    // A full disk under --out-dir: the run stops, says which file and why, and exits non-zero.
    void aFullDiskFailsTheRun() {
        if (!QFile::exists("/dev/full")) {
            QSKIP("no /dev/full on this system");
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QFile::link("/dev/full", dir.filePath("sales_per_minute.csv")));
        const Run run = runGlobalmart({"--headless", "--no-db", "--out-dir", dir.path(),
                                       "--max-speed", "--accelerate", "600", "--events", "200000",
                                       "--start", "2026-11-25T00:00:00Z"});
        QCOMPARE(run.status, QProcess::NormalExit);
        QCOMPARE(run.exit_code, 1);
        const QString message = run.err.trimmed();
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        QVERIFY2(message.contains(dir.filePath("sales_per_minute.csv")), qPrintable(message));
        QVERIFY2(message.contains("No space left on device"), qPrintable(message));
        QVERIFY2(run.out.contains("Summary"), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestBadCommandLines)
#include "tst_bad_command_lines.moc"
