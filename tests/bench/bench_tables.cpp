// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark (a program, not a test): drill-down tables built from snapshot rows
// (models/snapshot_tables.cpp), 10,000 rows each, as the Anomalies and Alerts pages build them
// for every snapshot they show:
//   build/dev/tests/bench/bench_tables
#include "models/snapshot_tables.h"

#include <benchmark/benchmark.h>

namespace {

constexpr std::size_t kRows = 10'000;
constexpr gm::TimestampUs kT0 = 1'764'000'000'000'000;

std::vector<gm::HighQuantityAnomalyRow> highQuantityRows() {
    std::vector<gm::HighQuantityAnomalyRow> rows(kRows);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        row.transaction_id = gm::Uuid{i, i * 7};
        row.product_id = static_cast<gm::ProductId>(i % 2);
        row.user_id = static_cast<gm::UserId>(i);
        row.timestamp = kT0 + static_cast<gm::TimestampUs>(i);
        row.total_amount = static_cast<gm::Cents>(i * 13);
        row.quantity = 12;
        row.anomaly_reason = "Quantity 12 exceeds the threshold of 10";
        row.detected_at = row.timestamp + 5;
    }
    return rows;
}

std::vector<gm::AlertRow> alertRows() {
    std::vector<gm::AlertRow> rows(kRows);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].alert_id = 12'345'678'901'234'567ULL + i;
        rows[i].title = "Restock soon";
        rows[i].subject = "PROD_00000002";
        rows[i].message = "sold 40 in 5 minutes";
        rows[i].first_seen = kT0 + static_cast<gm::TimestampUs>(i);
        rows[i].last_seen = kT0 + static_cast<gm::TimestampUs>(i) + 60;
    }
    return rows;
}

void BM_HighQuantityTable(benchmark::State& state) {
    const auto rows = highQuantityRows();
    const gm::ProductTable products(
        std::vector<gm::ProductInfo>{{"Lamp", 3, 1000, 40}, {"Desk", 3, 900, 8}});
    for (auto _ : state) {
        benchmark::DoNotOptimize(gm::highQuantityTable(rows, &products));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_HighQuantityTable)->Unit(benchmark::kMillisecond);

void BM_AlertsTable(benchmark::State& state) {
    const auto rows = alertRows();
    const std::set<std::uint64_t> acked{rows[3].alert_id};
    for (auto _ : state) {
        benchmark::DoNotOptimize(gm::alertsTable(rows, acked));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_AlertsTable)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
