// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the tests/db programs: a scratch database per test case on the server tests/run.sh
// starts, and private throwaway clusters for tests that stop and start their own server.
#include "pipeline/postgres/child_process.h"
#include "pipeline/postgres/embedded_postgres.h"
#include "pipeline/postgres/pg_session.h"
#include "pipeline/table_schema.h"

#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <pwd.h>
#include <random>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gm::test {

inline bool haveServerEnvironment() {
    return !qEnvironmentVariableIsEmpty("PGHOST");
}

inline bool databaseRequired() {
    return qEnvironmentVariable("GLOBALMART_TEST_REQUIRE_DB") == QLatin1String("1");
}

// In a test function or initTestCase(): skip (or, under tests/run.sh, fail) without a server.
#define GM_REQUIRE_SERVER()                                                                        \
    do {                                                                                           \
        if (!gm::test::haveServerEnvironment()) {                                                  \
            if (gm::test::databaseRequired())                                                      \
                QFAIL("GLOBALMART_TEST_REQUIRE_DB=1 but PGHOST is not set");                       \
            QSKIP("PGHOST not set: run tests/run.sh, which starts a throwaway PostgreSQL");        \
        }                                                                                          \
    } while (false)

// A database of its own on the PG* server (CREATE DATABASE gm_test_<random>), dropped again
// on destruction, so tests neither see nor disturb each other's rows.
class ScratchDatabase {
public:
    ScratchDatabase() {
        std::random_device device;
        name_ = "gm_test_" + std::to_string(device()) + std::to_string(device() % 100000);
        PgSession admin(maintenanceConninfo());
        admin.exec("CREATE DATABASE " + PgSession::quoteIdentifier(name_));
    }
    ~ScratchDatabase() {
        if (qEnvironmentVariable("GM_KEEP_SCRATCH_DATABASES") == QLatin1String("1")) {
            // For a failure's post-mortem: psql -d <name>.
            qInfo("kept scratch database %s", name_.c_str());
            return;
        }
        try {
            PgSession admin(maintenanceConninfo());
            admin.exec("DROP DATABASE IF EXISTS " + PgSession::quoteIdentifier(name_) +
                       " WITH (FORCE)");
        } catch (const PgError& e) {
            qWarning("could not drop %s: %s", name_.c_str(), e.what());
        }
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    // Host, port and user come from PG*; only the database is ours.
    std::string conninfo() const { return "dbname=" + name_; }
    const std::string& name() const { return name_; }

private:
    static std::string maintenanceConninfo() { return "dbname=postgres"; }
    std::string name_;
};

// Root cannot run PostgreSQL: tests then run the server as the postgres system user.
inline std::optional<std::string> serverUserForTests() {
    if (::geteuid() != 0) {
        return std::nullopt;
    }
    return std::string("postgres");
}

// A private cluster in a temporary directory, for tests that start and stop their own server.
// Returns nullptr (with reason set) when PostgreSQL binaries or the postgres user are missing.
struct ThrowawayCluster {
    QTemporaryDir dir{QDir::tempPath() + "/gm-pg-XXXXXX"};
    std::unique_ptr<EmbeddedPostgres> server;

    bool start(std::string& reason) {
        if (!EmbeddedPostgres::findBinDirectory()) {
            reason = "no PostgreSQL binaries under /usr/lib/postgresql";
            return false;
        }
        const auto user = serverUserForTests();
        if (user && ::getpwnam(user->c_str()) == nullptr) {
            reason = "running as root without a postgres system user";
            return false;
        }
        // The server user must be able to traverse the temporary directory.
        ::chmod(dir.path().toLocal8Bit().constData(), 0755);
        EmbeddedPostgresOptions options;
        options.root = (dir.path() + "/pg").toStdString();
        options.run_as_user = user;
        options.throwaway = true;
        options.port = 5400 + static_cast<int>(::getpid() % 500);
        server = std::make_unique<EmbeddedPostgres>(options);
        if (server->start() != EmbeddedPostgres::Outcome::Running) {
            reason = server->error();
            return false;
        }
        return true;
    }

    // pg_ctl as the server's user, e.g. {"stop", "-m", "fast"}.
    ProcessResult pgCtl(std::vector<std::string> args) const {
        std::vector<std::string> argv;
        if (const auto user = serverUserForTests()) {
            argv = {"runuser", "-u", *user, "--"};
        }
        argv.push_back((server->options().bin_dir / "pg_ctl").string());
        argv.push_back("-D");
        argv.push_back(server->dataDirectory().string());
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv);
    }
};

// The single number `sql` returns; 0 while the server is away or the table not created yet
// (tests poll with it while a run starts or a server restarts).
inline std::uint64_t countOrZero(const std::string& conninfo, const std::string& sql) {
    try {
        pqxx::connection connection(conninfo);
        pqxx::nontransaction work(connection);
        return work.exec1(sql)[0].as<std::uint64_t>();
    } catch (const std::exception&) {
        return 0;
    }
}

// One table's rows without processing-time columns, as sorted text lines: two runs that
// processed the same events give the same lines.
inline std::vector<std::string> tableLines(const std::string& conninfo, const std::string& table,
                                           const std::vector<std::string>& columns) {
    pqxx::connection connection(conninfo);
    pqxx::work work(connection);
    work.exec("SET TIME ZONE 'UTC'");
    std::string select;
    for (const std::string& column : columns) {
        if (!isProcessingTimeColumn(column)) {
            select += (select.empty() ? "" : " || '|' || ") + std::string("coalesce(") +
                      connection.quote_name(column) + "::text, 'NULL')";
        }
    }
    const pqxx::result rows =
        work.exec("SELECT " + select + " FROM " + connection.quote_name(table) + " ORDER BY 1");
    std::vector<std::string> lines;
    lines.reserve(rows.size());
    for (const auto& row : rows) {
        lines.emplace_back(row[0].c_str());
    }
    return lines;
}

inline bool waitUntil(const std::function<bool()>& condition, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

} // namespace gm::test
