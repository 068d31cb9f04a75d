// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/event_publisher.h"
#include "pipeline/row_sink.h"

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_set>

namespace gm {

// The alerts topic: every alert that reaches critical severity is published once, as JSON
// keyed by its subject, when the pipeline first emits it as critical. Later updates of the same
// alert (more occurrences) stay in the alerts table; the topic is for paging someone, not for
// mirroring the table.
class CriticalAlertSink : public RowSink {
public:
    explicit CriticalAlertSink(AlertPublisher& publisher) : publisher_(publisher) {}
    void consume(const RowBatch& rows) override;
    std::uint64_t published() const { return published_; }

    // {"alert_id":..., "kind":"high_value", "severity":"critical", "subject":..., "title":...,
    //  "message":..., "first_seen":"...Z", "last_seen":"...Z", "occurrences":N}
    static std::string toJson(const AlertRow& alert);

private:
    // Ids already published, oldest first; bounded because alerts expire from deduplication
    // after minutes and a very old id coming back is harmless (published again).
    static constexpr std::size_t kRemembered = 100'000;
    AlertPublisher& publisher_;
    std::unordered_set<std::uint64_t> published_ids_;
    std::deque<std::uint64_t> published_order_;
    std::uint64_t published_ = 0;
};

} // namespace gm
