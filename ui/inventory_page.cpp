// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/inventory_page.h"

#include "models/range_rows.h"
#include "models/snapshot_tables.h"
#include "ui/palette_colors.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"

#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace gm {

InventoryPage::InventoryPage(QWidget* parent) : DashboardPage(tr("Inventory"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    units_ = new TimeChart(tr("Units sold per minute (all countries)"), tr("Units"),
                           ValueFormat::Count, tr("No units sold yet."), splitter);
    auto* tabs = new QTabWidget(splitter);
    high_demand_ = new TablePanel(
        tr("High-demand alerts"),
        tr("No high-demand alerts yet — a product needs 20 or more units sold in a 10-minute "
           "window."),
        tabs);
    restock_ = new TablePanel(
        tr("Restock alerts"),
        tr("No restock alerts yet — raised when a product sells 1 or more units per minute in "
           "a country over a 5-minute window."),
        tabs);
    low_stock_ = new TablePanel(
        tr("Low stock"),
        tr("No low-stock alerts yet — raised when a product's stock falls to the threshold."),
        tabs);
    levels_ = new TablePanel(tr("Stock levels"),
                             tr("No stock changes yet — levels appear as products sell."), tabs);
    tabs->addTab(high_demand_, tr("High demand"));
    tabs->addTab(restock_, tr("Restock"));
    tabs->addTab(low_stock_, tr("Low stock"));
    tabs->addTab(levels_, tr("Stock levels"));
    splitter->addWidget(units_);
    splitter->addWidget(tabs);
    splitter->setSizes({360, 540});
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);
    stock_scope_ = new QLabel(this);
    stock_scope_->setObjectName("stockScope");
    stock_scope_->setWordWrap(true);
    layout->addWidget(stock_scope_);
    levels_->setDefaultSort(2, Qt::AscendingOrder); // lowest stock first
}

void InventoryPage::showData(const PageContext& context) {
    const StoredMinutes& stored = storedOf(context.range);
    units_->showRange(context.range);
    units_->setLines({rangedLine(context.range, tr("Units sold"), seriesColor(4),
                                 context.history.units_sold, stored.units_sold)});
    if (!context.refresh_tables) {
        return;
    }
    // Stock is tracked only where it is known; other products are not shown at zero. The
    // counts come from the product dictionary: every distinct product id seen outside the
    // catalog (in the stream or the initial stock file), counted when it was first looked up.
    const ProductTable* products = context.products;
    const std::size_t catalog = products != nullptr ? products->size() : 0;
    const std::size_t extra = products != nullptr ? products->extra_stock.size() : 0;
    const std::uint64_t outside = products != nullptr ? products->outsideCatalogCount() : 0;
    const std::uint64_t unknown = products != nullptr ? products->stockUnknownCount() : 0;
    QString scope = tr("Stock is known for the catalog's %1 products").arg(catalog);
    if (extra > 0) {
        scope += tr(" and for %1 more from the initial stock file").arg(extra);
    }
    scope += outside == 1 ? tr(". 1 product named outside the catalog so far")
                          : tr(". %1 products named outside the catalog so far").arg(outside);
    scope += tr(", %1 of them with <b>unknown stock</b>: they appear in demand and restock "
                "alerts, never under Low stock or Stock levels.")
                 .arg(unknown);
    stock_scope_->setText(scope);
    // The alert tables follow the time range like the other pages' tables (models/range_rows.h);
    // a new span or newly loaded rows rebuild them too.
    const SnapshotHistory& h = context.history;
    const HistoryView* range = context.range;
    const std::uint64_t revision = range ? range->revision() : 0;
    const StoredRows* stored_rows = range ? range->storedRows() : nullptr;
    if (gates_[0].changed(h.generation(), h.high_demand.version() + revision)) {
        high_demand_->setTable(
            highDemandTable(rowsInRange(h.high_demand.rows(), range), context.products));
        high_demand_->setCountNote(
            rangeRowsNote(range, stored_rows ? &stored_rows->high_demand : nullptr));
    }
    if (gates_[1].changed(h.generation(), h.restock.version() + revision)) {
        restock_->setTable(restockTable(rowsInRange(h.restock.rows(), range), context.products));
        restock_->setCountNote(rangeRowsNote(range, stored_rows ? &stored_rows->restock : nullptr));
    }
    if (gates_[2].changed(h.generation(), h.low_stock.version() + revision)) {
        low_stock_->setTable(
            lowStockTable(rowsInRange(h.low_stock.rows(), range), context.products));
        low_stock_->setCountNote(
            rangeRowsNote(range, stored_rows ? &stored_rows->low_stock : nullptr));
    }
    // Stock levels are a state, not events: PostgreSQL keeps only each product's latest level,
    // so no earlier level can be shown for a past range. The table says so rather than
    // filtering the current levels by when they last changed.
    if (gates_[3].changed(h.generation(), h.stock_levels.version() + revision)) {
        levels_->setTable(stockLevelsTable(h.stock_levels.rows(), context.products));
        const bool ranged = range != nullptr && range->span().has_value();
        levels_->setCountNote(ranged ? tr("current levels, whatever the time range (only the "
                                          "latest level of each product is kept)")
                                     : QString());
    }
}

} // namespace gm
