// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/batch_command.h"
#include "app/command_line.h"
#include "app/headless_run.h"
#include "app/http/http_launch.h"
#include "models/app_settings.h"
#include "pipeline/process_memory.h"
#include "ui/run_desktop.h"

#include <QApplication>
#include <QCoreApplication>
#include <QIcon>
#include <QSettings>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {
std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_interrupted_again{false}; // a second Ctrl+C: stop writing, leave rows spilled
void onSignal(int) {
    if (g_interrupted) {
        g_interrupted_again = true;
    }
    g_interrupted = true;
}

// A window needs a display (or a platform chosen explicitly, e.g. offscreen for tests).
bool displayAvailable() {
    return std::getenv("DISPLAY") != nullptr || std::getenv("WAYLAND_DISPLAY") != nullptr ||
           std::getenv("QT_QPA_PLATFORM") != nullptr;
}

// Options are parsed before any QApplication exists: --help, --version and bad options must
// work on a machine without a display.
QStringList argumentList(int argc, char* argv[]) {
    QStringList arguments;
    for (int i = 0; i < argc; ++i) {
        arguments << QString::fromLocal8Bit(argv[i]);
    }
    return arguments;
}

gm::CommandLineResult parse(int argc, char* argv[]) {
    return gm::parseCommandLine(argumentList(argc, argv));
}
} // namespace

int main(int argc, char* argv[]) {
    gm::returnLargeBlocksToTheSystem(); // the pipeline's big tables must not fragment the heap
    QCoreApplication::setApplicationName("globalmart");
    QCoreApplication::setOrganizationName("GlobalMart");
    QCoreApplication::setApplicationVersion(GM_VERSION);

    if (gm::isBatchCommand(argumentList(argc, argv))) {
        QCoreApplication application(argc, argv);
        return gm::runBatchCommand(application.arguments(), stdout, stderr);
    }
    const gm::CommandLineResult parsed = parse(argc, argv);
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "globalmart: %s\n", parsed.error.c_str());
        return parsed.exit_code;
    }
    if (!parsed.options) {
        std::fputs(parsed.output.c_str(), stdout);
        return parsed.exit_code;
    }
    gm::RunOptions options = *parsed.options;
    if (!options.headless && displayAvailable()) {
        QApplication application(argc, argv);
        // The window's Settings: a webhook unless --webhook names one, and API keys besides
        // --api-key-file's.
        QSettings settings;
        const gm::AppSettings stored = gm::AppSettings::load(settings);
        if (const std::optional<QString> problem = gm::notificationSettingsProblem(stored)) {
            std::fprintf(stderr, "globalmart: Settings: %s\n", qPrintable(*problem));
            return 2;
        }
        if (!parsed.reference_data_given && !stored.reference_data_path.isEmpty()) {
            // Before the session's threads start: the lists are read-only afterwards.
            if (const auto problem =
                    gm::addReferenceDataFile(stored.reference_data_path.toStdString())) {
                std::fprintf(stderr, "globalmart: Settings: Reference data file: %s\n",
                             problem->c_str());
                return 2;
            }
        }
        if (options.webhook_url.empty()) {
            options.webhook_url = stored.webhook_url.toStdString();
        }
        for (const QString& key : stored.api_keys) {
            options.api_keys.push_back(key.toStdString());
        }
        gm::RunSlot run_slot; // outlives the server and the window's session
        // Outlives the window's session (its pipeline hands it alerts) and the server.
        const std::unique_ptr<gm::WebhookNotifier> webhook = gm::startWebhook(options);
        auto http = gm::startHttp(options, run_slot, webhook.get());
        if (const auto* problem = std::get_if<std::string>(&http)) {
            std::fprintf(stderr, "globalmart: %s\n", problem->c_str());
            return 2;
        }
        if (const auto& server = std::get<0>(http)) {
            std::fprintf(stdout, "HTTP server on %s (/metrics, /health, /api/v1/)\n",
                         server->url().c_str());
            std::fflush(stdout);
        }
        Q_INIT_RESOURCE(globalmart); // resources of the static gm_ui library
        QGuiApplication::setDesktopFileName("io.github.globalmart.Monitor");
        QApplication::setWindowIcon(QIcon::fromTheme(
            "io.github.globalmart.Monitor", QIcon(":/icons/io.github.globalmart.Monitor.svg")));
        // SIGINT/SIGTERM (Ctrl+C in the terminal, a logout) close the window as its Quit does:
        // the session stops, buffered rows are written, and the summary below is printed.
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        QTimer interrupt_poll;
        QObject::connect(&interrupt_poll, &QTimer::timeout, &application, [] {
            if (g_interrupted) {
                QCoreApplication::quit();
            }
        });
        interrupt_poll.start(200);
        const int code = gm::runDesktop(application, options, &run_slot);
        if (const auto& server = std::get<0>(http)) {
            server->stop();
        }
        if (webhook) {
            // As headless: alerts of the final flush get a few seconds; what is left is counted.
            std::fprintf(stdout, "%s\n",
                         gm::finishWebhook(*webhook, std::chrono::seconds(5)).c_str());
            std::fflush(stdout);
        }
        return code;
    }
    if (!options.headless) {
        std::fprintf(stderr, "globalmart: no display (DISPLAY/WAYLAND_DISPLAY unset): running "
                             "headless; pass --headless to silence this note\n");
    }
    QCoreApplication application(argc, argv);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    return gm::runHeadless(options, stdout, g_interrupted, &g_interrupted_again);
}
