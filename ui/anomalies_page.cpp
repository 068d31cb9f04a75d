// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/anomalies_page.h"

#include "models/human_format.h"
#include "models/range_rows.h"
#include "models/snapshot_tables.h"
#include "ui/palette_colors.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace gm {
namespace {

const char* const kSeverityTitles[] = {"Critical", "High", "Medium"};

QString userText(const QVariantList& row, const TableData& table) {
    for (int c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].csv_name == QLatin1String("user_id")) {
            return row[c].toString();
        }
    }
    return {};
}

} // namespace

AnomaliesPage::AnomaliesPage(QWidget* parent) : DashboardPage(tr("Anomalies"), parent) {
    auto* layout = new QVBoxLayout(this);
    auto* tiles = new QHBoxLayout;
    critical_ = new StatTile(tr("Critical (kept rows)"), this);
    high_ = new StatTile(tr("High (kept rows)"), this);
    medium_ = new StatTile(tr("Medium (kept rows)"), this);
    tiles->addWidget(critical_);
    tiles->addWidget(high_);
    tiles->addWidget(medium_);
    layout->addLayout(tiles);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    chart_ = new TimeChart(tr("Anomalies per minute by severity"), tr("Anomalies"),
                           ValueFormat::Count, QString(), splitter);
    chart_->setToolTip(tr("Double-click a minute to list its anomalies below"));
    tabs_ = new QTabWidget(splitter);
    high_value_ = new TablePanel(tr("High-value transactions"), QString(), tabs_);
    high_quantity_ = new TablePanel(tr("High-quantity order lines"), QString(), tabs_);
    suspicious_ = new TablePanel(tr("Suspicious patterns"), QString(), tabs_);
    tabs_->addTab(high_value_, tr("High value"));
    tabs_->addTab(high_quantity_, tr("High quantity"));
    tabs_->addTab(suspicious_, tr("Suspicious patterns"));
    splitter->addWidget(chart_);
    splitter->addWidget(tabs_);
    splitter->setSizes({420, 480});
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    layout->addWidget(splitter, 1);

    for (TablePanel* panel : {high_value_, high_quantity_, suspicious_}) {
        panel->setRelated([this](const TableData& table, const QVariantList& row) {
            return relatedHtml(table, row);
        });
    }
    connect(tabs_, &QTabWidget::currentChanged, this, [this] { emit tabChanged(); });
    connect(chart_, &TimeChart::windowActivated, this,
            [this](qint64 start, const QString& line) { drillInto(start, line.toLower()); });
}

void AnomaliesPage::drillInto(TimestampUs window_start, const QString& severity) {
    const TimestampUs end = window_start + stats_window_;
    high_value_->showTimeRange(window_start, end, tr("Minute"));
    high_quantity_->showTimeRange(window_start, end, tr("Minute"));
    // Suspicious windows are longer: show those that overlap the minute.
    suspicious_->showTimeRange(window_start - suspicious_window_ + 1, end, tr("Overlapping"));
    for (TablePanel* panel : {high_value_, high_quantity_, suspicious_}) {
        const int index = panel->severityBox()->findData(severity);
        panel->severityBox()->setCurrentIndex(index < 0 ? 0 : index);
    }
    tabs_->setCurrentWidget(high_value_);
}

QString AnomaliesPage::relatedHtml(const TableData& table, const QVariantList& row) const {
    const QString user = userText(row, table);
    const QString transaction = row.isEmpty() ? QString() : row[0].toString();
    QString html;
    int shown = 0;
    html += tr("<h4>Other anomalies of %1</h4><ul>").arg(user.toHtmlEscaped());
    for (auto it = high_value_rows_.rbegin(); it != high_value_rows_.rend() && shown < 10; ++it) {
        if (QString::fromStdString(formatUserId(it->user_id)) == user &&
            QString::fromStdString(toString(it->transaction_id)) != transaction) {
            html += QStringLiteral("<li>%1 — high value %2 (%3)</li>")
                        .arg(utcDateTime(it->timestamp), centsText(it->total_amount),
                             QString::fromUtf8(severityName(it->severity).data()));
            ++shown;
        }
    }
    for (auto it = high_quantity_rows_.rbegin(); it != high_quantity_rows_.rend() && shown < 10;
         ++it) {
        if (QString::fromStdString(formatUserId(it->user_id)) == user &&
            QString::fromStdString(toString(it->transaction_id)) != transaction) {
            html += tr("<li>%1 — %2 × %3 (%4)</li>")
                        .arg(utcDateTime(it->timestamp), groupedInt(it->quantity),
                             QString::fromStdString(formatProductId(it->product_id)),
                             QString::fromUtf8(severityName(it->severity).data()));
            ++shown;
        }
    }
    if (shown == 0) {
        html += tr("<li><i>none among the kept rows</i></li>");
    }
    html += tr("</ul><h4>Related alerts</h4><ul>");
    int alerts = 0;
    for (auto it = alerts_.rbegin(); it != alerts_.rend() && alerts < 10; ++it) {
        const QString subject = QString::fromStdString(it->subject);
        if (subject.contains(user) || (!transaction.isEmpty() && subject.contains(transaction))) {
            html += tr("<li>%1 — %2 (%3, ×%4)</li>")
                        .arg(utcDateTime(it->last_seen),
                             QString::fromStdString(it->title).toHtmlEscaped(),
                             QString::fromUtf8(severityName(it->severity).data()),
                             groupedInt(static_cast<long long>(it->occurrences)));
            ++alerts;
        }
    }
    if (alerts == 0) {
        html += tr("<li><i>none</i></li>");
    }
    html += QStringLiteral("</ul>");
    return html;
}

void AnomaliesPage::showData(const PageContext& context) {
    const SnapshotHistory& history = context.history;
    stats_window_ = context.config.anomaly_stats_window;
    suspicious_window_ = context.config.suspicious_window;
    const HistoryView* range = context.range;
    const StoredMinutes& stored = storedOf(range);
    chart_->showRange(range);
    std::vector<ChartLine> lines;
    for (std::size_t i = 0; i < history.anomalies.size(); ++i) {
        lines.push_back(rangedLine(range, QString::fromLatin1(kSeverityTitles[i]),
                                   severityColor(static_cast<int>(i)), history.anomalies[i],
                                   stored.anomalies[i]));
    }
    const QString rate = percentText(context.options.simulator.anomaly_rate * 100.0);
    const QString empty =
        tr("No anomalies yet — they appear in about %1 of transactions (the Anomalies control), "
           "once orders flow and their minute is counted.")
            .arg(rate);
    chart_->setEmptyText(empty);
    chart_->setLines(lines);
    if (!context.refresh_tables) {
        return;
    }
    // Only the visible table is rebuilt: at a million events per second anomalies arrive
    // constantly and three 2,000-row tables twice a second would cost the UI thread.
    // The tables show the page's time range: a new span or newly loaded rows rebuild them too
    // (both versions only grow, so their sum moves whenever either does).
    const std::uint64_t generation = history.generation();
    const std::uint64_t revision = range ? range->revision() : 0;
    const bool rows_changed = gates_[3].changed(
        generation, history.high_value.version() + history.high_quantity.version() +
                        history.suspicious.version() + history.alerts.version() + revision);
    if (rows_changed) {
        high_value_rows_ = rowsInRange(history.high_value.rows(), range);
        high_quantity_rows_ = rowsInRange(history.high_quantity.rows(), range);
        suspicious_rows_ = rowsInRange(history.suspicious.rows(), range);
        alerts_ = history.alerts.rows();
        const StoredRows* stored_rows = range ? range->storedRows() : nullptr;
        high_value_->setCountNote(
            rangeRowsNote(range, stored_rows ? &stored_rows->high_value : nullptr));
        high_quantity_->setCountNote(
            rangeRowsNote(range, stored_rows ? &stored_rows->high_quantity : nullptr));
        suspicious_->setCountNote(
            rangeRowsNote(range, stored_rows ? &stored_rows->suspicious : nullptr));
    }
    for (TablePanel* panel : {high_value_, high_quantity_}) {
        panel->setEmptyText(empty);
    }
    suspicious_->setEmptyText(
        tr("No suspicious patterns yet — a user needs %1 or more orders, or more than %2, "
           "within a %3-minute window; rows appear when that window closes.")
            .arg(context.config.suspicious_min_transactions)
            .arg(centsText(context.config.suspicious_spend))
            .arg(context.config.suspicious_window / kMicrosPerMinute));
    QWidget* current = tabs_->currentWidget();
    if (current == high_value_ &&
        gates_[0].changed(generation, history.high_value.version() + revision)) {
        high_value_->setTable(highValueTable(high_value_rows_));
    } else if (current == high_quantity_ &&
               gates_[1].changed(generation, history.high_quantity.version() + revision)) {
        high_quantity_->setTable(highQuantityTable(high_quantity_rows_, context.products));
    } else if (current == suspicious_ &&
               gates_[2].changed(generation, history.suspicious.version() + revision)) {
        suspicious_->setTable(suspiciousTable(suspicious_rows_));
    }
    if (!rows_changed) {
        return;
    }
    const auto& suspicious = suspicious_rows_;
    std::array<long long, 3> counts{};
    auto count = [&counts](Severity severity) {
        if (severity == Severity::Critical) {
            ++counts[0];
        } else if (severity == Severity::High) {
            ++counts[1];
        } else if (severity == Severity::Medium) {
            ++counts[2];
        }
    };
    for (const auto& row : high_value_rows_) {
        count(row.severity);
    }
    for (const auto& row : high_quantity_rows_) {
        count(row.severity);
    }
    for (const auto& row : suspicious) {
        count(row.severity);
    }
    critical_->setValue(groupedInt(counts[0]),
                        tr("high value ≥ $10,000, quantity ≥ 100, both rules"));
    high_->setValue(groupedInt(counts[1]), tr("high value ≥ $7,500, quantity ≥ 75, suspicious"));
    medium_->setValue(groupedInt(counts[2]), tr("the rest above the thresholds"));
}

} // namespace gm
