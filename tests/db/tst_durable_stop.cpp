// SPDX-License-Identifier: GPL-3.0-or-later
// The real program against a PostgreSQL server that goes away (pg_ctl stop -m immediate):
//  - down in the middle of a run and back before its end: every table ends exactly as in a run
//    without the outage (all columns but processing times);
//  - down until the run ends: Ctrl+C at stop leaves the unwritten rows in the spill file, the
//    program says how many and where and exits with 1; the next start (Persistence::open, as the
//    program does it) writes them first, and the tables again equal the uninterrupted run;
//  - killed (SIGKILL, a crash) in the middle of a run and run again from the same start: raw
//    events and windows agree, and every table equals the uninterrupted run.
#include "db_test_support.h"
#include "pipeline/postgres/persistence.h"
#include "pipeline/table_schema.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <csignal>
#include <functional>
#include <pqxx/pqxx>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

namespace {

// Max speed with an event limit: the same events and windows in every run, however the
// database behaves, so that runs can be compared table by table. 300,000 events at 20,000/s
// and x60 span 15 simulated minutes: windows open and close throughout.
const QStringList kRun = {"--headless", "--events", "300000",       "--max-speed",
                          "--rate",     "20000",    "--accelerate", "60",
                          "--seed",     "7",        "--users",      "5000",
                          "--products", "500",      "--start",      "2026-11-25T06:00:00Z",
                          "--workers",  "1"};

std::vector<std::string> columnsOf(const std::string& conninfo, const std::string& table) {
    pqxx::connection connection(conninfo);
    pqxx::work work(connection);
    const pqxx::result rows =
        work.exec_params("SELECT column_name FROM information_schema.columns WHERE table_name = "
                         "$1 ORDER BY ordinal_position",
                         table);
    std::vector<std::string> names;
    for (const auto& row : rows) {
        names.emplace_back(row[0].c_str());
    }
    return names;
}

} // namespace

class TestDurableStop : public QObject {
    Q_OBJECT

    test::ThrowawayCluster cluster_;
    QTemporaryDir home_; // XDG_DATA_HOME of the program: its spill directory
    std::string reference_;

    std::string conninfo(const std::string& database) const {
        return cluster_.server->conninfo().replace(cluster_.server->conninfo().find("dbname="),
                                                   std::string::npos, "dbname='" + database + "'");
    }

    void createDatabase(const std::string& name) {
        PgSession admin(conninfo("postgres"));
        admin.exec("CREATE DATABASE " + PgSession::quoteIdentifier(name));
    }

    void start(QProcess& process, const std::string& database, const QStringList& extra) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", home_.path());
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(GLOBALMART_EXECUTABLE,
                      kRun + QStringList{"--db", QString::fromStdString(conninfo(database))} +
                          extra);
        QVERIFY2(process.waitForStarted(10'000), qPrintable(process.errorString()));
    }

    static QString finish(QProcess& process, int seconds = 150) {
        if (!process.waitForFinished(seconds * 1000)) {
            process.kill();
            process.waitForFinished(10'000);
        }
        return QString::fromUtf8(process.readAll());
    }

    // Every table of the reference run, compared line by line with `database`.
    void expectSameTablesAsReference(const std::string& database) {
        pqxx::connection connection(conninfo(reference_));
        pqxx::work work(connection);
        const pqxx::result tables =
            // generator_runs records runs, not their data (db.tst_one_timeline checks it).
            work.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename "
                      "NOT IN ('schema_version', 'generator_runs') ORDER BY 1");
        work.commit();
        std::size_t with_rows = 0;
        for (const auto& row : tables) {
            const std::string table = row[0].c_str();
            const auto names = columnsOf(conninfo(reference_), table);
            const auto expected = test::tableLines(conninfo(reference_), table, names);
            const auto actual = test::tableLines(conninfo(database), table, names);
            with_rows += !expected.empty();
            QVERIFY2(expected == actual,
                     qPrintable(QString("%1: %2 rows without the outage, %3 with it")
                                    .arg(QString::fromStdString(table))
                                    .arg(expected.size())
                                    .arg(actual.size())));
        }
        QVERIFY2(with_rows >= 21, qPrintable(QString::number(with_rows)));
    }

    // Waits until the program has written rows, then kills the server.
    void killServerOnceRowsArrive(const std::string& database, QProcess& process) {
        if (!test::waitUntil(
                [&] {
                    return test::countOrZero(conninfo(database),
                                             "SELECT count(*) FROM transactions") > 0 ||
                           process.state() == QProcess::NotRunning;
                },
                120s)) {
            QFAIL("no rows arrived");
        }
        QVERIFY2(process.state() == QProcess::Running, "the run ended before the outage");
        const auto stopped = cluster_.pgCtl({"stop", "-m", "immediate", "-w"});
        QVERIFY2(stopped.exit_code == 0, stopped.output.c_str());
    }

private slots:
    void initTestCase() {
        std::string reason;
        if (!cluster_.start(reason)) {
            if (test::databaseRequired()) {
                QFAIL(reason.c_str());
            }
            QSKIP(reason.c_str());
        }
        // The reference: the same run with the server up throughout.
        reference_ = "reference";
        createDatabase(reference_);
        QProcess run;
        start(run, reference_, {});
        const QString output = finish(run);
        QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0,
                 qPrintable(output));
        QVERIFY2(output.contains(" 0 refused by the server"), qPrintable(output));
        QVERIFY(!output.contains("NOT WRITTEN"));
        // The end-to-end rate counts the time the writer needed after the run.
        QVERIFY2(
            QRegularExpression(
                R"(end to end +every row committed [\d.]+ s after the start \([\d,]+ events/s\))")
                .match(output)
                .hasMatch(),
            qPrintable(output));
    }

    void outageInTheMiddleLosesNothing() {
        createDatabase("outage");
        QProcess run;
        start(run, "outage", {});
        killServerOnceRowsArrive("outage", run);
        std::this_thread::sleep_for(3s); // rows pile up: memory, then the spill file
        QCOMPARE(cluster_.server->start(), EmbeddedPostgres::Outcome::Running);
        const QString output = finish(run);
        QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0,
                 qPrintable(output));
        QVERIFY2(!output.contains("NOT WRITTEN") && !output.contains("LOST"), qPrintable(output));
        QVERIFY2(output.contains("db retrying"), qPrintable(output)); // it did see the outage
        expectSameTablesAsReference("outage");
    }

    void rowsLeftAtStopAreSpilledAndWrittenAtTheNextStart() {
        createDatabase("spilled");
        QProcess run;
        // No timeout at stop: only Ctrl+C ends the writing.
        start(run, "spilled", {"--stop-timeout", "1000"});
        killServerOnceRowsArrive("spilled", run);
        // The run ends by itself (--events) and starts writing what is left: the server is away.
        QVERIFY(test::waitUntil(
            [&] {
                run.waitForReadyRead(100);
                return run.state() == QProcess::NotRunning ||
                       run.peek(run.bytesAvailable()).contains("rows still to write to PostgreSQL");
            },
            120s));
        QVERIFY(run.state() == QProcess::Running);
        std::this_thread::sleep_for(1s);
        ::kill(static_cast<pid_t>(run.processId()), SIGINT); // Ctrl+C: leave them spilled
        const QString output = finish(run, 60);
        QVERIFY2(run.exitStatus() == QProcess::NormalExit, qPrintable(output));
        QCOMPARE(run.exitCode(), 1); // rows were not persisted
        QVERIFY2(output.contains("interrupted: leaving"), qPrintable(output));
        const auto spilled =
            QRegularExpression(
                R"(NOT WRITTEN +([\d,]+) rows spilled to (\S+), written at next start)")
                .match(output);
        QVERIFY2(spilled.hasMatch(), qPrintable(output));
        const std::uint64_t rows = spilled.captured(1).remove(',').toULongLong();
        const std::filesystem::path file = spilled.captured(2).toStdString();
        QVERIFY(rows > 0);
        QVERIFY2(std::filesystem::exists(file), file.c_str());
        QVERIFY(file.string().starts_with(home_.path().toStdString() + "/globalmart/spill/"));
        // Nothing claims that nothing is left.
        QVERIFY2(!output.contains("buffer 0 rows"), qPrintable(output));
        QVERIFY2(!output.contains("LOST"), qPrintable(output));
        QVERIFY2(!output.contains("every row committed"), qPrintable(output)); // some were spilled

        // The next start: the server is back, and opening the database writes the spill first.
        QCOMPARE(cluster_.server->start(), EmbeddedPostgres::Outcome::Running);
        PersistenceOptions options;
        options.database_url = conninfo("spilled");
        const std::string home = home_.path().toStdString();
        options.environment = [home](const char* name) -> std::optional<std::string> {
            if (std::string_view(name) == "XDG_DATA_HOME") {
                return home;
            }
            return std::nullopt;
        };
        auto opened = Persistence::open(options);
        QVERIFY2(opened.persistence, opened.message.c_str());
        QVERIFY2(opened.message.find("rows an earlier run could not write") != std::string::npos,
                 opened.message.c_str());
        PostgresWriter& writer = opened.persistence->writer();
        QCOMPARE(writer.status().rows_from_earlier_run, rows);
        QVERIFY(writer.waitUntilWritten(120s));
        QCOMPARE(writer.status().rows_written, rows);
        opened.persistence->stop();
        QVERIFY(!std::filesystem::exists(file));
        expectSameTablesAsReference("spilled");
    }

    // A crash leaves raw rows and some windows of a partial run; running the same command again
    // regenerates the same events (same ids and times) and rewrites every window, so the
    // database ends as if the crash never happened.
    void crashAndRerunFromTheSameStartAgree() {
        createDatabase("crashed");
        QProcess crashed;
        start(crashed, "crashed", {});
        QVERIFY(test::waitUntil(
            [&] {
                return test::countOrZero(conninfo("crashed"),
                                         "SELECT count(*) FROM sales_per_minute") > 0 ||
                       crashed.state() == QProcess::NotRunning;
            },
            120s));
        QVERIFY2(crashed.state() == QProcess::Running, "the run ended before the crash");
        crashed.kill(); // SIGKILL: no flush, no stop
        QVERIFY(crashed.waitForFinished(10'000));
        const std::uint64_t raw_after_crash =
            test::countOrZero(conninfo("crashed"), "SELECT count(*) FROM transactions");
        QVERIFY(raw_after_crash > 0);

        QProcess rerun;
        // The same start again: the crashed run's history ends later, so say it is meant.
        start(rerun, "crashed", {"--overwrite-history"});
        const QString output = finish(rerun);
        QVERIFY2(rerun.exitStatus() == QProcess::NormalExit && rerun.exitCode() == 0,
                 qPrintable(output));
        QVERIFY(test::countOrZero(conninfo("crashed"), "SELECT count(*) FROM transactions") >
                raw_after_crash);
        expectSameTablesAsReference("crashed");
    }
};

QTEST_GUILESS_MAIN(TestDurableStop)
#include "tst_durable_stop.moc"
