// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/app_settings.h"

class QApplication;

namespace gm {

// Applies the light or dark palette (Fusion style, so both look alike everywhere). "System"
// follows the palette the platform gave at startup. Returns true when the result is dark.
bool applyTheme(QApplication& app, ThemeChoice choice);

} // namespace gm
