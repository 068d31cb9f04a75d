// SPDX-License-Identifier: GPL-3.0-or-later
// Measures how long the UI thread's event loop stalls while the real window shows a fast run:
// a 5 ms QTimer records the gap between its timeouts; anything beyond 5 ms is a stall. Pages
// change every 2 s so every page's redraw is included. Prints the figures, asserts nothing.
// With a port, the run is also served over HTTP there (as --http PORT), to load it meanwhile.
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/dev/tests/ui/ui_stall_probe [rate] [seconds]
//       [http-port] [acceleration] [nodb]
// "nodb" runs without a database (as --no-db); otherwise the window's private database is used,
// whose writer then sets the pace.
#include "app/http/http_service.h"
#include "ui/dashboard_page.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartStallProbe"));
    gm::RunOptions options;
    options.generator.rate = argc > 1 ? std::atof(argv[1]) : 1'000'000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    options.start_time = gm::wallClockNow();
    options.catalog.reference_time = options.start_time;

    gm::RunSlot slot; // outlives the session and the server
    options.http_port = argc > 3 ? std::atoi(argv[3]) : -1;
    if (argc > 4) {
        options.generator.acceleration = std::atof(argv[4]); // x60: windows close each second
    }
    if (argc > 5 && std::string_view(argv[5]) == "nodb") {
        options.persist = false;
    }
    gm::DesktopSession session(options);
    std::unique_ptr<gm::HttpService> http;
    if (options.http_port >= 0) {
        gm::HttpServiceOptions served;
        served.endpoint = {"127.0.0.1", static_cast<std::uint16_t>(options.http_port)};
        http = std::make_unique<gm::HttpService>(slot, served);
        if (const auto problem = http->start()) {
            std::fprintf(stderr, "ui_stall_probe: %s\n", problem->c_str());
            return 2;
        }
        session.publishRunsTo(&slot);
    }
    gm::MainWindow window(session);
    window.resize(1600, 960);
    window.show();
    session.start();

    std::vector<double> gaps;
    struct LongStall {
        double at_s;
        double ms;
        int page;
        qint64 since_page_change_ms;
    };
    std::vector<LongStall> long_stalls; // beyond 50 ms: when, and on which page
    QElapsedTimer since_page_change;
    since_page_change.start();
    QElapsedTimer clock;
    QElapsedTimer since_start;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    bool measuring = false;
    int page = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (measuring) {
            gaps.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e6 - 5.0);
            if (gaps.back() > 50.0) {
                long_stalls.push_back({static_cast<double>(since_start.elapsed()) / 1e3,
                                       gaps.back(), page % 7, since_page_change.elapsed()});
            }
        }
        clock.restart();
        measuring = session.state() == gm::RunState::Running;
    });
    QTimer pages;
    QObject::connect(&pages, &QTimer::timeout, [&] {
        window.showPage(++page % 7);
        since_page_change.restart();
    });
    QTimer::singleShot(seconds * 1000, &app, [&] {
        session.stop();
        QTimer::singleShot(2000, &app, &QCoreApplication::quit);
    });
    clock.start();
    since_start.start();
    probe.start(5);
    pages.start(2000);
    app.exec();
    const auto snapshot = session.snapshot();
    std::sort(gaps.begin(), gaps.end());
    const auto at = [&](double q) {
        return gaps.empty() ? 0.0 : gaps[static_cast<std::size_t>(q * (gaps.size() - 1))];
    };
    std::printf("rate %.0f events/s for %d s: %zu probes; stall beyond the 5 ms tick: "
                "median %.1f ms, p99 %.1f ms, max %.1f ms; pipeline processed %llu events\n",
                options.generator.rate, seconds, gaps.size(), at(0.5), at(0.99), at(1.0),
                static_cast<unsigned long long>(snapshot ? snapshot->figures.events : 0));
    std::printf("longest snapshot read %.1f ms; longest redraw per page:",
                window.longestAbsorbMs());
    for (int i = 0; i < gm::MainWindow::PageCount; ++i) {
        std::printf(" %s %.1f ms", qPrintable(window.page(i)->title()), window.longestDrawMs(i));
    }
    std::printf("\n");
    for (const LongStall& stall : long_stalls) {
        std::printf("stall %.1f ms at %.1f s on %s, %lld ms after the page was shown\n", stall.ms,
                    stall.at_s, qPrintable(window.page(stall.page)->title()),
                    static_cast<long long>(stall.since_page_change_ms));
    }
    return 0;
}
