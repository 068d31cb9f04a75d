// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/command_line.h"
#include "app/headless_run.h"

#include <QCoreApplication>
#include <atomic>
#include <csignal>
#include <cstdio>

namespace {
std::atomic<bool> g_interrupted{false};
void onSignal(int) {
    g_interrupted = true;
}
} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName("globalmart");
    QCoreApplication::setApplicationVersion(GM_VERSION);

    const gm::CommandLineResult parsed = gm::parseCommandLine(QCoreApplication::arguments());
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "globalmart: %s\n", parsed.error.c_str());
        return parsed.exit_code;
    }
    if (!parsed.options) {
        std::fputs(parsed.output.c_str(), stdout);
        return parsed.exit_code;
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    gm::RunOptions options = *parsed.options;
    if (!options.headless) {
        // The desktop window is not part of this build yet; say so instead of pretending.
        std::fprintf(stderr, "globalmart: the desktop window is not built yet; running headless "
                             "(use --headless to silence this note)\n");
    }
    return gm::runHeadless(options, stdout, g_interrupted);
}
