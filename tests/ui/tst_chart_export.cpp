// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chart_export.h"
#include "ui/time_chart.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace gm;

class ChartExportTest : public QObject {
    Q_OBJECT

    static std::vector<SeriesPoint> points() {
        const TimestampUs start = 1'764'000'000LL * kMicrosPerSecond;
        std::vector<SeriesPoint> out;
        for (int i = 0; i < 20; ++i) {
            out.push_back({start + i * kMicrosPerMinute, 1000.0 + 37.5 * i, i == 19});
        }
        return out;
    }

private slots:
    void pngHasRequestedSize() {
        TimeChart chart(QStringLiteral("Revenue per minute"), QStringLiteral("Revenue ($)"),
                        ValueFormat::Money, QStringLiteral("empty"));
        chart.resize(900, 500);
        chart.show();
        QTest::qWait(100);
        chart.setLines({{QStringLiteral("Revenue"), Qt::blue, points()}});
        QTest::qWait(100);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chart.png"));
        QVERIFY(saveChartPng(chart, path, QSize(1200, 700)));
        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1200, 700));
        // Not a blank image: the line and the axes put several colours on it.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        QVERIFY(colours.size() > 10);
    }

    void svgIsValidXmlWithSize() {
        TimeChart chart(QStringLiteral("Orders"), QStringLiteral("Orders"), ValueFormat::Count,
                        QStringLiteral("empty"));
        chart.resize(800, 400);
        chart.setLines({{QStringLiteral("Orders"), Qt::darkGreen, points()}});
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("chart.svg"));
        QVERIFY(saveChartSvg(chart, path, QSize(640, 360)));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray svg = file.readAll();
        QVERIFY(svg.size() > 1000);
        QXmlStreamReader xml(svg);
        QVERIFY(xml.readNextStartElement());
        QCOMPARE(xml.name().toString(), QStringLiteral("svg"));
        QCOMPARE(xml.attributes().value(QStringLiteral("viewBox")).toString(),
                 QStringLiteral("0 0 640 360"));
        while (!xml.atEnd()) {
            xml.readNext();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(svg.contains("Orders"));
    }

    void pdfOfAPage() {
        TimeChart chart(QStringLiteral("Orders"), QStringLiteral("Orders"), ValueFormat::Count,
                        QStringLiteral("empty"));
        chart.resize(800, 400);
        chart.setLines({{QStringLiteral("Orders"), Qt::darkGreen, points()}});
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("page.pdf"));
        QVERIFY(savePagePdf(chart, QStringLiteral("Overview"), path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
    }
};

QTEST_MAIN(ChartExportTest)
#include "tst_chart_export.moc"
