// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/export_service.h"

#include "models/row_table_model.h"
#include "ui/chart_export.h"
#include "ui/chart_panel.h"
#include "ui/csv_export_job.h"
#include "ui/dashboard_page.h"
#include "ui/table_panel.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QInputDialog>
#include <QProgressDialog>
#include <QSettings>
#include <QStandardPaths>

namespace gm {
namespace {

QString slug(const QString& title) {
    QString out;
    for (const QChar c : title.toLower()) {
        out += c.isLetterOrNumber() ? c : QLatin1Char('-');
    }
    while (out.contains(QLatin1String("--"))) {
        out.replace(QLatin1String("--"), QLatin1String("-"));
    }
    return out;
}

} // namespace

ExportService::ExportService(QWidget* window) : QObject(window), window_(window) {}

QString ExportService::askPath(const QString& title, const QString& base_name,
                               const QString& suffix, const QString& filter) {
    QSettings settings;
    const QString folder =
        settings
            .value(QStringLiteral("export/folder"),
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString();
    const QString stamp =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss'Z'"));
    const QString suggestion =
        QDir(folder).filePath(QStringLiteral("%1-%2.%3").arg(slug(base_name), stamp, suffix));
    QString path = QFileDialog::getSaveFileName(window_, title, suggestion, filter);
    if (path.isEmpty()) {
        return {};
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QLatin1Char('.') + suffix;
    }
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path).absolutePath());
    return path;
}

void ExportService::exportChart(ChartPanel& panel, const QString& format) {
    const bool svg = format == QLatin1String("svg");
    const QString path = askPath(tr("Export chart"), panel.title(), format,
                                 svg ? tr("SVG image (*.svg)") : tr("PNG image (*.png)"));
    if (path.isEmpty()) {
        return;
    }
    const bool ok = svg ? saveChartSvg(panel, path) : saveChartPng(panel, path);
    emit message(ok ? tr("Saved %1").arg(QDir::toNativeSeparators(path))
                    : tr("Could not write %1").arg(QDir::toNativeSeparators(path)));
}

void ExportService::exportPagePdf(DashboardPage& page) {
    const QString path = askPath(tr("Export page as PDF"), page.title(), QStringLiteral("pdf"),
                                 tr("PDF document (*.pdf)"));
    if (path.isEmpty()) {
        return;
    }
    const bool ok = savePagePdf(page, page.title(), path);
    emit message(ok ? tr("Saved %1").arg(QDir::toNativeSeparators(path))
                    : tr("Could not write %1").arg(QDir::toNativeSeparators(path)));
}

void ExportService::exportTable(TablePanel& panel) {
    const QString path = askPath(tr("Export table as CSV"), panel.title(), QStringLiteral("csv"),
                                 tr("CSV, UTF-8 (*.csv)"));
    if (path.isEmpty()) {
        return;
    }
    // Copy the filtered, sorted view now (fast, UI thread); format and write it off-thread.
    CsvTable table = csvFromModel(*panel.proxy(), RowTableModel::ExportRole);
    const auto rows = static_cast<int>(table.rows.size());
    auto* watcher = new QFutureWatcher<QString>(this);
    auto* progress = new QProgressDialog(tr("Writing %1 rows…").arg(rows), tr("Cancel"), 0,
                                         std::max(rows, 1), window_);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    connect(watcher, &QFutureWatcher<QString>::progressValueChanged, progress,
            &QProgressDialog::setValue);
    connect(progress, &QProgressDialog::canceled, watcher, &QFutureWatcher<QString>::cancel);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, progress, path] {
        const QString error =
            watcher->future().resultCount() > 0 ? watcher->future().result() : tr("cancelled");
        emit message(error.isEmpty() ? tr("Saved %1").arg(QDir::toNativeSeparators(path))
                                     : tr("CSV export not saved (%1)").arg(error));
        progress->deleteLater();
        watcher->deleteLater();
    });
    watcher->setFuture(startCsvExport(path, std::move(table)));
}

void ExportService::exportFromPage(DashboardPage& page) {
    QStringList choices;
    const QList<ChartPanel*> charts = page.charts();
    const QList<TablePanel*> tables = page.tables();
    choices << tr("Whole page as PDF");
    for (ChartPanel* chart : charts) {
        choices << tr("Chart “%1” as PNG").arg(chart->title())
                << tr("Chart “%1” as SVG").arg(chart->title());
    }
    for (TablePanel* table : tables) {
        choices << tr("Table “%1” as CSV (rows shown)").arg(table->title());
    }
    bool ok = false;
    const QString choice = QInputDialog::getItem(window_, tr("Export"),
                                                 tr("What to export from %1:").arg(page.title()),
                                                 choices, 0, false, &ok);
    if (!ok) {
        return;
    }
    const auto index = choices.indexOf(choice);
    if (index == 0) {
        exportPagePdf(page);
    } else if (index <= charts.size() * 2) {
        const auto chart = (index - 1) / 2;
        exportChart(*charts[chart],
                    (index - 1) % 2 == 0 ? QStringLiteral("png") : QStringLiteral("svg"));
    } else {
        exportTable(*tables[index - 1 - charts.size() * 2]);
    }
}

} // namespace gm
