// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/time_chart.h"

#include "models/human_format.h"

#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace gm {
namespace {

// QDateTimeAxis labels in local time. Shifting the plotted x by the local UTC offset makes its
// labels read UTC, which is what the rows and exports use.
qint64 localOffsetMs(qint64 utc_ms) {
    return static_cast<qint64>(QDateTime::fromMSecsSinceEpoch(utc_ms).offsetFromUtc()) * 1000;
}

} // namespace

TimeChart::TimeChart(const QString& title, const QString& value_title, ValueFormat format,
                     const QString& empty_text, QWidget* parent)
    : ChartPanel(title, empty_text, parent), value_title_(value_title), format_(format),
      x_axis_(new QDateTimeAxis), y_axis_(new QValueAxis) {
    x_axis_->setFormat(QStringLiteral("HH:mm"));
    // Short enough for a half-width chart in a 1024-pixel window; the tooltip says more.
    x_axis_->setTitleText(tr("Event time (UTC) · hollow: still open"));
    chartView()->setToolTip(tr("Each point is a window, placed at its start (UTC). The dashed "
                               "segment and the hollow marker are the window still open: its "
                               "value is partial."));
    x_axis_->setTickCount(7);
    y_axis_->setTitleText(value_title);
    y_axis_->setLabelFormat(QStringLiteral("%.0f"));
    chart()->addAxis(x_axis_, Qt::AlignBottom);
    chart()->addAxis(y_axis_, Qt::AlignLeft);
    connect(chartView(), &ChartView::doubleClickedAt, this, &TimeChart::onDoubleClick);
    showChart(false);
}

void TimeChart::setTimeAxisTitle(const QString& title) {
    x_axis_->setTitleText(title);
}

void TimeChart::setTimeRange(double first_ms, double last_ms) {
    // Ticks on round times (every 10 s ... every day) so labels read 14:05, 14:10, ...
    static constexpr qint64 kSteps[] = {10,   15,   30,   60,    120,   300,   600,  900,
                                        1800, 3600, 7200, 10800, 21600, 43200, 86400};
    const double span_s = (last_ms - first_ms) / 1000.0 + 60.0;
    qint64 step_s = kSteps[std::size(kSteps) - 1];
    for (const qint64 candidate : kSteps) {
        if (span_s / static_cast<double>(candidate) <= 8.0) {
            step_s = candidate;
            break;
        }
    }
    const double step_ms = static_cast<double>(step_s) * 1000.0;
    // Half a window of room at each end for minute series, less for per-second ones.
    const double pad_ms = std::clamp((last_ms - first_ms) * 0.02, 1'000.0, 30'000.0);
    const double start = std::floor((first_ms - pad_ms) / step_ms) * step_ms;
    const double end = std::ceil((last_ms + pad_ms) / step_ms) * step_ms;
    x_axis_->setFormat(step_s < 60 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    x_axis_->setTickCount(static_cast<int>(std::lround((end - start) / step_ms)) + 1);
    x_axis_->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(start)),
                      QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(end)));
}

double TimeChart::plotX(TimestampUs time) const {
    const qint64 ms = toMillis(time);
    return static_cast<double>(ms - localOffsetMs(ms));
}

TimestampUs TimeChart::eventTime(double plot_x) const {
    const auto ms = static_cast<qint64>(plot_x);
    return (ms + localOffsetMs(ms)) * 1000;
}

QString TimeChart::formatValue(double value, ValueFormat format) {
    switch (format) {
    case ValueFormat::Money:
        return dollars(value);
    case ValueFormat::Percent:
        return percentText(value);
    case ValueFormat::Count:
        break;
    }
    return std::abs(value - std::round(value)) < 1e-9 ? groupedInt(std::llround(value))
                                                      : decimalText(value);
}

TimeChart::Line& TimeChart::lineFor(const QString& name, const QColor& color) {
    for (Line& line : lines_) {
        if (line.name == name) {
            return line;
        }
    }
    Line line;
    line.name = name;
    line.color = color;
    line.closed = new QLineSeries(this);
    line.closed->setName(name);
    line.open = new QLineSeries(this);
    line.open->setName(name + tr(" (open window)"));
    line.marker = new QScatterSeries(this);
    line.marker->setName(name + tr(" (partial)"));
    for (QXYSeries* series :
         {static_cast<QXYSeries*>(line.closed), static_cast<QXYSeries*>(line.open),
          static_cast<QXYSeries*>(line.marker)}) {
        chart()->addSeries(series);
        series->attachAxis(x_axis_);
        series->attachAxis(y_axis_);
    }
    // One legend entry per line; the dashed segment and the marker explain themselves in the
    // tooltip and the axis note.
    chart()->legend()->markers(line.open).first()->setVisible(false);
    chart()->legend()->markers(line.marker).first()->setVisible(false);
    // Qt Charts lays out an axis without series as absent and does not redo it when the first
    // series attaches; hiding and showing it forces the layout to make room for the labels.
    x_axis_->setVisible(false);
    x_axis_->setVisible(true);
    lines_.push_back(line);
    const std::size_t index = lines_.size() - 1;
    auto hover = [this, index](const QPointF& point, bool state) {
        if (state) {
            showTooltip(lines_[index], point);
        } else {
            QToolTip::hideText();
        }
    };
    connect(line.closed, &QLineSeries::hovered, this, hover);
    connect(line.open, &QLineSeries::hovered, this, hover);
    connect(line.marker, &QScatterSeries::hovered, this, hover);
    restyle(chart()->theme() == QChart::ChartThemeDark);
    return lines_.back();
}

void TimeChart::restyle(bool dark) {
    (void)dark;
    for (Line& line : lines_) {
        QPen solid(line.color, line.width);
        line.closed->setPen(solid);
        line.closed->setPointsVisible(line.points.size() <= 60);
        QPen dashed(line.color, line.width, Qt::DashLine);
        line.open->setPen(dashed);
        line.marker->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        line.marker->setMarkerSize(10);
        line.marker->setBrush(Qt::NoBrush);
        line.marker->setPen(QPen(line.color, 2));
    }
}

void TimeChart::setLines(const std::vector<ChartLine>& lines) {
    double y_max = 0;
    TimestampUs x_min = 0;
    TimestampUs x_max = 0;
    bool any = false;
    for (const ChartLine& input : lines) {
        for (const SeriesPoint& point : input.points) {
            y_max = std::max(y_max, point.value);
            x_min = any ? std::min(x_min, point.window_start) : point.window_start;
            x_max = any ? std::max(x_max, point.window_start) : point.window_start;
            any = true;
        }
    }
    showChart(any);
    if (!any) {
        return;
    }
    // Large values read better in thousands or millions on the axis; tooltips stay exact.
    const double scale = y_max >= 2e6 ? 1e6 : (y_max >= 2e4 ? 1e3 : 1.0);
    if (scale != scale_) {
        scale_ = scale;
        // Short titles: a long one is cut to "Reven..." on a small chart. "Revenue ($)" becomes
        // "Revenue ($K)"; others get "(K)" or "(M)".
        const QString unit =
            scale == 1e6 ? QStringLiteral("M") : (scale == 1e3 ? QStringLiteral("K") : QString());
        QString title = value_title_;
        if (!unit.isEmpty()) {
            title = title.endsWith(QLatin1String("($)"))
                        ? title.left(title.size() - 1) + unit + QLatin1Char(')')
                        : title + QStringLiteral(" (") + unit + QLatin1Char(')');
        }
        y_axis_->setTitleText(title);
    }
    // A line left out this time (a country breakdown switched off) is emptied, not left behind.
    for (Line& line : lines_) {
        const bool wanted = std::any_of(lines.begin(), lines.end(), [&](const ChartLine& input) {
            return input.name == line.name;
        });
        // A single line needs no legend: the chart's title names it, and the room goes to the plot.
        chart()->legend()->markers(line.closed).first()->setVisible(wanted && lines.size() > 1);
        if (!wanted && !line.points.empty()) {
            line.points.clear();
            line.closed->clear();
            line.open->clear();
            line.marker->clear();
        }
    }
    chart()->legend()->setVisible(lines.size() > 1);
    for (const ChartLine& input : lines) {
        Line& line = lineFor(input.name, input.color);
        if (line.width != input.width) {
            line.width = input.width;
            restyle(chart()->theme() == QChart::ChartThemeDark);
        }
        if (line.points.size() == input.points.size() &&
            std::equal(line.points.begin(), line.points.end(), input.points.begin(),
                       [](const SeriesPoint& a, const SeriesPoint& b) {
                           return a.window_start == b.window_start && a.value == b.value &&
                                  a.partial == b.partial;
                       })) {
            continue;
        }
        line.points = input.points;
        QList<QPointF> closed;
        QList<QPointF> open;
        closed.reserve(static_cast<qsizetype>(input.points.size()));
        for (const SeriesPoint& point : input.points) {
            const QPointF xy(plotX(point.window_start), point.value / scale_);
            if (point.partial) {
                if (open.isEmpty() && !closed.isEmpty()) {
                    open << closed.back();
                }
                open << xy;
            } else {
                closed << xy;
            }
        }
        line.closed->replace(closed);
        line.open->replace(open);
        QList<QPointF> markers;
        for (const SeriesPoint& point : input.points) {
            if (point.partial) {
                markers << QPointF(plotX(point.window_start), point.value / scale_);
            }
        }
        line.marker->replace(markers);
        line.closed->setPointsVisible(closed.size() <= 60);
    }
    setTimeRange(plotX(x_min), plotX(x_max));
    const double top = y_max / scale_;
    if (format_ == ValueFormat::Percent) {
        y_axis_->setRange(0, 100); // a share: the whole scale keeps lines comparable
        y_axis_->setTickCount(5);
        y_axis_->setLabelFormat(QStringLiteral("%.0f%%"));
        return;
    }
    y_axis_->setRange(0, top <= 0 ? 1 : top * 1.1);
    y_axis_->applyNiceNumbers();
    y_axis_->setLabelFormat(top < 10 && format_ != ValueFormat::Count ? QStringLiteral("%.1f")
                                                                      : QStringLiteral("%.0f"));
}

void TimeChart::showTooltip(const Line& line, const QPointF& point) {
    if (line.points.empty()) {
        return;
    }
    const TimestampUs time = eventTime(point.x());
    const auto nearest = std::min_element(
        line.points.begin(), line.points.end(), [time](const SeriesPoint& a, const SeriesPoint& b) {
            return std::llabs(a.window_start - time) < std::llabs(b.window_start - time);
        });
    QString text = QStringLiteral("<b>%1</b><br>%2<br>%3")
                       .arg(line.name.toHtmlEscaped(), utcDateTime(nearest->window_start),
                            formatValue(nearest->value, format_));
    if (nearest->partial) {
        text += tr("<br><i>window still open: partial value</i>");
    }
    QToolTip::showText(QCursor::pos(), text, this);
}

void TimeChart::onDoubleClick(const QPointF& value) {
    const TimestampUs time = eventTime(value.x());
    const Line* best_line = nullptr;
    const SeriesPoint* best = nullptr;
    for (const Line& line : lines_) {
        for (const SeriesPoint& point : line.points) {
            if (best == nullptr ||
                std::llabs(point.window_start - time) < std::llabs(best->window_start - time)) {
                best = &point;
                best_line = &line;
            }
        }
    }
    if (best != nullptr) {
        emit windowActivated(best->window_start, best_line->name);
    }
}

} // namespace gm
