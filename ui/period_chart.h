// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/chart_panel.h"

#include <optional>

class QBarCategoryAxis;
class QBarSeries;
class QBarSet;
class QLineSeries;
class QValueAxis;

namespace gm {

// Revenue per calendar period as bars, with its growth vs the period before as a line on a
// second axis (no point where there was nothing to compare with). Hover shows the figures.
class PeriodChart : public ChartPanel {
    Q_OBJECT
public:
    struct Period {
        QString label; // 2027-03, 2027-W10, ...
        double revenue = 0;
        qint64 orders = 0;
        std::optional<double> growth_pct;
    };

    PeriodChart(const QString& title, const QString& empty_text, QWidget* parent = nullptr);
    void setPeriods(const std::vector<Period>& periods);
    const std::vector<Period>& periods() const { return periods_; }
    // What the revenue axis shows: its title (with the unit) and the bar heights in that unit.
    QString revenueAxisTitle() const;
    double barHeight(int index) const;

protected:
    void restyle(bool dark) override;

private:
    std::vector<Period> periods_;
    QBarSeries* bars_;
    QBarSet* revenue_;
    QLineSeries* growth_;
    QBarCategoryAxis* x_axis_;
    QValueAxis* revenue_axis_;
    QValueAxis* growth_axis_;
};

} // namespace gm
