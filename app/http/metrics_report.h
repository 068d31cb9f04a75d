// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace gm {

class Runtime;
struct WebhookFigures;

// What the HTTP server counts about itself.
struct HttpFigures {
    // Answers by status class: 2xx, 3xx, 4xx, 5xx (index 0..3).
    std::array<std::uint64_t, 4> responses{};
    std::uint64_t rate_limited = 0;
};

// GET /metrics: the run's counters in the Prometheus text format. `runtime` is null while no
// run is going (then only the process, build and server figures appear). `webhook`: the alert
// webhook's figures, null without --webhook.
std::string metricsReport(Runtime* runtime, const HttpFigures& http,
                          const WebhookFigures* webhook = nullptr);

} // namespace gm
