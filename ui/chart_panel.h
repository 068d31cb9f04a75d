// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QChart>
#include <QChartView>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QStackedWidget;

namespace gm {

// Reports double-clicks in chart coordinates so that a panel can open the matching rows.
class ChartView : public QChartView {
    Q_OBJECT
public:
    using QChartView::QChartView;
signals:
    void doubleClickedAt(const QPointF& chart_position);

protected:
    void mouseDoubleClickEvent(QMouseEvent* event) override;
};

// A titled chart with its export buttons and an explained empty state. Subclasses fill the
// chart; the panel decides whether the chart or the "why is this empty" text is shown.
class ChartPanel : public QWidget {
    Q_OBJECT
public:
    ChartPanel(const QString& title, const QString& empty_text, QWidget* parent = nullptr);

    QString title() const { return title_; }
    QChart* chart() const { return chart_; }
    ChartView* chartView() const { return view_; }
    // Shows the chart (true) or the empty-state text (false).
    void showChart(bool has_data);
    void setEmptyText(const QString& text);
    virtual void applyTheme(bool dark);

signals:
    // "png" or "svg": the owner asks for a file name and writes it.
    void exportRequested(const QString& format);

protected:
    // Puts a control in the title row, before the export buttons.
    void addHeaderWidget(QWidget* widget);
    // Re-applies series pens after a chart theme change (themes reset them).
    virtual void restyle(bool dark) { (void)dark; }

private:
    QString title_;
    QChart* chart_;
    ChartView* view_;
    QLabel* empty_label_;
    QStackedWidget* stack_;
    QHBoxLayout* header_;
};

} // namespace gm
