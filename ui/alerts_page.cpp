// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/alerts_page.h"

#include "models/human_format.h"
#include "models/range_rows.h"
#include "models/snapshot_tables.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

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

void AlertsPage::setAcknowledger(std::optional<AlertAcknowledger> acknowledger) {
    acknowledger_ = std::move(acknowledger);
    gate_ = VersionGate(); // the note under the tiles says where acknowledgements go
}

void AlertsPage::acknowledgeSelected() {
    const QVariantList row = table_->selectedRow();
    const int key = table_->model()->table().columnFor(FilterRole::Key);
    if (!row.isEmpty() && key >= 0) {
        acknowledge({row[key].toString().toULongLong()});
    }
}

void AlertsPage::acknowledgeShown() {
    const int key = table_->model()->table().columnFor(FilterRole::Key);
    std::vector<std::uint64_t> ids;
    for (int i = 0; key >= 0 && i < table_->proxy()->rowCount(); ++i) {
        ids.push_back(
            table_->proxy()->index(i, key).data(RowTableModel::SortRole).toString().toULongLong());
    }
    acknowledge(ids);
}

void AlertsPage::showAcknowledged(std::uint64_t alert_id) {
    history_.acknowledge(alert_id);
    refresh();
}

void AlertsPage::acknowledge(const std::vector<std::uint64_t>& ids) {
    if (ids.empty()) {
        return;
    }
    for (const std::uint64_t id : ids) {
        history_.acknowledge(id);
    }
    refresh();
    if (!acknowledger_) {
        return;
    }
    auto* watcher = new QFutureWatcher<AlertAcknowledger::Result>(this);
    connect(watcher, &QFutureWatcher<AlertAcknowledger::Result>::finished, this, [this, watcher] {
        const AlertAcknowledger::Result result = watcher->result();
        watcher->deleteLater();
        if (result.error) {
            emit message(tr("Acknowledgement not stored in PostgreSQL (shown in this window "
                            "only): %1")
                             .arg(QString::fromStdString(*result.error)));
        } else {
            emit message(
                tr("Acknowledgement stored in PostgreSQL (%1 alerts)")
                    .arg(groupedInt(static_cast<long long>(result.stored + result.pending))));
        }
        emit acknowledgementsStored(result);
    });
    watcher->setFuture(QtConcurrent::run(
        [acknowledger = *acknowledger_, ids] { return acknowledger.acknowledge(ids); }));
}

void AlertsPage::refresh() {
    long long open = 0;
    long long open_critical = 0;
    for (const AlertRow& row : rows_) {
        if (!history_.isAcknowledged(row.alert_id) && !row.acknowledged) {
            ++open;
            open_critical += row.severity == Severity::Critical ? 1 : 0;
        }
    }
    open_critical_->setValue(groupedInt(open_critical));
    open_->setValue(groupedInt(open));
    total_->setCaption(ranged_ ? tr("Alerts in the time range") : tr("Alerts (kept)"));
    total_->setValue(groupedInt(static_cast<long long>(rows_.size())),
                     acknowledger_ ? tr("acknowledgements are stored in PostgreSQL")
                                   : tr("acknowledgements are kept in this window only"));
    table_->setTable(alertsTable(rows_, history_.acknowledged()));
}

void AlertsPage::showData(const PageContext& context) {
    products_ = context.products;
    const HistoryView* range = context.range;
    const std::uint64_t revision = range ? range->revision() : 0;
    if (context.refresh_tables &&
        gate_.changed(history_.generation(),
                      history_.alerts.version() + history_.acknowledgedVersion() + revision)) {
        rows_ = rowsInRange(history_.alerts.rows(), range);
        ranged_ = range != nullptr && range->span().has_value();
        const StoredRows* stored = range ? range->storedRows() : nullptr;
        table_->setCountNote(rangeRowsNote(range, stored ? &stored->alerts : nullptr));
        refresh();
    }
}

} // namespace gm
