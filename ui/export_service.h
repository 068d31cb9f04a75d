// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QWidget;

namespace gm {

class ChartPanel;
class DashboardPage;
class TablePanel;

// The export commands behind the buttons and Ctrl+E: asks for a file name in the folder used
// last (remembered in QSettings), writes, and reports in the status bar. CSV runs on a worker
// thread with a progress dialog that can cancel it.
class ExportService : public QObject {
    Q_OBJECT
public:
    explicit ExportService(QWidget* window);

    void exportChart(ChartPanel& panel, const QString& format);
    void exportTable(TablePanel& panel);
    void exportPagePdf(DashboardPage& page);
    // Ctrl+E: offers everything the page has (its charts, tables and the page as PDF).
    void exportFromPage(DashboardPage& page);

signals:
    void message(const QString& text);

private:
    QString askPath(const QString& title, const QString& base_name, const QString& suffix,
                    const QString& filter);

    QWidget* window_;
};

} // namespace gm
