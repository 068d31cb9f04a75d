// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/history_view.h"
#include "models/minute_series.h"
#include "models/time_range.h"
#include "ui/chart_panel.h"

#include <QColor>
#include <optional>
#include <vector>

class QDateTimeAxis;
class QLineSeries;
class QLogValueAxis;
class QRubberBand;
class QScatterSeries;
class QToolButton;
class QValueAxis;

namespace gm {

enum class ValueFormat { Count, Money, Percent };

struct ChartLine {
    QString name;
    QColor color;
    std::vector<SeriesPoint> points;
    double width = 2; // pen width: a total drawn bolder than its breakdown
    // The previous period's values, already moved onto this period's windows (drawn dashed);
    // empty: no comparison.
    std::vector<SeriesPoint> previous{};
    QString previous_name{}; // "previous day", for the legend and the tooltip
};

// A page's line for its time range: the live series and the stored windows joined, and with a
// comparison the previous period's. No view: the live points alone.
ChartLine rangedLine(const HistoryView* view, const QString& name, const QColor& color,
                     const MinuteSeries& live, const std::vector<StoredPoint>& stored,
                     double width = 2);

// Lines over event time (one point per window). Closed windows are solid; the still-open window
// is joined by a dashed segment and drawn as a hollow marker, so nobody reads a half-filled
// minute as a drop. A comparison is a thinner dashed line in the same colour. Times are shown in
// UTC; hovering shows the exact value (and difference) of the nearest point; a double-click
// reports the window under the cursor.
//
// Explore: the wheel zooms around the cursor, dragging zooms to the dragged range, Shift+drag
// (or the middle button) pans; Reset returns to the page's range and "Use as range" makes the
// zoomed span the page's range. Data keeps flowing while zoomed: only the axis stays put.
// Lines are bucketed to the plot's width (models/series_bucketing.h) so a week of minutes
// draws as fast as an hour.
class TimeChart : public ChartPanel {
    Q_OBJECT
public:
    TimeChart(const QString& title, const QString& value_title, ValueFormat format,
              const QString& empty_text, QWidget* parent = nullptr);

    // Replaces every line (one replace() per series: appending to a visible chart is slow).
    void setLines(const std::vector<ChartLine>& lines);
    // The page's time range: the axis spans it even where there is no data. Nothing: the data's.
    void setSpan(const std::optional<TimeSpan>& span);
    // setSpan() with the range's span (none for Live or no view).
    void showRange(const HistoryView* view) { setSpan(view ? view->span() : std::nullopt); }
    // showRange() and setLines() with one redraw: when both change (a following range moved on
    // a minute), the lines are not drawn twice.
    void setSpanAndLines(const std::optional<TimeSpan>& span, const std::vector<ChartLine>& lines);
    ValueFormat format() const { return format_; }
    void setTimeAxisTitle(const QString& title);
    // The value axis' title as shown: the full one ("Revenue ($K)") where the plot is high
    // enough for it, else its unit alone ("$K"), else none.
    QString valueAxisTitle() const;
    static QString formatValue(double value, ValueFormat format);

    // Explore.
    void zoomTo(const TimeSpan& span);
    void zoomBy(double factor, TimestampUs around); // < 1 zooms in
    void panBy(TimestampUs delta);
    void resetZoom();
    const std::optional<TimeSpan>& zoom() const { return zoom_; }
    TimeSpan visibleSpan() const { return visible_; }
    void setLogScale(bool on);
    bool logScale() const { return log_; }
    bool logScaleAvailable() const { return format_ != ValueFormat::Percent; }
    // The tooltip for the point nearest to `time` and `value` (as plotted): name, time, value,
    // and with a comparison the previous period's value and the difference. Empty: no point.
    QString describeNearest(TimestampUs time, double value) const;
    // Points currently handed to Qt Charts over all lines (after bucketing).
    std::size_t drawnPointCount() const;

signals:
    void windowActivated(qint64 window_start_us, const QString& line);
    // "Use as range": the page's time range should become this span.
    void rangeChosen(const gm::TimeSpan& span);

protected:
    void restyle(bool dark) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Line {
        QString name;
        QColor color;
        double width = 2;
        QLineSeries* closed = nullptr;
        QLineSeries* open = nullptr;
        QScatterSeries* marker = nullptr;
        QLineSeries* before = nullptr; // the comparison
        std::vector<SeriesPoint> points;
        std::vector<SeriesPoint> previous;
        QString previous_name;
        bool wanted = false;
    };
    Line& lineFor(const QString& name, const QColor& color);
    void redraw();
    bool setLinesWithoutRedraw(const std::vector<ChartLine>& lines); // true: changed
    void onDoubleClick(const QPointF& value);
    double plotX(TimestampUs time) const;
    void setTimeAxis(const TimeSpan& span, bool pad);
    TimestampUs eventTime(double plot_x) const;
    TimestampUs timeAtViewport(const QPoint& position) const;
    void updateExploreButtons();
    void attachValueAxis();
    void fitValueTitle();

    QString value_title_;
    QString axis_title_; // value_title_ with the scale's unit, e.g. "Revenue ($K)"
    ValueFormat format_;
    double scale_ = 1.0; // values are divided by this on the axis (thousands, millions)
    QDateTimeAxis* x_axis_;
    QValueAxis* y_axis_;
    QLogValueAxis* log_axis_;
    bool log_ = false;
    std::vector<Line> lines_;
    std::optional<TimeSpan> span_;
    std::optional<TimeSpan> zoom_;
    TimeSpan visible_;
    std::optional<qint64> visible_offset_ms_; // the local UTC offset over all of visible_
    bool any_data_ = false;
    // Dragging: where it began (viewport pixels) and whether it pans.
    std::optional<QPoint> drag_from_;
    bool panning_ = false;
    TimeSpan drag_span_;
    QRubberBand* band_;
    QToolButton* log_button_;
    QToolButton* use_button_;
    QToolButton* reset_button_;
};

} // namespace gm
