// SPDX-License-Identifier: GPL-3.0-or-later
// The generated shop against the numbers of docs/events.md, over a million events.
#include "generator/catalog.h"
#include "generator/simulator.h"

#include <QTest>
#include <array>
#include <map>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000; // 2026-11-18
constexpr std::size_t kEvents = 1'000'000;

struct Tally {
    std::uint64_t events = 0;
    std::array<std::uint64_t, kEventKindCount> kinds{};
    std::array<std::uint64_t, kViewEventTypeCount> view_types{};
    std::array<std::uint64_t, 6> items_per_order{}; // index = lines, normal orders
    std::array<std::uint64_t, 4> line_quantities{}; // index = quantity 1..3, normal orders
    std::uint64_t normal_orders = 0;
    std::uint64_t high_value_by_rule = 0;
    std::uint64_t high_quantity_by_rule = 0;
    std::uint64_t anomalous_by_rule = 0;
    std::uint64_t transactions = 0;
};

Tally run(const SimulatorConfig& config, ShopSimulator** keep = nullptr) {
    static const Catalog catalog(
        CatalogConfig{.users = 10'000, .products = 1'000, .seed = 3, .reference_time = kStart});
    static std::unique_ptr<ShopSimulator> simulator;
    simulator = std::make_unique<ShopSimulator>(catalog, config, kStart);
    simulator->setShopRate(1000);
    Tally tally;
    EventBatch batch;
    for (std::size_t done = 0; done < kEvents; done += 10'000) {
        batch.clear();
        simulator->generate(10'000, batch);
        for (const auto& view : batch.views) {
            ++tally.view_types[static_cast<std::size_t>(view.event_type)];
        }
        for (const auto& transaction : batch.transactions) {
            ++tally.transactions;
            const bool high_value = transaction.total_amount > config.high_value_threshold;
            bool high_quantity = false;
            for (const auto& line : transaction.products) {
                high_quantity |= line.quantity >= config.high_quantity_threshold;
            }
            tally.high_value_by_rule += high_value;
            tally.high_quantity_by_rule += high_quantity;
            tally.anomalous_by_rule += high_value || high_quantity;
            if (transaction.planted_anomaly == PlantedAnomaly::None) {
                ++tally.normal_orders;
                ++tally.items_per_order[transaction.products.size()];
                for (const auto& line : transaction.products) {
                    ++tally.line_quantities[line.quantity];
                }
            }
        }
        tally.kinds[0] += batch.views.size();
        tally.kinds[1] += batch.carts.size();
        tally.kinds[2] += batch.transactions.size();
        tally.events += batch.size();
    }
    if (keep) {
        *keep = simulator.get();
    }
    return tally;
}

double share(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

void expectShare(const char* what, double actual, double expected, double tolerance) {
    if (std::abs(actual - expected) > tolerance) {
        QFAIL(qPrintable(QString("%1: %2 is not within %3 of %4")
                             .arg(what)
                             .arg(actual, 0, 'f', 4)
                             .arg(tolerance)
                             .arg(expected)));
    }
}

} // namespace

class TestDistributions : public QObject {
    Q_OBJECT

private slots:
    void exactlyTheRequestedNumberOfEvents() {
        const Tally tally = run(SimulatorConfig{});
        QCOMPARE(tally.events, kEvents);
    }

    void viewShareFollowsTheMix() {
        const Tally tally = run(SimulatorConfig{});
        expectShare("view share", share(tally.kinds[0], tally.events), 0.60, 0.01);
    }

    void viewShareFollowsALiveChange() {
        SimulatorConfig config;
        config.view_share = 0.30;
        const Tally tally = run(config);
        expectShare("view share at 30%", share(tally.kinds[0], tally.events), 0.30, 0.01);
    }

    // Every order comes from a checkout and ~70% of carts are abandoned, so cart events outnumber
    // transactions well beyond 3:1 (docs/generator.md explains why 30/10 cannot hold then).
    void shoppingSplitsIntoCartEventsAndTransactions() {
        const Tally tally = run(SimulatorConfig{});
        const double carts = share(tally.kinds[1], tally.events);
        const double transactions = share(tally.kinds[2], tally.events);
        expectShare("shopping share", carts + transactions, 0.40, 0.01);
        QVERIFY2(transactions > 0.03, "transactions must be a visible part of the stream");
    }

    void viewEventTypes() {
        const Tally tally = run(SimulatorConfig{});
        const std::array<double, 4> expected = {0.60, 0.20, 0.15, 0.05};
        for (std::size_t type = 0; type < expected.size(); ++type) {
            expectShare(viewEventTypeName(static_cast<ViewEventType>(type)).data(),
                        share(tally.view_types[type], tally.kinds[0]), expected[type], 0.005);
        }
    }

    void itemsPerOrder() {
        const Tally tally = run(SimulatorConfig{});
        // Ordinary orders follow .50 .30 .15 .04 .01 (a few of the largest are trimmed to stay
        // under the high-value threshold, hence the tolerance).
        const std::array<double, 5> expected = {0.50, 0.30, 0.15, 0.04, 0.01};
        QVERIFY(tally.normal_orders > 20'000);
        for (std::size_t lines = 1; lines <= 5; ++lines) {
            expectShare(qPrintable(QString("orders with %1 lines").arg(lines)),
                        share(tally.items_per_order[lines], tally.normal_orders),
                        expected[lines - 1], 0.012);
        }
    }

    void quantitiesPerLine() {
        const Tally tally = run(SimulatorConfig{});
        const std::uint64_t lines =
            tally.line_quantities[1] + tally.line_quantities[2] + tally.line_quantities[3];
        expectShare("quantity 1", share(tally.line_quantities[1], lines), 0.80, 0.01);
        expectShare("quantity 2", share(tally.line_quantities[2], lines), 0.15, 0.01);
        expectShare("quantity 3", share(tally.line_quantities[3], lines), 0.05, 0.01);
    }

    void anomalyRateByTheSpecRules() {
        const Tally tally = run(SimulatorConfig{});
        expectShare("anomalous transactions", share(tally.anomalous_by_rule, tally.transactions),
                    0.02, 0.003);
        // Half of each kind.
        expectShare("high-value share of anomalies",
                    share(tally.high_value_by_rule, tally.anomalous_by_rule), 0.5, 0.06);
    }

    void anomalyRateFollowsItsSetting() {
        SimulatorConfig config;
        config.anomaly_rate = 0.10;
        const Tally tally = run(config);
        expectShare("anomalous transactions at 10%",
                    share(tally.anomalous_by_rule, tally.transactions), 0.10, 0.01);
    }

    void cartAbandonment() {
        ShopSimulator* simulator = nullptr;
        run(SimulatorConfig{}, &simulator);
        const auto& stats = simulator->stats();
        const auto ended = stats.carts_checked_out + stats.carts_abandoned;
        QVERIFY(ended > 50'000);
        expectShare("abandoned carts", share(stats.carts_abandoned, ended), 0.70, 0.01);
    }
};

QTEST_APPLESS_MAIN(TestDistributions)
#include "tst_distributions.moc"
