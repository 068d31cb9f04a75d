// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

class QLabel;

namespace gm {

class TablePanel;
class TimeChart;

// Stock and demand: units sold per minute, high-demand and restock alerts, low stock, levels.
class InventoryPage : public DashboardPage {
    Q_OBJECT
public:
    explicit InventoryPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;

private:
    TimeChart* units_;
    TablePanel* high_demand_;
    TablePanel* restock_;
    TablePanel* low_stock_;
    TablePanel* levels_;
    QLabel* stock_scope_;
    VersionGate gates_[4];
};

} // namespace gm
