// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>
#include <QTimer>

namespace gm {

// A strip above every page for what a run says when it starts or stops ("continuing the stored
// history: simulated time starts at …", rows spilled, …): sentences too long for the status bar,
// whose permanent fields clip them at 1024 px. Wraps to two lines (the whole text is in the
// tooltip), hides after `visible_ms` or on a click; notices that arrive meanwhile are added.
class NoticeBanner : public QLabel {
    Q_OBJECT
public:
    explicit NoticeBanner(QWidget* parent = nullptr, int visible_ms = 20'000);
    void showNotice(const QString& text);
    // One line instead of two, while another banner (the database's) takes room: the window
    // must still fit 1024×700.
    void setCompact(bool compact);

protected:
    void mousePressEvent(QMouseEvent* event) override;

private:
    QStringList notices_;
    QTimer hide_timer_;
};

} // namespace gm
