// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/api_keys.h"
#include "app/http/metrics_report.h"
#include "app/http/stored_tables.h"
#include "app/http/table_query.h"
#include "pipeline/runtime/run_slot.h"

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace gm {

class WebhookNotifier;

struct HttpRequestView {
    std::string method; // "GET", "POST", …
    std::string path;   // decoded, without the query
    QueryParameters query;
    std::optional<std::string> api_key; // the X-API-Key header, when sent
    std::string accept;                 // the Accept header
};

struct HttpReply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiAccess {
    // Keys --api-key-file lists; none: the API is open to whoever reaches the address.
    std::optional<std::set<std::string>> keys;
    double requests_per_second = 20; // per key, on average
    double burst = 40;               // per key, at once
};

// What the server answers, route by route, from the run in the slot (see docs in README.md
// "HTTP server"). Synchronous: it reads snapshots and counters, except for the warehouse
// tables and `source=database` pages, which it reads from PostgreSQL through a short
// connection of its own (bounded by a statement timeout); the pipeline never waits for them.
// Used by one thread (the server's); figures() may be read from any.
class ApiHandler {
public:
    // `webhook`: the run's alert webhook for /metrics, or null.
    ApiHandler(const RunSlot& slot, ApiAccess access, const WebhookNotifier* webhook = nullptr);
    HttpReply handle(const HttpRequestView& request);
    HttpFigures figures() const;
    // The answer to a request refused before routing (too large, malformed), counted as the
    // others are.
    HttpReply refuse(int status, const std::string& message);

private:
    HttpReply route(const HttpRequestView& request);
    HttpReply health();
    HttpReply tableList();
    HttpReply acknowledge(const std::string& id_text);
    HttpReply runState();
    HttpReply runCommand(const HttpRequestView& request);
    HttpReply table(const HttpRequestView& request, const std::string& name);
    HttpReply warehouseList();
    HttpReply storedTable(const HttpRequestView& request, const StoredTable& table,
                          const std::vector<std::string>& ignored, const std::string& what);
    std::optional<HttpReply> authorise(const HttpRequestView& request);
    void count(const HttpReply& reply);

    // Per snapshot, what a table request costs most: the rows rendered as text (about 0.7 ms of
    // CPU for 1,000 rows) and the answers already given (identical requests in one snapshot get
    // identical answers). Both are dropped when the run or its snapshot changes.
    std::shared_ptr<const std::vector<TextRow>> snapshotText(const SnapshotPtr& snapshot,
                                                             TableId table, bool open);
    struct CachedReply {
        std::string key; // path, query and whether CSV
        HttpReply reply;
    };
    void forgetOlderSnapshots(const SnapshotPtr& current);
    // The snapshot the caches are for (weak: a run's old snapshots are not kept alive; a new
    // one never compares equal to it, even at the same address).
    std::weak_ptr<const PipelineSnapshot> cached_snapshot_;
    std::array<std::array<std::shared_ptr<const std::vector<TextRow>>, 2>, kTableCount> text_;
    std::deque<CachedReply> replies_; // newest first, at most kCachedReplies
    static constexpr std::size_t kCachedReplies = 32;

    const RunSlot& slot_;
    ApiAccess access_;
    const WebhookNotifier* webhook_;
    RateLimiter limiter_;
    mutable std::mutex figures_mutex_;
    HttpFigures figures_;
};

// {"error":{"status":400,"message":"…","parameter":"limit"}}
HttpReply errorReply(int status, const std::string& message, const std::string& parameter = {});

} // namespace gm
