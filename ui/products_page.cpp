// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/products_page.h"

#include "models/human_format.h"
#include "models/snapshot_tables.h"
#include "ui/ranked_bar_chart.h"
#include "ui/table_panel.h"

#include <QLineEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace gm {

ProductsPage::ProductsPage(QWidget* parent) : DashboardPage(tr("Products"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    trending_chart_ = new RankedBarChart(
        tr("Trending products: views in the newest 10-minute window"), tr("Views"),
        ValueFormat::Count,
        tr("No trending products yet — a product trends with 5 or more views in a 10-minute "
           "window that slides every minute; the first rows appear when a window closes."),
        splitter);
    auto* tabs = new QTabWidget(splitter);
    trending_ = new TablePanel(tr("Trending products"),
                               tr("No trending products yet (newest closed window)."), tabs);
    categories_ = new TablePanel(
        tr("Category performance"),
        tr("No category rows yet — they appear when the first 5-minute window closes."), tabs);
    searches_ = new TablePanel(
        tr("Top searches"),
        tr("No searches yet — a query shows once it is searched 3 or more times in a 5-minute "
           "window and that window closes."),
        tabs);
    trending_->setDefaultSort(4, Qt::DescendingOrder); // most views first
    categories_->setDefaultSort(3, Qt::DescendingOrder);
    searches_->setDefaultSort(3, Qt::DescendingOrder);
    tabs->addTab(trending_, tr("Trending"));
    tabs->addTab(categories_, tr("Categories"));
    tabs->addTab(searches_, tr("Searches"));
    splitter->addWidget(trending_chart_);
    splitter->addWidget(tabs);
    // Half each: with less, a 1024×700 window left the ten bars 10 pixels each and Qt Charts
    // showed every other product's name. The chart keeps room for ten names on a line each.
    splitter->setSizes({450, 450});
    splitter->setCollapsible(0, false);
    trending_chart_->setMinimumHeight(trending_chart_->fontMetrics().lineSpacing() * 10 + 110);
    layout->addWidget(splitter, 1);
    connect(trending_chart_, &RankedBarChart::barActivated, this,
            [this, tabs](const QString& name) {
                tabs->setCurrentWidget(trending_);
                trending_->searchBox()->setText(name);
            });
}

void ProductsPage::showData(const PageContext& context) {
    if (!context.refresh_tables) {
        return;
    }
    const SnapshotPtr& snapshot = context.history.latest;
    if (!snapshot) {
        return;
    }
    const RowBatch& recent = snapshot->recent;
    const TimestampUs newest = newestWindow(recent.trending_products);
    std::vector<const TrendingProductRow*> top;
    for (const auto& row : recent.trending_products) {
        if (row.window_start == newest) {
            top.push_back(&row);
        }
    }
    std::sort(top.begin(), top.end(), [](const auto* a, const auto* b) {
        return a->view_count != b->view_count ? a->view_count > b->view_count
                                              : a->product_id < b->product_id;
    });
    QStringList labels;
    QList<double> values;
    for (std::size_t i = 0; i < std::min<std::size_t>(top.size(), 10); ++i) {
        labels << QString::fromStdString(top[i]->product_name);
        values << static_cast<double>(top[i]->view_count);
    }
    trending_chart_->setBars(labels, values,
                             top.empty() ? QString()
                                         : tr("Window %1 – %2")
                                               .arg(utcClock(top.front()->window_start),
                                                    utcClock(top.front()->window_end)));
    trending_->setTable(trendingTable(recent.trending_products));
    categories_->setTable(categoryTable(recent.category_performance));
    searches_->setTable(searchTable(recent.search_behavior));
}

} // namespace gm
