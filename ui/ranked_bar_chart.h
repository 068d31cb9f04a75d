// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/chart_panel.h"
#include "ui/time_chart.h"

class QBarCategoryAxis;
class QBarSet;
class QHorizontalBarSeries;
class QValueAxis;

namespace gm {

// Horizontal bars ranked from the top: the biggest value first. Hover shows the exact value;
// double-click reports the bar's label.
class RankedBarChart : public ChartPanel {
    Q_OBJECT
public:
    RankedBarChart(const QString& title, const QString& value_title, ValueFormat format,
                   const QString& empty_text, QWidget* parent = nullptr);

    // Labels and values in rank order (largest first).
    void setBars(const QStringList& labels, const QList<double>& values, const QString& note = {});

signals:
    void barActivated(const QString& label);

protected:
    void restyle(bool dark) override;

private:
    ValueFormat format_;
    QHorizontalBarSeries* series_;
    QBarSet* set_;
    QBarCategoryAxis* y_axis_;
    QValueAxis* x_axis_;
    QStringList labels_;
    QList<double> values_;
};

} // namespace gm
