// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/time_chart.h"

#include "models/human_format.h"
#include "models/series_bucketing.h"

#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFontMetricsF>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QRubberBand>
#include <QScatterSeries>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace gm {
namespace {

// QDateTimeAxis labels in local time. Shifting the plotted x by the local UTC offset makes its
// labels read UTC, which is what the rows and exports use.
qint64 localOffsetMs(qint64 utc_ms) {
    return static_cast<qint64>(QDateTime::fromMSecsSinceEpoch(utc_ms).offsetFromUtc()) * 1000;
}

constexpr TimestampUs kMinZoomUs = 10 * 1'000'000; // ten seconds: a few per-second points
constexpr int kDragThresholdPx = 5;

// The point of `points` (sorted by window start) nearest in time; null when empty.
const SeriesPoint* nearestTo(const std::vector<SeriesPoint>& points, TimestampUs time) {
    if (points.empty()) {
        return nullptr;
    }
    auto after = std::lower_bound(
        points.begin(), points.end(), time,
        [](const SeriesPoint& point, TimestampUs t) { return point.window_start < t; });
    if (after == points.end()) {
        return &points.back();
    }
    if (after == points.begin()) {
        return &*after;
    }
    const auto before = std::prev(after);
    return time - before->window_start <= after->window_start - time ? &*before : &*after;
}

const SeriesPoint* exactlyAt(const std::vector<SeriesPoint>& points, TimestampUs time) {
    const SeriesPoint* near = nearestTo(points, time);
    return near != nullptr && near->window_start == time ? near : nullptr;
}

bool samePoints(const std::vector<SeriesPoint>& a, const std::vector<SeriesPoint>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](const SeriesPoint& x, const SeriesPoint& y) {
                                                  return x.window_start == y.window_start &&
                                                         x.value == y.value &&
                                                         x.partial == y.partial;
                                              });
}

QAbstractAxis* currentValueAxis(bool log, QValueAxis* linear, QLogValueAxis* logarithmic) {
    return log ? static_cast<QAbstractAxis*>(logarithmic) : static_cast<QAbstractAxis*>(linear);
}

// QValueAxis::applyNiceNumbers() of the range 0..top with the axis' current tick count (Qt
// Charts' AbstractDomain::looseNiceNumbers): computed here so that the axis is only touched when
// the nice range changes. setRange() then applyNiceNumbers() changed the range twice on every
// redraw (to the raw top and back), and each change lays the axis' labels out again.
struct NiceRange {
    double min = 0;
    double max = 1;
    int ticks = 5;
};
double niceNumber(double x, bool ceiling) {
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    double q = x / z;
    if (ceiling) {
        q = q <= 1.0 ? 1 : (q <= 2.0 ? 2 : (q <= 5.0 ? 5 : 10));
    } else {
        q = q < 1.5 ? 1 : (q < 3.0 ? 2 : (q < 7.0 ? 5 : 10));
    }
    return q * z;
}
NiceRange niceRange(double min, double max, int ticks) {
    const double range = niceNumber(max - min, true);
    const double step = niceNumber(range / (ticks - 1), false);
    const double low = std::floor(min / step);
    const double high = std::ceil(max / step);
    return {low * step, high * step, static_cast<int>(high - low) + 1};
}

void setLabelFormatIfChanged(QValueAxis* axis, const QString& format) {
    if (axis->labelFormat() != format) {
        axis->setLabelFormat(format); // re-lays the labels out even when unchanged
    }
}

void replaceIfChanged(QXYSeries* series, const QList<QPointF>& points) {
    if (series->count() == points.size() && series->points() == points) {
        return;
    }
    series->replace(points);
}

} // namespace

ChartLine rangedLine(const HistoryView* view, const QString& name, const QColor& color,
                     const MinuteSeries& live, const std::vector<StoredPoint>& stored,
                     double width) {
    ChartLine line{name, color, {}, width};
    if (view == nullptr) {
        line.points = live.points();
        return line;
    }
    line.points = view->points(live, stored);
    line.previous = view->previous(live, stored);
    if (view->compare() != ComparePeriod::None) {
        line.previous_name =
            comparePeriodName(view->compare()).replace(QStringLiteral("vs "), QString());
    }
    return line;
}

TimeChart::TimeChart(const QString& title, const QString& value_title, ValueFormat format,
                     const QString& empty_text, QWidget* parent)
    : ChartPanel(title, empty_text, parent), value_title_(value_title), format_(format),
      x_axis_(new QDateTimeAxis), y_axis_(new QValueAxis), log_axis_(new QLogValueAxis(this)) {
    x_axis_->setFormat(QStringLiteral("HH:mm"));
    // Short enough for a half-width chart in a 1024-pixel window; the tooltip says more.
    x_axis_->setTitleText(tr("Event time (UTC) · hollow: still open"));
    chartView()->setToolTip(tr("Each point is a window, placed at its start (UTC). The dashed "
                               "segment and the hollow marker are the window still open: its "
                               "value is partial.\nWheel: zoom · drag: zoom to a range · "
                               "Shift+drag: pan"));
    x_axis_->setTickCount(7);
    axis_title_ = value_title;
    y_axis_->setTitleText(value_title);
    y_axis_->setLabelFormat(QStringLiteral("%.0f"));
    log_axis_->setBase(10);
    log_axis_->setLabelFormat(QStringLiteral("%g"));
    log_axis_->setMinorTickCount(-1); // decades alone leave a short chart two labels
    chart()->addAxis(x_axis_, Qt::AlignBottom);
    chart()->addAxis(y_axis_, Qt::AlignLeft);
    connect(chart(), &QChart::plotAreaChanged, this, &TimeChart::fitValueTitle);
    connect(chartView(), &ChartView::doubleClickedAt, this, &TimeChart::onDoubleClick);
    chartView()->viewport()->setMouseTracking(true);
    chartView()->viewport()->installEventFilter(this);
    band_ = new QRubberBand(QRubberBand::Rectangle, chartView()->viewport());

    auto tool = [this](const QString& text, const QString& tip) {
        auto* button = new QToolButton(this);
        button->setText(text);
        button->setAutoRaise(true);
        button->setToolTip(tip);
        addHeaderWidget(button);
        return button;
    };
    log_button_ = tool(tr("Log"), tr("Logarithmic value axis: small values stay readable next "
                                     "to a burst"));
    log_button_->setCheckable(true);
    log_button_->setVisible(logScaleAvailable());
    connect(log_button_, &QToolButton::toggled, this, &TimeChart::setLogScale);
    // Short labels: two charts share a row in a 1024-pixel window; the tooltips say more.
    use_button_ = tool(tr("Use"), tr("Use the zoomed span as the page's time range"));
    connect(use_button_, &QToolButton::clicked, this, [this] {
        if (zoom_) {
            const TimeSpan span = *zoom_;
            resetZoom();
            emit rangeChosen(span);
        }
    });
    reset_button_ = tool(tr("Reset"), tr("Reset the zoom: back to the page's time range"));
    connect(reset_button_, &QToolButton::clicked, this, &TimeChart::resetZoom);
    updateExploreButtons();
    // The time-range row above the pages takes its height from the charts: the window still
    // fits 1024×700 with the database banner showing.
    setMinimumHeight(140);
    showChart(false);
}

void TimeChart::fitValueTitle() {
    // Qt Charts cuts a vertical title longer than the plot is high: on a short chart (the
    // Overview at 1024×700 with the database banner showing) "Revenue ($K)" became "Revenue (…".
    // The unit alone ("$K") then, or nothing: the chart's own title says what is plotted.
    const qreal room = chart()->plotArea().height();
    const QFontMetricsF metrics(y_axis_->titleFont());
    const auto fits = [&](const QString& text) {
        return metrics.horizontalAdvance(text) + 2 * metrics.averageCharWidth() <= room;
    };
    QString title = axis_title_;
    if (room > 0 && !fits(title)) {
        const qsizetype open = title.lastIndexOf(QLatin1Char('('));
        title = open >= 0 && title.endsWith(QLatin1Char(')'))
                    ? title.mid(open + 1, title.size() - open - 2)
                    : QString();
        if (!fits(title)) {
            title.clear();
        }
    }
    if (y_axis_->titleText() != title) {
        y_axis_->setTitleText(title);
        log_axis_->setTitleText(title);
    }
}

QString TimeChart::valueAxisTitle() const {
    return y_axis_->titleText();
}

void TimeChart::setTimeAxisTitle(const QString& title) {
    x_axis_->setTitleText(title);
}

void TimeChart::updateExploreButtons() {
    // Enabled rather than shown: the title row does not jump when a zoom begins.
    use_button_->setEnabled(zoom_.has_value());
    reset_button_->setEnabled(zoom_.has_value());
}

void TimeChart::setTimeAxis(const TimeSpan& span, bool pad) {
    const double first_ms = plotX(span.from);
    const double last_ms = plotX(span.to);
    // Ticks on round times (every 10 s ... every day) so labels read 14:05, 14:10, ...
    static constexpr qint64 kSteps[] = {10,   15,   30,   60,    120,   300,   600,   900,
                                        1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800};
    const double span_s = (last_ms - first_ms) / 1000.0 + (pad ? 60.0 : 0.0);
    const bool days = span_s > 36 * 3600.0;
    // As many ticks as labels fit: a half-width chart in a 1024-pixel window takes about five.
    const double plot_width = std::max(200.0, chart()->plotArea().width());
    const double max_steps = std::clamp(std::floor(plot_width / (days ? 90.0 : 60.0)), 2.0, 8.0);
    qint64 step_s = kSteps[std::size(kSteps) - 1];
    for (const qint64 candidate : kSteps) {
        if (span_s / static_cast<double>(candidate) <= max_steps) {
            step_s = candidate;
            break;
        }
    }
    const double step_ms = static_cast<double>(step_s) * 1000.0;
    double start = first_ms;
    double end = last_ms;
    if (pad) {
        // Half a window of room at each end for minute series, less for per-second ones, and
        // the ends on round times.
        const double pad_ms = std::clamp((last_ms - first_ms) * 0.02, 1'000.0, 30'000.0);
        start = std::floor((first_ms - pad_ms) / step_ms) * step_ms;
        end = std::ceil((last_ms + pad_ms) / step_ms) * step_ms;
        x_axis_->setTickCount(static_cast<int>(std::lround((end - start) / step_ms)) + 1);
    } else {
        // A chosen span is shown exactly; its ticks need not fall on round times.
        x_axis_->setTickCount(std::clamp(static_cast<int>((end - start) / step_ms) + 1, 2, 9));
    }
    QString format = QStringLiteral("HH:mm");
    if (step_s < 60) {
        format = QStringLiteral("HH:mm:ss");
    } else if (days) {
        format = step_s >= 86400 && !pad ? QStringLiteral("MM-dd") : QStringLiteral("MM-dd HH:mm");
    }
    if (x_axis_->format() != format) {
        x_axis_->setFormat(format);
    }
    x_axis_->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(start)),
                      QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(end)));
}

double TimeChart::plotX(TimestampUs time) const {
    const qint64 ms = toMillis(time);
    // Looking up the local offset per point costs a time-zone lookup each: thousands per redraw.
    // Within a span whose ends share one offset (no DST change inside), every point has it.
    if (visible_offset_ms_ && visible_.contains(time)) {
        return static_cast<double>(ms - *visible_offset_ms_);
    }
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
    line.before = new QLineSeries(this);
    line.before->setName(name + tr(" (previous period)"));
    QAbstractAxis* value_axis = currentValueAxis(log_, y_axis_, log_axis_);
    for (QXYSeries* series :
         {static_cast<QXYSeries*>(line.before), static_cast<QXYSeries*>(line.closed),
          static_cast<QXYSeries*>(line.open), static_cast<QXYSeries*>(line.marker)}) {
        chart()->addSeries(series);
        series->attachAxis(x_axis_);
        series->attachAxis(value_axis);
    }
    // One legend entry per line; the dashed segment and the marker explain themselves in the
    // tooltip and the axis note.
    chart()->legend()->markers(line.open).first()->setVisible(false);
    chart()->legend()->markers(line.marker).first()->setVisible(false);
    chart()->legend()->markers(line.before).first()->setVisible(false);
    // Qt Charts lays out an axis without series as absent and does not redo it when the first
    // series attaches; hiding and showing it forces the layout to make room for the labels.
    x_axis_->setVisible(false);
    x_axis_->setVisible(true);
    lines_.push_back(line);
    restyle(chart()->theme() == QChart::ChartThemeDark);
    return lines_.back();
}

void TimeChart::restyle(bool dark) {
    for (Line& line : lines_) {
        QPen solid(line.color, line.width);
        line.closed->setPen(solid);
        QPen dashed(line.color, line.width, Qt::DashLine);
        line.open->setPen(dashed);
        line.marker->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        line.marker->setMarkerSize(10);
        line.marker->setBrush(Qt::NoBrush);
        line.marker->setPen(QPen(line.color, 2));
        // Paler and dashed: told apart from the current line even where a dense line leaves
        // no room for dashes.
        QColor faded = line.color.lighter(dark ? 70 : 150);
        faded.setAlphaF(0.8);
        line.before->setPen(QPen(faded, std::max(1.0, line.width - 0.5), Qt::DashLine));
    }
}

void TimeChart::setSpan(const std::optional<TimeSpan>& span) {
    if (span == span_) {
        return;
    }
    span_ = span;
    redraw();
}

void TimeChart::setSpanAndLines(const std::optional<TimeSpan>& span,
                                const std::vector<ChartLine>& lines) {
    const bool span_changed = span != span_;
    span_ = span;
    if (!setLinesWithoutRedraw(lines) && !span_changed) {
        return;
    }
    redraw();
}

void TimeChart::setLines(const std::vector<ChartLine>& lines) {
    if (setLinesWithoutRedraw(lines)) {
        redraw();
    }
}

bool TimeChart::setLinesWithoutRedraw(const std::vector<ChartLine>& lines) {
    bool changed = false;
    for (Line& line : lines_) {
        const bool wanted = std::any_of(lines.begin(), lines.end(), [&](const ChartLine& input) {
            return input.name == line.name;
        });
        changed |= wanted != line.wanted;
        line.wanted = wanted;
        if (!wanted) {
            // A line left out this time (a country breakdown switched off) is emptied.
            line.points.clear();
            line.previous.clear();
        }
    }
    for (const ChartLine& input : lines) {
        const bool is_new = std::none_of(lines_.begin(), lines_.end(),
                                         [&](const Line& line) { return line.name == input.name; });
        Line& line = lineFor(input.name, input.color);
        changed |= is_new || !line.wanted;
        line.wanted = true;
        if (line.width != input.width) {
            line.width = input.width;
            restyle(chart()->theme() == QChart::ChartThemeDark);
        }
        if (!samePoints(line.points, input.points) || !samePoints(line.previous, input.previous)) {
            line.points = input.points;
            line.previous = input.previous;
            changed = true;
        }
        line.previous_name = input.previous_name;
    }
    return changed;
}

void TimeChart::redraw() {
    std::size_t wanted_lines = 0;
    TimestampUs x_min = 0;
    TimestampUs x_max = 0;
    bool any = false;
    for (const Line& line : lines_) {
        wanted_lines += line.wanted ? 1 : 0;
        for (const auto* points : {&line.points, &line.previous}) {
            if (points->empty()) {
                continue;
            }
            x_min =
                any ? std::min(x_min, points->front().window_start) : points->front().window_start;
            x_max =
                any ? std::max(x_max, points->back().window_start) : points->back().window_start;
            any = true;
        }
    }
    any_data_ = any;
    showChart(any);
    if (!any) {
        return;
    }
    const bool exact = zoom_ || span_;
    visible_ = zoom_ ? *zoom_ : (span_ ? *span_ : TimeSpan{x_min, x_max + 1});
    const int pixels = std::max(100, static_cast<int>(chart()->plotArea().width()));
    visible_offset_ms_.reset();
    const qint64 offset_from = localOffsetMs(toMillis(visible_.from));
    if (offset_from == localOffsetMs(toMillis(visible_.to))) {
        visible_offset_ms_ = offset_from;
    }

    // Bucket every line to the plot's width over the visible span, and find the value range.
    struct Drawn {
        std::vector<SeriesPoint> points;
        std::vector<SeriesPoint> previous;
    };
    std::vector<Drawn> drawn(lines_.size());
    double y_max = 0;
    double y_min_positive = 0;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
        drawn[i].points = bucketToPixels(lines_[i].points, visible_.from, visible_.to, pixels);
        drawn[i].previous = bucketToPixels(lines_[i].previous, visible_.from, visible_.to, pixels);
        for (const auto* points : {&drawn[i].points, &drawn[i].previous}) {
            for (const SeriesPoint& point : *points) {
                if (!visible_.contains(point.window_start) && exact) {
                    continue; // a neighbour outside only leads the line to the edge
                }
                y_max = std::max(y_max, point.value);
                if (point.value > 0 && (y_min_positive == 0 || point.value < y_min_positive)) {
                    y_min_positive = point.value;
                }
            }
        }
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
        axis_title_ = title;
        fitValueTitle();
    }
    // On a log axis zero has no place: such points sit on the axis' floor.
    const double floor = y_min_positive > 0 ? y_min_positive / scale_ / 2 : 0.5;
    const auto y = [&](double value) {
        const double scaled = value / scale_;
        return log_ ? std::max(scaled, floor) : scaled;
    };

    for (std::size_t i = 0; i < lines_.size(); ++i) {
        Line& line = lines_[i];
        chart()
            ->legend()
            ->markers(line.closed)
            .first()
            ->setVisible(line.wanted && wanted_lines > 1);
        QList<QPointF> closed;
        QList<QPointF> open;
        QList<QPointF> markers;
        closed.reserve(static_cast<qsizetype>(drawn[i].points.size()));
        const std::vector<SeriesPoint>& points = drawn[i].points;
        // The open windows are the partial points at the end. A partial point before a closed
        // one is a stored window a run's start or stop cut short: a hollow marker only, the
        // closed line passing by it, so it is neither read as a full minute nor as a drop.
        const auto open_from =
            std::find_if_not(points.rbegin(), points.rend(), [](const SeriesPoint& p) {
                return p.partial;
            }).base();
        for (auto it = points.begin(); it != points.end(); ++it) {
            const SeriesPoint& point = *it;
            const QPointF xy(plotX(point.window_start), y(point.value));
            if (point.partial && it < open_from) {
                markers << xy;
            } else if (point.partial) {
                if (open.isEmpty() && !closed.isEmpty()) {
                    open << closed.back();
                }
                open << xy;
                markers << xy;
            } else {
                closed << xy;
            }
        }
        QList<QPointF> before;
        before.reserve(static_cast<qsizetype>(drawn[i].previous.size()));
        for (const SeriesPoint& point : drawn[i].previous) {
            before << QPointF(plotX(point.window_start), y(point.value));
        }
        // Only what changed is handed to Qt Charts: while a week is shown, an update of the open
        // window leaves the bucketed closed line alone (replace() recomputes its whole geometry,
        // the UI thread's largest cost here).
        replaceIfChanged(line.closed, closed);
        replaceIfChanged(line.open, open);
        replaceIfChanged(line.marker, markers);
        replaceIfChanged(line.before, before);
        line.closed->setPointsVisible(closed.size() <= 60);
        const bool show_before = !before.isEmpty();
        chart()->legend()->markers(line.before).first()->setVisible(show_before);
        if (show_before) {
            line.before->setName(tr("%1, %2").arg(line.name, line.previous_name));
        }
    }
    // More points than pixels (a day or a week of minutes): antialiased strokes of such a line
    // (QStroker) were most of a redraw of the week on the UI thread, and at one or two points
    // per pixel the zigzag looks the same without them. Exports draw with their own painter.
    std::size_t densest = 0;
    for (const Drawn& line : drawn) {
        densest = std::max({densest, line.points.size(), line.previous.size()});
    }
    chartView()->setRenderHint(QPainter::Antialiasing, densest <= static_cast<std::size_t>(pixels));
    const bool comparing = std::any_of(lines_.begin(), lines_.end(),
                                       [](const Line& line) { return !line.previous.empty(); });
    chart()->legend()->setVisible(wanted_lines > 1 || comparing);
    if (comparing && wanted_lines == 1) {
        for (const Line& line : lines_) {
            chart()->legend()->markers(line.closed).first()->setVisible(line.wanted);
        }
    }
    setTimeAxis(visible_, !exact);
    const double top = y_max / scale_;
    if (log_) {
        log_axis_->setRange(floor, std::max(top * 1.5, floor * 10));
        return;
    }
    if (format_ == ValueFormat::Percent) {
        y_axis_->setRange(0, 100); // a share: the whole scale keeps lines comparable
        y_axis_->setTickCount(5);
        setLabelFormatIfChanged(y_axis_, QStringLiteral("%.0f%%"));
        return;
    }
    const NiceRange nice = niceRange(0, top <= 0 ? 1 : top * 1.1, y_axis_->tickCount());
    const QString format =
        top < 10 && format_ != ValueFormat::Count ? QStringLiteral("%.1f") : QStringLiteral("%.0f");
    if (nice.min != y_axis_->min() || nice.max != y_axis_->max() ||
        nice.ticks != y_axis_->tickCount()) {
        y_axis_->setRange(nice.min, nice.max);
        y_axis_->setTickCount(nice.ticks);
        // A new range alone does not make Qt Charts measure the labels again: values that grew
        // from "4" to "4000" were drawn as "4…". Setting the format does (even an unchanged one).
        y_axis_->setLabelFormat(format);
        return;
    }
    setLabelFormatIfChanged(y_axis_, format);
}

void TimeChart::setLogScale(bool on) {
    if (on == log_ || (on && !logScaleAvailable())) {
        return;
    }
    QAbstractAxis* from = currentValueAxis(log_, y_axis_, log_axis_);
    log_ = on;
    QAbstractAxis* to = currentValueAxis(log_, y_axis_, log_axis_);
    for (const Line& line : lines_) {
        for (QAbstractSeries* series :
             {static_cast<QAbstractSeries*>(line.before),
              static_cast<QAbstractSeries*>(line.closed), static_cast<QAbstractSeries*>(line.open),
              static_cast<QAbstractSeries*>(line.marker)}) {
            series->detachAxis(from);
        }
    }
    chart()->removeAxis(from); // the chart gives the axis up: this keeps it for a switch back
    from->setParent(this);
    chart()->addAxis(to, Qt::AlignLeft);
    for (const Line& line : lines_) {
        for (QAbstractSeries* series :
             {static_cast<QAbstractSeries*>(line.before),
              static_cast<QAbstractSeries*>(line.closed), static_cast<QAbstractSeries*>(line.open),
              static_cast<QAbstractSeries*>(line.marker)}) {
            series->attachAxis(to);
        }
    }
    const QSignalBlocker quiet(log_button_);
    log_button_->setChecked(on);
    redraw();
}

void TimeChart::zoomTo(const TimeSpan& span) {
    if (span.to - span.from < kMinZoomUs) {
        const TimestampUs middle = span.from + (span.to - span.from) / 2;
        zoom_ = TimeSpan{middle - kMinZoomUs / 2, middle + kMinZoomUs / 2};
    } else {
        zoom_ = span;
    }
    updateExploreButtons();
    redraw();
}

void TimeChart::zoomBy(double factor, TimestampUs around) {
    const TimeSpan now = zoom_.value_or(visible_);
    const auto scaled = [&](TimestampUs distance) {
        return static_cast<TimestampUs>(static_cast<double>(distance) * factor);
    };
    zoomTo({around - scaled(around - now.from), around + scaled(now.to - around)});
}

void TimeChart::panBy(TimestampUs delta) {
    const TimeSpan now = zoom_.value_or(visible_);
    zoomTo({now.from + delta, now.to + delta});
}

void TimeChart::resetZoom() {
    zoom_.reset();
    updateExploreButtons();
    redraw();
}

void TimeChart::resizeEvent(QResizeEvent* event) {
    ChartPanel::resizeEvent(event);
    if (any_data_) {
        redraw(); // the bucket count follows the plot's width
    }
}

TimestampUs TimeChart::timeAtViewport(const QPoint& position) const {
    const QPointF scene = chartView()->mapToScene(position);
    return eventTime(chart()->mapToValue(chart()->mapFromScene(scene)).x());
}

bool TimeChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched != chartView()->viewport() || !any_data_) {
        return ChartPanel::eventFilter(watched, event);
    }
    switch (event->type()) {
    case QEvent::Wheel: {
        auto* wheel = static_cast<QWheelEvent*>(event);
        const int delta = wheel->angleDelta().y();
        if (delta != 0) {
            zoomBy(delta > 0 ? 0.8 : 1.25, timeAtViewport(wheel->position().toPoint()));
        }
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton || mouse->button() == Qt::MiddleButton) {
            drag_from_ = mouse->position().toPoint();
            panning_ = mouse->button() == Qt::MiddleButton ||
                       mouse->modifiers().testFlag(Qt::ShiftModifier);
            drag_span_ = zoom_.value_or(visible_);
            return true;
        }
        break;
    }
    case QEvent::MouseMove: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        const QPoint at = mouse->position().toPoint();
        if (drag_from_) {
            const int dx = at.x() - drag_from_->x();
            if (panning_) {
                const double plot_width = std::max(1.0, chart()->plotArea().width());
                const auto delta = static_cast<TimestampUs>(
                    -dx / plot_width * static_cast<double>(drag_span_.to - drag_span_.from));
                zoomTo({drag_span_.from + delta, drag_span_.to + delta});
            } else if (std::abs(dx) >= kDragThresholdPx) {
                const QRectF plot = chart()->plotArea();
                const QPoint top_left =
                    chartView()->mapFromScene(chart()->mapToScene(QPointF(0, plot.top())));
                const QPoint bottom =
                    chartView()->mapFromScene(chart()->mapToScene(QPointF(0, plot.bottom())));
                band_->setGeometry(QRect(QPoint(std::min(at.x(), drag_from_->x()), top_left.y()),
                                         QPoint(std::max(at.x(), drag_from_->x()), bottom.y())));
                band_->show();
            }
            return true;
        }
        const QPointF scene = chartView()->mapToScene(at);
        const QPointF value = chart()->mapToValue(chart()->mapFromScene(scene));
        if (!chart()->plotArea().contains(chart()->mapFromScene(scene))) {
            QToolTip::hideText();
            break;
        }
        const QString text = describeNearest(eventTime(value.x()), value.y() * scale_);
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(mouse->globalPosition().toPoint(), text, chartView());
        }
        return false;
    }
    case QEvent::MouseButtonRelease: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (!drag_from_) {
            break;
        }
        const QPoint from = *drag_from_;
        drag_from_.reset();
        band_->hide();
        const QPoint to = mouse->position().toPoint();
        if (!panning_ && std::abs(to.x() - from.x()) >= kDragThresholdPx) {
            const TimestampUs a = timeAtViewport(from);
            const TimestampUs b = timeAtViewport(to);
            zoomTo({std::min(a, b), std::max(a, b)});
        }
        return true;
    }
    case QEvent::Leave:
        QToolTip::hideText();
        break;
    default:
        break;
    }
    return ChartPanel::eventFilter(watched, event);
}

QString TimeChart::describeNearest(TimestampUs time, double value) const {
    const Line* best_line = nullptr;
    const SeriesPoint* best = nullptr;
    double best_distance = 0;
    const double span_us = std::max<double>(1.0, static_cast<double>(visible_.to - visible_.from));
    double y_span = 0;
    for (const Line& line : lines_) {
        for (const SeriesPoint& point : line.points) {
            y_span = std::max(y_span, std::abs(point.value));
        }
    }
    y_span = std::max(y_span, 1e-9);
    for (const Line& line : lines_) {
        if (!line.wanted) {
            continue;
        }
        const SeriesPoint* near = nearestTo(line.points, time);
        if (near == nullptr) {
            continue;
        }
        // Distance as a share of the plot in each direction: the nearest on screen.
        const double dx = static_cast<double>(near->window_start - time) / span_us;
        const double dy = (near->value - value) / y_span;
        const double distance = dx * dx + dy * dy;
        if (best == nullptr || distance < best_distance) {
            best = near;
            best_line = &line;
            best_distance = distance;
        }
    }
    if (best == nullptr) {
        return {};
    }
    QString text = QStringLiteral("<b>%1</b><br>%2<br>%3")
                       .arg(best_line->name.toHtmlEscaped(), utcDateTime(best->window_start),
                            formatValue(best->value, format_));
    if (best->partial) {
        const bool open = std::all_of(best, best_line->points.data() + best_line->points.size(),
                                      [](const SeriesPoint& p) { return p.partial; });
        text += open ? tr("<br><i>window still open: partial value</i>")
                     : tr("<br><i>part of a window only: a run started or stopped in it</i>");
    }
    if (!best_line->previous.empty()) {
        if (const SeriesPoint* before = exactlyAt(best_line->previous, best->window_start)) {
            const double difference = best->value - before->value;
            QString change = (difference >= 0 ? QStringLiteral("+") : QStringLiteral("−")) +
                             formatValue(std::abs(difference), format_);
            if (before->value != 0 && format_ != ValueFormat::Percent) {
                change += QStringLiteral(" (%1%2%)")
                              .arg(difference >= 0 ? QStringLiteral("+") : QStringLiteral("−"))
                              .arg(std::abs(difference / before->value * 100.0), 0, 'f', 1);
            }
            text += tr("<br>%1: %2<br>difference: %3")
                        .arg(best_line->previous_name.toHtmlEscaped(),
                             formatValue(before->value, format_), change);
        } else {
            text += tr("<br>%1: no data").arg(best_line->previous_name.toHtmlEscaped());
        }
    }
    return text;
}

std::size_t TimeChart::drawnPointCount() const {
    std::size_t count = 0;
    for (const Line& line : lines_) {
        count += static_cast<std::size_t>(line.closed->count() + line.open->count() +
                                          line.before->count());
    }
    return count;
}

void TimeChart::onDoubleClick(const QPointF& value) {
    const TimestampUs time = eventTime(value.x());
    const Line* best_line = nullptr;
    const SeriesPoint* best = nullptr;
    for (const Line& line : lines_) {
        const SeriesPoint* near = nearestTo(line.points, time);
        if (near != nullptr && (best == nullptr || std::llabs(near->window_start - time) <
                                                       std::llabs(best->window_start - time))) {
            best = near;
            best_line = &line;
        }
    }
    if (best != nullptr) {
        emit windowActivated(best->window_start, best_line->name);
    }
}

} // namespace gm
