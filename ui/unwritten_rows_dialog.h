// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QPointer>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace gm {

class DesktopSession;

// Shown while a stop still has rows PostgreSQL has not taken (a slow or unreachable server): how
// many remain and how fast they go, with the choice to wait or to leave them in the spill file,
// where the next start writes them first. Closes itself when the stop is done.
class UnwrittenRowsDialog : public QDialog {
    Q_OBJECT
public:
    // From now on, every stop of `session` that has not written everything after a moment opens
    // the dialog (window-modal over `parent`).
    static void watch(DesktopSession& session, QWidget* parent);

    UnwrittenRowsDialog(DesktopSession& session, QWidget* parent);

    // Refreshes the figures from the session; closes when the stop is over.
    void refresh();

private:
    DesktopSession& session_;
    QLabel* text_;
    QProgressBar* bar_;
    QPushButton* leave_;
    QTimer* timer_;
    std::size_t first_count_ = 0;
};

} // namespace gm
