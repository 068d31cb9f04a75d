// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded default: a private cluster in a temporary directory is created, started, reused
// by a second run, left alone by an instance that did not start it, and stopped again; the
// refusals (root, no binaries) are one clear line; a wrong password is named as such.
#include "db_test_support.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"

#include <QtTest>
#include <fstream>

using namespace gm;

class TestEmbeddedPostgres : public QObject {
    Q_OBJECT

private slots:
    void startReuseStop();
    void refusesRootWithAnExplanation();
    void missingBinariesAreOneLine();
    void wrongPasswordIsNamed();
};

void TestEmbeddedPostgres::startReuseStop() {
    test::ThrowawayCluster cluster;
    std::string reason;
    if (!cluster.start(reason)) {
        if (test::databaseRequired()) {
            QFAIL(reason.c_str());
        }
        QSKIP(reason.c_str());
    }
    EmbeddedPostgres& first = *cluster.server;
    QVERIFY(first.initialisedHere());
    QVERIFY(first.startedHere());
    QVERIFY(first.serverRunning());
    QVERIFY2(!probeConnection(first.conninfo()), first.conninfo().c_str());
    {
        PgSession session(first.conninfo());
        session.exec("CREATE TABLE kept (x integer); INSERT INTO kept VALUES (42)");
    }
    // Socket only: no TCP listener configured, socket directory private.
    std::ifstream conf(first.dataDirectory() / "postgresql.conf");
    const std::string text((std::istreambuf_iterator<char>(conf)), {});
    QVERIFY(text.find("listen_addresses = ''") != std::string::npos);
    QCOMPARE(std::filesystem::status(first.options().root).permissions() &
                 std::filesystem::perms::all,
             std::filesystem::perms::owner_all);

    {
        // Another instance while the first runs: it reuses the server and leaves it running.
        EmbeddedPostgres second(first.options());
        QCOMPARE(second.start(), EmbeddedPostgres::Outcome::Running);
        QVERIFY(!second.initialisedHere());
        QVERIFY(!second.startedHere());
    }
    QVERIFY(first.serverRunning());

    first.stop();
    QVERIFY(!first.serverRunning());
    QVERIFY(probeConnection(first.conninfo()).has_value());

    // The next run finds the cluster, starts it again and the data is still there.
    EmbeddedPostgres next(first.options());
    QCOMPARE(next.start(), EmbeddedPostgres::Outcome::Running);
    QVERIFY(!next.initialisedHere());
    QVERIFY(next.startedHere());
    PgSession session(next.conninfo());
    QCOMPARE(session.execParams("SELECT x::text FROM kept", {}).value_or(""), std::string("42"));
    next.stop();
    QVERIFY(!next.serverRunning());
}

void TestEmbeddedPostgres::refusesRootWithAnExplanation() {
    if (::geteuid() != 0) {
        QSKIP("only meaningful when running as root");
    }
    if (!EmbeddedPostgres::findBinDirectory()) {
        QSKIP("no PostgreSQL binaries");
    }
    QTemporaryDir dir;
    EmbeddedPostgresOptions options;
    options.root = (dir.path() + "/pg").toStdString();
    EmbeddedPostgres server(options);
    QCOMPARE(server.start(), EmbeddedPostgres::Outcome::RefusedRoot);
    QVERIFY(server.error().find("refuses to run as root") != std::string::npos);
    QVERIFY(server.error().find("--db") != std::string::npos);
    QVERIFY(server.error().find('\n') == std::string::npos);
    QVERIFY(!std::filesystem::exists(options.root)); // nothing created
}

void TestEmbeddedPostgres::missingBinariesAreOneLine() {
    QTemporaryDir dir;
    EmbeddedPostgresOptions options;
    options.root = (dir.path() + "/pg").toStdString();
    options.postgresql_lib_dir = (dir.path() + "/no-postgresql-here").toStdString();
    EmbeddedPostgres server(options);
    QCOMPARE(server.start(), EmbeddedPostgres::Outcome::NoBinaries);
    QVERIFY(server.error().find("no PostgreSQL server programs") != std::string::npos);
    QVERIFY(server.error().find("in memory") != std::string::npos);
    QVERIFY(server.error().find('\n') == std::string::npos);
}

void TestEmbeddedPostgres::wrongPasswordIsNamed() {
    test::ThrowawayCluster cluster;
    std::string reason;
    if (!cluster.start(reason)) {
        if (test::databaseRequired()) {
            QFAIL(reason.c_str());
        }
        QSKIP(reason.c_str());
    }
    EmbeddedPostgres& server = *cluster.server;
    {
        PgSession session(server.conninfo());
        session.exec("CREATE ROLE reader LOGIN PASSWORD 'right-password'");
    }
    // Password authentication for that role on the socket, then reload.
    const auto hba = server.dataDirectory() / "pg_hba.conf";
    std::ifstream in(hba);
    const std::string rules((std::istreambuf_iterator<char>(in)), {});
    in.close();
    std::ofstream(hba) << "local all reader scram-sha-256\n" << rules;
    QCOMPARE(cluster.pgCtl({"reload"}).exit_code, 0);

    const std::string base = "host=" + server.options().root.string() +
                             " port=" + std::to_string(server.options().port) +
                             " dbname=globalmart";
    QTRY_VERIFY_WITH_TIMEOUT(probeConnection(base + " user=reader password=wrong-one"), 5000);
    const auto error = probeConnection(base + " user=reader password=wrong-one");
    QVERIFY(error);
    QVERIFY2(error->find("wrong password") != std::string::npos, error->c_str());
    QVERIFY2(error->find("wrong-one") == std::string::npos, error->c_str());
    QVERIFY(!probeConnection(base + " user=reader password=right-password"));
    const auto none = probeConnection(base + " user=reader");
    QVERIFY(none);
    QVERIFY2(none->find("wants a password") != std::string::npos, none->c_str());
}

QTEST_GUILESS_MAIN(TestEmbeddedPostgres)
#include "tst_embedded_postgres.moc"
