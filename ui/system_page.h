// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"
#include "ui/dashboard_page.h"

class QLabel;
class QTableWidget;

namespace gm {

class TimeChart;

// How the machinery is doing: events per second per stage, per-job counters and watermarks,
// late events, queue depth, generator lag, database and Kafka state, memory.
class SystemPage : public DashboardPage {
    Q_OBJECT
public:
    explicit SystemPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;
    // Called once a second by the window, visible or not, so the throughput chart has no gaps.
    void addThroughputSample(TimestampUs wall_time, double generated, double processed);

private:
    TimeChart* throughput_;
    MinuteSeries generated_{300};
    MinuteSeries processed_{300};
    QTableWidget* jobs_;
    QLabel* pipeline_;
    QLabel* generator_;
    QLabel* storage_;
};

// Resident memory of this process in bytes (0 where /proc is unavailable).
long long residentBytes();

} // namespace gm
