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
    auto* caption_label = new QLabel(caption, this);
    caption_label->setStyleSheet(QStringLiteral("color: palette(mid);"));
    caption_label->setWordWrap(true);
    value_ = new QLabel(QStringLiteral("—"), this);
    QFont font = value_->font();
    font.setPointSizeF(font.pointSizeF() * 1.6);
    font.setBold(true);
    value_->setFont(font);
    note_ = new QLabel(this);
    note_->setStyleSheet(QStringLiteral("color: palette(mid); font-size: small;"));
    note_->setWordWrap(true);
    layout->addWidget(caption_label);
    layout->addWidget(value_);
    layout->addWidget(note_);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void StatTile::setValue(const QString& value, const QString& note) {
    value_->setText(value);
    note_->setText(note);
}

QString StatTile::value() const {
    return value_->text();
}

QString StatTile::note() const {
    return note_->text();
}

} // namespace gm
