// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/history_loader.h"

#include "pipeline/postgres/stored_history.h"

#include <QtConcurrent>
#include <chrono>
#include <stdexcept>

namespace gm {
namespace {

std::shared_ptr<const HistoryLoader::Result> loadOnWorker(const HistoryLoader::Conninfo& source,
                                                          const HistoryLoader::Request& request) {
    const auto began = std::chrono::steady_clock::now();
    auto result = std::make_shared<HistoryLoader::Result>();
    const auto fail = [&](const std::string& line) {
        result->current.error = line;
        return result;
    };
    std::string conninfo;
    try {
        conninfo = source();
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    TimeSpan span;
    if (request.span) {
        span = *request.span;
    } else {
        const StoredHistory history = readStoredHistory(conninfo);
        if (!history.error.empty()) {
            return fail(history.error);
        }
        result->stored_end = history.end;
        // The end is just past the newest stored window: that window's start must be inside.
        const TimestampUs end = history.end.value_or(0);
        span = {end - request.length, end};
    }
    if ((request.tables & kStoredAll) != 0) {
        result->current = readStoredMinutes(conninfo, span.from, span.to, request.tables);
    } else {
        // A page of tables only (Alerts): no minutes to read.
        result->current.from = span.from;
        result->current.to = span.to;
    }
    if ((request.tables & kStoredRowsAll) != 0 && result->current.error.empty()) {
        auto rows = std::make_shared<StoredRows>(
            readStoredRows(conninfo, span.from, span.to, request.tables));
        if (!rows->error.empty()) {
            result->current.error = rows->error;
        }
        result->rows = std::move(rows);
    }
    if (request.previous) {
        result->previous = readStoredMinutes(conninfo, request.previous->from, request.previous->to,
                                             request.tables);
    }
    result->took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
    return result;
}

} // namespace

HistoryLoader::HistoryLoader(QObject* parent) : QObject(parent) {
    connect(&watcher_, &QFutureWatcherBase::finished, this, &HistoryLoader::onFinished);
}

HistoryLoader::~HistoryLoader() {
    watcher_.waitForFinished();
}

void HistoryLoader::load(const Request& request) {
    waiting_ = request;
    if (!busy()) {
        startNext();
    }
}

void HistoryLoader::startNext() {
    if (!waiting_) {
        return;
    }
    const Request request = *waiting_;
    waiting_.reset();
    clock_.start();
    if (!conninfo_) {
        auto result = std::make_shared<Result>();
        result->current.error = "the window runs without a database";
        result_ = result;
        emit loaded();
        return;
    }
    watcher_.setFuture(QtConcurrent::run(loadOnWorker, conninfo_, request));
    emit started();
}

void HistoryLoader::onFinished() {
    if (waiting_) {
        startNext(); // a newer request: its result is the one to show, not this one
        return;
    }
    result_ = watcher_.result();
    emit loaded();
}

} // namespace gm
