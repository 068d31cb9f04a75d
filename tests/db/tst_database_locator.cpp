// SPDX-License-Identifier: GPL-3.0-or-later
// Which database the app uses (--db, GLOBALMART_DATABASE_URL, PG*, embedded) and the one-line
// errors for bad URLs and unreachable servers, with passwords never shown.
#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/database_locator.h"

#include <QtTest>
#include <map>
#include <unistd.h>

using namespace gm;

namespace {

EnvironmentLookup fakeEnvironment(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const char* name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end() || it->second.empty()) {
            return std::nullopt;
        }
        return it->second;
    };
}

void verifyOneLineWithout(const std::string& message, const std::string& secret) {
    QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
    QVERIFY2(message.find(secret) == std::string::npos, message.c_str());
}

} // namespace

class TestDatabaseLocator : public QObject {
    Q_OBJECT

private slots:
    void commandLineWins();
    void environmentUrlBeforePgVariables();
    void pgVariablesBeforeEmbedded();
    void embeddedUnderXdgDataHome();
    void redactsPasswords_data();
    void redactsPasswords();
    void badUrlIsNamed();
    void refusedConnectionIsNamed();
    void unknownHostIsNamed();
};

void TestDatabaseLocator::commandLineWins() {
    const auto env =
        fakeEnvironment({{"GLOBALMART_DATABASE_URL", "postgresql:///envdb"}, {"PGHOST", "/tmp"}});
    const DatabaseChoice choice =
        chooseDatabase(std::string("postgresql://gm:hunter2@db.example:5433/shop"), env);
    QCOMPARE(choice.source, DatabaseSource::CommandLine);
    QCOMPARE(choice.conninfo, std::string("postgresql://gm:hunter2@db.example:5433/shop"));
    QVERIFY(!choice.error);
    QCOMPARE(choice.description, std::string("--db postgresql://gm:***@db.example:5433/shop"));
}

void TestDatabaseLocator::environmentUrlBeforePgVariables() {
    const auto env = fakeEnvironment(
        {{"GLOBALMART_DATABASE_URL", "host=db user=gm password='a b'"}, {"PGDATABASE", "x"}});
    const DatabaseChoice choice = chooseDatabase(std::nullopt, env);
    QCOMPARE(choice.source, DatabaseSource::EnvironmentUrl);
    verifyOneLineWithout(choice.description, "a b");
}

void TestDatabaseLocator::pgVariablesBeforeEmbedded() {
    const DatabaseChoice choice =
        chooseDatabase(std::nullopt, fakeEnvironment({{"PGDATABASE", "shop"}}));
    QCOMPARE(choice.source, DatabaseSource::PgEnvironment);
    QVERIFY(choice.conninfo.empty()); // libpq reads PG* itself
    const DatabaseChoice empty_host =
        chooseDatabase(std::nullopt, fakeEnvironment({{"PGHOST", ""}, {"HOME", "/home/u"}}));
    QCOMPARE(empty_host.source, DatabaseSource::Embedded);
}

void TestDatabaseLocator::embeddedUnderXdgDataHome() {
    const DatabaseChoice xdg = chooseDatabase(
        std::nullopt, fakeEnvironment({{"XDG_DATA_HOME", "/data/u"}, {"HOME", "/home/u"}}));
    QCOMPARE(xdg.source, DatabaseSource::Embedded);
    QCOMPARE(xdg.embedded_root, std::filesystem::path("/data/u/globalmart/postgres"));
    const DatabaseChoice home =
        chooseDatabase(std::nullopt, fakeEnvironment({{"HOME", "/home/u"}}));
    // Root's embedded server runs as the postgres account, which cannot enter /root.
    QCOMPARE(home.embedded_root,
             std::filesystem::path(::geteuid() == 0 ? "/var/lib/globalmart/postgres"
                                                    : "/home/u/.local/share/globalmart/postgres"));
}

void TestDatabaseLocator::redactsPasswords_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("key=value") << "host=h password=s3cret user=u"
                               << "host=h password=*** user=u";
    QTest::newRow("quoted") << "password='s3 cr\\'et' host=h"
                            << "password=*** host=h";
    QTest::newRow("spaces") << "PASSWORD = s3cret"
                            << "PASSWORD = ***";
    QTest::newRow("uri") << "postgresql://u:s3cret@h:5432/db?sslmode=require"
                         << "postgresql://u:***@h:5432/db?sslmode=require";
    QTest::newRow("uri query") << "postgres://h/db?user=u&password=s3cret&x=1"
                               << "postgres://h/db?user=u&password=***&x=1";
    QTest::newRow("no password") << "postgresql://u@h/db"
                                 << "postgresql://u@h/db";
}

void TestDatabaseLocator::redactsPasswords() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(redactSecrets(input.toStdString())), expected);
}

void TestDatabaseLocator::badUrlIsNamed() {
    // Syntax errors show without connecting; a bad port value only when libpq connects.
    for (const std::string url : {"postgresql://u:pw@host:notaport/db", "host=h bogus_option=1",
                                  "host='unterminated password=pw@", "postgresql://u:pw@[::1/db"}) {
        const DatabaseChoice choice = chooseDatabase(url, fakeEnvironment({}));
        if (url.find("notaport") == std::string::npos) {
            QVERIFY2(choice.error, url.c_str());
            QVERIFY2(choice.error->rfind("bad database URL: ", 0) == 0, choice.error->c_str());
            verifyOneLineWithout(*choice.error, "pw@");
        }
        const auto probe = probeConnection(url);
        QVERIFY(probe);
        QVERIFY2(probe->rfind("bad database URL: ", 0) == 0, probe->c_str());
        verifyOneLineWithout(*probe, "pw@");
    }
}

void TestDatabaseLocator::refusedConnectionIsNamed() {
    const auto error = probeConnection("postgresql://gm:topsecret@127.0.0.1:1/shop");
    QVERIFY(error);
    QVERIFY2(error->find("no PostgreSQL server is listening at host 127.0.0.1 port 1") !=
                 std::string::npos,
             error->c_str());
    verifyOneLineWithout(*error, "topsecret");
    const auto socket = probeConnection("host=/nonexistent-dir port=5999 dbname=x");
    QVERIFY(socket);
    QVERIFY2(socket->find("no PostgreSQL server is listening at host /nonexistent-dir port 5999") !=
                 std::string::npos,
             socket->c_str());
}

void TestDatabaseLocator::unknownHostIsNamed() {
    const auto error =
        probeConnection("host=no-such-host.invalid password=topsecret connect_timeout=3");
    QVERIFY(error);
    QVERIFY2(error->find("unknown host: host no-such-host.invalid") != std::string::npos,
             error->c_str());
    verifyOneLineWithout(*error, "topsecret");
}

QTEST_GUILESS_MAIN(TestDatabaseLocator)
#include "tst_database_locator.moc"
