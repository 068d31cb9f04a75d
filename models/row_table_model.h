// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/table_data.h"

#include <QAbstractTableModel>

namespace gm {

// Read-only item model over a TableData. Qt::DisplayRole is formatted for people, SortRole is the
// raw value (so $9 sorts before $10), ExportRole is the CSV text (ISO 8601 UTC, plain numbers).
class RowTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int ExportRole = Qt::UserRole + 2;

    explicit RowTableModel(QObject* parent = nullptr);

    // Replaces the contents; does nothing (and keeps the selection) when they did not change.
    void setTable(TableData table);
    const TableData& table() const { return table_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString displayText(const QVariant& value, ColumnKind kind);
    static QString exportText(const QVariant& value, ColumnKind kind);

private:
    TableData table_;
};

} // namespace gm
