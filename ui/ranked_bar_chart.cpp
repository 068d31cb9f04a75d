// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ranked_bar_chart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>

namespace gm {

RankedBarChart::RankedBarChart(const QString& title, const QString& value_title, ValueFormat format,
                               const QString& empty_text, QWidget* parent)
    : ChartPanel(title, empty_text, parent), format_(format), series_(new QHorizontalBarSeries),
      set_(new QBarSet(value_title)), y_axis_(new QBarCategoryAxis), x_axis_(new QValueAxis) {
    series_->append(set_);
    series_->setBarWidth(0.7);
    chart()->addSeries(series_);
    chart()->addAxis(y_axis_, Qt::AlignLeft);
    chart()->addAxis(x_axis_, Qt::AlignBottom);
    series_->attachAxis(y_axis_);
    series_->attachAxis(x_axis_);
    y_axis_->setTruncateLabels(false); // product names are the point of this chart
    x_axis_->setTitleText(value_title);
    x_axis_->setLabelFormat(QStringLiteral("%.0f"));
    chart()->legend()->setVisible(false);
    connect(set_, &QBarSet::hovered, this, [this](bool state, int index) {
        // Bars are drawn bottom-up; index counts from the bottom.
        const int rank = static_cast<int>(labels_.size()) - 1 - index;
        if (!state || rank < 0 || rank >= labels_.size()) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(
            QCursor::pos(),
            QStringLiteral("<b>#%1 %2</b><br>%3")
                .arg(rank + 1)
                .arg(labels_[rank].toHtmlEscaped(), TimeChart::formatValue(values_[rank], format_)),
            this);
    });
    connect(set_, &QBarSet::doubleClicked, this, [this](int index) {
        const int rank = static_cast<int>(labels_.size()) - 1 - index;
        if (rank >= 0 && rank < labels_.size()) {
            emit barActivated(labels_[rank]);
        }
    });
    restyle(false);
    showChart(false);
}

void RankedBarChart::restyle(bool dark) {
    set_->setColor(dark ? QColor(0x4f, 0xc3, 0xf7) : QColor(0x19, 0x76, 0xd2));
    set_->setBorderColor(Qt::transparent);
}

void RankedBarChart::setBars(const QStringList& labels, const QList<double>& values,
                             const QString& note) {
    showChart(!labels.isEmpty());
    if (!note.isEmpty()) {
        chart()->setTitle(note);
    }
    if (labels == labels_ && values == values_) {
        return;
    }
    labels_ = labels;
    values_ = values;
    // Reverse so rank 1 is at the top.
    QStringList categories;
    QList<qreal> bars;
    for (qsizetype i = labels.size() - 1; i >= 0; --i) {
        categories << QStringLiteral("%1. %2").arg(i + 1).arg(labels[i]);
        bars << values[i];
    }
    set_->remove(0, set_->count());
    y_axis_->clear();
    y_axis_->append(categories);
    set_->append(bars);
    const double top = values.isEmpty() ? 1.0 : *std::max_element(values.begin(), values.end());
    x_axis_->setRange(0, std::max(1.0, top * 1.1));
    x_axis_->applyNiceNumbers();
}

} // namespace gm
