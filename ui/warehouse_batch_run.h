// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace gm {

// One warehouse batch (ETL, data quality, jobs) on a pool thread, as the window's Run now
// starts it. Progress comes back per step as signals on the owner's thread; cancel() stops it
// before the next step (the one under way finishes or rolls back).
class WarehouseBatchRun : public QObject {
    Q_OBJECT
public:
    // Blocking (may start the embedded server): called on the pool thread; throws
    // std::runtime_error with one line when there is no database to use.
    using ConninfoSource = std::function<std::string()>;

    // events: the database of the raw event tables; warehouse: the database of the warehouse
    // schema (the same string when it is the same database; else the batch reads the raw
    // tables through postgres_fdw, as --run-batch --warehouse-db does).
    WarehouseBatchRun(ConninfoSource events, ConninfoSource warehouse, QObject* parent = nullptr);
    ~WarehouseBatchRun() override; // cancels a running batch and waits for its current step

    bool running() const { return running_; }
    // Starts a batch for the date (YYYY-MM-DD); false when one is already running.
    bool start(const QString& analysis_date);
    void cancel();

signals:
    void started(int steps);
    void stepFinished(int done, int steps, const QString& step, bool ok, qint64 rows,
                      double seconds, const QString& error);
    // ok: every step succeeded; message: one line for the page.
    void finished(bool ok, bool cancelled, const QString& message);

private:
    struct Outcome {
        bool ok = false;
        bool cancelled = false;
        QString message;
    };
    ConninfoSource events_;
    ConninfoSource warehouse_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFutureWatcher<Outcome> watcher_;
    bool running_ = false;
};

} // namespace gm
