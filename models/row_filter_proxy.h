// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <QSortFilterProxyModel>

namespace gm {

// Sorting on raw values plus the drill-down filters: severity, country, type (exact, empty means
// any), a time range on the table's time column, and a free-text search over every column.
// Works on any RowTableModel; a filter whose column the table lacks is ignored.
class RowFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RowFilterProxy(QObject* parent = nullptr);

    void setSeverity(const QString& severity);
    void setCountry(const QString& country);
    void setType(const QString& type);
    void setSearchText(const QString& text);
    // Rows whose time column lies in [from, to); from == to clears it.
    void setTimeRange(TimestampUs from, TimestampUs to);
    bool hasTimeRange() const { return time_from_ != time_to_; }

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    bool matches(int source_row, int role_column, const QString& wanted) const;

    QString severity_;
    QString country_;
    QString type_;
    QString search_;
    TimestampUs time_from_ = 0;
    TimestampUs time_to_ = 0;
};

} // namespace gm
