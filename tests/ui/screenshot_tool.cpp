// SPDX-License-Identifier: GPL-3.0-or-later
// Opens the real window on a live simulated shop, lets data flow, and saves every page as PNG:
//   xvfb-run -a -s "-screen 0 1280x800x24" build/dev/tests/ui/ui_screenshot_tool
//       docs/screenshots [seconds=45] [rate=20000] [acceleration=60] [size=1024x700]
//       [range=0]  (a RangePreset index: 2 is the last hour; 0, Live, is the default)
// The committed screenshots are taken at 1024×700, the smallest window the layout is made for.
#include "ui/dashboard_page.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/table_panel.h"
#include "ui/time_range_bar.h"

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QItemSelectionModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <cstdio>
#include <iterator>

namespace {

void wait(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

void selectFirstRow(gm::MainWindow& window) {
    for (gm::TablePanel* table : window.page(window.currentPage())->tables()) {
        if (table->isVisible() && table->proxy()->rowCount() > 0) {
            table->view()->selectRow(0);
        }
    }
}

} // namespace

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
    QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartScreenshots"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 45;
    gm::RunOptions options;
    options.generator.rate = argc > 3 ? std::atof(argv[3]) : 20'000;
    options.generator.acceleration = argc > 4 ? std::atof(argv[4]) : 60;
    QSize size(1024, 700);
    if (argc > 5) {
        const QStringList parts = QString::fromLocal8Bit(argv[5]).split(QLatin1Char('x'));
        if (parts.size() == 2 && parts[0].toInt() > 0 && parts[1].toInt() > 0) {
            size = QSize(parts[0].toInt(), parts[1].toInt());
        }
    }
    options.start_time = gm::wallClockNow();
    options.catalog.reference_time = options.start_time;
    QDir().mkpath(out);

    gm::DesktopSession session(options);
    gm::MainWindow window(session);
    window.resize(size);
    window.setTheme(gm::ThemeChoice::Light);
    window.show();
    if (argc > 6) {
        const int preset = std::atoi(argv[6]);
        if (preset > 0 && preset < gm::kRangePresetCount) {
            window.timeRangeBar()->setRange({static_cast<gm::RangePreset>(preset), {}});
        }
    }
    session.start();
    for (int s = 0; s < seconds; ++s) {
        window.showPage(s % gm::MainWindow::PageCount); // exercise every page while it runs
        wait(1000);
    }
    const char* pages[] = {"overview",  "carts",  "products", "anomalies",
                           "inventory", "alerts", "system",   "warehouse"};
    static_assert(std::size(pages) == gm::MainWindow::PageCount);
    for (const auto theme : {gm::ThemeChoice::Light, gm::ThemeChoice::Dark}) {
        window.setTheme(theme);
        const QString suffix =
            theme == gm::ThemeChoice::Light ? QStringLiteral("light") : QStringLiteral("dark");
        for (int page = 0; page < gm::MainWindow::PageCount; ++page) {
            window.showPage(page);
            window.refreshNow();
            selectFirstRow(window);
            wait(400);
            window.refreshNow();
            const QString path =
                QDir(out).filePath(QStringLiteral("%1-%2.png").arg(pages[page], suffix));
            const QPixmap shot = window.grab();
            const bool ok = shot.save(path);
            std::printf("%s %s (%dx%d)\n", ok ? "saved" : "FAILED", qPrintable(path), shot.width(),
                        shot.height());
        }
    }
    session.stop();
    wait(500);
    return 0;
}
