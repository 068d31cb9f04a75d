// SPDX-License-Identifier: GPL-3.0-or-later
// Trending windows against a brute-force recount of the views each window held when it closed:
// random streams with out-of-order views, late views into windows still open, jumps of event
// time and sparse product ids, for the sliding sums (a threshold, one shard) and the merge of
// every pane (threshold 1, several shards).
#include "pipeline/trending_panes.h"

#include <QTest>
#include <map>
#include <random>
#include <set>

using namespace gm;

namespace {

constexpr TimestampUs kSecond = kMicrosPerSecond;
constexpr TimestampUs kWindow = 10 * kMicrosPerMinute;
constexpr TimestampUs kSlide = kMicrosPerMinute;
constexpr TimestampUs kLateness = 90 * kSecond;

struct Cell {
    std::uint64_t views = 0;
    std::uint64_t duration_sum = 0;
    std::uint64_t viewers = 0;
    TimestampUs label_time = 0;
    CategoryId category = 0;
    Cents price = 0;
    friend bool operator==(const Cell&, const Cell&) = default;
};
using Window = std::map<ProductId, Cell>;
using Windows = std::map<std::pair<TimestampUs, TimestampUs>, Window>;

Cell cellOf(const TrendAcc& acc) {
    return {acc.views,      acc.duration_sum,   acc.viewers,
            acc.label.time, acc.label.category, acc.label.price};
}

std::string describe(const Windows& windows) {
    std::string text;
    for (const auto& [key, cells] : windows) {
        text += "[" + std::to_string(key.first / kSecond) + "," +
                std::to_string(key.second / kSecond) + ")";
        for (const auto& [product, cell] : cells) {
            text += " " + std::to_string(product) + ":" + std::to_string(cell.views) + "/" +
                    std::to_string(cell.duration_sum) + "/" + std::to_string(cell.viewers) + "/" +
                    std::to_string(cell.label_time) + "/" + std::to_string(cell.category) + "/" +
                    std::to_string(cell.price);
        }
        text += "\n";
    }
    return text;
}

// The run: the windows TrendingPanes emitted (only those with a product at or above the
// threshold) and the brute-force windows over the same ends.
struct Run {
    Windows emitted;
    Windows expected;
    std::size_t late = 0;
    std::size_t windows = 0;
};

Run run(std::uint64_t seed, std::uint64_t min_views) {
    std::mt19937_64 random(seed);
    auto uniform = [&](std::uint64_t n) { return random() % n; };
    TrendingPanes panes(kWindow, kSlide, min_views);
    std::vector<ProductViewEvent> accepted;
    Run result;
    TimestampUs newest = *parseIsoTimestamp("2026-06-01T00:00:00Z");
    TimestampUs watermark = kNoWatermark;
    std::vector<ClosedWindow<ProductId, TrendAcc>> out;

    auto closeAt = [&](TimestampUs to) {
        out.clear();
        panes.close(to, out);
        for (auto& closed : out) {
            ++result.windows;
            const std::pair key{closed.start, closed.end};
            QVERIFY2(!result.emitted.contains(key) && !result.expected.contains(key),
                     "a window closed twice");
            Window emitted;
            for (const auto& [product, acc] : closed.cells) {
                if (acc.views >= min_views) {
                    emitted[product] = cellOf(acc);
                }
            }
            if (!emitted.empty()) {
                result.emitted[key] = emitted;
            }
            // What the window held: every view accepted so far with its time inside it.
            std::map<ProductId, TrendAcc> sums;
            std::map<ProductId, std::set<UserId>> users;
            for (const ProductViewEvent& view : accepted) {
                if (view.timestamp < closed.start || view.timestamp >= closed.end) {
                    continue;
                }
                TrendAcc& acc = sums[view.product];
                ++acc.views;
                acc.duration_sum += view.view_duration;
                acc.label.keepNewer(
                    {view.timestamp, view.product_name, view.category, view.price, true});
                users[view.product].insert(view.user);
            }
            Window expected;
            for (auto& [product, acc] : sums) {
                acc.viewers = users[product].size();
                if (acc.views >= min_views) {
                    expected[product] = cellOf(acc);
                }
            }
            if (!expected.empty()) {
                result.expected[key] = expected;
            }
        }
    };

    for (int batch = 0; batch < 400; ++batch) {
        const TimestampUs before = watermark;
        const std::uint64_t events = 1 + uniform(60);
        for (std::uint64_t i = 0; i < events; ++i) {
            const std::uint64_t dice = uniform(1000);
            if (dice == 0) {
                newest += 35 * kMicrosPerMinute; // a quiet stretch: windows with no view at all
            } else if (dice == 1) {
                newest += 3 * 3600 * kSecond;
            } else {
                newest += static_cast<TimestampUs>(uniform(4)) * kSecond;
            }
            ProductViewEvent view;
            // One view in five is out of order, up to 15 minutes: some are late for every
            // window holding them, more only for the windows that have closed (the view then
            // counts in the later windows only).
            view.timestamp = uniform(5) == 0
                                 ? newest - static_cast<TimestampUs>(uniform(900)) * kSecond
                                 : newest;
            view.user = static_cast<UserId>(uniform(40));
            // A few products take most views (they trend); one id is far from the others.
            const std::uint64_t pick = uniform(10);
            view.product = pick < 6   ? static_cast<ProductId>(uniform(8))
                           : pick < 9 ? static_cast<ProductId>(8 + uniform(300))
                                      : static_cast<ProductId>(10'000'000 + uniform(3));
            view.view_duration = static_cast<std::uint32_t>(uniform(120));
            view.category = static_cast<CategoryId>(uniform(3));
            view.price = static_cast<Cents>(100 + uniform(5));
            if (panes.isLate(view.timestamp, before)) {
                ++result.late;
                continue;
            }
            panes.add(view);
            accepted.push_back(view);
        }
        watermark = watermarkFrom(newest, kLateness);
        closeAt(watermark);
    }
    closeAt(kFlushWatermark);
    return result;
}

} // namespace

class TrendingPanesTest : public QObject {
    Q_OBJECT

private slots:
    void equalsBruteForce_data() {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<quint64>("min_views");
        for (const quint64 seed : {1, 2, 3, 4, 5}) {
            const std::string name = "seed " + std::to_string(seed);
            QTest::newRow((name + ", sliding sums (threshold 5)").c_str()) << seed << quint64{5};
            QTest::newRow((name + ", every pane merged (threshold 1)").c_str())
                << seed << quint64{1};
        }
    }

    void equalsBruteForce() {
        QFETCH(quint64, seed);
        QFETCH(quint64, min_views);
        const Run result = run(seed, min_views);
        // The stream must exercise what it is meant to: late views, windows, trending products.
        QVERIFY(result.late > 0);
        QVERIFY(result.windows > 100);
        QVERIFY(result.expected.size() > 50);
        if (result.emitted != result.expected) {
            QFAIL(("emitted:\n" + describe(result.emitted) + "expected:\n" +
                   describe(result.expected))
                      .c_str());
        }
    }

    // The sliding sums and the full merge give the same trending products.
    void slidingSumsEqualFullMerge() {
        Run merged = run(11, 1);
        for (auto& [key, cells] : merged.emitted) {
            std::erase_if(cells, [](const auto& cell) { return cell.second.views < 5; });
        }
        std::erase_if(merged.emitted, [](const auto& window) { return window.second.empty(); });
        const Run sliding = run(11, 5);
        QVERIFY(!sliding.emitted.empty());
        QCOMPARE(sliding.emitted.size(), merged.emitted.size());
        QVERIFY(sliding.emitted == merged.emitted);
    }
};

QTEST_GUILESS_MAIN(TrendingPanesTest)
#include "tst_trending_panes.moc"
