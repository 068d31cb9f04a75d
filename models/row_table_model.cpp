// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/row_table_model.h"

#include "models/human_format.h"
#include "pipeline/table_schema.h"

#include <QColor>

namespace gm {

RowTableModel::RowTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RowTableModel::setTable(TableData table) {
    const bool same_columns = table.columns.size() == table_.columns.size();
    if (same_columns && table.rows == table_.rows) {
        return;
    }
    beginResetModel();
    table_ = std::move(table);
    endResetModel();
}

int RowTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(table_.rows.size());
}

int RowTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(table_.columns.size());
}

QString RowTableModel::displayText(const QVariant& value, ColumnKind kind) {
    if (!value.isValid() || value.isNull()) {
        return QStringLiteral("—");
    }
    switch (kind) {
    case ColumnKind::Integer:
        return groupedInt(value.toLongLong());
    case ColumnKind::Cents:
        return centsText(value.toLongLong());
    case ColumnKind::Dollars:
        return dollars(value.toDouble());
    case ColumnKind::Decimal:
        return decimalText(value.toDouble());
    case ColumnKind::Percent:
        return percentText(value.toDouble());
    case ColumnKind::Timestamp:
        return utcDateTime(value.toLongLong());
    case ColumnKind::Boolean:
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case ColumnKind::Severity:
    case ColumnKind::Text:
        break;
    }
    return value.toString();
}

QString RowTableModel::exportText(const QVariant& value, ColumnKind kind) {
    if (!value.isValid() || value.isNull()) {
        return {};
    }
    switch (kind) {
    case ColumnKind::Integer:
        return QString::number(value.toLongLong());
    case ColumnKind::Cents:
        return QString::fromStdString(formatCents(value.toLongLong()));
    case ColumnKind::Dollars:
    case ColumnKind::Decimal:
    case ColumnKind::Percent:
        return QString::number(value.toDouble(), 'f', 2);
    case ColumnKind::Timestamp:
        return isoUtc(value.toLongLong());
    case ColumnKind::Boolean:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case ColumnKind::Severity:
    case ColumnKind::Text:
        break;
    }
    return value.toString();
}

QVariant RowTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) {
        return {};
    }
    const QVariant& value = table_.rows[static_cast<std::size_t>(index.row())][index.column()];
    const ColumnKind kind = table_.columns[index.column()].kind;
    switch (role) {
    case Qt::DisplayRole:
        return displayText(value, kind);
    case SortRole:
        return value;
    case ExportRole:
        return exportText(value, kind);
    case Qt::TextAlignmentRole:
        if (kind == ColumnKind::Text || kind == ColumnKind::Severity ||
            kind == ColumnKind::Boolean || kind == ColumnKind::Timestamp) {
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        }
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (kind == ColumnKind::Severity) {
            const QString severity = value.toString();
            if (severity == QLatin1String("critical")) {
                return QColor(0xd3, 0x2f, 0x2f);
            }
            if (severity == QLatin1String("high")) {
                return QColor(0xef, 0x6c, 0x00);
            }
        }
        return {};
    default:
        return {};
    }
}

QVariant RowTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::DisplayRole) {
        return table_.columns[section].title;
    }
    if (role == ExportRole) {
        return table_.columns[section].csv_name;
    }
    return {};
}

} // namespace gm
