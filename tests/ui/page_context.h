// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A PageContext for driving one page's showData in a test, without a window or a session.
#include "ui/dashboard_page.h"

namespace gm::test {

// Tables are refreshed (as on a page switch); nothing is generated or queued.
inline PageContext pageContext(const SnapshotHistory& history, SnapshotPtr snapshot,
                               RunState state, const HistoryView* range) {
    return PageContext{history,
                       std::move(snapshot),
                       std::nullopt,
                       nullptr,
                       state,
                       {},
                       {},
                       {0, 0},
                       0,
                       0,
                       0,
                       true,
                       {},
                       GeneratorPace::Verdict::OnTime,
                       range};
}

} // namespace gm::test
