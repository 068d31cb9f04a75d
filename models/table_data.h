// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QVariant>
#include <QVector>
#include <vector>

// A table as the drill-down views need it: typed columns and raw cell values. The item model
// formats for display and export; filters find their columns by role, not by position.
namespace gm {

enum class ColumnKind {
    Text,
    Integer,   // qlonglong
    Cents,     // qlonglong cents, shown as $1,234.56
    Dollars,   // double dollars
    Decimal,   // double, two decimals
    Percent,   // double 0-100
    Timestamp, // qlonglong microseconds since the epoch, UTC
    Severity,  // QString low/medium/high/critical
    Boolean,
};

enum class FilterRole { None, Severity, Country, Type, Time, Key };

struct ColumnSpec {
    QString title;    // header shown in the view
    QString csv_name; // header in CSV exports (the spec's column name)
    ColumnKind kind = ColumnKind::Text;
    FilterRole filter = FilterRole::None;
};

struct TableData {
    QVector<ColumnSpec> columns;
    std::vector<QVariantList> rows; // each row has columns.size() cells

    int columnFor(FilterRole role) const {
        for (int i = 0; i < columns.size(); ++i) {
            if (columns[i].filter == role) {
                return i;
            }
        }
        return -1;
    }
};

} // namespace gm
