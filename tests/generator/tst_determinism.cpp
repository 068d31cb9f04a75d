// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/catalog.h"
#include "generator/simulator.h"

#include <QTest>

using namespace gm;

namespace {
constexpr TimestampUs kStart = 1'795'000'000'000'000;

EventBatch generate(std::uint64_t seed, std::size_t count, std::size_t chunk) {
    const Catalog catalog(
        CatalogConfig{.users = 5'000, .products = 500, .seed = seed, .reference_time = kStart});
    SimulatorConfig config;
    config.seed = seed;
    ShopSimulator simulator(catalog, config, kStart);
    simulator.setShopRate(200);
    EventBatch all;
    for (std::size_t done = 0; done < count; done += chunk) {
        EventBatch batch;
        simulator.generate(std::min(chunk, count - done), batch);
        all.views.insert(all.views.end(), batch.views.begin(), batch.views.end());
        all.carts.insert(all.carts.end(), batch.carts.begin(), batch.carts.end());
        all.transactions.insert(all.transactions.end(), batch.transactions.begin(),
                                batch.transactions.end());
    }
    return all;
}
} // namespace

class TestDeterminism : public QObject {
    Q_OBJECT

private slots:
    void sameSeedSameCatalog() {
        const Catalog a(
            CatalogConfig{.users = 20'000, .products = 2'000, .seed = 9, .reference_time = kStart});
        const Catalog b(
            CatalogConfig{.users = 20'000, .products = 2'000, .seed = 9, .reference_time = kStart});
        for (ProductId id = 0; id < a.productCount(); ++id) {
            QCOMPARE(a.productName(id), b.productName(id));
            QCOMPARE(a.product(id).price, b.product(id).price);
            QCOMPARE(a.product(id).inventory, b.product(id).inventory);
        }
        for (UserId id = 0; id < a.userCount(); ++id) {
            QCOMPARE(a.user(id).country, b.user(id).country);
            QCOMPARE(a.user(id).registration_day, b.user(id).registration_day);
        }
    }

    void sameSeedSameStream() {
        const EventBatch first = generate(7, 200'000, 4096);
        const EventBatch second = generate(7, 200'000, 4096);
        QCOMPARE(first.size(), std::size_t{200'000});
        QVERIFY(first.views == second.views);
        QVERIFY(first.carts == second.carts);
        QVERIFY(first.transactions == second.transactions);
    }

    // The batch size depends on the machine's speed and the rate; the stream must not.
    void batchSizeDoesNotChangeTheStream() {
        const EventBatch large = generate(11, 50'000, 50'000);
        const EventBatch small = generate(11, 50'000, 7);
        QVERIFY(large.views == small.views);
        QVERIFY(large.carts == small.carts);
        QVERIFY(large.transactions == small.transactions);
    }

    void otherSeedOtherStream() {
        const EventBatch first = generate(7, 20'000, 4096);
        const EventBatch other = generate(8, 20'000, 4096);
        QVERIFY(!(first.views == other.views));
    }
};

QTEST_APPLESS_MAIN(TestDeterminism)
#include "tst_determinism.moc"
