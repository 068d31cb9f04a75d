// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/batch_scheduler.h"

#include "ui/warehouse_batch_run.h"

#include <QTimer>

namespace gm {

BatchScheduler::BatchScheduler(WarehouseBatchRun& run, QObject* parent)
    : QObject(parent), run_(run), timer_(new QTimer(this)) {
    timer_->setInterval(5'000);
    connect(timer_, &QTimer::timeout, this, [this] { check(QDateTime::currentDateTimeUtc()); });
}

void BatchScheduler::setSchedule(const BatchSchedule& schedule) {
    schedule_ = schedule;
    plan(QDateTime::currentDateTimeUtc());
}

void BatchScheduler::plan(const QDateTime& after) {
    next_ = nextBatchRun(schedule_, after);
    if (next_) {
        timer_->start();
        emit nextRunChanged(
            tr("Next scheduled batch (%1): %2 UTC")
                .arg(scheduleText(schedule_), next_->toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    } else {
        timer_->stop();
        emit nextRunChanged(QString());
    }
}

void BatchScheduler::check(const QDateTime& now_utc) {
    if (!next_ || now_utc < *next_) {
        return;
    }
    const QDateTime due = *next_;
    if (run_.running()) {
        ++skipped_;
        emit skippedRun(due);
    } else if (run_.start(now_utc.toUTC().date().toString(Qt::ISODate))) {
        ++started_;
    }
    plan(now_utc);
}

} // namespace gm
