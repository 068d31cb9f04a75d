// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/database_banner.h"

#include "ui/status_texts.h"

namespace gm {

DatabaseBanner::DatabaseBanner(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("databaseBanner"));
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setMargin(6);
    // Fixed colours: a warning must read the same in the light and the dark theme.
    setStyleSheet(QStringLiteral("QLabel#databaseBanner { background: #fdecea; color: #611a15; "
                                 "border: 1px solid #e53935; border-radius: 3px; }"));
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    // Two lines at most, so the banner never makes the window taller than the screen; the
    // whole text is in the tooltip.
    setFixedHeight(2 * fontMetrics().lineSpacing() + 2 * margin() + 4);
    hide();
}

void DatabaseBanner::showServices(const DesktopSession::Services& services) {
    const std::optional<QString> problem = databaseProblem(services);
    if (!problem) {
        hide();
        return;
    }
    setText(*problem);
    setToolTip(*problem);
    show();
}

} // namespace gm
