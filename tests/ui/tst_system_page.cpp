// SPDX-License-Identifier: GPL-3.0-or-later
// The System page lists a Kafka consumer's partitions, most behind first, and hides the list when
// events do not come from Kafka.
#include "ui/system_page.h"

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
};

QTEST_MAIN(TestSystemPage)
#include "tst_system_page.moc"
