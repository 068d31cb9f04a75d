// SPDX-License-Identifier: GPL-3.0-or-later
// One timeline per database, with the real program against the test server: a second run into
// a database that holds history continues where that history ends (its start-up output says
// where) and changes no row the first run wrote; a --start before the stored end is refused
// with one line naming --start and that end (exit 2), and accepted with --overwrite-history.
#include "db_test_support.h"
#include "generator/timestamp.h"
#include "tests/support/program_run.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <map>
#include <pqxx/pqxx>
#include <set>

using namespace gm;

namespace {

using Run = test::ProgramRun;

Run runGlobalmart(const QStringList& arguments, int timeout_ms = 90'000) {
    return test::runProgram(QStringLiteral(GLOBALMART_EXECUTABLE), arguments, timeout_ms);
}

// A small shop at x60 for two real seconds: two simulated minutes of every table.
QStringList shop(const std::string& conninfo) {
    return {"--headless", "--db",      QString::fromStdString(conninfo),
            "--rate",     "3000",      "--accelerate",
            "60",         "--users",   "500",
            "--products", "100",       "--duration",
            "2",          "--workers", "1"};
}

// Every table's rows as whole-row text, created_at included: a row "changed" in any way shows.
// stock_levels is running state (stock now, per product), which every run rewrites by design.
std::map<std::string, std::set<std::string>> contents(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    pqxx::work work(connection);
    work.exec("SET TIME ZONE 'UTC'");
    std::map<std::string, std::set<std::string>> tables;
    for (const auto& table :
         work.exec("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                   "AND table_type = 'BASE TABLE' AND table_name NOT IN ('schema_version', "
                   "'stock_levels')")) {
        const std::string name = table[0].as<std::string>();
        auto& rows = tables[name];
        for (const auto& row :
             work.exec("SELECT t::text FROM " + connection.quote_name(name) + " t")) {
            rows.insert(row[0].as<std::string>());
        }
    }
    return tables;
}

// The end of the stored history computed the slow, obvious way: the newest window end of the
// time-keyed window tables (full scans, no index tricks). Nothing when no window is stored.
std::optional<TimestampUs> newestWindowEnd(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    pqxx::work work(connection);
    std::string parts;
    for (const char* table :
         {"sales_per_minute", "sales_by_country", "cart_metrics", "trending_products",
          "category_performance", "search_behavior", "suspicious_patterns", "anomaly_stats",
          "product_sales_velocity", "inventory_by_country", "high_demand_alerts", "restock_alerts",
          "inventory_metrics"}) {
        parts +=
            std::string(parts.empty() ? "" : ", ") + "(SELECT max(window_end) FROM " + table + ")";
    }
    const auto end =
        work.exec1("SELECT (extract(epoch FROM GREATEST(" + parts + ")) * 1000000)::bigint")[0];
    return end.is_null() ? std::nullopt : std::optional(end.as<TimestampUs>());
}

// An hour-aligned --start `hours` ahead of now, as a x60 run leaves its history.
QString startAhead(int hours) {
    const QDateTime ahead = QDateTime::currentDateTimeUtc().addSecs(hours * 3600);
    return QDateTime(ahead.date(), QTime(ahead.time().hour(), 0), Qt::UTC).toString(Qt::ISODate);
}

// The time a note or message gives after `marker`, e.g. "starts at 2026-12-03T15:02:00.000000Z".
std::optional<TimestampUs> timeAfter(const QString& text, const QString& marker) {
    const QRegularExpression pattern(QRegularExpression::escape(marker) +
                                     QStringLiteral("(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)"));
    const auto match = pattern.match(text);
    if (!match.hasMatch()) {
        return std::nullopt;
    }
    return parseIsoTimestamp(match.captured(1).toStdString());
}

} // namespace

class TestOneTimeline : public QObject {
    Q_OBJECT

private slots:
    void init() { GM_REQUIRE_SERVER(); }

    void aSecondRunContinuesAndChangesNoRowOfTheFirst() {
        test::ScratchDatabase db;
        // The first run is an hour ahead of now, as a x60 run leaves it.
        const QString start = startAhead(1);
        const Run first = runGlobalmart(shop(db.conninfo()) + QStringList{"--start", start});
        QVERIFY2(first.exit_code == 0, qPrintable(first.out + first.err));
        QVERIFY2(first.out.contains("the database holds no history yet"), qPrintable(first.out));
        const auto before = contents(db.conninfo());
        QVERIFY(before.at("sales_per_minute").size() >= 2);
        QVERIFY(!before.at("transactions").empty());
        const std::optional<TimestampUs> stored_end = newestWindowEnd(db.conninfo());
        QVERIFY(stored_end);
        // Its span is recorded, and exactly its last minute (the stop cut it) reads as partial.
        {
            pqxx::connection connection(db.conninfo());
            pqxx::work work(connection);
            const auto run = work.exec1(
                "SELECT (extract(epoch FROM events_from) * 1000000)::bigint, (extract(epoch FROM "
                "events_until) * 1000000)::bigint, (SELECT (extract(epoch FROM GREATEST((SELECT "
                "max(\"timestamp\") FROM transactions), (SELECT max(\"timestamp\") FROM "
                "cart_events), (SELECT max(\"timestamp\") FROM product_view_events))) * "
                "1000000)::bigint) FROM generator_runs");
            QCOMPARE(run[0].as<TimestampUs>(), *parseIsoTimestamp(start.toStdString()));
            QCOMPARE(run[1].as<TimestampUs>(), run[2].as<TimestampUs>()); // the last event
            const auto partial = work.exec(
                "SELECT window_start = (SELECT max(window_start) FROM sales_per_minute) FROM "
                "sales_per_minute WHERE window_is_partial(window_start, window_end)");
            // The stop cuts the minute of the last event; when that event was a view or a cart
            // event, that minute has no sales row, and no sales row is partial.
            const bool last_minute_has_sales =
                work.exec1("SELECT max(window_end) > (SELECT events_until FROM generator_runs) "
                           "FROM sales_per_minute")[0]
                    .as<bool>();
            QCOMPARE(partial.size(), pqxx::result::size_type{last_minute_has_sales ? 1u : 0u});
            if (!partial.empty()) {
                QVERIFY(partial[0][0].as<bool>());
            }
        }

        // Same seed, default start (now): it must continue where the history ends.
        const Run second = runGlobalmart(shop(db.conninfo()));
        QVERIFY2(second.exit_code == 0, qPrintable(second.out + second.err));
        const auto continued =
            timeAfter(second.out, "continuing the stored history: simulated time starts at ");
        QVERIFY2(continued.has_value(), qPrintable(second.out));
        QCOMPARE(continued, stored_end);
        // The summary gives the same start, not the "now" the run was asked for.
        QVERIFY2(second.out.contains(
                     QString::fromStdString("simulated time  " + formatIsoTimestamp(*stored_end))),
                 qPrintable(second.out));

        const auto after = contents(db.conninfo());
        std::size_t rows_before = 0;
        std::size_t rows_after = 0;
        for (const auto& [table, rows] : before) {
            rows_before += rows.size();
            rows_after += after.at(table).size();
            for (const std::string& row : rows) {
                QVERIFY2(after.at(table).count(row) == 1,
                         qPrintable(QString::fromStdString(table + ": changed or gone: " + row)));
            }
        }
        QVERIFY2(rows_after > rows_before + 100, qPrintable(QString::number(rows_after)));
        QCOMPARE(after.at("generator_runs").size(), std::size_t{2});
        // Its events are all later than the first run's history.
        pqxx::connection connection(db.conninfo());
        pqxx::work work(connection);
        // The second run's first minute starts on the continuation (whole), its last one is
        // cut off; the first run's cut-off minute stays marked.
        QCOMPARE(work.exec1("SELECT count(*) FROM sales_per_minute WHERE "
                            "window_is_partial(window_start, window_end)")[0]
                     .as<long long>(),
                 2LL);
        const auto earliest_new =
            work.exec1("SELECT count(*) FROM transactions WHERE \"timestamp\" < '" +
                       formatIsoTimestamp(*continued) + "'")[0]
                .as<long long>();
        QCOMPARE(earliest_new, static_cast<long long>(before.at("transactions").size()));
    }

    void aCrashedRunsRawEventsAreNotWrittenOverEither() {
        test::ScratchDatabase db;
        // SIGKILL while running: raw events are in, the open windows never closed.
        QProcess crashed;
        crashed.start(QStringLiteral(GLOBALMART_EXECUTABLE),
                      shop(db.conninfo()) +
                          QStringList{"--start", startAhead(3), "--duration", "60"});
        QVERIFY(crashed.waitForStarted());
        const auto stored = [&] {
            try {
                pqxx::connection connection(db.conninfo());
                pqxx::nontransaction work(connection);
                return work.exec1("SELECT count(*) FROM product_view_events")[0].as<long long>();
            } catch (const std::exception&) {
                return 0LL; // schema not there yet
            }
        };
        QTRY_VERIFY_WITH_TIMEOUT(stored() > 2000, 30'000);
        crashed.kill();
        crashed.waitForFinished();
        pqxx::connection connection(db.conninfo());
        const auto newest_raw = [&] {
            pqxx::nontransaction work(connection);
            return work
                .exec1("SELECT (extract(epoch FROM GREATEST((SELECT max(\"timestamp\") FROM "
                       "transactions), (SELECT max(\"timestamp\") FROM cart_events), (SELECT "
                       "max(\"timestamp\") FROM product_view_events))) * 1000000)::bigint")[0]
                .as<TimestampUs>();
        }();
        // Its last windows are missing (maybe all of them, when killed within the first one).
        const std::optional<TimestampUs> windows_end = newestWindowEnd(db.conninfo());
        QVERIFY(!windows_end || newest_raw > *windows_end);

        const Run second = runGlobalmart(shop(db.conninfo()));
        QVERIFY2(second.exit_code == 0, qPrintable(second.out + second.err));
        const auto continued =
            timeAfter(second.out, "continuing the stored history: simulated time starts at ");
        QVERIFY2(continued.has_value(), qPrintable(second.out));
        QCOMPARE(*continued, newest_raw + 1);
        // The crashed run's span has no end: it wrote no cut-off window.
        pqxx::nontransaction work(connection);
        QCOMPARE(work.exec1("SELECT count(*) FROM generator_runs WHERE events_until IS NULL")[0]
                     .as<long long>(),
                 1LL);
    }

    void anEarlierStartIsRefusedUnlessOverwriteIsAsked() {
        test::ScratchDatabase db;
        const QString start = startAhead(2);
        const Run first = runGlobalmart(shop(db.conninfo()) + QStringList{"--start", start});
        QVERIFY2(first.exit_code == 0, qPrintable(first.out + first.err));
        const std::optional<TimestampUs> stored_end = newestWindowEnd(db.conninfo());
        QVERIFY(stored_end);

        const Run refused = runGlobalmart(shop(db.conninfo()) + QStringList{"--start", start});
        QCOMPARE(refused.status, QProcess::NormalExit);
        QVERIFY2(refused.exit_code == 2, qPrintable(refused.out + refused.err));
        const QString message = refused.err.trimmed();
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        QVERIFY2(message.startsWith("globalmart: --start: "), qPrintable(message));
        QVERIFY2(message.contains("--overwrite-history"), qPrintable(message));
        QCOMPARE(timeAfter(message, "stored in the database ("), stored_end);

        // A backfill ending now lies before it too.
        const Run backfill = runGlobalmart(
            {"--headless", "--db", QString::fromStdString(db.conninfo()), "--backfill-days", "1"});
        QVERIFY2(backfill.exit_code == 2, qPrintable(backfill.out + backfill.err));
        QVERIFY2(backfill.err.startsWith("globalmart: --backfill-days: "),
                 qPrintable(backfill.err));

        const Run overwrite = runGlobalmart(shop(db.conninfo()) +
                                            QStringList{"--start", start, "--overwrite-history"});
        QVERIFY2(overwrite.exit_code == 0, qPrintable(overwrite.out + overwrite.err));
        QCOMPARE(timeAfter(overwrite.out, "--overwrite-history: simulated time starts at "),
                 parseIsoTimestamp(start.toStdString()));
    }

    void overwriteHistoryNeedsAGeneratorRunWithADatabase() {
        const Run run = runGlobalmart({"--headless", "--no-db", "--overwrite-history"});
        QVERIFY2(run.exit_code == 2, qPrintable(run.out + run.err));
        QVERIFY2(run.err.contains("--overwrite-history only applies"), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestOneTimeline)
#include "tst_one_timeline.moc"
