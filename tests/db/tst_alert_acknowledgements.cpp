// SPDX-License-Identifier: GPL-3.0-or-later
// Alert acknowledgements in PostgreSQL: the window's AlertAcknowledger marks an alert, the
// pipeline re-emits it (more occurrences) through the real writer and upsert, and the mark stays;
// an alert acknowledged before the writer stored it is marked as its row arrives.
#include "db_test_support.h"
#include "pipeline/postgres/alert_acknowledger.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/persistence.h"
#include "pipeline/postgres/writer.h"

#include <QtTest>
#include <pqxx/pqxx>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kT0 = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z

AlertRow alert(std::uint64_t id, std::uint64_t occurrences) {
    AlertRow row;
    row.alert_id = id;
    row.kind = AlertKind::HighValue;
    row.severity = Severity::Critical;
    row.subject = "6f1c2d3e-0000-4000-8000-00000000000" + std::to_string(id % 10);
    row.title = "High-value transaction";
    row.message = "amount above $10,000";
    row.first_seen = kT0;
    row.last_seen = kT0 + static_cast<TimestampUs>(occurrences) * 1'000'000;
    row.occurrences = occurrences;
    return row;
}

struct StoredAlert {
    std::int64_t occurrences = -1;
    bool acknowledged = false;
    bool has_acknowledged_at = false;
};

StoredAlert stored(const std::string& conninfo, std::uint64_t id) {
    pqxx::connection conn(conninfo);
    pqxx::read_transaction txn(conn);
    const pqxx::result r =
        txn.exec_params("SELECT occurrences, acknowledged, acknowledged_at IS NOT NULL FROM alerts "
                        "WHERE alert_id = $1",
                        std::to_string(id));
    if (r.empty()) {
        return {};
    }
    return {r[0][0].as<std::int64_t>(), r[0][1].as<bool>(), r[0][2].as<bool>()};
}

} // namespace

class TestAlertAcknowledgements : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }

    void acknowledgementSurvivesAReEmittedAlert() {
        test::ScratchDatabase db;
        {
            pqxx::connection conn(db.conninfo());
            MigrationRunner::embedded().migrate(conn);
        }
        WriterConfig config;
        config.conninfo = db.conninfo();
        config.flush_interval = 20ms;
        PostgresWriter writer(config);
        writer.start();
        PostgresRowSink sink(writer);
        const auto write = [&](std::vector<AlertRow> alerts) {
            RowBatch rows;
            rows.alerts = std::move(alerts);
            sink.consume(rows);
            QVERIFY(writer.waitUntilWritten(10s));
        };

        write({alert(11, 1), alert(12, 1)});
        QCOMPARE(stored(db.conninfo(), 11).occurrences, 1);

        const AlertAcknowledger acknowledger(db.conninfo());
        const AlertAcknowledger::Result first = acknowledger.acknowledge({11, 13});
        QVERIFY2(!first.error, first.error.value_or("").c_str());
        QCOMPARE(first.stored, std::size_t{1}); // 13 is not written yet
        QCOMPARE(first.pending, std::size_t{1});

        // The pipeline re-emits 11 with more occurrences, and emits 13 for the first time.
        write({alert(11, 4), alert(12, 2), alert(13, 1)});
        const StoredAlert eleven = stored(db.conninfo(), 11);
        QCOMPARE(eleven.occurrences, 4); // the row was updated...
        QVERIFY(eleven.acknowledged);    // ...and the analyst's mark kept
        QVERIFY(eleven.has_acknowledged_at);
        QVERIFY(!stored(db.conninfo(), 12).acknowledged);
        QVERIFY(stored(db.conninfo(), 13).acknowledged); // acknowledged before it was written

        write({alert(13, 5)});
        QCOMPARE(stored(db.conninfo(), 13).occurrences, 5);
        QVERIFY(stored(db.conninfo(), 13).acknowledged);
        writer.stop();
    }

    // The writer inserts an alert while the analyst acknowledges it: neither transaction sees
    // the other's uncommitted work, yet the row must end acknowledged. Held open here by hand,
    // so the interleaving that once left the row unmarked (its mark stored) is forced.
    void acknowledgingDuringTheFirstInsertStillMarksTheRow() {
        test::ScratchDatabase db;
        pqxx::connection writer(db.conninfo());
        MigrationRunner::embedded().migrate(writer);
        pqxx::work insert(writer);
        insert.exec("INSERT INTO alerts (alert_id, kind, severity, subject, title, message, "
                    "first_seen, last_seen, occurrences) VALUES ('21', 'high_value', "
                    "'critical', 's', 't', 'm', now(), now(), 1)");

        AlertAcknowledger::Result result;
        std::thread window([&] { result = AlertAcknowledger(db.conninfo()).acknowledge({21}); });
        // The acknowledgement waits for the insert's transaction (the shared lock its trigger
        // took) rather than passing it; give it time to reach that wait.
        std::this_thread::sleep_for(300ms);
        insert.commit();
        window.join();
        QVERIFY2(!result.error, result.error.value_or("").c_str());
        QCOMPARE(result.stored, std::size_t{1});
        QVERIFY(stored(db.conninfo(), 21).acknowledged);

        // The other order: the acknowledgement commits while an insert waits for its lock.
        pqxx::connection window_conn(db.conninfo());
        pqxx::work acknowledge(window_conn);
        acknowledge.exec("SELECT pg_advisory_xact_lock(444216730475)");
        acknowledge.exec("INSERT INTO alert_acknowledgements (alert_id) VALUES ('22')");
        std::thread pipeline([&] {
            pqxx::connection conn(db.conninfo());
            pqxx::work txn(conn);
            txn.exec("INSERT INTO alerts (alert_id, kind, severity, subject, title, message, "
                     "first_seen, last_seen, occurrences) VALUES ('22', 'high_value', "
                     "'critical', 's', 't', 'm', now(), now(), 1)");
            txn.commit();
        });
        std::this_thread::sleep_for(300ms);
        acknowledge.commit();
        pipeline.join();
        QVERIFY(stored(db.conninfo(), 22).acknowledged);
    }

    void unreachableServerIsReportedNotThrown() {
        const AlertAcknowledger acknowledger("host=/nonexistent-socket-dir dbname=none");
        const AlertAcknowledger::Result result = acknowledger.acknowledge({1});
        QVERIFY(result.error.has_value());
        QVERIFY(!result.error->empty());
        QCOMPARE(result.stored, std::size_t{0});
    }
};

QTEST_GUILESS_MAIN(TestAlertAcknowledgements)
#include "tst_alert_acknowledgements.moc"
