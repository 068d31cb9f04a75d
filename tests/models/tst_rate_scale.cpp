// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/rate_scale.h"

#include <QtTest>
#include <cmath>

using namespace gm;

class RateScaleTest : public QObject {
    Q_OBJECT
private slots:
    void endsAreOneAndTenMillion() {
        QCOMPARE(rateFromSlider(0), 1.0);
        QCOMPARE(rateFromSlider(kRateSliderSteps), 10'000'000.0);
        QCOMPARE(sliderFromRate(1.0), 0);
        QCOMPARE(sliderFromRate(10'000'000.0), kRateSliderSteps);
    }

    void decadesAreEvenlySpaced_data() {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("position");
        for (int decade = 0; decade <= 7; ++decade) {
            QTest::addRow("1e%d", decade)
                << std::pow(10.0, decade) << decade * kRateSliderSteps / 7;
        }
    }
    void decadesAreEvenlySpaced() {
        QFETCH(double, rate);
        QFETCH(int, position);
        QCOMPARE(sliderFromRate(rate), position);
        QCOMPARE(rateFromSlider(position), rate);
    }

    void roundTripsBothWays() {
        for (int position = 0; position <= kRateSliderSteps; ++position) {
            const double rate = rateFromSlider(position);
            // The number shown maps back to a slider position showing the same number.
            QCOMPARE(rateFromSlider(sliderFromRate(rate)), rate);
            if (position < 2 * kRateSliderSteps / 7) {
                continue; // below 100 events/s whole numbers: several steps share one
            }
            // Rounding to three significant digits may move at most one step.
            QVERIFY2(std::abs(sliderFromRate(rate) - position) <= 1,
                     qPrintable(QStringLiteral("position %1 rate %2").arg(position).arg(rate)));
        }
        for (const double rate : {3.0, 42.0, 1234.0, 65'000.0, 1'000'000.0, 2'500'000.0}) {
            const double back = rateFromSlider(sliderFromRate(rate));
            QVERIFY2(std::abs(back - rate) / rate < 0.012, qPrintable(QString::number(back)));
        }
    }

    void monotonicAndClamped() {
        double previous = 0;
        for (int position = 0; position <= kRateSliderSteps; ++position) {
            const double rate = rateFromSlider(position);
            QVERIFY(rate >= previous);
            previous = rate;
        }
        QCOMPARE(rateFromSlider(-5), 1.0);
        QCOMPARE(sliderFromRate(0.1), 0);
        QCOMPARE(sliderFromRate(1e9), kRateSliderSteps);
    }
};

QTEST_APPLESS_MAIN(RateScaleTest)
#include "tst_rate_scale.moc"
