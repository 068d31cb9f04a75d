// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>

namespace gm {

// Series colours that stay distinguishable on light and dark backgrounds.
QColor seriesColor(int index);
// critical, high, medium, low
QColor severityColor(int severity_index);

} // namespace gm
