// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"
#include "pipeline/product_table.h"

#include <array>

namespace gm {

// What turning merged partial aggregates into rows needs: settings, product names, and the
// processing time stamped into created_at and its kin.
struct EmitContext {
    const PipelineConfig& config;
    const ProductTable& products;
    TimestampUs now = 0;
};

// Per job, the watermark before this batch (decides lateness of its events) and after it
// (decides which windows close). Computed once per batch, before sharding, so that it cannot
// depend on the number of workers.
struct Watermarks {
    std::array<TimestampUs, kJobCount> before{};
    std::array<TimestampUs, kJobCount> after{};
    // The same from this run's events alone, without the floor of a resumed run's stored
    // watermarks. Session windows close on these: a replayed session may go on past the floor.
    std::array<TimestampUs, kJobCount> natural_before{};
    std::array<TimestampUs, kJobCount> natural_after{};
    TimestampUs beforeOf(JobId job) const { return before[static_cast<int>(job)]; }
    TimestampUs afterOf(JobId job) const { return after[static_cast<int>(job)]; }
};

// Key of user-session tables (cart_sessions, browsing_sessions, abandoned_carts).
struct SessionKey {
    UserId user = 0;
    Uuid session;
    friend bool operator==(const SessionKey&, const SessionKey&) = default;
    friend auto operator<=>(const SessionKey&, const SessionKey&) = default;
};
struct SessionKeyHash {
    std::size_t operator()(const SessionKey& key) const {
        return UuidHash{}(key.session) ^ (key.user * 0x9E3779B97F4A7C15ULL);
    }
};

} // namespace gm
