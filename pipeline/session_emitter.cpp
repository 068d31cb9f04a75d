// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/session_emitter.h"

#include <algorithm>

namespace gm {

void SessionTablesEmitter::take(std::vector<ShardOutput>& outputs) {
    std::vector<std::vector<ClosedWindow<SessionKey, CartSessionAcc>>*> cart_sessions;
    std::vector<std::vector<ClosedWindow<SessionKey, BrowsingAcc>>*> browsing;
    for (ShardOutput& output : outputs) {
        cart_sessions.push_back(&output.carts.sessions);
        browsing.push_back(&output.views.browsing);
        if (!output.carts.abandoned.empty()) {
            abandoned_.push_back(std::move(output.carts.abandoned));
            output.carts.abandoned.clear();
        }
    }
    cart_sessions_.start(cart_sessions);
    browsing_.start(browsing);
}

void SessionTablesEmitter::seal() {
    if (sealed_) {
        return;
    }
    sealed_ = true;
    abandoned_order_.clear();
    for (std::vector<AbandonedCartRow>& part : abandoned_) {
        abandoned_order_.add(part.data(), part.data() + part.size());
    }
}

bool SessionTablesEmitter::idle() const {
    return cart_sessions_.done() && browsing_.done() && abandoned_.empty();
}

std::size_t SessionTablesEmitter::step(std::size_t budget, const EmitContext& context,
                                       RowBatch& out) {
    if (!sealed_) {
        return 0;
    }
    budget = std::max<std::size_t>(1, budget);
    std::size_t work = 0;
    if (work < budget && !cart_sessions_.done()) {
        work += cart_sessions_.step(budget - work,
                                    [&](TimestampUs start, TimestampUs end, const auto& cells) {
                                        appendCartSessionRows(start, end, cells, context, out);
                                    });
    }
    if (work < budget && !browsing_.done()) {
        work += browsing_.step(budget - work, [&](TimestampUs start, TimestampUs end, auto& cells) {
            appendBrowsingRows(start, end, cells, context, out);
        });
    }
    if (work < budget && !abandoned_.empty()) {
        if (!abandoned_order_.sorted()) {
            work += abandoned_order_.sortRuns(budget - work);
        }
        if (abandoned_order_.sorted()) {
            while (work < budget && !abandoned_order_.empty()) {
                AbandonedCartRow& row = out.abandoned_carts.emplace_back(abandoned_order_.top());
                row.abandonment_detected_at = context.now;
                row.created_at = context.now;
                abandoned_order_.pop();
                ++work;
            }
            if (abandoned_order_.empty()) {
                abandoned_ = {};
                abandoned_order_.clear();
            }
        }
    }
    if (idle()) {
        sealed_ = false;
    }
    return work;
}

} // namespace gm
