// SPDX-License-Identifier: GPL-3.0-or-later
// A CSV sink whose files cannot be written (a full disk: /dev/full behind a symlink) says so,
// naming the file and the reason, and stops; it never reports success over cut files.
#include "pipeline/runtime/csv_sink.h"
#include "pipeline/table_schema.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <stdexcept>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T12:00:00Z");

// Enough rows to overflow any stdio buffer several times.
RowBatch manySalesRows() {
    RowBatch rows;
    for (int i = 0; i < 20'000; ++i) {
        SalesPerMinuteRow row;
        row.window_start = kStart + i * kMicrosPerMinute;
        row.window_end = row.window_start + kMicrosPerMinute;
        row.total_transactions = static_cast<std::uint64_t>(i);
        rows.sales_per_minute.push_back(row);
    }
    return rows;
}

// <dir>/<table>.csv -> /dev/full for the given table: every write there fails with ENOSPC.
bool fillUp(const QTemporaryDir& dir, TableId table) {
    return QFile::link("/dev/full", dir.filePath(QString::fromLatin1(tableName(table)) + ".csv"));
}

} // namespace

class TestCsvSinkFailures : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!QFile::exists("/dev/full")) {
            QSKIP("no /dev/full on this system");
        }
    }

    void aFullDiskIsReportedWithFileAndReason() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(fillUp(dir, TableId::SalesPerMinute));
        CsvSink sink(dir.path().toStdString());
        QVERIFY(!sink.failure());
        sink.consume(manySalesRows()); // ~1 MB: the stdio buffer overflows into /dev/full
        const auto failure = sink.failure();
        QVERIFY(failure);
        const QString message = QString::fromStdString(*failure);
        QVERIFY2(message.contains(dir.filePath("sales_per_minute.csv")), qPrintable(message));
        QVERIFY2(message.contains("No space left on device"), qPrintable(message));
        QVERIFY2(!message.contains('\n'), qPrintable(message));
        sink.finish();
        QCOMPARE(sink.failure(), failure); // the first failure is the one reported
    }

    // A few rows fit in the stdio buffer: the failure shows when they are flushed at the end.
    void aFailingFlushAtTheEndIsReported() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(fillUp(dir, TableId::Alerts));
        CsvSink sink(dir.path().toStdString());
        RowBatch rows;
        rows.alerts.emplace_back();
        sink.consume(rows);
        QVERIFY(!sink.failure());
        sink.finish();
        const auto failure = sink.failure();
        QVERIFY(failure);
        QVERIFY2(QString::fromStdString(*failure).contains(dir.filePath("alerts.csv")),
                 failure->c_str());
        QVERIFY2(QString::fromStdString(*failure).contains("No space left on device"),
                 failure->c_str());
    }

    void healthyFilesReportNothing() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            CsvSink sink(dir.path().toStdString());
            sink.consume(manySalesRows());
            sink.finish();
            QVERIFY(!sink.failure());
        }
        QFile file(dir.filePath("sales_per_minute.csv"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count("\r\n"), 20'001); // header + every row, none cut
    }

    void aFileWhereTheDirectoryShouldBeIsNamed() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile plain(dir.filePath("plain"));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        for (const QString& path : {dir.filePath("plain"), dir.filePath("plain/sub")}) {
            try {
                CsvSink sink(path.toStdString());
                QFAIL("a file is not a directory");
            } catch (const std::runtime_error& error) {
                const QString message = QString::fromUtf8(error.what());
                QVERIFY2(message.startsWith("--out-dir: "), qPrintable(message));
                QVERIFY2(message.contains(path), qPrintable(message));
                QVERIFY2(message.contains("not a directory", Qt::CaseInsensitive),
                         qPrintable(message));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCsvSinkFailures)
#include "tst_csv_sink_failures.moc"
