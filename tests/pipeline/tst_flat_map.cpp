// SPDX-License-Identifier: GPL-3.0-or-later
// FlatMap against std::map while it grows incrementally (issue 19): every key inserted so far is
// found with its value after every insert of a growth, none is inserted twice, iteration and
// entries() keep insertion order, also when entries() or reserve() cut a growth short.
#include "pipeline/flat_map.h"

#include <QTest>
#include <map>
#include <random>
#include <utility>
#include <vector>

using namespace gm;

namespace {

// Weak hashes make long probe runs, which an incremental rehash must not break.
struct ClusteringHash {
    std::size_t operator()(std::uint64_t key) const { return key / 8; }
};

struct Cell {
    std::uint64_t sum = 0;
    std::vector<std::uint64_t> history; // not trivially copyable: moves must keep it
};

using Map = FlatMap<std::uint64_t, Cell, ClusteringHash>;

struct Expected {
    std::map<std::uint64_t, std::uint64_t> sums;
    std::vector<std::uint64_t> order;
};

// Each key of `expected` is found in `map` with its sum; a key never inserted is not.
void checkAllFound(Map& map, const Expected& expected) {
    QCOMPARE(map.size(), expected.sums.size());
    for (const auto& [key, sum] : expected.sums) {
        const Cell* cell = map.find(key);
        QVERIFY2(cell != nullptr, qPrintable(QString("key %1 lost").arg(key)));
        QCOMPARE(cell->sum, sum);
        QCOMPARE(cell->history.size(), std::size_t{1});
        QCOMPARE(cell->history.front(), key);
    }
    QVERIFY(map.find(~std::uint64_t{0}) == nullptr);
}

void checkOrder(const Map& map, const Expected& expected) {
    std::vector<std::uint64_t> keys;
    for (const auto& [key, cell] : map) {
        keys.push_back(key);
    }
    QCOMPARE(keys, expected.order);
}

void insert(Map& map, Expected& expected, std::uint64_t key, std::uint64_t add) {
    Cell& cell = map[key];
    if (cell.history.empty()) {
        cell.history.push_back(key);
        expected.order.push_back(key);
    }
    cell.sum += add;
    expected.sums[key] += add;
}

} // namespace

class FlatMapTest : public QObject {
    Q_OBJECT

private slots:
    void findsEveryKeyWhileGrowing_data() {
        QTest::addColumn<int>("reserved");
        QTest::newRow("from empty") << 0;
        QTest::newRow("reserved 10000") << 10000;
    }

    void findsEveryKeyWhileGrowing() {
        QFETCH(int, reserved);
        std::mt19937_64 random(7);
        Map map;
        map.reserve(static_cast<std::size_t>(reserved));
        Expected expected;
        int inserts_while_growing = 0;
        int growths = 0;
        bool was_growing = false;
        for (int i = 0; i < 60000; ++i) {
            // Repeats (a third of the inserts) while growing reach keys still in the old table.
            const std::uint64_t key = i % 3 == 2 && !expected.order.empty()
                                          ? expected.order[random() % expected.order.size()]
                                          : random() % 1'000'000'000;
            insert(map, expected, key, static_cast<std::uint64_t>(i) + 1);
            if (map.growing()) {
                ++inserts_while_growing;
                // Every key, at a few points of each growth (all of them would be quadratic).
                if (inserts_while_growing % 701 == 1) {
                    checkAllFound(map, expected);
                    checkOrder(map, expected);
                }
            }
            if (was_growing && !map.growing()) {
                ++growths;
                checkAllFound(map, expected);
            }
            was_growing = map.growing();
        }
        QVERIFY2(growths >= 2, "the test must see incremental growths end");
        QVERIFY(inserts_while_growing > 1000);
        checkAllFound(map, expected);
        checkOrder(map, expected);
    }

    // entries() in the middle of a growth: one array in insertion order, and the map goes on.
    void entriesCutsAGrowthShort() {
        std::mt19937_64 random(11);
        Map map;
        Expected expected;
        int cut = 0;
        for (int i = 0; i < 40000; ++i) {
            insert(map, expected, random() % 1'000'000'000, 1);
            if (map.growing() && random() % 500 == 0) {
                std::vector<std::uint64_t> keys;
                for (const auto& [key, cell] : map.entries()) {
                    keys.push_back(key);
                }
                QCOMPARE(keys, expected.order);
                QVERIFY(!map.growing());
                ++cut;
            }
        }
        QVERIFY(cut > 0);
        checkAllFound(map, expected);
        map.reserve(200000); // while not growing; then a growth cut by reserve()
        for (int i = 0; i < 200000 && !map.growing(); ++i) {
            insert(map, expected, random() % 1'000'000'000, 1);
        }
        QVERIFY(map.growing());
        map.reserve(10);
        QVERIFY(!map.growing());
        checkAllFound(map, expected);
        checkOrder(map, expected);
    }
};

QTEST_GUILESS_MAIN(FlatMapTest)
#include "tst_flat_map.moc"
