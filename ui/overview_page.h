// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

namespace gm {

class StatTile;
class TimeChart;

// Sales at a glance: headline numbers for the open minute and the run, revenue, orders and
// average order value per minute.
class OverviewPage : public DashboardPage {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    StatTile* revenueTile() const { return revenue_; }

signals:
    void minuteActivated(qint64 window_start_us);

private:
    StatTile* revenue_;
    StatTile* orders_;
    StatTile* aov_;
    StatTile* rate_;
    StatTile* events_;
    StatTile* anomalies_;
    StatTile* carts_;
    StatTile* alerts_;
    TimeChart* revenue_chart_;
    TimeChart* orders_chart_;
    TimeChart* aov_chart_;
    std::uint64_t draw_serial_ = 0;    // showData calls: a staggered chart waits for none newer
    std::uint64_t drawn_revision_ = 0; // the range's revision the charts were last given
};

} // namespace gm
