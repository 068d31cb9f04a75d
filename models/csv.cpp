// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/csv.h"

#include "pipeline/csv_text.h"

#include <QAbstractItemModel>

namespace gm {

QString csvField(const QString& field) {
    return QString::fromStdString(csvQuoted(field.toStdString()));
}

QByteArray csvLine(const QStringList& fields) {
    std::vector<std::string> texts;
    texts.reserve(static_cast<std::size_t>(fields.size()));
    for (const QString& field : fields) {
        texts.push_back(field.toStdString());
    }
    return QByteArray::fromStdString(csvLine(texts));
}

QList<QStringList> parseCsv(const QByteArray& bytes) {
    const QString text = QString::fromUtf8(bytes);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool field_started = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            quoted = true;
            field_started = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            field_started = true;
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n')) {
                ++i;
            }
            row << field;
            rows << row;
            row.clear();
            field.clear();
            field_started = false;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (field_started || !row.isEmpty()) {
        row << field;
        rows << row;
    }
    return rows;
}

CsvTable csvFromModel(const QAbstractItemModel& model, int role) {
    CsvTable table;
    const int columns = model.columnCount();
    for (int column = 0; column < columns; ++column) {
        QString name = model.headerData(column, Qt::Horizontal, role).toString();
        if (name.isEmpty()) {
            name = model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        }
        table.header << name;
    }
    const int rows = model.rowCount();
    table.rows.reserve(rows);
    for (int row = 0; row < rows; ++row) {
        QStringList fields;
        fields.reserve(columns);
        for (int column = 0; column < columns; ++column) {
            fields << model.index(row, column).data(role).toString();
        }
        table.rows << fields;
    }
    return table;
}

bool writeCsv(QIODevice& device, const CsvTable& table,
              const std::function<bool(qsizetype)>& progress) {
    if (device.write(csvLine(table.header)) < 0) {
        return false;
    }
    for (qsizetype i = 0; i < table.rows.size(); ++i) {
        if (device.write(csvLine(table.rows[i])) < 0) {
            return false;
        }
        // Report every 256 rows: often enough for a progress bar, rarely enough to be free.
        if (progress && ((i + 1) % 256 == 0 || i + 1 == table.rows.size()) && !progress(i + 1)) {
            return false;
        }
    }
    return true;
}

} // namespace gm
