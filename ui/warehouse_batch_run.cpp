// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/warehouse_batch_run.h"

#include "pipeline/warehouse/warehouse_runner.h"

#include <QtConcurrent>
#include <algorithm>

namespace gm {

WarehouseBatchRun::WarehouseBatchRun(ConninfoSource events, ConninfoSource warehouse,
                                     QObject* parent)
    : QObject(parent), events_(std::move(events)), warehouse_(std::move(warehouse)) {
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
        running_ = false;
        const Outcome outcome = watcher_.future().result();
        emit finished(outcome.ok, outcome.cancelled, outcome.message);
    });
}

WarehouseBatchRun::~WarehouseBatchRun() {
    if (cancel_) {
        *cancel_ = true;
    }
    watcher_.disconnect(this);
    watcher_.waitForFinished();
}

bool WarehouseBatchRun::start(const QString& analysis_date) {
    if (running_) {
        return false;
    }
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    warehouse::BatchOptions options;
    options.analysis_date = analysis_date.toStdString();
    options.cancel = cancel_.get();
    const int steps = static_cast<int>(warehouse::plannedSteps(options).size());
    emit started(steps);
    // The signals below are emitted on the pool thread: queued to the receivers' thread. The
    // destructor waits for the run, so `this` outlives it.
    watcher_.setFuture(QtConcurrent::run([this, options, steps, cancel = cancel_]() mutable {
        Outcome outcome;
        int done = 0;
        try {
            options.conninfo = events_();
            options.warehouse_conninfo = warehouse_();
            const warehouse::BatchReport report =
                warehouse::runBatch(options, [&](const warehouse::StepReport& step) {
                    emit stepFinished(++done, steps, QString::fromStdString(step.step), step.ok,
                                      static_cast<qint64>(step.rows), step.seconds,
                                      QString::fromStdString(step.error));
                });
            outcome.ok = report.ok();
            outcome.cancelled = report.cancelled;
            const QString date = QString::fromStdString(report.analysis_date);
            if (report.cancelled) {
                // A step cancelled within its statement is in the report, rolled back.
                const auto completed = std::count_if(report.steps.begin(), report.steps.end(),
                                                     [](const auto& step) { return step.ok; });
                outcome.message = tr("Batch for %1 cancelled after %2 of %3 steps.")
                                      .arg(date)
                                      .arg(completed)
                                      .arg(steps);
            } else if (!report.failed_step.empty()) {
                QString error;
                for (const auto& step : report.steps) {
                    if (step.step == report.failed_step) {
                        error = QString::fromStdString(step.error);
                    }
                }
                outcome.message = tr("Batch for %1 failed at step %2: %3")
                                      .arg(date, QString::fromStdString(report.failed_step), error);
            } else {
                outcome.message = tr("Batch for %1 done: %2 steps, %3 data-quality checks passed.")
                                      .arg(date)
                                      .arg(report.steps.size())
                                      .arg(report.quality.size());
            }
        } catch (const std::exception& error) {
            outcome.message = tr("Batch could not run: %1").arg(QString::fromUtf8(error.what()));
        }
        return outcome;
    }));
    return true;
}

void WarehouseBatchRun::cancel() {
    if (cancel_) {
        *cancel_ = true;
    }
}

} // namespace gm
