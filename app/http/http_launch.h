// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/http_service.h"
#include "app/http/webhook_notifier.h"
#include "pipeline/runtime/run_options.h"

#include <chrono>
#include <memory>
#include <string>
#include <variant>

namespace gm {

// The --http server of a run (headless or window), listening, its keys read from
// --api-key-file; null without --http; one line when the keys cannot be read or the address
// cannot be used (the caller exits with 2).
// `webhook` (may be null) must outlive the server: /metrics reports its figures.
std::variant<std::unique_ptr<HttpService>, std::string>
startHttp(const RunOptions& options, const RunSlot& slot, const WebhookNotifier* webhook = nullptr);

// The --webhook notifier of a run, started, with `options.row_observer` set to feed it; null
// (and the options untouched) without --webhook. It must outlive the run's Runtime.
std::unique_ptr<WebhookNotifier> startWebhook(RunOptions& options);

// "webhook: 12 alerts sent, 0 failed, 3 retries, 0 dropped (queue full), 0 unsent at stop"
std::string webhookSummary(const WebhookFigures& figures);
// While it runs: "12 sent, 0 failed, 3 retries, 0 dropped (queue full), 1 queued, 0 abandoned"
std::string webhookStatus(const WebhookFigures& figures);
// At exit (headless and window alike): gives the alerts of the final flush up to `drain` to go
// out, stops the notifier, and returns webhookSummary() of what became of every alert.
std::string finishWebhook(WebhookNotifier& webhook, std::chrono::milliseconds drain);

} // namespace gm
