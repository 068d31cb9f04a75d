// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace gm {

// Every alert kind a desktop notification can be muted for: its stored name (alertKindName,
// "high_value") and what the Settings dialog calls it.
struct AlertKindChoice {
    AlertKind kind;
    QString name;
    QString label;
};
std::vector<AlertKindChoice> alertKindChoices();

// A desktop notification (the window's system tray icon).
struct DesktopNotice {
    QString title;
    QString message;
};

// More new critical alerts than this at once become one notice that counts them.
inline constexpr std::size_t kMaxDesktopNoticesAtOnce = 3;

// The desktop notices for alerts raised since the last call: critical alerts only, and none
// of a kind in `muted_kinds` (alertKindName values).
std::vector<DesktopNotice> desktopNotices(const std::vector<const AlertRow*>& new_alerts,
                                          const QStringList& muted_kinds);

} // namespace gm
