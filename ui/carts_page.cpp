// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/carts_page.h"

#include "models/human_format.h"
#include "models/snapshot_tables.h"
#include "ui/palette_colors.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QSplitter>
#include <QVBoxLayout>

namespace gm {

CartsPage::CartsPage(QWidget* parent) : DashboardPage(tr("Carts"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* tiles = new QHBoxLayout;
    open_ = new StatTile(tr("Open cart sessions"), this);
    count_ = new StatTile(tr("Abandoned carts (kept)"), this);
    value_ = new StatTile(tr("Value left in abandoned carts"), this);
    tiles->addWidget(open_);
    tiles->addWidget(count_);
    tiles->addWidget(value_);
    layout->addLayout(tiles);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    chart_ =
        new TimeChart(tr("Cart abandonment rate by country (adds without checkout, per minute)"),
                      tr("Abandoned"), ValueFormat::Percent,
                      tr("No cart events yet. The rate is (adds − checkouts) / adds for each "
                         "minute and country."),
                      splitter);
    abandoned_ = new TablePanel(
        tr("Abandoned carts"),
        tr("No abandoned carts yet — a cart counts as abandoned after 30 minutes of event time "
           "without activity or checkout (speed up time with the Speed control to see them "
           "sooner)."),
        splitter);
    splitter->addWidget(chart_);
    splitter->addWidget(abandoned_);
    splitter->setSizes({380, 520});
    layout->addWidget(splitter, 1);
    connect(chart_, &TimeChart::windowActivated, this, [this](qint64 start, const QString& line) {
        abandoned_->showTimeRange(start, start + kMicrosPerMinute, tr("First cart event"));
        const int index = abandoned_->countryBox()->findData(line);
        abandoned_->countryBox()->setCurrentIndex(index < 0 ? 0 : index);
    });
}

void CartsPage::showData(const PageContext& context) {
    std::vector<ChartLine> lines;
    for (int i = 0; i < kCountryCount; ++i) {
        const auto name = countryName(static_cast<Country>(i));
        lines.push_back({QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())),
                         seriesColor(i),
                         context.history.abandonment[static_cast<std::size_t>(i)].points()});
    }
    chart_->setLines(lines);
    if (context.snapshot) {
        open_->setValue(groupedInt(static_cast<long long>(context.snapshot->figures.open_sessions)),
                        tr("awaiting checkout or abandonment"));
    }
    if (!context.refresh_tables ||
        !gate_.changed(context.history.generation(), context.history.abandoned_carts.version())) {
        return;
    }
    const auto rows = context.history.abandoned_carts.rows();
    Cents total = 0;
    for (const auto& row : rows) {
        total += row.abandoned_cart_value;
    }
    count_->setValue(groupedInt(static_cast<long long>(rows.size())), tr("newest rows kept"));
    value_->setValue(
        centsText(total),
        rows.empty() ? QString()
                     : tr("average %1").arg(centsText(total / static_cast<Cents>(rows.size()))));
    abandoned_->setTable(abandonedCartsTable(rows));
}

} // namespace gm
