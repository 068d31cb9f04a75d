// SPDX-License-Identifier: GPL-3.0-or-later
// Product attributes from the events (pipeline/product_attributes.h): the newest event time
// wins whatever the arrival order, equal times are settled by value, changes are counted, and
// the product table shows the events' name over the catalog's and knows stock only for its own.
#include "generator/id_dictionary.h"
#include "pipeline/product_table.h"

#include <QTest>
#include <algorithm>
#include <random>

using namespace gm;

namespace {

struct Observation {
    ProductId product;
    TimestampUs time;
    NameId name;
    CategoryId category;
    Cents price;
};

NameId name(const char* text) {
    return *productNames().intern(text);
}

} // namespace

class TestProductAttributes : public QObject {
    Q_OBJECT

private slots:
    void newestWinsInAnyOrder() {
        const ProductId product = IdDictionary::products().catalogRange() + 5;
        std::vector<Observation> events = {
            {product, 100, name("Lamp"), 3, 1000},
            {product, 300, name("Lamp II"), 3, 1200},
            {product, 200, name("Lamp (old)"), 4, 900},
            {product, 300, name("Lamp II"), 3, 1100},   // same time: larger price wins
            {product, 400, kNoName, kNoCategory, 1500}, // a transaction line: price only
            {7, 50, name("Other"), 1, 10},
        };
        ProductAttributes::Values first;
        std::mt19937 shuffle(16);
        for (int round = 0; round < 20; ++round) {
            ProductAttributes attributes;
            for (const Observation& e : events) {
                attributes.observe(e.product, e.time, e.name, e.category, e.price);
            }
            const auto values = attributes.get(product);
            QCOMPARE(std::string(productNames().text(values.name)), std::string("Lamp II"));
            QCOMPARE(values.category, CategoryId{3});
            QCOMPARE(values.price, Cents{1500});
            QCOMPARE(attributes.products(), std::uint64_t{2});
            std::shuffle(events.begin(), events.end(), shuffle);
        }
        ProductAttributes empty;
        QCOMPARE(empty.get(product).name, kNoName);
        QCOMPARE(empty.get(product).price, Cents{-1});
    }

    void changesAreCounted() {
        ProductAttributes attributes;
        attributes.observe(1, 10, name("A"), 2, 500);
        QCOMPARE(attributes.changes(), std::uint64_t{0}); // the first values are no change
        attributes.observe(1, 20, name("A"), 2, 500);
        QCOMPARE(attributes.changes(), std::uint64_t{0}); // newer, same values
        attributes.observe(1, 30, name("B"), 2, 500);
        QCOMPARE(attributes.changes(), std::uint64_t{1}); // renamed
        attributes.observe(1, 40, name("B"), 2, 600);
        QCOMPARE(attributes.changes(), std::uint64_t{2}); // repriced
        attributes.observe(1, 5, name("C"), 2, 1);
        QCOMPARE(attributes.changes(), std::uint64_t{2}); // older: ignored
        QCOMPARE(std::string(productNames().text(attributes.get(1).name)), std::string("B"));
    }

    void tableShowsTheEventsNameAndKnowsItsOwnStock() {
        ProductTable table(std::vector<ProductInfo>{{"Catalog lamp", 3, 1000, 12}});
        QCOMPARE(table.nameOf(0), std::string("Catalog lamp"));
        QVERIFY(table.stockKnown(0));
        const ProductId foreign = IdDictionary::products().catalogRange() + 9;
        QCOMPARE(table.nameOf(foreign), std::string());
        QVERIFY(!table.stockKnown(foreign));
        table.live->observe(foreign, 1, name("Shop lamp"), 3, 999);
        table.live->observe(0, 1, name("Lamp as the shop calls it"), 3, 999);
        QCOMPARE(table.nameOf(foreign), std::string("Shop lamp"));
        QCOMPARE(table.nameOf(0), std::string("Lamp as the shop calls it"));
        QVERIFY(!table.stockKnown(foreign));
    }
};

QTEST_GUILESS_MAIN(TestProductAttributes)
#include "tst_product_attributes.moc"
