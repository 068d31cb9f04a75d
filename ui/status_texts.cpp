// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/status_texts.h"

#include "models/human_format.h"
#include "pipeline/window_math.h"

#include <QObject>

namespace gm {

bool processingBehind(RunState state, std::pair<std::size_t, std::size_t> queue) {
    const bool running = state == RunState::Running || state == RunState::Paused;
    return running && queue.second > 0 && queue.first >= 2 && queue.first * 2 >= queue.second;
}

QString processingStateText(RunState state, std::pair<std::size_t, std::size_t> queue,
                            double events_per_second) {
    if (!processingBehind(state, queue)) {
        return runStateText(state);
    }
    return QObject::tr("Behind: %1 batches queued, processing %2")
        .arg(groupedInt(static_cast<long long>(queue.first)), rateText(events_per_second));
}

bool isRealWatermark(TimestampUs watermark) {
    return watermark != kNoWatermark && watermark != kFlushWatermark;
}

QString watermarkText(TimestampUs watermark) {
    return isRealWatermark(watermark) ? utcClock(watermark) : QStringLiteral("—");
}

std::optional<QString> databaseProblem(const DesktopSession::Services& services) {
    if (!services.writer) {
        return std::nullopt;
    }
    const WriterStatus& w = *services.writer;
    const QString reason = w.last_error.empty() ? QObject::tr("no reason given")
                                                : QString::fromStdString(w.last_error);
    if (w.state == WriterState::Retrying) {
        return QObject::tr("PostgreSQL is unreachable. Reason: %1 — %2 rows wait in the buffer "
                           "(%3 full) and are written when it is back.")
            .arg(reason, groupedInt(static_cast<long long>(w.buffered_rows)),
                 percentText(w.buffer_fill_pct));
    }
    if (w.rows_failed > 0) {
        return QObject::tr("PostgreSQL refused %1 rows (they are not stored). Reason: %2")
            .arg(groupedInt(static_cast<long long>(w.rows_failed)), reason);
    }
    if (w.rows_abandoned > 0) {
        return QObject::tr("%1 rows were not written: PostgreSQL was unreachable at Stop. "
                           "Reason: %2")
            .arg(groupedInt(static_cast<long long>(w.rows_abandoned)), reason);
    }
    return std::nullopt;
}

QString databaseIndicator(const DesktopSession::Services& services, RunState state) {
    if (!services.writer) {
        return state == RunState::Idle || state == RunState::Starting
                   ? QString()
                   : QObject::tr("Database: not in use (in memory)");
    }
    switch (services.writer->state) {
    case WriterState::Connecting:
        return QObject::tr("Database: connecting…");
    case WriterState::Connected:
        return services.writer->rows_failed > 0 ? QObject::tr("Database: refusing rows")
                                                : QObject::tr("Database: connected");
    case WriterState::Retrying:
        return QObject::tr("Database: unreachable");
    case WriterState::Stopped:
        return QObject::tr("Database: stopped");
    }
    return {};
}

} // namespace gm
