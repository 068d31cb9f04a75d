// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/alerts_page.h"

#include "models/human_format.h"
#include "models/snapshot_tables.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace gm {

AlertsPage::AlertsPage(SnapshotHistory& history, QWidget* parent)
    : DashboardPage(tr("Alerts"), parent), history_(history) {
    auto* layout = new QVBoxLayout(this);
    auto* tiles = new QHBoxLayout;
    open_critical_ = new StatTile(tr("Unacknowledged critical"), this);
    open_ = new StatTile(tr("Unacknowledged"), this);
    total_ = new StatTile(tr("Alerts (kept)"), this);
    tiles->addWidget(open_critical_);
    tiles->addWidget(open_);
    tiles->addWidget(total_);
    layout->addLayout(tiles);
    auto* actions = new QHBoxLayout;
    auto* ack = new QPushButton(tr("Acknowledge selected"), this);
    auto* ack_all = new QPushButton(tr("Acknowledge all shown"), this);
    actions->addWidget(ack);
    actions->addWidget(ack_all);
    actions->addStretch(1);
    layout->addLayout(actions);
    table_ = new TablePanel(
        tr("Alerts"),
        tr("No alerts yet — anomalies, high demand, restock needs and low stock raise alerts; "
           "repeats of the same kind and subject within 10 minutes add to one alert."),
        this);
    layout->addWidget(table_, 1);
    connect(ack, &QPushButton::clicked, this, &AlertsPage::acknowledgeSelected);
    connect(ack_all, &QPushButton::clicked, this, &AlertsPage::acknowledgeShown);
}

void AlertsPage::acknowledgeSelected() {
    const QVariantList row = table_->selectedRow();
    if (!row.isEmpty()) {
        history_.acknowledge(row[0].toULongLong());
        refresh();
    }
}

void AlertsPage::acknowledgeShown() {
    for (int i = 0; i < table_->proxy()->rowCount(); ++i) {
        history_.acknowledge(
            table_->proxy()->index(i, 0).data(RowTableModel::SortRole).toULongLong());
    }
    refresh();
}

void AlertsPage::refresh() {
    const auto rows = history_.alerts.rows();
    long long open = 0;
    long long open_critical = 0;
    for (const AlertRow& row : rows) {
        if (!history_.isAcknowledged(row.alert_id) && !row.acknowledged) {
            ++open;
            open_critical += row.severity == Severity::Critical ? 1 : 0;
        }
    }
    open_critical_->setValue(groupedInt(open_critical));
    open_->setValue(groupedInt(open));
    total_->setValue(groupedInt(static_cast<long long>(rows.size())),
                     tr("acknowledgement is kept in this window only"));
    table_->setTable(alertsTable(rows, history_.acknowledged()));
}

void AlertsPage::showData(const PageContext& context) {
    products_ = context.products;
    if (context.refresh_tables &&
        gate_.changed(history_.generation(),
                      history_.alerts.version() + history_.acknowledgedVersion())) {
        refresh();
    }
}

} // namespace gm
