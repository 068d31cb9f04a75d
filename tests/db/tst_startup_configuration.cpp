// SPDX-License-Identifier: GPL-3.0-or-later
// Start-up against the real server: a database the server refuses (no such database or role) is
// a configuration error (exit 2, one line naming --db), not an outage retried forever; and
// --reset-progress deletes exactly the consumer group's progress marks.
#include "db_test_support.h"
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/migration_runner.h"
#include "tests/support/program_run.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;

namespace {

using Run = test::ProgramRun;

Run runGlobalmart(const QStringList& arguments, int timeout_ms = 60'000) {
    return test::runProgram(QStringLiteral(GLOBALMART_EXECUTABLE), arguments, timeout_ms);
}

std::vector<std::string> progressJobs(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::read_transaction txn(conn);
    std::vector<std::string> jobs;
    for (const auto& row : txn.exec("SELECT job FROM pipeline_progress ORDER BY job")) {
        jobs.push_back(row[0].as<std::string>());
    }
    return jobs;
}

} // namespace

class TestStartupConfiguration : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }

    void refusedSettingsAreConfigurationErrors_data() {
        QTest::addColumn<QString>("db");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no such database") << "dbname=gm_no_such_database_here"
                                          << "gm_no_such_database_here";
        QTest::newRow("no such role") << "dbname=postgres user=gm_no_such_role_here"
                                      << "gm_no_such_role_here";
    }

    void refusedSettingsAreConfigurationErrors() {
        QFETCH(QString, db);
        QFETCH(QString, reason);
        QElapsedTimer took;
        took.start();
        // --duration 60: a retrying run would still be going when the test gives up.
        const Run run = runGlobalmart({"--headless", "--db", db, "--duration", "60"}, 30'000);
        QCOMPARE(run.status, QProcess::NormalExit);
        QVERIFY2(run.exit_code == 2, qPrintable(run.out + run.err));
        QVERIFY(took.elapsed() < 30'000);
        const QString message = run.err.trimmed();
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        QVERIFY2(message.startsWith("globalmart: --db: "), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY2(message.contains("does not exist"), qPrintable(message));
    }

    // libpq's wording for each kind of refusal, as the server and libpq 15 send it.
    void failuresAreClassified_data() {
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("configuration");
        QTest::newRow("wrong password")
            << "connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  password "
               "authentication failed for user \"gm\""
            << true;
        QTest::newRow("no password") << "fe_sendauth: no password supplied" << true;
        QTest::newRow("pg_hba") << "FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user "
                                   "\"gm\", database \"shop\", no encryption"
                                << true;
        QTest::newRow("no database") << "FATAL:  database \"shop\" does not exist" << true;
        QTest::newRow("no role") << "FATAL:  role \"gm\" does not exist" << true;
        QTest::newRow("no login") << "FATAL:  role \"gm\" is not permitted to log in" << true;
        QTest::newRow("refused") << "connection to server at \"127.0.0.1\", port 1 failed: "
                                    "Connection refused"
                                 << false;
        QTest::newRow("starting up") << "FATAL:  the database system is starting up" << false;
        QTest::newRow("timeout") << "timeout expired" << false;
    }

    void failuresAreClassified() {
        QFETCH(QString, message);
        QFETCH(bool, configuration);
        QCOMPARE(isConfigurationFailure(connectionFailureState(message.toStdString())),
                 configuration);
    }

    void resetProgressDeletesTheGroupsMarksOnly() {
        test::ScratchDatabase db;
        {
            pqxx::connection conn(db.conninfo());
            MigrationRunner::embedded().migrate(conn);
            pqxx::work work(conn);
            // Marks poisoned by a run in year 9999, for the group and two others (one of them
            // a name the group is a prefix of).
            for (const char* job :
                 {"kafka:g1:sales", "kafka:g1:carts", "kafka:g1:views", "kafka:g1:anomalies",
                  "kafka:g1:inventory", "kafka:g2:sales", "kafka:g1x:sales"}) {
                work.exec_params("INSERT INTO pipeline_progress (job, emitted_up_to) VALUES "
                                 "($1, '9999-01-01Z')",
                                 std::string(job));
            }
            work.commit();
        }
        const QStringList common{"--headless", "--source",
                                 "kafka",      "--embedded-kafka",
                                 "--db",       QString::fromStdString(db.conninfo()),
                                 "--duration", "1"};
        // Without the option the marks are kept and the run says it resumes from them.
        const Run kept = runGlobalmart(common + QStringList{"--group", "g1"});
        QVERIFY2(kept.exit_code == 0, qPrintable(kept.out + kept.err));
        QVERIFY2(kept.out.contains("consumer group 'g1' resumes"), qPrintable(kept.out));
        QCOMPARE(progressJobs(db.conninfo()).size(), std::size_t{7});

        const Run reset = runGlobalmart(common + QStringList{"--group", "g1", "--reset-progress"});
        QVERIFY2(reset.exit_code == 0, qPrintable(reset.out + reset.err));
        QVERIFY2(reset.out.contains("--reset-progress: removed 5 progress mark(s) of consumer "
                                    "group 'g1'"),
                 qPrintable(reset.out));
        QVERIFY2(!reset.out.contains("resumes"), qPrintable(reset.out));
        QCOMPARE(progressJobs(db.conninfo()),
                 (std::vector<std::string>{"kafka:g1x:sales", "kafka:g2:sales"}));
    }
};

QTEST_GUILESS_MAIN(TestStartupConfiguration)
#include "tst_startup_configuration.moc"
