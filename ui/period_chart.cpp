// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/period_chart.h"

#include "models/human_format.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCursor>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <tuple>

namespace gm {

PeriodChart::PeriodChart(const QString& title, const QString& empty_text, QWidget* parent)
    : ChartPanel(title, empty_text, parent), bars_(new QBarSeries),
      revenue_(new QBarSet(tr("Revenue"))), growth_(new QLineSeries), x_axis_(new QBarCategoryAxis),
      revenue_axis_(new QValueAxis), growth_axis_(new QValueAxis) {
    bars_->append(revenue_);
    growth_->setName(tr("Growth vs previous period (%)"));
    chart()->addSeries(bars_);
    chart()->addSeries(growth_);
    chart()->addAxis(x_axis_, Qt::AlignBottom);
    chart()->addAxis(revenue_axis_, Qt::AlignLeft);
    chart()->addAxis(growth_axis_, Qt::AlignRight);
    bars_->attachAxis(x_axis_);
    bars_->attachAxis(revenue_axis_);
    growth_->attachAxis(x_axis_);
    growth_->attachAxis(growth_axis_);
    revenue_axis_->setTitleText(tr("Revenue ($)"));
    revenue_axis_->setLabelFormat(QStringLiteral("%.0f"));
    growth_axis_->setTitleText(tr("Growth %"));
    growth_axis_->setLabelFormat(QStringLiteral("%.0f"));
    growth_->setPointsVisible(true);
    connect(revenue_, &QBarSet::hovered, this, [this](bool state, int index) {
        if (!state || index < 0 || index >= static_cast<int>(periods_.size())) {
            QToolTip::hideText();
            return;
        }
        const Period& p = periods_[static_cast<std::size_t>(index)];
        QToolTip::showText(QCursor::pos(),
                           tr("<b>%1</b><br>Revenue %2<br>Orders %3<br>Growth %4")
                               .arg(p.label.toHtmlEscaped(), dollars(p.revenue),
                                    groupedInt(p.orders),
                                    p.growth_pct ? percentText(*p.growth_pct) : tr("n/a")),
                           this);
    });
    restyle(false);
    showChart(false);
}

void PeriodChart::setPeriods(const std::vector<Period>& periods) {
    periods_ = periods;
    showChart(!periods.empty());
    revenue_->remove(0, revenue_->count());
    growth_->clear();
    x_axis_->clear();
    double top = 1;
    for (const Period& period : periods) {
        top = std::max(top, period.revenue);
    }
    // Bars in thousands or millions once the axis would need long unreadable labels
    // ("1000000"); the tooltips keep the exact dollars.
    const auto [unit, unit_name, label_format] =
        top >= 2e6   ? std::tuple(1e6, tr("Revenue ($M)"), QStringLiteral("%.1f"))
        : top >= 2e4 ? std::tuple(1e3, tr("Revenue ($K)"), QStringLiteral("%.0f"))
                     : std::tuple(1.0, tr("Revenue ($)"), QStringLiteral("%.0f"));
    revenue_axis_->setTitleText(unit_name);
    revenue_axis_->setLabelFormat(label_format);
    QStringList labels;
    double low_growth = 0;
    double high_growth = 1;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        labels << periods[i].label;
        revenue_->append(periods[i].revenue / unit);
        if (periods[i].growth_pct) {
            growth_->append(static_cast<double>(i), *periods[i].growth_pct);
            low_growth = std::min(low_growth, *periods[i].growth_pct);
            high_growth = std::max(high_growth, *periods[i].growth_pct);
        }
    }
    x_axis_->append(labels);
    revenue_axis_->setRange(0, top / unit * 1.1);
    revenue_axis_->applyNiceNumbers();
    growth_axis_->setRange(low_growth * 1.1, high_growth * 1.1);
    growth_axis_->applyNiceNumbers();
    x_axis_->setLabelsAngle(periods.size() > 12 ? -60 : 0);
}

QString PeriodChart::revenueAxisTitle() const {
    return revenue_axis_->titleText();
}

double PeriodChart::barHeight(int index) const {
    return revenue_->at(index);
}

void PeriodChart::restyle(bool dark) {
    revenue_->setColor(dark ? QColor(0x4f, 0xc3, 0xf7) : QColor(0x19, 0x76, 0xd2));
    revenue_->setBorderColor(Qt::transparent);
    QPen pen(dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xe6, 0x51, 0x00));
    pen.setWidthF(2);
    growth_->setPen(pen);
}

} // namespace gm
