// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/carts_page.h"

#include "models/headline_minutes.h"
#include "models/human_format.h"
#include "models/range_rows.h"
#include "models/snapshot_tables.h"
#include "ui/palette_colors.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace gm {
namespace {

// The breakdown's choices other than one country (whose data is its Country index).
constexpr int kAllTogether = -1;
constexpr int kEachCountry = -2;

QString nameOf(Country country) {
    const auto name = countryName(country);
    return QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
}

} // namespace

void CartsPage::updateCountryChoices() {
    // The active list: the built-in countries and those a --reference-data file added. Lists
    // only grow while the program runs, so new countries are appended.
    for (int i = breakdown_->count() - 2; i < countryCount(); ++i) {
        breakdown_->addItem(tr("total and %1").arg(nameOf(static_cast<Country>(i))), i);
    }
}

CartsPage::CartsPage(QWidget* parent) : DashboardPage(tr("Carts"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* tiles = new QHBoxLayout;
    open_ = new StatTile(tr("Open cart sessions"), this);
    rate_ = new StatTile(tr("Cart abandonment, last full minute"), this);
    sessions_ = new StatTile(tr("Abandoned cart sessions (table below)"), this);
    tiles->addWidget(open_);
    tiles->addWidget(rate_);
    tiles->addWidget(sessions_);
    layout->addLayout(tiles);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* chart_box = new QWidget(splitter);
    auto* chart_layout = new QVBoxLayout(chart_box);
    chart_layout->setContentsMargins(0, 0, 0, 0);
    auto* breakdown_bar = new QHBoxLayout;
    breakdown_bar->addWidget(new QLabel(tr("Countries:"), chart_box));
    breakdown_ = new QComboBox(chart_box);
    breakdown_->setObjectName(QStringLiteral("countryBreakdown"));
    breakdown_->addItem(tr("all countries together"), kAllTogether);
    breakdown_->addItem(tr("total and each country"), kEachCountry);
    updateCountryChoices();
    breakdown_->setToolTip(tr("One line for all countries; add a country (or every country) to "
                              "compare it with the total"));
    breakdown_bar->addWidget(breakdown_);
    breakdown_bar->addStretch(1);
    chart_layout->addLayout(breakdown_bar);
    // One definition for the chart and the card above it: cart_metrics' abandonment rate,
    // (adds − checkouts) / adds per minute, all countries summed.
    chart_ = new TimeChart(tr("Cart abandonment per minute: (adds − checkouts) / adds"),
                           tr("Abandoned"), ValueFormat::Percent,
                           tr("No cart events yet. The rate is (adds − checkouts) / adds for each "
                              "minute, over all countries."),
                           chart_box);
    chart_layout->addWidget(chart_, 1);
    abandoned_ = new TablePanel(
        tr("Abandoned cart sessions"),
        tr("No abandoned carts yet — a cart session counts as abandoned after 30 minutes of "
           "event time without activity or checkout (speed up time with the Speed control to see "
           "them sooner)."),
        splitter);
    splitter->addWidget(chart_box);
    splitter->addWidget(abandoned_);
    splitter->setSizes({450, 450});
    layout->addWidget(splitter, 1);
    connect(chart_, &TimeChart::windowActivated, this, [this](qint64 start, const QString& line) {
        abandoned_->showTimeRange(start, start + kMicrosPerMinute, tr("First cart event"));
        const int index = abandoned_->countryBox()->findData(line);
        abandoned_->countryBox()->setCurrentIndex(index < 0 ? 0 : index);
    });
    connect(breakdown_, &QComboBox::currentIndexChanged, this, [this] { gate_ = VersionGate(); });
}

void CartsPage::showData(const PageContext& context) {
    const SnapshotHistory& history = context.history;
    const HistoryView* range = context.range;
    const StoredMinutes& stored = storedOf(range);
    chart_->showRange(range);
    std::vector<ChartLine> lines{rangedLine(range, tr("All countries"), seriesColor(0),
                                            history.abandonment_total, stored.abandonment_total,
                                            3.0)};
    updateCountryChoices();
    const int breakdown = breakdown_->currentData().toInt();
    static const MinuteSeries kNoMinutes;
    static const std::vector<StoredPoint> kNoStored;
    for (int i = 0; i < countryCount(); ++i) {
        if (breakdown != kEachCountry && breakdown != i) {
            continue;
        }
        const auto country = static_cast<std::size_t>(i);
        // A country with no row yet has no series in memory (or none loaded).
        const MinuteSeries& live =
            country < history.abandonment.size() ? history.abandonment[country] : kNoMinutes;
        const std::vector<StoredPoint>& before =
            country < stored.abandonment.size() ? stored.abandonment[country] : kNoStored;
        lines.push_back(rangedLine(range, nameOf(static_cast<Country>(i)), seriesColor(i + 1), live,
                                   before, 1.5));
    }
    chart_->setLines(lines);

    const auto rates = history.abandonment_total.points();
    const auto adds = history.cart_adds.points();
    const auto checkouts = history.cart_checkouts.points();
    // The newest whole closed minute: not the open one, nor one a stop cut short.
    const std::ptrdiff_t closed = headlineMinutes(rates, history.latest ? history.latest->cut_off_at
                                                                        : TimestampUs{kNoWatermark})
                                      .full;
    if (closed >= 0 && static_cast<std::size_t>(closed) < adds.size() &&
        static_cast<std::size_t>(closed) < checkouts.size()) {
        const TimestampUs start = rates[closed].window_start;
        // The series' first minute began before the run did: part of a minute only.
        const bool warm_up = closed == 0 && context.options.start_time != start;
        rate_->setValue(
            percentText(rates[closed].value),
            tr("%1 adds − %2 checkouts, %3%4")
                .arg(groupedInt(std::llround(adds[closed].value)),
                     groupedInt(std::llround(checkouts[closed].value)), utcClock(start),
                     warm_up ? tr(" (partial: the run started during it)") : QString()));
    } else {
        rate_->setValue(QStringLiteral("—"),
                        rates.empty() ? tr("no cart events yet") : tr("no full minute yet"));
    }
    if (context.snapshot) {
        open_->setValue(groupedInt(static_cast<long long>(context.snapshot->figures.open_sessions)),
                        tr("awaiting checkout or abandonment"));
    }
    // The table shows the page's time range: a new span or newly loaded rows rebuild it too.
    if (!context.refresh_tables ||
        !gate_.changed(history.generation(),
                       history.abandoned_carts.version() + (range ? range->revision() : 0))) {
        return;
    }
    const auto rows = rowsInRange(history.abandoned_carts.rows(), range);
    const StoredRows* stored_rows = range ? range->storedRows() : nullptr;
    abandoned_->setCountNote(
        rangeRowsNote(range, stored_rows ? &stored_rows->abandoned_carts : nullptr));
    Cents total = 0;
    for (const auto& row : rows) {
        total += row.abandoned_cart_value;
    }
    sessions_->setValue(groupedInt(static_cast<long long>(rows.size())),
                        rows.empty() ? tr("30 min without activity or checkout")
                                     : tr("30 min idle · %1 left in them").arg(centsText(total)));
    abandoned_->setTable(abandonedCartsTable(rows));
}

} // namespace gm
