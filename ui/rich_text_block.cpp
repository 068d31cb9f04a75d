// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rich_text_block.h"

#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QPaintEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace gm {

namespace {

// Widths a layout pass may ask about: the current one and the hints' (a handful).
constexpr int kRememberedWidths = 6;

} // namespace

RichTextBlock::RichTextBlock(QWidget* parent)
    : QWidget(parent), copy_(new QAction(tr("Copy"), this)) {
    document_.setDocumentMargin(0);
    document_.setDefaultFont(font());
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    connect(copy_, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(plainText()); });
    addAction(copy_);
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void RichTextBlock::setHtml(const QString& html) {
    if (html == html_) {
        return;
    }
    const int width = this->width();
    const int before = heightForWidth(width);
    html_ = html;
    document_.setHtml(html);
    forgetHeights();
    // Same height at this width (the usual case: figures changed, not the number of lines):
    // only a repaint, the page keeps its layout.
    if (heightForWidth(width) != before) {
        updateGeometry();
    }
    update();
}

void RichTextBlock::layOutAt(int width) const {
    if (document_.textWidth() != width) {
        document_.setTextWidth(width);
    }
}

void RichTextBlock::forgetHeights() {
    heights_.clear();
}

int RichTextBlock::heightForWidth(int width) const {
    width = std::max(width, 1);
    for (const auto& [known_width, height] : heights_) {
        if (known_width == width) {
            return height;
        }
    }
    layOutAt(width);
    const int height = static_cast<int>(std::ceil(document_.size().height()));
    if (heights_.size() >= kRememberedWidths) {
        heights_.removeFirst();
    }
    heights_.append({width, height});
    return height;
}

QSize RichTextBlock::sizeHint() const {
    // A width that does not follow the text: new figures must not change the hint.
    const int width = fontMetrics().averageCharWidth() * 36;
    return {width, heightForWidth(width)};
}

QSize RichTextBlock::minimumSizeHint() const {
    // As narrow as 20 characters, but not as high as the text is at that width: the layout
    // asks heightForWidth() at the width it gives, and a minimum that high made the System
    // page's scroll area far taller than its figures need.
    return {fontMetrics().averageCharWidth() * 20, sizeHint().height()};
}

void RichTextBlock::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    layOutAt(width());
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = palette();
    // Text without a colour of its own follows the theme's window text, as a label's does.
    context.palette.setColor(QPalette::Text, palette().color(QPalette::WindowText));
    context.clip = QRectF(event->rect());
    painter.setClipRect(event->rect());
    document_.documentLayout()->draw(&painter, context);
}

void RichTextBlock::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) {
        document_.setDefaultFont(font());
        document_.setHtml(html_); // the default font applies when the text is parsed
        forgetHeights();
        updateGeometry();
        update();
    } else if (event->type() == QEvent::PaletteChange) {
        update();
    }
    QWidget::changeEvent(event);
}

} // namespace gm
