// SPDX-License-Identifier: GPL-3.0-or-later
// The writer's spill file: records read back exactly as written and in order; a torn tail (a
// crash while spilling) is detected, cut off, kept aside and reported; and the writer spills
// what it cannot write (memory full while the server is away, or left at stop), keeping memory
// bounded, and writes it first at the next start, so that the table ends as if nothing happened.
#include "db_test_support.h"
#include "pipeline/postgres/copy_text.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/spill_file.h"
#include "pipeline/postgres/writer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <pqxx/pqxx>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kT0 = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z

// `count` rows of sales_by_country, minute after minute from `first_minute`, all with the same
// total_transactions (`version`): a later batch with a higher version must win.
TableBatch sales(int first_minute, int count, int version) {
    TableBatch b;
    b.table = "sales_by_country";
    b.columns = {"window_start",       "window_end",    "country",
                 "total_transactions", "total_revenue", "avg_order_value"};
    b.key_columns = {"window_start", "window_end", "country"};
    for (int i = 0; i < count; ++i) {
        CopyTextBuilder row(b);
        const TimestampUs start = kT0 + (first_minute + i) * kMicrosPerMinute;
        row.timestamp(start).timestamp(start + kMicrosPerMinute).text("USA").int64(version);
        row.cents(version * 100).cents(100);
        row.endRow();
    }
    b.progress.push_back({"sales", kT0 + (first_minute + count) * kMicrosPerMinute});
    return b;
}

bool sameBatch(const TableBatch& a, const TableBatch& b) {
    if (a.progress.size() != b.progress.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.progress.size(); ++i) {
        if (a.progress[i].job != b.progress[i].job ||
            a.progress[i].emitted_up_to != b.progress[i].emitted_up_to) {
            return false;
        }
    }
    return a.sameLayout(b) && a.copy_text == b.copy_text && a.rows == b.rows;
}

std::uintmax_t fileSize(const std::filesystem::path& path) {
    return std::filesystem::file_size(path);
}

std::int64_t scalar(const std::string& conninfo, const std::string& sql) {
    pqxx::connection conn(conninfo);
    pqxx::read_transaction txn(conn);
    return txn.exec1(sql)[0].as<std::int64_t>();
}

} // namespace

class TestSpillFile : public QObject {
    Q_OBJECT

private slots:
    void recordsComeBackInOrderAndTheFileGoes();
    void tornTailIsDetectedCutAndReported();
    void notASpillFileIsRefused();
    void secondProcessCannotShareTheFile();
    void writerSpillsWhileTheServerIsAwayAndWritesAtTheNextStart();
    void writerReportsATornSpillFileAndWritesTheIntactRecords();
};

void TestSpillFile::recordsComeBackInOrderAndTheFileGoes() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("s/rows.spill").toStdString();
    std::vector<TableBatch> written = {sales(0, 3, 1), sales(3, 1000, 1), sales(0, 2, 2)};
    written[1].on_conflict = ConflictAction::Ignore;
    written.push_back(TableBatch{}); // progress marks only: no table, no rows
    written.back().progress.push_back({"views", 42});
    {
        auto file = SpillFile::open(path, "test database");
        QVERIFY(file->empty());
        QVERIFY(!std::filesystem::exists(path)); // created on the first append
        for (const TableBatch& batch : written) {
            file->append(batch);
        }
        QCOMPARE(file->unreadBatches(), std::uint64_t{4});
        QCOMPARE(file->unreadRows(), std::uint64_t{1005});
        file->sync();
    }
    // A later process finds them all, reads them back in order, and the file is removed.
    auto again = SpillFile::open(path, "test database");
    QCOMPARE(again->found().batches, std::uint64_t{4});
    QCOMPARE(again->found().rows, std::uint64_t{1005});
    QCOMPARE(again->found().torn_bytes, std::uint64_t{0});
    QVERIFY(again->found().torn_note.empty());
    std::vector<TableBatch> read = again->readNext(1); // at least one record
    QCOMPARE(read.size(), std::size_t{1});
    for (auto more = again->readNext(1 << 20); !more.empty(); more = again->readNext(1 << 20)) {
        for (TableBatch& batch : more) {
            read.push_back(std::move(batch));
        }
    }
    QCOMPARE(read.size(), written.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        QVERIFY2(sameBatch(read[i], written[i]), qPrintable(QString::number(i)));
    }
    QVERIFY(again->empty());
    QVERIFY(!std::filesystem::exists(path));

    // rewriteWithFront puts memory (older) before what is still unread on disk (newer).
    again->append(written[2]);
    const TableBatch older = sales(100, 5, 1);
    again->rewriteWithFront({&older});
    const auto front = again->readNext(1);
    QVERIFY(sameBatch(front.at(0), older));
    QVERIFY(sameBatch(again->readNext(1).at(0), written[2]));
}

void TestSpillFile::tornTailIsDetectedCutAndReported() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("rows.spill").toStdString();
    std::uintmax_t intact = 0;
    {
        auto file = SpillFile::open(path, "test database");
        file->append(sales(0, 10, 1));
        file->append(sales(10, 20, 1));
        intact = fileSize(path);
    }
    // A crash in the middle of the third record: its header and part of its payload.
    const std::string third = SpillFile::encodeRecord(sales(30, 500, 1));
    {
        std::ofstream out(path, std::ios::binary | std::ios::app);
        out.write(third.data(), static_cast<std::streamsize>(third.size() / 2));
    }
    auto file = SpillFile::open(path, "test database");
    const SpillFile::Found& found = file->found();
    QCOMPARE(found.batches, std::uint64_t{2});
    QCOMPARE(found.rows, std::uint64_t{30});
    QCOMPARE(found.torn_bytes, std::uint64_t{third.size() / 2});
    QCOMPARE(found.torn_rows, std::uint64_t{500}); // from the torn record's intact header
    QVERIFY2(found.torn_note.find("torn tail") != std::string::npos, found.torn_note.c_str());
    QVERIFY(found.torn_note.find(path.string()) != std::string::npos);
    QVERIFY(found.torn_note.find('\n') == std::string::npos);
    QCOMPARE(fileSize(path), intact);                              // cut off ...
    QCOMPARE(fileSize(path.string() + ".torn"), third.size() / 2); // ... and kept aside
    const auto read = file->readNext(1 << 20);
    QCOMPARE(read.size(), std::size_t{2});
    QVERIFY(sameBatch(read[1], sales(10, 20, 1)));
    file.reset();

    // A flipped byte inside a record: the checksum catches it, the records before it survive.
    {
        auto flipped = SpillFile::open(path, "test database");
        flipped->append(sales(0, 10, 1));
        flipped->append(sales(10, 20, 1));
    }
    {
        std::fstream io(path, std::ios::binary | std::ios::in | std::ios::out);
        io.seekp(static_cast<std::streamoff>(fileSize(path) - 5));
        io.put('X');
    }
    auto checked = SpillFile::open(path, "test database");
    QCOMPARE(checked->found().batches, std::uint64_t{1});
    QCOMPARE(checked->found().rows, std::uint64_t{10});
    QVERIFY(checked->found().torn_bytes > 0);
}

void TestSpillFile::notASpillFileIsRefused() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("rows.spill").toStdString();
    std::ofstream(path) << "something else entirely, not to be overwritten\n";
    try {
        SpillFile::open(path, "test database");
        QFAIL("opened a file that is not a spill file");
    } catch (const SpillError& e) {
        QVERIFY2(std::string(e.what()).find("not a globalmart spill file") != std::string::npos,
                 e.what());
    }
    QVERIFY(fileSize(path) > 10); // left alone
}

void TestSpillFile::secondProcessCannotShareTheFile() {
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("rows.spill").toStdString();
    auto first = SpillFile::open(path, "test database");
    try {
        SpillFile::open(path, "test database");
        QFAIL("two owners of one spill file");
    } catch (const SpillError& e) {
        QVERIFY2(std::string(e.what()).find("another globalmart process") != std::string::npos,
                 e.what());
    }
    first.reset();
    QVERIFY(!std::filesystem::exists(path.string() + ".lock")); // nothing spilled: no litter
    QVERIFY(SpillFile::open(path, "test database") != nullptr); // free again
}

void TestSpillFile::writerSpillsWhileTheServerIsAwayAndWritesAtTheNextStart() {
    GM_REQUIRE_SERVER();
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    QTemporaryDir dir;
    const std::filesystem::path spill = dir.filePath("rows.spill").toStdString();

    WriterConfig away;
    away.conninfo = "postgresql://gm@127.0.0.1:1/globalmart"; // nobody listens on port 1
    away.flush_rows = 500;
    away.flush_interval = 10ms;
    away.backoff_min = 10ms;
    away.backoff_max = 50ms;
    away.buffer_rows = 1000;
    away.buffer_bytes = 64 << 10;
    away.spill_path = spill;
    std::uint64_t pushed_rows = 0;
    {
        PostgresWriter writer(away);
        writer.start();
        QTRY_COMPARE_WITH_TIMEOUT(writer.status().state, WriterState::Retrying, 5000);
        // Version 1 of minutes 0..9999, then version 2 of the first 100: order must survive.
        for (int b = 0; b < 20; ++b) {
            QVERIFY(writer.push(sales(b * 500, 500, 1))); // never blocks: spills instead
            pushed_rows += 500;
            const WriterStatus status = writer.status();
            QVERIFY2(status.buffered_bytes <= away.buffer_bytes + (64 << 10),
                     qPrintable(QString::number(status.buffered_bytes))); // memory bounded
        }
        QVERIFY(writer.push(sales(0, 100, 2)));
        pushed_rows += 100;
        const WriterStatus spilling = writer.status();
        QVERIFY(spilling.spilled_rows > 0);
        QCOMPARE(spilling.buffered_rows, pushed_rows); // memory + spilled: every row counted
        QVERIFY(!writer.acceptingInput());
        QVERIFY(std::filesystem::exists(spill));

        writer.stop(0ms); // out of time: the rest goes to the spill file too
        const WriterStatus stopped = writer.status();
        QCOMPARE(stopped.state, WriterState::Stopped);
        QCOMPARE(stopped.rows_written, std::uint64_t{0});
        QCOMPARE(stopped.rows_abandoned, std::uint64_t{0});
        QCOMPARE(stopped.spilled_rows, pushed_rows);
        QCOMPARE(stopped.buffered_rows, pushed_rows);
        QCOMPARE(stopped.spill_path, spill.string());
        // Stopped, a push still lands in the spill file rather than being dropped.
        QVERIFY(writer.push(sales(20'000, 7, 1)));
        pushed_rows += 7;
        QCOMPARE(writer.status().spilled_rows, pushed_rows);
    }

    // The next start, with the server there: the spilled rows go first, then the file goes.
    WriterConfig back = away;
    back.conninfo = db.conninfo();
    PostgresWriter writer(back);
    QCOMPARE(writer.status().rows_from_earlier_run, pushed_rows);
    QCOMPARE(writer.acceptedBatches(), std::uint64_t{22});
    writer.start();
    QVERIFY(writer.push(sales(30'000, 3, 1))); // new data, after the spilled rows
    QVERIFY(writer.waitUntilWritten(60s));
    const WriterStatus after = writer.status();
    QCOMPARE(after.rows_written, pushed_rows + 3);
    QCOMPARE(after.spilled_rows, std::uint64_t{0});
    QCOMPARE(after.buffered_rows, std::size_t{0});
    writer.stop();
    QVERIFY(!std::filesystem::exists(spill));
    QCOMPARE(scalar(db.conninfo(), "SELECT count(*) FROM sales_by_country"),
             std::int64_t{10'000 + 7 + 3});
    QCOMPARE(
        scalar(db.conninfo(), "SELECT count(*) FROM sales_by_country WHERE total_transactions = 2"),
        std::int64_t{100});
    QCOMPARE(scalar(db.conninfo(), "SELECT extract(epoch FROM emitted_up_to)::bigint FROM "
                                   "pipeline_progress WHERE job = 'sales'"),
             (kT0 + std::int64_t{30'003} * kMicrosPerMinute) / kMicrosPerSecond);
}

void TestSpillFile::writerReportsATornSpillFileAndWritesTheIntactRecords() {
    GM_REQUIRE_SERVER();
    test::ScratchDatabase db;
    {
        pqxx::connection conn(db.conninfo());
        MigrationRunner::embedded().migrate(conn);
    }
    QTemporaryDir dir;
    const std::filesystem::path spill = dir.filePath("rows.spill").toStdString();
    {
        auto file = SpillFile::open(spill, "test database");
        file->append(sales(0, 40, 1));
        file->append(sales(40, 60, 1));
    }
    const std::string torn = SpillFile::encodeRecord(sales(100, 25, 1));
    {
        std::ofstream out(spill, std::ios::binary | std::ios::app);
        out.write(torn.data(), 30); // the header and a few payload bytes
    }
    WriterConfig config;
    config.conninfo = db.conninfo();
    config.flush_interval = 10ms;
    config.spill_path = spill;
    PostgresWriter writer(config);
    const WriterStatus found = writer.status();
    QCOMPARE(found.rows_from_earlier_run, std::uint64_t{100});
    QVERIFY2(found.spill_problem.find("torn tail of 30 bytes") != std::string::npos,
             found.spill_problem.c_str());
    QVERIFY2(found.spill_problem.find("25 rows") != std::string::npos, found.spill_problem.c_str());
    writer.start();
    QVERIFY(writer.waitUntilWritten(60s));
    writer.stop();
    QCOMPARE(scalar(db.conninfo(), "SELECT count(*) FROM sales_by_country"), std::int64_t{100});
    QVERIFY(!std::filesystem::exists(spill));
    QCOMPARE(fileSize(spill.string() + ".torn"), std::uintmax_t{30});
}

QTEST_GUILESS_MAIN(TestSpillFile)
#include "tst_spill_file.moc"
