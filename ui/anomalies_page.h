// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/table_data.h"
#include "ui/dashboard_page.h"

class QTabWidget;

namespace gm {

class StatTile;
class TablePanel;
class TimeChart;

// Anomalies per minute by severity and the three drill-down tables. Double-clicking a minute
// on the chart shows that minute's rows (and the clicked severity) in the tables.
class AnomaliesPage : public DashboardPage {
    Q_OBJECT
public:
    explicit AnomaliesPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;

    TablePanel* highValue() const { return high_value_; }
    TablePanel* highQuantity() const { return high_quantity_; }
    TablePanel* suspicious() const { return suspicious_; }
    // Shows the rows of one anomaly_stats window (and severity, when not empty).
    void drillInto(TimestampUs window_start, const QString& severity);

signals:
    // The visible table changed: the window redraws at once so it is not a tick behind.
    void tabChanged();

private:
    QString relatedHtml(const TableData& table, const QVariantList& row) const;

    TimeChart* chart_;
    QTabWidget* tabs_;
    TablePanel* high_value_;
    TablePanel* high_quantity_;
    TablePanel* suspicious_;
    StatTile* critical_;
    StatTile* high_;
    StatTile* medium_;
    TimestampUs stats_window_ = kMicrosPerMinute;
    TimestampUs suspicious_window_ = 5 * kMicrosPerMinute;
    VersionGate gates_[4];         // high value, high quantity, suspicious tables; row copies
    std::vector<AlertRow> alerts_; // for the detail pane's related alerts
    std::vector<HighValueAnomalyRow> high_value_rows_;
    std::vector<HighQuantityAnomalyRow> high_quantity_rows_;
    std::vector<SuspiciousPatternRow> suspicious_rows_;
};

} // namespace gm
