// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/csv_export_job.h"

#include <QPromise>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace gm {

QFuture<QString> startCsvExport(const QString& path, CsvTable table) {
    return QtConcurrent::run(
        [](QPromise<QString>& promise, const QString& target, const CsvTable& rows) {
            promise.setProgressRange(0, static_cast<int>(rows.rows.size()));
            QSaveFile file(target);
            if (!file.open(QIODevice::WriteOnly)) {
                promise.addResult(file.errorString());
                return;
            }
            const bool complete = writeCsv(file, rows, [&promise](qsizetype written) {
                promise.setProgressValue(static_cast<int>(written));
                return !promise.isCanceled();
            });
            if (!complete || promise.isCanceled()) {
                file.cancelWriting();
                promise.addResult(promise.isCanceled() ? QStringLiteral("cancelled")
                                                       : file.errorString());
                return;
            }
            promise.addResult(file.commit() ? QString() : file.errorString());
        },
        path, std::move(table));
}

} // namespace gm
