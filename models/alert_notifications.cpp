// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/alert_notifications.h"

#include <QCoreApplication>

namespace gm {

std::vector<AlertKindChoice> alertKindChoices() {
    const auto choice = [](AlertKind kind, const char* label) {
        return AlertKindChoice{kind, QString::fromLatin1(alertKindName(kind)),
                               QCoreApplication::translate("AlertKind", label)};
    };
    return {choice(AlertKind::HighValue, "High-value orders"),
            choice(AlertKind::HighQuantity, "High-quantity lines"),
            choice(AlertKind::SuspiciousPattern, "Suspicious patterns"),
            choice(AlertKind::HighDemand, "High demand"),
            choice(AlertKind::Restock, "Restock needed"),
            choice(AlertKind::LowStock, "Low stock")};
}

std::vector<DesktopNotice> desktopNotices(const std::vector<const AlertRow*>& new_alerts,
                                          const QStringList& muted_kinds) {
    std::vector<const AlertRow*> wanted;
    for (const AlertRow* alert : new_alerts) {
        if (alert->severity == Severity::Critical &&
            !muted_kinds.contains(QString::fromLatin1(alertKindName(alert->kind)))) {
            wanted.push_back(alert);
        }
    }
    std::vector<DesktopNotice> notices;
    if (wanted.size() > kMaxDesktopNoticesAtOnce) {
        QStringList titles;
        for (std::size_t i = 0; i < kMaxDesktopNoticesAtOnce; ++i) {
            titles << QString::fromStdString(wanted[i]->title);
        }
        notices.push_back(
            {QCoreApplication::translate("DesktopNotice", "%1 critical alerts").arg(wanted.size()),
             titles.join(QStringLiteral("; ")) + QStringLiteral("; …")});
        return notices;
    }
    for (const AlertRow* alert : wanted) {
        notices.push_back({QString::fromStdString(alert->title),
                           QString::fromStdString(alert->subject + ": " + alert->message)});
    }
    return notices;
}

} // namespace gm
