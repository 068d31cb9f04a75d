// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/notice_banner.h"

#include <QMouseEvent>

namespace gm {

NoticeBanner::NoticeBanner(QWidget* parent, int visible_ms) : QLabel(parent) {
    setObjectName(QStringLiteral("noticeBanner"));
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    setMargin(6);
    // Fixed colours, like the database banner's: the same in the light and the dark theme.
    setStyleSheet(QStringLiteral("QLabel#noticeBanner { background: #e8f0fe; color: #0d2a5c; "
                                 "border: 1px solid #1a73e8; border-radius: 3px; }"));
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    setCompact(false);
    hide_timer_.setSingleShot(true);
    hide_timer_.setInterval(visible_ms);
    connect(&hide_timer_, &QTimer::timeout, this, [this] {
        notices_.clear();
        hide();
    });
    hide();
}

void NoticeBanner::showNotice(const QString& text) {
    if (text.isEmpty()) {
        return;
    }
    notices_ << text;
    const QString all = notices_.join(QStringLiteral(" · "));
    setText(all);
    setToolTip(notices_.join(QLatin1Char('\n')) + tr("\n(click to close)"));
    show();
    hide_timer_.start();
}

void NoticeBanner::setCompact(bool compact) {
    setFixedHeight((compact ? 1 : 2) * fontMetrics().lineSpacing() + 2 * margin() + 4);
}

void NoticeBanner::mousePressEvent(QMouseEvent* event) {
    notices_.clear();
    hide_timer_.stop();
    hide();
    event->accept();
}

} // namespace gm
