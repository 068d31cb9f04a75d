// SPDX-License-Identifier: GPL-3.0-or-later
// Smoke test of the database path: libpqxx reaches the PostgreSQL cluster that tests/run.sh
// starts (standard PG* variables), and real statements round-trip through it.
#include <QtTest>
#include <memory>
#include <pqxx/pqxx>
#include <string>

namespace {

bool envSet(const char* name) {
    return !qEnvironmentVariableIsEmpty(name);
}

} // namespace

class TestPostgresConnection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void serverIsAtLeastVersion15();
    void parameterizedInsertAndSum();
    void nullParameterRoundTrips();
    void sqlErrorIsReportedAndTransactionRollsBack();
    void cleanupTestCase();

private:
    std::unique_ptr<pqxx::connection> m_conn;
};

void TestPostgresConnection::initTestCase() {
    if (!envSet("PGHOST") || !envSet("PGDATABASE")) {
        if (qEnvironmentVariable("GLOBALMART_TEST_REQUIRE_DB") == QLatin1String("1"))
            QFAIL("GLOBALMART_TEST_REQUIRE_DB=1 but PGHOST/PGDATABASE are not set");
        QSKIP("PGHOST/PGDATABASE not set: run tests/run.sh, which starts a throwaway PostgreSQL");
    }
    try {
        // An empty connection string makes libpq use PGHOST, PGPORT, PGUSER, PGDATABASE, ...
        m_conn = std::make_unique<pqxx::connection>();
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("cannot connect to PostgreSQL: %1").arg(e.what())));
    }
    QVERIFY(m_conn->is_open());
    QCOMPARE(QString::fromStdString(m_conn->dbname()), qEnvironmentVariable("PGDATABASE"));
}

void TestPostgresConnection::serverIsAtLeastVersion15() {
    pqxx::read_transaction txn{*m_conn};
    const pqxx::row row = txn.exec1("SHOW server_version_num");
    const long version = row[0].as<long>();
    QVERIFY2(version >= 150000, qPrintable(QStringLiteral("server_version_num = %1").arg(version)));
    QCOMPARE(long{m_conn->server_version()}, version);
}

void TestPostgresConnection::parameterizedInsertAndSum() {
    pqxx::work txn{*m_conn};
    txn.exec0("CREATE TEMP TABLE gm_smoke (id integer PRIMARY KEY, amount_cents bigint NOT NULL, "
              "country text NOT NULL) ON COMMIT DROP");
    m_conn->prepare("gm_smoke_insert",
                    "INSERT INTO gm_smoke (id, amount_cents, country) VALUES ($1, $2, $3)");

    constexpr int rows = 1000;
    long expected = 0;
    for (int i = 1; i <= rows; ++i) {
        const long amount = 1999L * i;
        expected += amount;
        const std::string country = (i % 2 == 0) ? "DE" : "FR";
        const pqxx::result r = txn.exec_prepared("gm_smoke_insert", i, amount, country);
        QCOMPARE(r.affected_rows(), pqxx::result::size_type{1});
    }

    const pqxx::row total = txn.exec1("SELECT count(*), sum(amount_cents) FROM gm_smoke");
    QCOMPARE(total[0].as<long>(), long{rows});
    QCOMPARE(total[1].as<long>(), expected);

    m_conn->prepare("gm_smoke_by_country",
                    "SELECT count(*), sum(amount_cents) FROM gm_smoke WHERE country = $1");
    const pqxx::row de = txn.exec_prepared1("gm_smoke_by_country", std::string{"DE"});
    QCOMPARE(de[0].as<long>(), long{rows / 2});
    QCOMPARE(de[1].as<long>(), 1999L * (rows / 2) * (rows / 2 + 1)); // 2 + 4 + ... + rows
    txn.commit();
    m_conn->unprepare("gm_smoke_insert");
    m_conn->unprepare("gm_smoke_by_country");
}

void TestPostgresConnection::nullParameterRoundTrips() {
    pqxx::work txn{*m_conn};
    m_conn->prepare("gm_smoke_echo", "SELECT $1::text, $2::text");
    const pqxx::row row = txn.exec_prepared1("gm_smoke_echo", nullptr, std::string{"x'y\"z"});
    QVERIFY(row[0].is_null());
    QCOMPARE(row[1].as<std::string>(), std::string{"x'y\"z"});
    m_conn->unprepare("gm_smoke_echo");
}

void TestPostgresConnection::sqlErrorIsReportedAndTransactionRollsBack() {
    {
        pqxx::work txn{*m_conn};
        txn.exec0("CREATE TEMP TABLE gm_smoke_err (id integer PRIMARY KEY)");
        txn.exec0("INSERT INTO gm_smoke_err VALUES (1)");
        bool threw = false;
        try {
            txn.exec0("INSERT INTO gm_smoke_err VALUES (1)");
        } catch (const pqxx::unique_violation&) {
            threw = true;
        }
        QVERIFY2(threw, "a duplicate primary key must raise pqxx::unique_violation");
        // The transaction is aborted: leaving the scope rolls it back, table and all.
    }
    pqxx::read_transaction txn{*m_conn};
    const pqxx::row row = txn.exec1("SELECT to_regclass('pg_temp.gm_smoke_err') IS NULL");
    QVERIFY(row[0].as<bool>());
}

void TestPostgresConnection::cleanupTestCase() {
    m_conn.reset();
}

QTEST_GUILESS_MAIN(TestPostgresConnection)
#include "tst_postgres_connection.moc"
