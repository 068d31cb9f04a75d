// SPDX-License-Identifier: GPL-3.0-or-later
// A long export runs off the UI thread, reports progress and can be cancelled.
#include "ui/csv_export_job.h"

#include <QFile>
#include <QFutureWatcher>
#include <QTemporaryDir>
#include <QtTest>

using namespace gm;

namespace {

CsvTable bigTable(int rows) {
    CsvTable table;
    table.header = {QStringLiteral("id"), QStringLiteral("text")};
    table.rows.reserve(rows);
    for (int i = 0; i < rows; ++i) {
        table.rows << QStringList{QString::number(i), QStringLiteral("row, with \"quotes\"")};
    }
    return table;
}

} // namespace

class CsvExportJobTest : public QObject {
    Q_OBJECT
private slots:
    void completesWithProgress() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        QFutureWatcher<QString> watcher;
        QSignalSpy progress(&watcher, &QFutureWatcher<QString>::progressValueChanged);
        QSignalSpy finished(&watcher, &QFutureWatcher<QString>::finished);
        watcher.setFuture(startCsvExport(path, bigTable(20'000)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
        QCOMPARE(watcher.result(), QString());
        QVERIFY(progress.count() > 0);
        QCOMPARE(watcher.progressMaximum(), 20'000);
        QCOMPARE(progress.last().at(0).toInt(), 20'000);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count("\r\n"), 20'001);
    }

    void cancelStopsAndLeavesNoFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cancelled.csv"));
        const int rows = 3'000'000;
        QFutureWatcher<QString> watcher;
        QSignalSpy finished(&watcher, &QFutureWatcher<QString>::finished);
        int last_progress = 0;
        connect(&watcher, &QFutureWatcher<QString>::progressValueChanged, this, [&](int value) {
            last_progress = value;
            if (value > 0) {
                watcher.cancel(); // what the progress dialog's Cancel button does
            }
        });
        watcher.setFuture(startCsvExport(path, bigTable(rows)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60'000);
        QVERIFY(watcher.isCanceled());
        QVERIFY(last_progress > 0);
        QVERIFY(last_progress < rows);
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(CsvExportJobTest)
#include "tst_csv_export_job.moc"
