// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/minute_series.h"
#include "ui/chart_panel.h"

#include <QColor>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace gm {

enum class ValueFormat { Count, Money, Percent };

struct ChartLine {
    QString name;
    QColor color;
    std::vector<SeriesPoint> points;
    double width = 2; // pen width: a total drawn bolder than its breakdown
};

// Lines over event time (one point per window). Closed windows are solid; the still-open window
// is joined by a dashed segment and drawn as a hollow marker, so nobody reads a half-filled
// minute as a drop. Times are shown in UTC; hovering shows the exact value; a double-click
// reports the window under the cursor.
class TimeChart : public ChartPanel {
    Q_OBJECT
public:
    TimeChart(const QString& title, const QString& value_title, ValueFormat format,
              const QString& empty_text, QWidget* parent = nullptr);

    // Replaces every line (one replace() per series: appending to a visible chart is slow).
    void setLines(const std::vector<ChartLine>& lines);
    ValueFormat format() const { return format_; }
    void setTimeAxisTitle(const QString& title);
    static QString formatValue(double value, ValueFormat format);

signals:
    void windowActivated(qint64 window_start_us, const QString& line);

protected:
    void restyle(bool dark) override;

private:
    struct Line {
        QString name;
        QColor color;
        double width = 2;
        QLineSeries* closed = nullptr;
        QLineSeries* open = nullptr;
        QScatterSeries* marker = nullptr;
        std::vector<SeriesPoint> points;
    };
    Line& lineFor(const QString& name, const QColor& color);
    void showTooltip(const Line& line, const QPointF& point);
    void onDoubleClick(const QPointF& value);
    double plotX(TimestampUs time) const;
    void setTimeRange(double first_ms, double last_ms);
    TimestampUs eventTime(double plot_x) const;

    QString value_title_;
    ValueFormat format_;
    double scale_ = 1.0; // values are divided by this on the axis (thousands, millions)
    QDateTimeAxis* x_axis_;
    QValueAxis* y_axis_;
    std::vector<Line> lines_;
};

} // namespace gm
