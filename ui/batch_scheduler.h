// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/batch_schedule.h"

#include <QDateTime>
#include <QObject>
#include <optional>

class QTimer;

namespace gm {

class WarehouseBatchRun;

// Starts the warehouse batch (analysis date: the current UTC day) when the schedule says so. A
// due time that finds a batch still running is skipped, not queued: the next one is planned
// from then. A failed run changes nothing about the plan.
class BatchScheduler : public QObject {
    Q_OBJECT
public:
    explicit BatchScheduler(WarehouseBatchRun& run, QObject* parent = nullptr);

    // Plans the first run from now (UTC).
    void setSchedule(const BatchSchedule& schedule);
    const BatchSchedule& schedule() const { return schedule_; }
    std::optional<QDateTime> nextRun() const { return next_; }
    int started() const { return started_; }
    int skipped() const { return skipped_; }

    // What the timer does every few seconds; tests call it with a time of their own.
    void check(const QDateTime& now_utc);

signals:
    void nextRunChanged(const QString& text); // "Next scheduled batch: … UTC" or empty
    void skippedRun(const QDateTime& due);

private:
    void plan(const QDateTime& after);

    WarehouseBatchRun& run_;
    BatchSchedule schedule_;
    std::optional<QDateTime> next_;
    int started_ = 0;
    int skipped_ = 0;
    QTimer* timer_;
};

} // namespace gm
