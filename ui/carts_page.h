// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

class QComboBox;

namespace gm {

class StatTile;
class TablePanel;
class TimeChart;

// Cart abandonment: the rate per minute over all countries (with a country breakdown on
// demand), the last full minute's rate, and every abandoned cart session.
class CartsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit CartsPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    StatTile* abandonmentTile() const { return rate_; }
    TimeChart* chart() const { return chart_; }

    QComboBox* breakdownBox() const { return breakdown_; }
    TablePanel* abandonedTable() const { return abandoned_; }

private:
    // Adds the countries of the active list the breakdown does not offer yet.
    void updateCountryChoices();

    TimeChart* chart_;
    QComboBox* breakdown_;
    TablePanel* abandoned_;
    StatTile* open_;
    StatTile* rate_;
    StatTile* sessions_;
    VersionGate gate_;
};

} // namespace gm
