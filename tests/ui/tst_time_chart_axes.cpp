// SPDX-License-Identifier: GPL-3.0-or-later
// TimeChart's value axis and antialiasing, which it now sets itself to spare the UI thread:
// the axis range is exactly what QValueAxis::applyNiceNumbers() made of 0..top×1.1 before
// (tick count carried over from one redraw to the next, as Qt does), and a line with more points
// than the plot has pixels is drawn without antialiasing, a sparse one with it.
#include "ui/time_chart.h"

#include <QChart>
#include <QFontMetricsF>
#include <QStackedWidget>
#include <QValueAxis>
#include <QtTest>

using namespace gm;

namespace {

std::vector<SeriesPoint> minutes(std::size_t count, double top) {
    std::vector<SeriesPoint> points;
    const TimestampUs start = 1'764'000'000'000'000; // a minute boundary in 2025
    for (std::size_t i = 0; i < count; ++i) {
        // A zigzag under `top`, reaching it once.
        const double value = i == count / 2 ? top : top * (0.3 + 0.2 * static_cast<double>(i % 3));
        points.push_back({start + static_cast<TimestampUs>(i) * kMicrosPerMinute, value, false});
    }
    return points;
}

QValueAxis* valueAxis(TimeChart& chart) {
    const QList<QAbstractAxis*> axes = chart.chart()->axes(Qt::Vertical);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis*>(axes.first());
}

} // namespace

class TimeChartAxesTest : public QObject {
    Q_OBJECT
private slots:
    void valueAxisIsWhatApplyNiceNumbersMade() {
        TimeChart chart(QStringLiteral("Orders"), QStringLiteral("Orders"), ValueFormat::Count,
                        QStringLiteral("empty"));
        chart.resize(900, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QValueAxis reference; // starts with Qt's default tick count, as the chart's axis does
        // Rising, falling, round and awkward tops, all below the thousands scale (2e4).
        for (const double top : {3.0, 7.5, 9.99, 10.0, 12.0, 99.0, 100.0, 101.0, 455.0, 950.0,
                                 1234.0, 19999.0, 4.0, 0.4, 0.0, 61.0}) {
            chart.setLines({{QStringLiteral("Orders"), Qt::blue, minutes(120, top)}});
            QValueAxis* axis = valueAxis(chart);
            QVERIFY(axis != nullptr);
            reference.setRange(0, top <= 0 ? 1 : top * 1.1);
            reference.applyNiceNumbers();
            const QString at = QStringLiteral("top %1").arg(top);
            QVERIFY2(axis->min() == reference.min(), qPrintable(at));
            QVERIFY2(axis->max() == reference.max(),
                     qPrintable(
                         at + QStringLiteral(": %1 vs %2").arg(axis->max()).arg(reference.max())));
            QVERIFY2(axis->tickCount() == reference.tickCount(),
                     qPrintable(at + QStringLiteral(": %1 vs %2 ticks")
                                         .arg(axis->tickCount())
                                         .arg(reference.tickCount())));
        }
    }

    // A chart whose page was hidden when its first values (thousands) arrived showed "4…"
    // instead of "4000" once the page was shown (Inventory page at 1024x700, session 7): a new
    // range alone did not make Qt Charts measure the labels again. Labels up to 4000 must get
    // more room than one-digit labels, and the same room whatever values came before.
    void widerLabelsGetTheirRoom() {
        // In a stack of pages, as in the window: the chart's page is hidden until it is chosen.
        const auto plotLeft = [](bool small_first, double top = 3500) {
            QStackedWidget pages;
            pages.resize(900, 400);
            pages.addWidget(new QWidget(&pages));
            auto* chart = new TimeChart(QStringLiteral("Units"), QStringLiteral("Units"),
                                        ValueFormat::Count, QStringLiteral("empty"), &pages);
            pages.addWidget(chart);
            pages.show();
            if (!QTest::qWaitForWindowExposed(&pages)) {
                return -1.0;
            }
            if (small_first) {
                chart->setLines({{QStringLiteral("Units"), Qt::blue, minutes(20, 3)}});
                QTest::qWait(20);
            }
            chart->setLines({{QStringLiteral("Units"), Qt::blue, minutes(20, top)}});
            QTest::qWait(20);
            pages.setCurrentWidget(chart);
            QTest::qWait(50);
            return chart->chart()->plotArea().left();
        };
        const qreal direct = plotLeft(false);
        const qreal grown = plotLeft(true);
        const qreal one_digit = plotLeft(false, 3);
        QVERIFY(one_digit > 0);
        QVERIFY2(direct > one_digit + 10,
                 qPrintable(QStringLiteral("plot area left %1 with labels up to 4000, %2 with "
                                           "one-digit labels")
                                .arg(direct)
                                .arg(one_digit)));
        QCOMPARE(grown, direct);
    }

    // At 1024x700 with the database banner showing, the Overview's revenue chart is short and
    // Qt Charts cut its value-axis title to "Revenue (…". A short chart shows the unit alone.
    void aShortChartKeepsItsValueTitleReadable() {
        TimeChart chart(QStringLiteral("Revenue per minute"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QStringLiteral("empty"));
        chart.resize(700, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, minutes(60, 700'000)}});
        QTRY_COMPARE(chart.valueAxisTitle(), QStringLiteral("Revenue ($K)"));
        const QFontMetricsF metrics(valueAxis(chart)->titleFont());
        QVERIFY(metrics.horizontalAdvance(QStringLiteral("Revenue ($K)")) <
                chart.chart()->plotArea().height());

        chart.resize(700, 150); // the plot is now lower than the full title is long
        QTRY_COMPARE(chart.valueAxisTitle(), QStringLiteral("$K"));
        QVERIFY2(
            metrics.horizontalAdvance(QStringLiteral("Revenue ($K)")) >
                chart.chart()->plotArea().height(),
            qPrintable(QStringLiteral("plot %1 high").arg(chart.chart()->plotArea().height())));
        // Millions on the short chart: the unit follows the scale.
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, minutes(60, 7'000'000)}});
        QTRY_COMPARE(chart.valueAxisTitle(), QStringLiteral("$M"));

        chart.resize(700, 400);
        QTRY_COMPARE(chart.valueAxisTitle(), QStringLiteral("Revenue ($M)"));
    }

    void denseLinesAreDrawnWithoutAntialiasing() {
        TimeChart chart(QStringLiteral("Revenue"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QStringLiteral("empty"));
        chart.resize(900, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, minutes(120, 500)}});
        QVERIFY(chart.chartView()->renderHints().testFlag(QPainter::Antialiasing));
        // A week of minutes: bucketed to about two points per pixel, more than the plot's width.
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, minutes(10'080, 500)}});
        QVERIFY(chart.drawnPointCount() > static_cast<std::size_t>(chart.width()));
        QVERIFY(!chart.chartView()->renderHints().testFlag(QPainter::Antialiasing));
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, minutes(120, 500)}});
        QVERIFY(chart.chartView()->renderHints().testFlag(QPainter::Antialiasing));
    }
};

QTEST_MAIN(TimeChartAxesTest)
#include "tst_time_chart_axes.moc"
