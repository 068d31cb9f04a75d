// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (a program, not a test): the Overview switched from Live to "Last 7 days" over
// 7 days of per-minute rows (10,080 points per series; sales, anomalies, carts and inventory
// are loaded). Measures, per run, the time from the range choice until every Overview chart has
// painted the loaded data, the worker's share of it, and the longest stall of the UI event
// loop meanwhile (a 5 ms timer, as in tests/ui/stall_probe.cpp). Needs a PostgreSQL server in
// PG* (tests/run.sh's, or any):
//   build/dev/tests/bench/bench_history [runs=5] [width=1280] [height=800]
#include "../db/db_test_support.h"
#include "../ui/history_seed.h"
#include "ui/chart_panel.h"
#include "ui/dashboard_page.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/time_chart.h"
#include "ui/time_range_bar.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

// Notes the first paint of a widget after arm().
class PaintWatch : public QObject {
public:
    void arm() { painted_ = false; }
    bool painted() const { return painted_; }
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Paint) {
            painted_ = true;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool painted_ = true;
};

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartHistoryBench"));
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const int width = argc > 2 ? std::atoi(argv[2]) : 1280;
    const int height = argc > 3 ? std::atoi(argv[3]) : 800;
    if (!gm::test::haveServerEnvironment()) {
        std::fprintf(stderr,
                     "PGHOST is not set: run under tests/run.sh or point PG* at a server\n");
        return 2;
    }
    gm::test::ScratchDatabase database;
    const gm::TimestampUs end = gm::wallClockNow() / gm::kMicrosPerMinute * gm::kMicrosPerMinute;
    QElapsedTimer seeding;
    seeding.start();
    gm::test::seedMinuteHistory(database.conninfo(), end, 7);
    std::printf("seeded 7 days of minutes in %lld ms\n", static_cast<long long>(seeding.elapsed()));

    gm::RunOptions options;
    options.database_url = database.conninfo();
    gm::DesktopSession session(options);
    gm::MainWindow window(session);
    window.resize(width, height);
    window.show();
    window.showPage(gm::MainWindow::Overview);
    gm::TimeRangeBar& bar = *window.timeRangeBar();
    auto* revenue =
        qobject_cast<gm::TimeChart*>(window.page(gm::MainWindow::Overview)->charts()[0]);
    // Drawn = every Overview chart painted with the week (they may paint in separate turns).
    const QList<gm::ChartPanel*> charts = window.page(gm::MainWindow::Overview)->charts();
    std::vector<std::unique_ptr<PaintWatch>> paints;
    for (gm::ChartPanel* chart : charts) {
        paints.push_back(std::make_unique<PaintWatch>());
        chart->chartView()->viewport()->installEventFilter(paints.back().get());
    }
    const auto allPainted = [&] {
        return std::all_of(paints.begin(), paints.end(),
                           [](const auto& watch) { return watch->painted(); });
    };

    // The stall probe: a 5 ms timer; anything beyond 5 ms between its timeouts is a stall.
    double longest_stall = 0;
    QElapsedTimer probe_clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        longest_stall =
            std::max(longest_stall, static_cast<double>(probe_clock.nsecsElapsed()) / 1e6 - 5.0);
        probe_clock.restart();
    });
    probe_clock.start();
    probe.start(5);

    std::vector<double> totals;
    std::vector<double> stalls;
    for (int run = 0; run < runs; ++run) {
        bar.setRange({gm::RangePreset::Live, {}});
        QTest::qWait(500);
        longest_stall = 0;
        QElapsedTimer clock;
        clock.start();
        bar.setRange({gm::RangePreset::Last7Days, {}}); // what choosing it in the box does
        bool loaded = false;
        while (!allPainted() || !loaded) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
            if (!loaded && !bar.loading() && bar.view().hasStored()) {
                loaded = true;
                for (const auto& watch : paints) {
                    watch->arm(); // the next paint shows the week
                }
            }
            if (clock.elapsed() > 60000) {
                std::fprintf(stderr, "no drawn week after 60 s\n");
                return 1;
            }
        }
        const double total = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        const auto result = bar.loader().result();
        QTest::qWait(100); // stalls right after the paint count too
        totals.push_back(total);
        stalls.push_back(longest_stall);
        std::printf("run %d: click to drawn chart %.1f ms (database read on the worker %.1f ms, "
                    "%zu points over all series); longest UI stall %.1f ms (longest Overview "
                    "redraw so far %.1f ms); revenue chart draws %zu of %zu points\n",
                    run + 1, total, result ? result->took_ms : 0.0,
                    result ? result->current.rowCount() : 0, longest_stall,
                    window.longestDrawMs(gm::MainWindow::Overview), revenue->drawnPointCount(),
                    bar.view().stored().revenue.size());
    }
    std::sort(totals.begin(), totals.end());
    std::sort(stalls.begin(), stalls.end());
    std::printf("median click to drawn %.1f ms (max %.1f); median longest stall %.1f ms (max "
                "%.1f) over %d runs at %dx%d\n",
                totals[totals.size() / 2], totals.back(), stalls[stalls.size() / 2], stalls.back(),
                runs, width, height);
    return 0;
}
