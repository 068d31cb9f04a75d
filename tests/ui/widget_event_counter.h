// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QEvent>
#include <QObject>
#include <QWidget>

// Counts the events of one type that a widget and everything inside it (at construction)
// receive: resizes, paints, or layout requests (each of which makes Qt lay that part of the page
// out again, and measure its contents, in a later event-loop turn).
class WidgetEventCounter : public QObject {
public:
    WidgetEventCounter(QWidget& root, QEvent::Type type) : type_(type) {
        root.installEventFilter(this);
        for (QWidget* child : root.findChildren<QWidget*>()) {
            child->installEventFilter(this);
        }
    }
    int count = 0;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == type_) {
            ++count;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QEvent::Type type_;
};
