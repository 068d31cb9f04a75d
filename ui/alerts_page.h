// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/postgres/alert_acknowledger.h"
#include "ui/dashboard_page.h"

#include <optional>

class QPushButton;

namespace gm {

class StatTile;
class TablePanel;

// The deduplicated alert feed (one row per alert, occurrences counted) with acknowledgement.
// Acknowledging marks the rows at once and, when the run persists, stores the marks in
// PostgreSQL on a worker thread (never on the UI thread). The feed follows the window's time
// range: Live shows the alerts in memory, a range those whose occurrences overlap it, stored
// ones included (models/range_rows.h).
class AlertsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit AlertsPage(SnapshotHistory& history, QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    TablePanel* table() const { return table_; }
    // The current run's database (nothing: acknowledgements stay in this window).
    void setAcknowledger(std::optional<AlertAcknowledger> acknowledger);
    void acknowledgeSelected();
    void acknowledgeShown();
    // An acknowledgement already stored elsewhere (the HTTP API): shown, not stored again.
    void showAcknowledged(std::uint64_t alert_id);

signals:
    // One line for the status bar once PostgreSQL has (or has not) stored acknowledgements.
    void message(const QString& text);
    void acknowledgementsStored(const gm::AlertAcknowledger::Result& result);

private:
    void acknowledge(const std::vector<std::uint64_t>& ids);
    void refresh();

    SnapshotHistory& history_;
    TablePanel* table_;
    StatTile* open_critical_;
    StatTile* open_;
    StatTile* total_;
    const ProductTable* products_ = nullptr;
    std::optional<AlertAcknowledger> acknowledger_;
    VersionGate gate_;
    std::vector<AlertRow> rows_; // the alerts of the range (Live: those in memory)
    bool ranged_ = false;        // rows_ are those of a range, not all in memory
};

} // namespace gm
