// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/http_launch.h"

#include "app/http/api_keys.h"

namespace gm {

std::variant<std::unique_ptr<HttpService>, std::string>
startHttp(const RunOptions& options, const RunSlot& slot, const WebhookNotifier* webhook) {
    if (options.http_port < 0) {
        return std::unique_ptr<HttpService>();
    }
    HttpServiceOptions http;
    http.endpoint = {options.http_address, static_cast<std::uint16_t>(options.http_port)};
    http.access.requests_per_second = options.api_rate;
    http.access.burst = 2 * options.api_rate;
    http.webhook = webhook;
    if (!options.api_key_file.empty()) {
        auto keys = readApiKeys(options.api_key_file);
        if (const auto* problem = std::get_if<std::string>(&keys)) {
            return "--api-key-file: " + *problem;
        }
        http.access.keys = std::get<std::set<std::string>>(std::move(keys));
    }
    if (!options.api_keys.empty()) {
        // The window's Settings: checked by the dialog, checked again (a hand-edited store).
        std::set<std::string> keys = http.access.keys.value_or(std::set<std::string>{});
        for (std::size_t i = 0; i < options.api_keys.size(); ++i) {
            if (const auto problem = apiKeyProblem(options.api_keys[i])) {
                return "API keys (Settings): key " + std::to_string(i + 1) + ": " + *problem;
            }
            keys.insert(options.api_keys[i]);
        }
        http.access.keys = std::move(keys);
    }
    auto service = std::make_unique<HttpService>(slot, std::move(http));
    if (auto problem = service->start()) {
        return *problem;
    }
    return service;
}

std::unique_ptr<WebhookNotifier> startWebhook(RunOptions& options) {
    if (options.webhook_url.empty()) {
        return nullptr;
    }
    WebhookOptions webhook;
    webhook.url = options.webhook_url;
    auto notifier = std::make_unique<WebhookNotifier>(std::move(webhook));
    notifier->start();
    options.row_observer = [notifier = notifier.get()](const RowBatch& rows) {
        notifier->offer(rows.alerts);
    };
    options.webhook_status = [notifier = notifier.get()] {
        return webhookStatus(notifier->figures());
    };
    return notifier;
}

std::string webhookSummary(const WebhookFigures& figures) {
    return "webhook: " + std::to_string(figures.sent) + " alerts sent, " +
           std::to_string(figures.failed) + " failed, " + std::to_string(figures.retries) +
           " retries, " + std::to_string(figures.dropped) + " dropped (queue full), " +
           std::to_string(figures.abandoned + figures.queued) + " unsent at stop";
}

std::string webhookStatus(const WebhookFigures& figures) {
    return std::to_string(figures.sent) + " sent, " + std::to_string(figures.failed) + " failed, " +
           std::to_string(figures.retries) + " retries, " + std::to_string(figures.dropped) +
           " dropped (queue full), " + std::to_string(figures.queued) + " queued, " +
           std::to_string(figures.abandoned) + " abandoned";
}

std::string finishWebhook(WebhookNotifier& webhook, std::chrono::milliseconds drain) {
    webhook.stop(drain);
    return webhookSummary(webhook.figures());
}

} // namespace gm
