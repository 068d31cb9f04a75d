// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

class QPushButton;

namespace gm {

class StatTile;
class TablePanel;

// The deduplicated alert feed (one row per alert, occurrences counted) with acknowledgement.
class AlertsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit AlertsPage(SnapshotHistory& history, QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    TablePanel* table() const { return table_; }

private:
    void acknowledgeSelected();
    void acknowledgeShown();
    void refresh();

    SnapshotHistory& history_;
    TablePanel* table_;
    StatTile* open_critical_;
    StatTile* open_;
    StatTile* total_;
    const ProductTable* products_ = nullptr;
    VersionGate gate_;
};

} // namespace gm
