// SPDX-License-Identifier: GPL-3.0-or-later
// The embedded default: a private cluster in a temporary directory is created, started, reused
// by a second run, left alone by an instance that did not start it, and stopped again; the
// refusals (root without a server account, no binaries) are one clear line; as root the default
// runs the server as the postgres account and the program persists; a wrong password is named.
#include "db_test_support.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/postgres/persistence.h"

#include <QProcess>
#include <QtTest>
#include <fstream>
#include <pwd.h>
#include <sys/stat.h>

using namespace gm;

class TestEmbeddedPostgres : public QObject {
    Q_OBJECT

private slots:
    void startReuseStop();
    void refusesRootWithAnExplanation();
    void embeddedDefaultRunsAsRoot();
    void closedDirectoryIsNamed();
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
    options.root_service_account = "gm-no-such-account"; // as on a machine without one
    EmbeddedPostgres server(options);
    QCOMPARE(server.start(), EmbeddedPostgres::Outcome::RefusedRoot);
    QVERIFY(server.error().find("refuses to run as root") != std::string::npos);
    QVERIFY(server.error().find("'gm-no-such-account' system account") != std::string::npos);
    QVERIFY(server.error().find("--db") != std::string::npos);
    QVERIFY(server.error().find('\n') == std::string::npos);
    QVERIFY(!std::filesystem::exists(options.root)); // nothing created
}

// What app/run.sh does on a fresh machine, where it runs as root: no --db, no PG* variables,
// the embedded default. The server runs as the postgres account, which owns the cluster, and
// the program persists.
void TestEmbeddedPostgres::embeddedDefaultRunsAsRoot() {
    if (::geteuid() != 0) {
        QSKIP("the embedded default as root: not running as root here");
    }
    if (!EmbeddedPostgres::findBinDirectory()) {
        QSKIP("no PostgreSQL binaries");
    }
    const passwd* account = ::getpwnam("postgres");
    if (account == nullptr) {
        QSKIP("no postgres system account (the postgresql package creates it)");
    }
    QTemporaryDir home(QDir::tempPath() + "/gm-root-XXXXXX");
    ::chmod(home.path().toLocal8Bit().constData(), 0755); // like /var/lib: open to pass through
    const std::string xdg = home.path().toStdString();
    PersistenceOptions options;
    options.environment = [xdg](const char* name) -> std::optional<std::string> {
        if (std::string_view(name) == "XDG_DATA_HOME") {
            return xdg;
        }
        return std::nullopt;
    };
    const std::filesystem::path root = xdg + "/globalmart/postgres";
    {
        auto opened = Persistence::open(options);
        QVERIFY2(opened.persistence, opened.message.c_str());
        QCOMPARE(opened.persistence->description(), "embedded PostgreSQL in " + root.string());
        struct stat data {};
        QCOMPARE(::stat((root / "data").c_str(), &data), 0);
        QCOMPARE(data.st_uid, account->pw_uid); // the data directory is the account's
        // The server process runs as that account too.
        std::ifstream pid_file(root / "data" / "postmaster.pid");
        std::string pid;
        std::getline(pid_file, pid);
        struct stat process {};
        QCOMPARE(::stat(("/proc/" + pid).c_str(), &process), 0);
        QCOMPARE(process.st_uid, account->pw_uid);
        opened.persistence->stop(); // stops the server it started
    }

    // The program itself, as root, with nothing configured: it saves.
    QProcess run;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name :
         {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "GLOBALMART_DATABASE_URL"}) {
        env.remove(name);
    }
    env.insert("XDG_DATA_HOME", home.path());
    run.setProcessEnvironment(env);
    run.setProcessChannelMode(QProcess::MergedChannels);
    run.start(GLOBALMART_EXECUTABLE, {"--headless", "--events", "5000", "--max-speed", "--users",
                                      "500", "--products", "100"});
    QVERIFY(run.waitForFinished(120'000));
    const QString output = QString::fromUtf8(run.readAll());
    QVERIFY2(run.exitCode() == 0, qPrintable(output));
    QVERIFY2(output.contains("saving to embedded PostgreSQL in " + QString::fromStdString(root)),
             qPrintable(output));
    QVERIFY2(!output.contains("in memory"), qPrintable(output));
    EmbeddedPostgresOptions again;
    again.root = root;
    EmbeddedPostgres server(again); // as root: again as the postgres account
    QCOMPARE(server.start(), EmbeddedPostgres::Outcome::Running);
    PgSession session(server.conninfo());
    QVERIFY(session.execParams("SELECT count(*)::text FROM transactions", {}).value_or("0") != "0");
    server.stop();
}

// Root's server account must be able to reach the cluster: a directory closed to it is named.
void TestEmbeddedPostgres::closedDirectoryIsNamed() {
    if (::geteuid() != 0 || ::getpwnam("postgres") == nullptr ||
        !EmbeddedPostgres::findBinDirectory()) {
        QSKIP("needs root, a postgres account and PostgreSQL binaries");
    }
    QTemporaryDir closed; // 0700, root's own
    EmbeddedPostgresOptions options;
    options.root = (closed.path() + "/globalmart/postgres").toStdString();
    EmbeddedPostgres server(options);
    QCOMPARE(server.start(), EmbeddedPostgres::Outcome::Failed);
    QVERIFY2(server.error().find("cannot enter " + closed.path().toStdString()) !=
                 std::string::npos,
             server.error().c_str());
    QVERIFY(server.error().find("XDG_DATA_HOME") != std::string::npos);
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
