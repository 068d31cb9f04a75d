// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/emit_context.h"
#include "pipeline/rows.h"
#include "pipeline/tumbling_windows.h"

#include <span>

namespace gm {

// Job 1: sales_per_minute and sales_by_country. One state (minute x country); the per-minute
// row is the sum of the countries at emission.
struct SalesAcc {
    std::uint64_t transactions = 0;
    Cents revenue = 0;
    void merge(const SalesAcc& other) {
        transactions += other.transactions;
        revenue += other.revenue;
    }
};

struct SalesClosed {
    std::vector<ClosedWindow<std::uint8_t, SalesAcc>> by_country;
    void clear() { by_country.clear(); }
};

class SalesShard {
public:
    explicit SalesShard(const PipelineConfig& config);
    // Returns the number of late (dropped) transactions.
    std::uint64_t add(std::span<const Transaction> transactions, TimestampUs watermark_before);
    void close(TimestampUs watermark, SalesClosed& out);
    void peek(SalesClosed& out) const;
    std::size_t openWindows() const { return by_country_.openWindows(); }
    // Event time of the oldest state still open (kFlushWatermark: none): no event older than
    // this can change a row that is still to come.
    TimestampUs oldestOpenStart() const { return by_country_.oldestOpenStart(); }

private:
    TumblingWindows<std::uint8_t, SalesAcc> by_country_;
};

void emitSales(std::vector<SalesClosed*>& parts, const EmitContext& context, RowBatch& out);

} // namespace gm
