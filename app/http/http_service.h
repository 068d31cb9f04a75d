// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/api_handler.h"
#include "app/http/http_endpoint.h"
#include "app/http/webhook_notifier.h"
#include "pipeline/runtime/run_slot.h"

#include <QThread>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace gm {

struct HttpServiceOptions {
    HttpEndpoint endpoint;
    ApiAccess access;
    // Headers and body of one request together; larger ones get 413 and the connection closes.
    std::size_t max_request_bytes = 64 * 1024;
    // The run's alert webhook (may be null), for /metrics; it outlives the server.
    const WebhookNotifier* webhook = nullptr;
};

// The embedded HTTP server (--http) on a thread of its own with its own event loop: requests
// are answered there, synchronously, from snapshots and counters, so neither the pipeline nor
// the window ever waits for a client. Answers on one connection go out in request order
// (synchronous handlers; Qt 6.4 reorders QFuture ones, QTBUG-105202).
class HttpService {
public:
    HttpService(const RunSlot& slot, HttpServiceOptions options);
    ~HttpService(); // stop()
    HttpService(const HttpService&) = delete;
    HttpService& operator=(const HttpService&) = delete;

    // Starts the thread and listens; one line when the address cannot be used.
    std::optional<std::string> start();
    // Closes every connection and ends the thread. Idempotent.
    void stop();
    std::uint16_t port() const { return port_; } // the one listened on (for --http 0)
    std::string url() const;                     // "http://127.0.0.1:8080"
    HttpFigures figures() const;

private:
    struct Server;
    const RunSlot& slot_;
    HttpServiceOptions options_;
    std::unique_ptr<QThread> thread_;
    std::unique_ptr<ApiHandler> handler_;
    Server* server_ = nullptr; // lives on thread_
    std::uint16_t port_ = 0;
};

} // namespace gm
