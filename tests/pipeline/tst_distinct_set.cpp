// SPDX-License-Identifier: GPL-3.0-or-later
// DistinctSet against std::set: inserts with repeats, merges, copies and moves, across the move
// from the inline ids to the heap and back (a moved-from set is empty and usable).
#include "pipeline/distinct_set.h"

#include <QTest>
#include <random>
#include <set>

using namespace gm;

namespace {

std::vector<std::uint32_t> sorted(const std::set<std::uint32_t>& ids) {
    return {ids.begin(), ids.end()};
}

std::vector<std::uint32_t> itemsOf(DistinctSet& set) {
    const auto items = set.items();
    return {items.begin(), items.end()};
}

} // namespace

class DistinctSetTest : public QObject {
    Q_OBJECT

private slots:
    void equalsStdSet_data() {
        QTest::addColumn<int>("distinct");
        for (const int distinct : {1, 3, 5, 6, 17, 300}) {
            QTest::newRow(std::to_string(distinct).c_str()) << distinct;
        }
    }

    void equalsStdSet() {
        QFETCH(int, distinct);
        std::mt19937 random(static_cast<unsigned>(distinct));
        for (int round = 0; round < 50; ++round) {
            DistinctSet set;
            std::set<std::uint32_t> expected;
            const int inserts = static_cast<int>(random() % 200);
            for (int i = 0; i < inserts; ++i) {
                const auto id =
                    static_cast<std::uint32_t>(random() % static_cast<unsigned>(distinct));
                set.insert(id);
                expected.insert(id);
                if (random() % 17 == 0) {
                    QCOMPARE(set.count(), expected.size()); // compaction in the middle
                }
            }
            DistinctSet copy = set;
            DistinctSet other;
            std::set<std::uint32_t> other_expected;
            for (int i = 0; i < static_cast<int>(random() % 40); ++i) {
                const auto id = static_cast<std::uint32_t>(random() % 1000);
                other.insert(id);
                other_expected.insert(id);
            }
            copy.merge(other);
            std::set<std::uint32_t> merged = expected;
            merged.insert(other_expected.begin(), other_expected.end());
            QCOMPARE(itemsOf(set), sorted(expected));
            QCOMPARE(itemsOf(copy), sorted(merged));
            QCOMPARE(itemsOf(other), sorted(other_expected));

            DistinctSet moved = std::move(copy);
            QCOMPARE(itemsOf(moved), sorted(merged));
            QCOMPARE(copy.count(), std::size_t{0}); // NOLINT(bugprone-use-after-move): defined
            copy.insert(7);
            QCOMPARE(itemsOf(copy), std::vector<std::uint32_t>{7});
            copy = moved;
            QCOMPARE(itemsOf(copy), sorted(merged));
            other = std::move(moved);
            QCOMPARE(itemsOf(other), sorted(merged));
        }
    }
};

QTEST_GUILESS_MAIN(DistinctSetTest)
#include "tst_distinct_set.moc"
