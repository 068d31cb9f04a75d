// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

namespace gm {

class StatTile;
class TablePanel;
class TimeChart;

// Cart abandonment: the rate per country and minute, and every abandoned cart.
class CartsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit CartsPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;

private:
    TimeChart* chart_;
    TablePanel* abandoned_;
    StatTile* open_;
    StatTile* count_;
    StatTile* value_;
    VersionGate gate_;
};

} // namespace gm
