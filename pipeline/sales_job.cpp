// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/sales_job.h"

namespace gm {

SalesShard::SalesShard(const PipelineConfig& config) : by_country_(config.sales_window) {}

std::uint64_t SalesShard::add(std::span<const Transaction> transactions,
                              TimestampUs watermark_before) {
    std::uint64_t late = 0;
    for (const Transaction& tx : transactions) {
        if (by_country_.isLate(tx.timestamp, watermark_before)) {
            ++late;
            continue;
        }
        SalesAcc& acc = by_country_.cell(tx.timestamp, static_cast<std::uint8_t>(tx.country));
        ++acc.transactions;
        acc.revenue += tx.total_amount;
    }
    return late;
}

void SalesShard::close(TimestampUs watermark, SalesClosed& out) {
    by_country_.close(watermark, out.by_country);
}

void SalesShard::peek(SalesClosed& out) const {
    by_country_.peek(out.by_country);
}

namespace {
double averageDollars(Cents total, std::uint64_t count) {
    return count == 0 ? 0.0 : static_cast<double>(total) / 100.0 / static_cast<double>(count);
}
} // namespace

void emitSales(std::vector<SalesClosed*>& parts, const EmitContext& context, RowBatch& out) {
    std::vector<std::vector<ClosedWindow<std::uint8_t, SalesAcc>>*> windows;
    for (auto* part : parts) {
        windows.push_back(&part->by_country);
    }
    mergeClosedWindows(windows, [&](TimestampUs start, TimestampUs end, auto& cells) {
        SalesAcc total;
        for (const auto& [country, acc] : cells) {
            if (acc.transactions == 0) {
                continue;
            }
            total.merge(acc);
            out.sales_by_country.push_back(
                {start, end, static_cast<Country>(country), acc.transactions, acc.revenue,
                 averageDollars(acc.revenue, acc.transactions), context.now});
        }
        if (total.transactions > 0) {
            out.sales_per_minute.push_back({start, end, total.transactions, total.revenue,
                                            averageDollars(total.revenue, total.transactions),
                                            context.now});
        }
    });
}

} // namespace gm
