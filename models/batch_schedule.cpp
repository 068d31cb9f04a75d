// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/batch_schedule.h"

#include <QObject>
#include <QTimeZone>
#include <algorithm>

namespace gm {

std::optional<QDateTime> nextBatchRun(const BatchSchedule& schedule, const QDateTime& after) {
    const QDateTime from = after.toUTC();
    switch (schedule.mode) {
    case BatchScheduleMode::Off:
        return std::nullopt;
    case BatchScheduleMode::EveryMinutes:
        return from.addSecs(60LL * std::clamp(schedule.every_minutes, 1, 24 * 60));
    case BatchScheduleMode::DailyUtc: {
        const int minute = std::clamp(schedule.daily_minute_utc, 0, 24 * 60 - 1);
        QDateTime due(from.date(), QTime(minute / 60, minute % 60), QTimeZone::utc());
        if (due <= from) {
            due = due.addDays(1);
        }
        return due;
    }
    }
    return std::nullopt;
}

QString scheduleText(const BatchSchedule& schedule) {
    switch (schedule.mode) {
    case BatchScheduleMode::Off:
        return QObject::tr("off");
    case BatchScheduleMode::EveryMinutes:
        return QObject::tr("every %1 minutes").arg(schedule.every_minutes);
    case BatchScheduleMode::DailyUtc:
        return QObject::tr("daily at %1 UTC")
            .arg(QTime(schedule.daily_minute_utc / 60, schedule.daily_minute_utc % 60)
                     .toString(QStringLiteral("HH:mm")));
    }
    return {};
}

QString scheduleModeName(BatchScheduleMode mode) {
    switch (mode) {
    case BatchScheduleMode::EveryMinutes:
        return QStringLiteral("every");
    case BatchScheduleMode::DailyUtc:
        return QStringLiteral("daily");
    case BatchScheduleMode::Off:
        break;
    }
    return QStringLiteral("off");
}

BatchScheduleMode parseScheduleMode(const QString& name) {
    if (name == QLatin1String("every")) {
        return BatchScheduleMode::EveryMinutes;
    }
    if (name == QLatin1String("daily")) {
        return BatchScheduleMode::DailyUtc;
    }
    return BatchScheduleMode::Off;
}

} // namespace gm
