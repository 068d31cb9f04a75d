// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/run_desktop.h"

#include "ui/desktop_session.h"
#include "ui/main_window.h"

#include <QApplication>

namespace gm {

int runDesktop(QApplication& app, const RunOptions& options, RunSlot* run_slot) {
    if (QCoreApplication::organizationName().isEmpty()) {
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMart"));
    }
    QApplication::setApplicationDisplayName(QStringLiteral("GlobalMart Monitor"));
    DesktopSession session(options);
    session.publishRunsTo(run_slot);
    MainWindow window(session);
    window.show();
    session.start();
    const int code = app.exec();
    session.stop();
    return code;
}

} // namespace gm
