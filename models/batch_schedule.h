// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <optional>

// When the window runs the warehouse batch by itself (Settings ▸ Warehouse batch schedule).
namespace gm {

enum class BatchScheduleMode { Off, EveryMinutes, DailyUtc };

struct BatchSchedule {
    BatchScheduleMode mode = BatchScheduleMode::Off;
    int every_minutes = 60;        // EveryMinutes: 5 to 1440
    int daily_minute_utc = 2 * 60; // DailyUtc: minutes after 00:00 UTC
    bool operator==(const BatchSchedule&) const = default;
};

// The first due time strictly after `after` (UTC): after + N minutes, or the next HH:MM UTC;
// nothing when the schedule is off.
std::optional<QDateTime> nextBatchRun(const BatchSchedule& schedule, const QDateTime& after);
// "every 30 minutes", "daily at 02:00 UTC", "off".
QString scheduleText(const BatchSchedule& schedule);
QString scheduleModeName(BatchScheduleMode mode); // off, every, daily
BatchScheduleMode parseScheduleMode(const QString& name);

} // namespace gm
