// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"
#include "ui/desktop_session.h"

#include <QString>
#include <optional>

namespace gm {

// The run's state as the status bar and the System page say it. While a burst has filled the
// queue between source and pipeline it says so ("Behind: 12 batches queued, processing
// 850,000 events/s") instead of a plain "Running".
QString processingStateText(RunState state, std::pair<std::size_t, std::size_t> queue,
                            double events_per_second);
// True when at least half the queue (and two batches) waits for the pipeline.
bool processingBehind(RunState state, std::pair<std::size_t, std::size_t> queue);

// A job watermark for people: "—" before the first event and after Stop (the final flush moves
// it to the end of time, which is no time to show).
QString watermarkText(TimestampUs watermark);
bool isRealWatermark(TimestampUs watermark);

// What is wrong with the database, in one line with the server's reason; nothing when it is
// fine or not in use. Read from the writer status the session reports.
std::optional<QString> databaseProblem(const DesktopSession::Services& services);
// A short permanent status-bar word: "Database: connected", "… unreachable", "… in memory".
QString databaseIndicator(const DesktopSession::Services& services, RunState state);

} // namespace gm
