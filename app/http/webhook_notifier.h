// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/alert_notice.h"
#include "pipeline/new_alert_filter.h"
#include "pipeline/rows.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

class QThread;

namespace gm {

struct WebhookOptions {
    std::string url; // http:// or https:// (run_options.h: webhookUrlProblem)
    // Alerts waiting to be posted; an alert arriving when the queue is full is dropped and
    // counted (the pipeline never waits for a webhook).
    std::size_t queue_capacity = 1000;
    int max_attempts = 5; // per alert, the first one included
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds max_backoff{30'000};
    std::chrono::milliseconds request_timeout{5'000};
};

// What became of the alerts offered to the webhook. offered = sent + failed + dropped +
// abandoned + queued at any time.
struct WebhookFigures {
    std::uint64_t offered = 0;   // new alerts handed to the notifier
    std::uint64_t sent = 0;      // answered 2xx
    std::uint64_t failed = 0;    // given up after max_attempts
    std::uint64_t retries = 0;   // attempts after a failed one
    std::uint64_t dropped = 0;   // refused because the queue was full
    std::uint64_t abandoned = 0; // still queued when the notifier stopped
    std::uint64_t queued = 0;    // waiting or in flight now
};

// Posts each new alert of a run as JSON (alertWebhookJson) to a webhook, one at a time in the
// order they were raised, on a thread of its own with its own event loop: offer() only takes a
// mutex and appends, so the pipeline thread that calls it never waits for the network. A failed
// post (no connection, timeout, non-2xx answer) is retried with exponential backoff.
class WebhookNotifier {
public:
    explicit WebhookNotifier(WebhookOptions options);
    ~WebhookNotifier(); // stop({})
    WebhookNotifier(const WebhookNotifier&) = delete;
    WebhookNotifier& operator=(const WebhookNotifier&) = delete;

    void start();
    // Any thread: queues the alerts among `rows` not offered before.
    void offer(const std::vector<AlertRow>& rows);
    // Waits up to `drain` for the queue to empty, then ends the thread; what is left is counted
    // as abandoned. Idempotent.
    void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(0));
    WebhookFigures figures() const;
    const WebhookOptions& options() const { return options_; }

private:
    friend class WebhookWorker;
    struct Shared {
        std::mutex mutex;
        NewAlertFilter filter;
        std::deque<std::string> queue; // bodies; the front one is in flight
        WebhookFigures figures;
    };
    WebhookOptions options_;
    std::shared_ptr<Shared> shared_;
    std::unique_ptr<QThread> thread_;
    class WebhookWorker* worker_ = nullptr; // lives on thread_
};

} // namespace gm
