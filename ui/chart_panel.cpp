// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chart_panel.h"

#include "ui/chart_export.h"

#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace gm {

ChartPanel::ChartPanel(const QString& title, const QString& empty_text, QWidget* parent)
    : QWidget(parent), title_(title), chart_(new QChart) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* header = new QHBoxLayout;
    header_ = header;
    auto* title_label = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    header->addWidget(title_label, 1);
    for (const QString& format : {QStringLiteral("png"), QStringLiteral("svg")}) {
        auto* button = new QToolButton(this);
        button->setText(format.toUpper());
        button->setAutoRaise(true);
        button->setToolTip(tr("Export this chart as %1").arg(format.toUpper()));
        markAsExportButton(*button);
        connect(button, &QToolButton::clicked, this,
                [this, format] { emit exportRequested(format); });
        header->addWidget(button);
    }
    layout->addLayout(header);

    stack_ = new QStackedWidget(this);
    empty_label_ = new QLabel(empty_text, this);
    empty_label_->setAlignment(Qt::AlignCenter);
    empty_label_->setWordWrap(true);
    empty_label_->setMargin(20);
    empty_label_->setStyleSheet(QStringLiteral("color: palette(mid); font-style: italic;"));
    stack_->addWidget(empty_label_);
    layout->addWidget(stack_, 1);

    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_->setMargins(QMargins(4, 4, 4, 4));
    chart_->layout()->setContentsMargins(0, 0, 0, 0);
    chart_->setBackgroundRoundness(0);
    view_ = new ChartView(chart_, this);
    view_->setRenderHint(QPainter::Antialiasing);
    stack_->addWidget(view_);
    setMinimumHeight(160);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    emit doubleClickedAt(chart()->mapToValue(chart()->mapFromScene(mapToScene(event->pos()))));
    QChartView::mouseDoubleClickEvent(event);
}

void ChartPanel::addHeaderWidget(QWidget* widget) {
    header_->insertWidget(header_->count() - 2, widget); // before the PNG and SVG buttons
}

void ChartPanel::showChart(bool has_data) {
    stack_->setCurrentWidget(has_data ? static_cast<QWidget*>(view_) : empty_label_);
}

void ChartPanel::setEmptyText(const QString& text) {
    empty_label_->setText(text);
}

void ChartPanel::applyTheme(bool dark) {
    chart_->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart_->setBackgroundRoundness(0);
    restyle(dark);
}

} // namespace gm
