// SPDX-License-Identifier: GPL-3.0-or-later
// Manual tool (not a test): the Overview over stored history, with a comparison and zoomed in,
// at 1024×700. Writes 8 days of synthetic minutes into a scratch database on the PG* server
// (tests/run.sh's, or any), points the real window at it and saves
//   <dir>/history-compare.png  last 24 h against the previous day
//   <dir>/history-zoomed.png   last 7 days, the revenue chart zoomed to three hours
// Usage: ui_history_screenshot_tool docs/screenshots
#include "../db/db_test_support.h"
#include "history_seed.h"
#include "ui/dashboard_page.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/time_chart.h"
#include "ui/time_range_bar.h"

#include <QApplication>
#include <QDir>
#include <QStandardPaths>
#include <cstdio>

namespace {

bool waitFor(const std::function<bool()>& condition) {
    return QTest::qWaitFor(condition, 60000);
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartHistoryScreenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);
    if (!gm::test::haveServerEnvironment()) {
        std::fprintf(stderr,
                     "PGHOST is not set: run under tests/run.sh or point PG* at a server\n");
        return 2;
    }
    gm::test::ScratchDatabase database;
    const gm::TimestampUs end = gm::wallClockNow() / gm::kMicrosPerMinute * gm::kMicrosPerMinute;
    gm::test::seedMinuteHistory(database.conninfo(), end, 8);

    gm::RunOptions options;
    options.database_url = database.conninfo();
    gm::DesktopSession session(options);
    gm::MainWindow window(session);
    window.resize(1024, 700);
    window.setTheme(gm::ThemeChoice::Light);
    window.show();
    window.showPage(gm::MainWindow::Overview);
    gm::TimeRangeBar& bar = *window.timeRangeBar();
    auto* revenue =
        qobject_cast<gm::TimeChart*>(window.page(gm::MainWindow::Overview)->charts()[0]);

    bar.setRange({gm::RangePreset::Last24Hours, {}});
    bar.setCompare(gm::ComparePeriod::PreviousDay);
    const bool compared = waitFor([&] {
        const auto& stored = bar.view().stored().revenue;
        return !bar.loading() && !stored.empty() &&
               stored.front().window_start <= end - 47 * 60 * gm::kMicrosPerMinute;
    });
    QTest::qWait(500);
    window.refreshNow();
    QTest::qWait(300);
    window.grab().save(QDir(out).filePath(QStringLiteral("history-compare.png")));

    bar.setCompare(gm::ComparePeriod::None);
    bar.setRange({gm::RangePreset::Last7Days, {}});
    const bool week = waitFor([&] {
        const auto& stored = bar.view().stored().revenue;
        return !bar.loading() && stored.size() >= 7 * 24 * 60 - 1;
    });
    window.refreshNow();
    QTest::qWait(300);
    // Three hours around a burst (the seed puts one every 997 minutes from its first), with the
    // log scale, so the minutes beside the burst stay readable.
    const gm::TimestampUs burst =
        end - 8 * 24 * 60 * gm::kMicrosPerMinute + 8 * 997 * gm::kMicrosPerMinute;
    revenue->zoomTo({burst - 90 * gm::kMicrosPerMinute, burst + 90 * gm::kMicrosPerMinute});
    revenue->setLogScale(true);
    QTest::qWait(300);
    window.grab().save(QDir(out).filePath(QStringLiteral("history-zoomed.png")));
    std::printf("comparison %s, week %s; %s\n", compared ? "loaded" : "NOT loaded",
                week ? "loaded" : "NOT loaded", qPrintable(bar.statusText()));
    return compared && week ? 0 : 1;
}
