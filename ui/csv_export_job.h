// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/csv.h"

#include <QFuture>

namespace gm {

// Writes the table to `path` on a pool thread. The future reports progress (rows written, range
// 0..rows) and can be cancelled; a cancelled or failed export leaves no file behind (the data
// goes to a temporary file that is renamed only on success). The result is an error message,
// empty on success.
QFuture<QString> startCsvExport(const QString& path, CsvTable table);

} // namespace gm
