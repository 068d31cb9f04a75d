// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QLabel;

namespace gm {

// A headline number with its caption and a small note ("this minute, still open").
class StatTile : public QFrame {
    Q_OBJECT
public:
    StatTile(const QString& caption, QWidget* parent = nullptr);
    void setValue(const QString& value, const QString& note = {});
    void setCaption(const QString& caption);
    QString value() const;
    QString note() const;

private:
    QLabel* caption_;
    QLabel* value_;
    QLabel* note_;
};

} // namespace gm
