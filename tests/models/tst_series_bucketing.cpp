// SPDX-License-Identifier: GPL-3.0-or-later
// Bucketing a series to the screen: at most two points per pixel, and the lowest and highest
// point of every pixel's span kept, so a one-minute burst survives a week-long view.
#include "models/series_bucketing.h"

#include <QTest>
#include <algorithm>
#include <random>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T00:00:00Z");
constexpr int kWeekOfMinutes = 7 * 24 * 60;

std::vector<SeriesPoint> week(unsigned seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> noise(100, 200);
    std::vector<SeriesPoint> points;
    for (int minute = 0; minute < kWeekOfMinutes; ++minute) {
        points.push_back({kStart + minute * kMicrosPerMinute, noise(random), false});
    }
    return points;
}

bool sortedByTime(const std::vector<SeriesPoint>& points) {
    return std::is_sorted(points.begin(), points.end(),
                          [](const SeriesPoint& a, const SeriesPoint& b) {
                              return a.window_start < b.window_start;
                          }) &&
           std::adjacent_find(points.begin(), points.end(),
                              [](const SeriesPoint& a, const SeriesPoint& b) {
                                  return a.window_start == b.window_start;
                              }) == points.end();
}

} // namespace

class TestSeriesBucketing : public QObject {
    Q_OBJECT
private slots:
    void weekFitsTwoPointsPerPixel() {
        const auto points = week(1);
        const TimestampUs end = kStart + kWeekOfMinutes * kMicrosPerMinute;
        for (const int pixels : {100, 517, 900}) {
            const auto drawn = bucketToPixels(points, kStart, end, pixels);
            QVERIFY2(drawn.size() <= 2 * static_cast<std::size_t>(pixels),
                     qPrintable(QString::number(drawn.size())));
            QVERIFY(drawn.size() >= static_cast<std::size_t>(pixels)); // every pixel has data
            QVERIFY(sortedByTime(drawn));
        }
    }

    void everyBucketKeepsItsMinimumAndMaximum() {
        auto points = week(2);
        // A burst and a dip of one minute each, as in issue 14's $157M minute.
        points[5000].value = 157e6;
        points[7000].value = 0;
        const TimestampUs end = kStart + kWeekOfMinutes * kMicrosPerMinute;
        const int pixels = 300;
        const auto drawn = bucketToPixels(points, kStart, end, pixels);
        const auto has = [&](const SeriesPoint& wanted) {
            return std::any_of(drawn.begin(), drawn.end(), [&](const SeriesPoint& point) {
                return point.window_start == wanted.window_start && point.value == wanted.value;
            });
        };
        QVERIFY(has(points[5000]));
        QVERIFY(has(points[7000]));
        // Bucket by bucket: its lowest and highest point are among the drawn ones.
        const double bucket_us = static_cast<double>(end - kStart) / pixels;
        for (int bucket = 0; bucket < pixels; ++bucket) {
            const auto from = kStart + static_cast<TimestampUs>(bucket * bucket_us);
            const auto to = kStart + static_cast<TimestampUs>((bucket + 1) * bucket_us);
            const SeriesPoint* low = nullptr;
            const SeriesPoint* high = nullptr;
            for (const SeriesPoint& point : points) {
                if (point.window_start < from || point.window_start >= to) {
                    continue;
                }
                if (low == nullptr || point.value < low->value) {
                    low = &point;
                }
                if (high == nullptr || point.value > high->value) {
                    high = &point;
                }
            }
            QVERIFY(low != nullptr && high != nullptr);
            QVERIFY2(has(*low),
                     qPrintable(QStringLiteral("bucket %1 lost its minimum").arg(bucket)));
            QVERIFY2(has(*high),
                     qPrintable(QStringLiteral("bucket %1 lost its maximum").arg(bucket)));
        }
    }

    void aSeriesThatFitsIsKeptWhole() {
        auto points = week(3);
        points.resize(60);
        const auto drawn = bucketToPixels(points, kStart, kStart + 60 * kMicrosPerMinute, 800);
        QCOMPARE(drawn.size(), points.size());
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            QCOMPARE(drawn[i].window_start, points[i].window_start);
            QCOMPARE(drawn[i].value, points[i].value);
        }
    }

    void clipsToTheSpanKeepingOneNeighbourEachSide() {
        const auto points = week(4);
        const TimestampUs from = kStart + 1000 * kMicrosPerMinute;
        const TimestampUs to = kStart + 1100 * kMicrosPerMinute;
        const auto drawn = bucketToPixels(points, from, to, 500);
        QCOMPARE(drawn.size(), std::size_t{102});
        QCOMPARE(drawn.front().window_start, from - kMicrosPerMinute);
        QCOMPARE(drawn.back().window_start, to);
        // Zoomed into a small span of a bucketed week: every minute there is drawn exactly.
        const auto zoomed = bucketToPixels(points, from, to, 50);
        QVERIFY(zoomed.size() <= 2 * 50 + 2);
        QVERIFY(sortedByTime(zoomed));
    }

    void partialPointsAreAlwaysKept() {
        auto points = week(5);
        points.back().partial = true;
        const TimestampUs end = kStart + kWeekOfMinutes * kMicrosPerMinute;
        const auto drawn = bucketToPixels(points, kStart, end, 200);
        QVERIFY(drawn.back().partial);
        QCOMPARE(drawn.back().window_start, points.back().window_start);
        QCOMPARE(drawn.back().value, points.back().value);
    }

    void emptyAndDegenerateInputs() {
        QVERIFY(bucketToPixels({}, kStart, kStart + kMicrosPerMinute, 100).empty());
        const auto points = week(6);
        // No width (a hidden chart): nothing is reduced, nothing crashes.
        QCOMPARE(bucketToPixels(points, kStart, kStart + kMicrosPerMinute, 0).size(),
                 std::size_t{2}); // the minute and the one after it
        QCOMPARE(bucketToPixels(points, kStart, kStart, 100).size(), std::size_t{1});
    }
};

QTEST_GUILESS_MAIN(TestSeriesBucketing)
#include "tst_series_bucketing.moc"
