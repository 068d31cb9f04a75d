// SPDX-License-Identifier: GPL-3.0-or-later
// A backfilled history's customers arrive over time and some lapse: the shape a cohort table
// and RFM recency need. Off by default: a live run's stream is unchanged by it.
#include "generator/catalog.h"
#include "generator/customer_lifecycle.h"
#include "generator/simulator.h"

#include <QTest>
#include <map>
#include <set>

using namespace gm;

namespace {

constexpr TimestampUs kDay = 86'400'000'000;
constexpr TimestampUs kBegin = 1'780'000'000'000'000;

TimestampUs latestEvent(const EventBatch& batch, UserId user) {
    TimestampUs latest = 0;
    for (const auto& e : batch.views) {
        latest = e.user == user ? std::max(latest, e.timestamp) : latest;
    }
    for (const auto& e : batch.carts) {
        latest = e.user == user ? std::max(latest, e.timestamp) : latest;
    }
    for (const auto& e : batch.transactions) {
        latest = e.user == user ? std::max(latest, e.timestamp) : latest;
    }
    return latest;
}

} // namespace

class TestCustomerLifecycle : public QObject {
    Q_OBJECT

private slots:
    void arrivalsAndLapsesFollowTheConfiguredShares() {
        const LifecycleConfig config{.begin = kBegin, .end = kBegin + 90 * kDay};
        const CustomerLifecycle lifecycle(10'000, config, 42);
        QVERIFY(lifecycle.enabled());
        const std::size_t from_start = lifecycle.arrivedCount(kBegin);
        QVERIFY2(from_start > 3'700 && from_start < 4'300, std::to_string(from_start).c_str());
        // Everyone has arrived by 90% of the span; about a tenth lapse, each after arriving.
        QCOMPARE(lifecycle.arrivedCount(kBegin + 81 * kDay), std::size_t{10'000});
        std::size_t lapsing = 0;
        for (UserId user = 0; user < 10'000; ++user) {
            QVERIFY(lifecycle.arrival(user) >= kBegin);
            if (lifecycle.lapse(user) != CustomerLifecycle::kNever) {
                ++lapsing;
                QVERIFY(lifecycle.lapse(user) > lifecycle.arrival(user));
            }
        }
        QVERIFY2(lapsing > 850 && lapsing < 1'150, std::to_string(lapsing).c_str());
        // The counts agree with asking every user, at several times.
        for (const TimestampUs at :
             {kBegin, kBegin + 17 * kDay, kBegin + 60 * kDay, kBegin + 89 * kDay}) {
            std::size_t active = 0;
            std::size_t arrived = 0;
            for (UserId user = 0; user < 10'000; ++user) {
                active += lifecycle.active(user, at) ? 1 : 0;
                arrived += lifecycle.arrival(user) <= at ? 1 : 0;
            }
            QCOMPARE(lifecycle.activeCount(at), active);
            QCOMPARE(lifecycle.arrivedCount(at), arrived);
            for (std::size_t i = 0; i < arrived; ++i) {
                QVERIFY(lifecycle.arrival(lifecycle.arrivedUser(i)) <= at);
            }
        }
    }

    void offUnlessASpanIsSet() {
        const CustomerLifecycle lifecycle(100, LifecycleConfig{}, 42);
        QVERIFY(!lifecycle.enabled());
        QVERIFY(lifecycle.active(7, 0));
    }

    // Sixty days at about 11 events per user and day, as a backfill paces them.
    void aBackfilledShopHasCohortsAndLapsedCustomers() {
        constexpr std::uint32_t kUsers = 500;
        constexpr int kDays = 60;
        const Catalog catalog(
            CatalogConfig{.users = kUsers, .products = 200, .seed = 3, .reference_time = kBegin});
        SimulatorConfig config;
        config.lifecycle = {.begin = kBegin, .end = kBegin + kDays * kDay};
        ShopSimulator simulator(catalog, config, kBegin);
        simulator.setShopRate(kUsers * 11.0 / 86'400.0);
        EventBatch batch;
        simulator.generate(static_cast<std::size_t>(kUsers) * 11 * kDays, batch);
        QVERIFY(simulator.now() >= kBegin + (kDays - 1) * kDay);

        const CustomerLifecycle lifecycle(kUsers, config.lifecycle, config.seed);
        // Nobody shops before arriving.
        for (const auto& e : batch.views) {
            QVERIFY(e.timestamp >= lifecycle.arrival(e.user));
        }
        for (const auto& e : batch.transactions) {
            QVERIFY(e.timestamp >= lifecycle.arrival(e.user));
        }
        // First orders spread over the months: several cohorts, the first not all of them.
        std::map<UserId, TimestampUs> first_order;
        for (const auto& t : batch.transactions) {
            first_order.try_emplace(t.user, t.timestamp);
        }
        std::map<TimestampUs, int> cohorts; // by 30-day period
        for (const auto& [user, at] : first_order) {
            ++cohorts[(at - kBegin) / (30 * kDay)];
        }
        QCOMPARE(cohorts.size(), std::size_t{2});
        QVERIFY2(cohorts.begin()->second < static_cast<int>(first_order.size() * 8 / 10),
                 std::to_string(cohorts.begin()->second).c_str());
        // A lapsed customer's last event is close to the lapse (a visit under way ends), and
        // most customers who did not lapse are still seen in the last week.
        int lapsed = 0;
        int recent = 0;
        int staying = 0;
        for (UserId user = 0; user < kUsers; ++user) {
            const TimestampUs last = latestEvent(batch, user);
            if (lifecycle.lapse(user) < kBegin + (kDays - 7) * kDay) {
                ++lapsed;
                QVERIFY2(last < lifecycle.lapse(user) + kDay / 24, std::to_string(user).c_str());
            } else if (lifecycle.lapse(user) == CustomerLifecycle::kNever) {
                ++staying;
                recent += last >= kBegin + (kDays - 7) * kDay ? 1 : 0;
            }
        }
        QVERIFY(lapsed > 10);
        QVERIFY2(recent > staying * 9 / 10,
                 (std::to_string(recent) + " of " + std::to_string(staying)).c_str());
    }

    void offLeavesTheStreamAsItWas() {
        const Catalog catalog(
            CatalogConfig{.users = 300, .products = 100, .seed = 9, .reference_time = kBegin});
        SimulatorConfig later_span;
        // An empty span is off, whenever it is.
        later_span.lifecycle = {.begin = kBegin + kDay, .end = kBegin + kDay};
        ShopSimulator plain(catalog, SimulatorConfig{}, kBegin);
        ShopSimulator empty_span(catalog, later_span, kBegin);
        EventBatch a;
        EventBatch b;
        plain.generate(20'000, a);
        empty_span.generate(20'000, b);
        QVERIFY(a.views == b.views);
        QVERIFY(a.transactions == b.transactions);
    }
};

QTEST_GUILESS_MAIN(TestCustomerLifecycle)
#include "tst_customer_lifecycle.moc"
