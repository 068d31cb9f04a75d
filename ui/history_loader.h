// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/time_range.h"
#include "pipeline/postgres/minute_history.h"
#include "pipeline/postgres/range_rows.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace gm {

// Loads stored windows from PostgreSQL on a worker thread (QtConcurrent): the UI thread only
// starts a load and later takes the finished, immutable result. One load runs at a time; a
// request made meanwhile replaces any earlier waiting one and starts when the running load ends,
// so the newest request always wins and no stale result is ever shown after it.
class HistoryLoader : public QObject {
    Q_OBJECT
public:
    // Returns the connection string (may start an embedded server, so it runs on the worker) or
    // throws std::runtime_error with one line.
    using Conninfo = std::function<std::string()>;

    struct Request {
        // Fixed span; nothing: `length` up to where the stored history ends (read first).
        std::optional<TimeSpan> span;
        TimestampUs length = 0;
        // Also load this earlier span (a comparison), in the same trip.
        std::optional<TimeSpan> previous;
        // StoredTables and StoredRowTables: what the page shows. Row tables are read for the
        // span only, not for the comparison.
        unsigned tables = kStoredAll;
    };
    struct Result {
        StoredMinutes current;
        std::optional<StoredMinutes> previous; // when asked for
        // When row tables were asked for; shared, so the UI thread takes it without a copy.
        std::shared_ptr<const StoredRows> rows;
        std::optional<TimestampUs> stored_end; // when the span was relative
        double took_ms = 0;                    // on the worker
    };

    explicit HistoryLoader(QObject* parent = nullptr);
    ~HistoryLoader() override; // waits for a running load (it holds no lock the UI needs)

    // Nothing: no database (the window runs in memory); loads then fail at once.
    void setDatabase(Conninfo conninfo) { conninfo_ = std::move(conninfo); }
    bool hasDatabase() const { return static_cast<bool>(conninfo_); }

    void load(const Request& request);
    bool busy() const { return watcher_.isRunning(); }
    // The newest finished load; null before the first.
    std::shared_ptr<const Result> result() const { return result_; }
    // Milliseconds since the running load was asked for (0 when none runs).
    qint64 elapsedMs() const { return busy() ? clock_.elapsed() : 0; }

signals:
    void started();
    void loaded(); // result() holds it; result()->current.error says when it failed

private:
    void startNext();
    void onFinished();

    Conninfo conninfo_;
    std::optional<Request> waiting_;
    QFutureWatcher<std::shared_ptr<const Result>> watcher_;
    std::shared_ptr<const Result> result_;
    QElapsedTimer clock_;
};

} // namespace gm
