// SPDX-License-Identifier: GPL-3.0-or-later
// Measures how long the UI thread's event loop stalls while the real window shows a fast run:
// a 5 ms QTimer records the gap between its timeouts; anything beyond 5 ms is a stall. Pages
// change every 2 s so every page's redraw is included. Prints the figures, asserts nothing.
// With a port, the run is also served over HTTP there (as --http PORT), to load it meanwhile.
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/dev/tests/ui/ui_stall_probe [rate] [seconds]
//       [http-port] [acceleration] [nodb]
// "nodb" runs without a database (as --no-db); otherwise the window's private database is used,
// whose writer then sets the pace. With GM_PROBE_EVENTS=1 it also times every event the UI thread
// delivers and prints where the time went (per receiver class and event type; the longest ones).
#include "app/http/http_service.h"
#include "ui/dashboard_page.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QMetaEnum>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

namespace {

// Times each event delivered on the UI thread (outermost deliveries only: nested ones count in
// their parent's time), grouped by receiver class (a QTimer by its parent's) and event type.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool timing = false;
    struct Cost {
        double total_ms = 0;
        double max_ms = 0;
        long count = 0;
    };
    std::map<std::string, Cost> costs;
    // Every delivery of 10 ms or more: when it ended (ms since start), how long, what.
    struct LongEvent {
        double end_ms;
        double ms;
        std::string what;
    };
    std::vector<LongEvent> long_events;
    QElapsedTimer clock;
    static std::string cost_key_of(const std::string& key, const char* name, int type) {
        return key + " " + (name != nullptr ? name : std::to_string(type));
    }

    bool notify(QObject* receiver, QEvent* event) override {
        // The UI thread's deliveries only: other threads (HTTP, release) deliver events through
        // here too, and one of theirs in progress made the UI thread's outermost event look
        // nested (uncounted) and its nested paints outermost.
        if (!timing || depth_ > 0 || QThread::currentThread() != thread()) {
            return QApplication::notify(receiver, event);
        }
        ++depth_;
        QElapsedTimer took;
        took.start();
        const QEvent::Type type = event->type(); // the event may be gone afterwards
        std::string key = receiver->metaObject()->className();
        if ((key == "QTimer" || key == "QWidget" || key == "QGraphicsScene") &&
            receiver->parent() != nullptr) {
            key += std::string(" of ") + receiver->parent()->metaObject()->className();
        }
        const bool done = QApplication::notify(receiver, event);
        const double ms = static_cast<double>(took.nsecsElapsed()) / 1e6;
        --depth_;
        const char* name = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
        Cost& cost = costs[cost_key_of(key, name, type)];
        if (ms >= 10.0) {
            long_events.push_back({static_cast<double>(clock.nsecsElapsed()) / 1e6, ms,
                                   cost_key_of(key, name, type)});
        }
        cost.total_ms += ms;
        cost.max_ms = std::max(cost.max_ms, ms);
        ++cost.count;
        return done;
    }

private:
    int depth_ = 0;
};

} // namespace

int main(int argc, char* argv[]) {
    TimedApplication app(argc, argv);
    app.timing = qEnvironmentVariableIntValue("GM_PROBE_EVENTS") == 1;
    app.clock.start();
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
        double end_ms; // on the event timing clock
        int page;
        qint64 since_page_change_ms;
    };
    // Listed with what ran inside them: stalls beyond 50 ms (the target), or beyond
    // GM_PROBE_LIST_MS to see what the ones just under it are made of.
    const double list_beyond_ms = qEnvironmentVariableIsSet("GM_PROBE_LIST_MS")
                                      ? qEnvironmentVariableIntValue("GM_PROBE_LIST_MS")
                                      : 50.0;
    std::vector<LongStall> long_stalls; // when, and on which page
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
            if (gaps.back() > list_beyond_ms) {
                long_stalls.push_back({static_cast<double>(since_start.elapsed()) / 1e3,
                                       gaps.back(),
                                       static_cast<double>(app.clock.nsecsElapsed()) / 1e6,
                                       page % 7, since_page_change.elapsed()});
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
        for (const auto& event : app.long_events) {
            if (event.end_ms <= stall.end_ms && event.end_ms >= stall.end_ms - stall.ms - 5.0) {
                std::printf("    %.1f ms %s\n", event.ms, event.what.c_str());
            }
        }
    }
    if (app.timing) {
        std::vector<std::pair<std::string, TimedApplication::Cost>> costs(app.costs.begin(),
                                                                          app.costs.end());
        std::sort(costs.begin(), costs.end(), [](const auto& a, const auto& b) {
            return a.second.total_ms > b.second.total_ms;
        });
        std::printf("UI thread time per receiver and event (total ms, count, longest ms):\n");
        for (std::size_t i = 0; i < costs.size() && i < 25; ++i) {
            std::printf("  %9.1f ms %7ld x  max %6.1f ms  %s\n", costs[i].second.total_ms,
                        costs[i].second.count, costs[i].second.max_ms, costs[i].first.c_str());
        }
    }
    return 0;
}
