// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QStringList>
#include <functional>

class QAbstractItemModel;

// RFC 4180 CSV: CRLF line ends, fields with comma, quote, CR or LF are quoted and quotes doubled,
// UTF-8 without a byte-order mark, one header row.
namespace gm {

struct CsvTable {
    QStringList header;
    QList<QStringList> rows;
};

QString csvField(const QString& field);
QByteArray csvLine(const QStringList& fields);
// Parses RFC 4180 text back into rows (the header is the first row). Used by tests and imports.
QList<QStringList> parseCsv(const QByteArray& text);

// The model's rows as they are shown (a proxy gives the filtered, sorted view), read with
// `role` (RowTableModel::ExportRole: ISO 8601 UTC timestamps, plain numbers) and the header's
// `role` too. Call on the model's thread; the result can be written anywhere.
CsvTable csvFromModel(const QAbstractItemModel& model, int role);

// Writes the table; `progress(rows_written)` returns false to cancel, in which case nothing
// more is written and the function returns false.
bool writeCsv(QIODevice& device, const CsvTable& table,
              const std::function<bool(qsizetype)>& progress = {});

} // namespace gm
