// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/stat_tile.h"

#include <QLabel>
#include <QVBoxLayout>

namespace gm {

StatTile::StatTile(const QString& caption, QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(0);
    caption_ = new QLabel(caption, this);
    caption_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    caption_->setWordWrap(true);
    value_ = new QLabel(QStringLiteral("—"), this);
    QFont font = value_->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    value_->setFont(font);
    note_ = new QLabel(this);
    note_->setStyleSheet(QStringLiteral("color: palette(mid); font-size: small;"));
    note_->setWordWrap(true);
    layout->addWidget(caption_);
    layout->addWidget(value_);
    layout->addWidget(note_);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void StatTile::setValue(const QString& value, const QString& note) {
    value_->setText(value);
    note_->setText(note);
}

void StatTile::setCaption(const QString& caption) {
    caption_->setText(caption);
}

QString StatTile::value() const {
    return value_->text();
}

QString StatTile::note() const {
    return note_->text();
}

} // namespace gm
