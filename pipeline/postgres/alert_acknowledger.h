// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gm {

// Marks alerts acknowledged in PostgreSQL (alerts.acknowledged, acknowledged_at), through a short
// connection of its own per call: it never shares the writer's connection and never waits for
// the writer's buffer. Blocking: call it on a worker thread. The pipeline's upsert leaves
// `acknowledged` alone, so a re-emitted alert stays acknowledged. Copyable; any thread.
class AlertAcknowledger {
public:
    explicit AlertAcknowledger(std::string conninfo) : conninfo_(std::move(conninfo)) {}

    struct Result {
        std::size_t stored = 0;  // alert rows now marked acknowledged
        std::size_t pending = 0; // ids whose rows are not written yet: marked when they arrive
        std::optional<std::string> error; // one line, password-free; nothing stored when set
    };
    // Every id is also remembered in alert_acknowledgements, so an alert the writer has not
    // stored yet is marked as its row arrives (sql/migrations/0006_alert_acknowledgements.sql).
    Result acknowledge(const std::vector<std::uint64_t>& alert_ids) const;

private:
    std::string conninfo_;
};

} // namespace gm
