// SPDX-License-Identifier: GPL-3.0-or-later
// The System page lists a Kafka consumer's partitions, most behind first, and hides the list when
// events do not come from Kafka; new figures repaint its blocks without laying the page out again.
// A shop thinned to what the machine delivers is said as such, beside the rate asked.
#include "models/human_format.h"
#include "ui/rich_text_block.h"
#include "ui/system_page.h"
#include "widget_event_counter.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QGroupBox>
#include <QTableWidget>
#include <QTest>

using namespace gm;

namespace {

PartitionLag partition(const char* topic, std::int32_t number, std::int64_t position,
                       std::int64_t high_watermark, std::int64_t committed) {
    PartitionLag lag;
    lag.topic = topic;
    lag.partition = number;
    lag.position = position;
    lag.high_watermark = high_watermark;
    lag.lag = high_watermark - position;
    lag.committed = committed;
    return lag;
}

QString cell(const QTableWidget& table, int row, int column) {
    const QTableWidgetItem* item = table.item(row, column);
    return item != nullptr ? item->text() : QString();
}

PageContext runningContext(const SnapshotHistory& history, double events_per_second) {
    return PageContext{history,
                       nullptr,
                       std::nullopt,
                       nullptr,
                       RunState::Running,
                       PipelineConfig{},
                       RunOptions{},
                       {3, 64},
                       events_per_second,
                       events_per_second,
                       events_per_second / 2,
                       true,
                       DesktopSession::Services{}};
}

QList<QRect> blockGeometries(const SystemPage& page) {
    QList<QRect> geometries;
    for (const RichTextBlock* block : page.figureBlocks()) {
        geometries << block->geometry();
    }
    return geometries;
}

} // namespace

class TestSystemPage : public QObject {
    Q_OBJECT

private slots:
    void listsPartitionsMostBehindFirst() {
        SystemPage page;
        page.resize(1200, 900);
        page.show();
        const SnapshotHistory history;
        DesktopSession::Services services;
        services.kafka_in = KafkaSourceStatus{};
        services.kafka_lag = {partition("transactions", 0, 100, 100, 90),
                              partition("cart-events", 3, 1'000, 13'500, -1),
                              partition("product-views", 1, 10, 2'010, 5)};
        PageContext context{history,
                            nullptr,
                            std::nullopt,
                            nullptr,
                            RunState::Running,
                            PipelineConfig{},
                            RunOptions{},
                            {0, 0},
                            0,
                            0,
                            0,
                            true,
                            services};
        page.showData(context);

        const QTableWidget& table = page.partitionTable();
        QVERIFY(table.isVisibleTo(&page));
        QCOMPARE(table.rowCount(), 3);
        QCOMPARE(cell(table, 0, 0), QStringLiteral("cart-events"));
        QCOMPARE(cell(table, 0, 1), QStringLiteral("3"));
        QCOMPARE(cell(table, 0, 2), QStringLiteral("1,000"));
        QCOMPARE(cell(table, 0, 3), QStringLiteral("13,500"));
        QCOMPARE(cell(table, 0, 4), QStringLiteral("12,500"));
        QCOMPARE(cell(table, 0, 5), QStringLiteral("—")); // nothing committed yet
        QCOMPARE(cell(table, 1, 0), QStringLiteral("product-views"));
        QCOMPARE(cell(table, 2, 0), QStringLiteral("transactions"));
        QCOMPARE(cell(table, 2, 4), QStringLiteral("0"));
        QCOMPARE(cell(table, 2, 5), QStringLiteral("90"));

        // The next run reads from the generator: no partitions, no list.
        context.services = {};
        page.showData(context);
        QCOMPARE(table.rowCount(), 0);
        QVERIFY(!table.isVisibleTo(&page));
    }

    void aThinnedShopShowsWhatIsSimulatedOfTheRateAsked() {
        SystemPage page;
        const SnapshotHistory history;
        PageContext context = runningContext(history, 400'000);
        GeneratorStatus status;
        status.rate = 10'000'000;
        status.simulated_rate = 10'000'000;
        status.acceleration = 60;
        context.generator = status;
        page.showData(context);
        QVERIFY2(page.generatorText().contains(QStringLiteral("as asked")),
                 qPrintable(page.generatorText()));
        QVERIFY(!page.generatorText().contains(QStringLiteral("limit")));

        status.thinned = true;
        status.simulated_rate = 450'000;
        status.behind_seconds = 0.8;
        status.missed_events = 1e9; // still counted; the shop is thinned, not failing
        context.generator = status;
        context.pace = GeneratorPace::Verdict::FallingBehind;
        page.showData(context);
        const QString text = page.generatorText();
        QVERIFY2(text.contains(rateText(450'000).toHtmlEscaped()) &&
                     text.contains(rateText(10'000'000).toHtmlEscaped()) &&
                     text.contains(QStringLiteral("this machine's limit")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("catching up")), qPrintable(text));
        QVERIFY(!text.contains(QStringLiteral("cannot keep up")));

        // Still thinned while event time catches up, but simulating the whole rate asked: no
        // limit to report.
        status.simulated_rate = status.rate;
        context.generator = status;
        page.showData(context);
        const QString catching_up = page.generatorText();
        QVERIFY2(catching_up.contains(QStringLiteral("as asked")) &&
                     !catching_up.contains(QStringLiteral("limit")),
                 qPrintable(catching_up));
        QVERIFY2(catching_up.contains(QStringLiteral("catching up")), qPrintable(catching_up));
    }

    void newFiguresDoNotLayThePageOutAgain() {
        SystemPage page;
        page.resize(1024, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const SnapshotHistory history;
        page.showData(runningContext(history, 199'123));
        QTest::qWait(100); // the first layout, at the first figures, to its end
        const QList<QRect> laid_out = blockGeometries(page);
        const QString first = page.pipelineText();
        QVERIFY(first.contains(QStringLiteral("199,123")));

        // Later figures of the same run: other numbers, the same lines.
        WidgetEventCounter requests(page, QEvent::LayoutRequest);
        for (const double rate : {201'456.0, 198'002.0, 200'777.0}) {
            page.showData(runningContext(history, rate));
            QCoreApplication::processEvents();
        }
        QVERIFY(page.pipelineText().contains(QStringLiteral("200,777")));
        QVERIFY(page.generatorText() != QString() && page.storageText() != QString());
        QCOMPARE(requests.count, 0);
        QCOMPARE(blockGeometries(page), laid_out);

        // A block that gains lines (Kafka as source and target instead of the one line saying
        // it is not in use) does ask for room, and gets it.
        const RichTextBlock* storage = page.figureBlocks()[2];
        const int width = storage->width();
        const int text_height = storage->heightForWidth(width);
        PageContext publishing = runningContext(history, 200'000);
        publishing.services.kafka_in = KafkaSourceStatus{};
        publishing.services.kafka_out = DeliveryStatus{};
        publishing.services.kafka_brokers = "broker-one:9092,broker-two:9092";
        page.showData(publishing);
        QTest::qWait(50);
        QVERIFY(requests.count > 0);
        QVERIFY(page.storageText().contains(QStringLiteral("Kafka publishing")));
        const int longer_text_height = storage->heightForWidth(width);
        QVERIFY2(longer_text_height > text_height,
                 qPrintable(QStringLiteral("%1 -> %2").arg(text_height).arg(longer_text_height)));
        QVERIFY(storage->height() >= storage->heightForWidth(storage->width()));
    }

    void figuresCopyFromTheContextMenu() {
        SystemPage page;
        page.resize(1024, 600);
        const SnapshotHistory history;
        page.showData(runningContext(history, 199'123));
        const RichTextBlock* pipeline = page.figureBlocks()[0];
        QCOMPARE(pipeline->contextMenuPolicy(), Qt::ActionsContextMenu);
        QVERIFY(pipeline->actions().contains(pipeline->copyAction()));
        QApplication::clipboard()->clear();
        pipeline->copyAction()->trigger();
        const QString copied = QApplication::clipboard()->text();
        QVERIFY2(copied.contains(QStringLiteral("Events processed / s")), qPrintable(copied));
        QVERIFY(copied.contains(QStringLiteral("199,123")));
        QVERIFY(!copied.contains(QLatin1Char('<'))); // plain text, not the HTML
    }
};

QTEST_MAIN(TestSystemPage)
#include "tst_system_page.moc"
