// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/row_filter_proxy.h"

#include "models/row_table_model.h"

namespace gm {

RowFilterProxy::RowFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(RowTableModel::SortRole);
    setDynamicSortFilter(true);
}

void RowFilterProxy::setSeverity(const QString& severity) {
    severity_ = severity;
    invalidateFilter();
}

void RowFilterProxy::setCountry(const QString& country) {
    country_ = country;
    invalidateFilter();
}

void RowFilterProxy::setType(const QString& type) {
    type_ = type;
    invalidateFilter();
}

void RowFilterProxy::setSearchText(const QString& text) {
    search_ = text.trimmed();
    invalidateFilter();
}

void RowFilterProxy::setTimeRange(TimestampUs from, TimestampUs to) {
    time_from_ = from;
    time_to_ = to;
    invalidateFilter();
}

bool RowFilterProxy::matches(int source_row, int column, const QString& wanted) const {
    if (wanted.isEmpty() || column < 0) {
        return true;
    }
    const QModelIndex index = sourceModel()->index(source_row, column);
    return index.data(RowTableModel::ExportRole).toString().compare(wanted, Qt::CaseInsensitive) ==
           0;
}

bool RowFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
    const auto* model = qobject_cast<const RowTableModel*>(sourceModel());
    if (model == nullptr || source_parent.isValid()) {
        return true;
    }
    const TableData& table = model->table();
    if (!matches(source_row, table.columnFor(FilterRole::Severity), severity_) ||
        !matches(source_row, table.columnFor(FilterRole::Country), country_) ||
        !matches(source_row, table.columnFor(FilterRole::Type), type_)) {
        return false;
    }
    const int time_column = table.columnFor(FilterRole::Time);
    if (hasTimeRange() && time_column >= 0) {
        const TimestampUs time =
            model->index(source_row, time_column).data(RowTableModel::SortRole).toLongLong();
        if (time < time_from_ || time >= time_to_) {
            return false;
        }
    }
    if (search_.isEmpty()) {
        return true;
    }
    for (int column = 0; column < model->columnCount(); ++column) {
        const QModelIndex index = model->index(source_row, column);
        if (index.data(Qt::DisplayRole).toString().contains(search_, Qt::CaseInsensitive) ||
            index.data(RowTableModel::ExportRole)
                .toString()
                .contains(search_, Qt::CaseInsensitive)) {
            return true;
        }
    }
    return false;
}

} // namespace gm
