// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/overview_page.h"

#include "models/headline_minutes.h"
#include "models/human_format.h"
#include "ui/palette_colors.h"
#include "ui/stat_tile.h"
#include "ui/time_chart.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QTimer>
#include <QVBoxLayout>

namespace gm {

OverviewPage::OverviewPage(QWidget* parent) : DashboardPage(tr("Overview"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* tiles = new QGridLayout;
    revenue_ = new StatTile(tr("Revenue, last full minute"), this);
    orders_ = new StatTile(tr("Orders, last full minute"), this);
    aov_ = new StatTile(tr("Order value, last full minute"), this);
    rate_ = new StatTile(tr("Events per second"), this);
    events_ = new StatTile(tr("Events processed"), this);
    anomalies_ = new StatTile(tr("Anomalies detected"), this);
    carts_ = new StatTile(tr("Open cart sessions"), this);
    alerts_ = new StatTile(tr("Alerts raised"), this);
    const QList<StatTile*> all{revenue_, orders_, aov_,       rate_,
                               events_,  carts_,  anomalies_, alerts_};
    for (int i = 0; i < all.size(); ++i) {
        tiles->addWidget(all[i], i / 4, i % 4);
    }
    layout->addLayout(tiles);

    const QString waiting = tr("No orders yet. Press Start: the first point appears as soon as "
                               "orders arrive, and the minute closes after its window ends "
                               "plus the allowed lateness (30 s by default).");
    revenue_chart_ = new TimeChart(tr("Revenue per minute"), tr("Revenue ($)"), ValueFormat::Money,
                                   waiting, this);
    orders_chart_ =
        new TimeChart(tr("Orders per minute"), tr("Orders"), ValueFormat::Count, waiting, this);
    aov_chart_ = new TimeChart(tr("Average order value per minute"), tr("Value ($)"),
                               ValueFormat::Money, waiting, this);
    auto* charts = new QGridLayout;
    charts->addWidget(revenue_chart_, 0, 0, 1, 2);
    charts->addWidget(orders_chart_, 1, 0);
    charts->addWidget(aov_chart_, 1, 1);
    charts->setRowStretch(0, 1);
    charts->setRowStretch(1, 1);
    layout->addLayout(charts, 1);
    for (TimeChart* chart : {revenue_chart_, orders_chart_, aov_chart_}) {
        connect(chart, &TimeChart::windowActivated, this,
                [this](qint64 start, const QString&) { emit minuteActivated(start); });
    }
}

void OverviewPage::showData(const PageContext& context) {
    const SnapshotHistory& history = context.history;
    const HistoryView* range = context.range;
    const StoredMinutes& stored = storedOf(range);
    const std::optional<TimeSpan> span = range ? range->span() : std::nullopt;
    ChartLine revenue_line =
        rangedLine(range, tr("Revenue"), seriesColor(0), history.revenue, stored.revenue);
    ChartLine orders_line =
        rangedLine(range, tr("Orders"), seriesColor(1), history.orders, stored.orders);
    ChartLine aov_line = rangedLine(range, tr("Average order value"), seriesColor(2),
                                    history.avg_order, stored.avg_order);
    // A new range (or loaded history) redraws every point of all three charts: one chart per
    // event-loop turn then, so the UI never stalls for the three at once. A later call
    // supersedes charts still waiting (serial), so nothing stale is drawn after it.
    const std::uint64_t serial = ++draw_serial_;
    const std::uint64_t revision = range ? range->revision() : 0;
    const bool stagger =
        revision != drawn_revision_ && range != nullptr && range->hasStored() && isVisible();
    drawn_revision_ = revision;
    revenue_chart_->setSpanAndLines(span, {revenue_line});
    if (!stagger) {
        orders_chart_->setSpanAndLines(span, {orders_line});
        aov_chart_->setSpanAndLines(span, {aov_line});
    } else {
        QTimer::singleShot(0, this, [this, serial, span, orders_line, aov_line] {
            if (serial != draw_serial_) {
                return;
            }
            orders_chart_->setSpanAndLines(span, {orders_line});
            QTimer::singleShot(0, this, [this, serial, span, aov_line] {
                if (serial == draw_serial_) {
                    aov_chart_->setSpanAndLines(span, {aov_line});
                }
            });
        });
    }

    // Headline: the newest closed minute that is whole, which is final. The open minute is only
    // seconds old at times: it never takes the headline, it goes in the note, labelled "so far".
    // The run's first minute began before the run did, so it holds part of a minute and says so.
    // A stop closes the open minute early: that cut-off minute is no full minute either, so it
    // goes in the note, labelled as cut off, and the headline stays with the minute before.
    const auto revenue = history.revenue.points();
    const auto orders = history.orders.points();
    const auto aov = history.avg_order.points();
    const TimestampUs cut_off_at =
        history.latest ? history.latest->cut_off_at : TimestampUs{kNoWatermark};
    const HeadlineMinutes minutes = headlineMinutes(revenue, cut_off_at);
    const std::ptrdiff_t closed = minutes.full;
    const std::ptrdiff_t open = minutes.open;
    const TimestampUs start_time = context.options.start_time;
    const bool warm_up = closed >= 0 &&
                         revenue[closed].window_start == history.firstSalesMinute() &&
                         !(start_time == revenue[closed].window_start);
    auto note = [&](const std::vector<SeriesPoint>& points, auto format) {
        QString head;
        if (closed < 0) {
            head = tr("no full minute yet");
        } else if (warm_up) {
            head = tr("%1 · partial: the run started during this minute")
                       .arg(utcClock(points[closed].window_start));
        } else {
            head = tr("%1 – %2").arg(utcClock(points[closed].window_start),
                                     utcClock(points[closed].window_start + kMicrosPerMinute));
        }
        if (minutes.cut_off >= 0) {
            head = tr("%1\ncut off by the stop at %2: %3")
                       .arg(head, utcClock(cut_off_at), format(points[minutes.cut_off].value));
        }
        if (open < 0) {
            return head;
        }
        return tr("%1\nso far this minute: %2").arg(head, format(points[open].value));
    };
    auto money = [](double v) { return dollars(v); };
    auto count = [](double v) { return groupedInt(std::llround(v)); };
    if (closed >= 0) {
        revenue_->setValue(dollars(revenue[closed].value), note(revenue, money));
        orders_->setValue(groupedInt(std::llround(orders[closed].value)), note(orders, count));
        aov_->setValue(dollars(aov[closed].value), note(aov, money));
    } else if (open >= 0 || minutes.cut_off >= 0) {
        revenue_->setValue(QStringLiteral("—"), note(revenue, money));
        orders_->setValue(QStringLiteral("—"), note(orders, count));
        aov_->setValue(QStringLiteral("—"), note(aov, money));
    } else {
        for (StatTile* tile : {revenue_, orders_, aov_}) {
            tile->setValue(QStringLiteral("—"), tr("no orders yet"));
        }
    }
    rate_->setValue(groupedInt(std::llround(context.events_per_second)),
                    tr("target %1").arg(rateText(context.options.generator.rate)));
    if (context.snapshot) {
        const PipelineFigures& f = context.snapshot->figures;
        events_->setValue(groupedInt(static_cast<long long>(f.events)),
                          tr("%1 rows emitted").arg(groupedInt(static_cast<long long>(f.rows))));
        const auto& anomalies = f.jobs[static_cast<int>(JobId::Anomalies)];
        anomalies_->setValue(groupedInt(static_cast<long long>(history.high_value.size() +
                                                               history.high_quantity.size() +
                                                               history.suspicious.size())),
                             tr("rows kept for drill-down (of %1 anomaly rows)")
                                 .arg(groupedInt(static_cast<long long>(anomalies.emitted_rows))));
        carts_->setValue(groupedInt(static_cast<long long>(f.open_sessions)),
                         tr("awaiting checkout or abandonment"));
        alerts_->setValue(groupedInt(static_cast<long long>(f.alerts_raised)),
                          tr("after deduplication"));
    }
}

} // namespace gm
