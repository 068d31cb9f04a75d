// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_set>
#include <vector>

namespace gm {

// Picks the alerts seen for the first time out of alert rows (the pipeline emits an alert again
// each time its occurrences change), for whoever announces new alerts (the webhook, the
// window's desktop notifications). Remembers the newest `remembered` ids only: an alert expires
// from deduplication after minutes, so a very old id does not come back.
class NewAlertFilter {
public:
    explicit NewAlertFilter(std::size_t remembered = 100'000) : remembered_(remembered) {}

    std::vector<const AlertRow*> newAlerts(const std::vector<AlertRow>& rows) {
        std::vector<const AlertRow*> fresh;
        for (const AlertRow& row : rows) {
            if (!seen_.insert(row.alert_id).second) {
                continue;
            }
            order_.push_back(row.alert_id);
            if (order_.size() > remembered_) {
                seen_.erase(order_.front());
                order_.pop_front();
            }
            fresh.push_back(&row);
        }
        return fresh;
    }
    void clear() {
        seen_.clear();
        order_.clear();
    }

private:
    std::size_t remembered_;
    std::unordered_set<std::uint64_t> seen_;
    std::deque<std::uint64_t> order_;
};

} // namespace gm
