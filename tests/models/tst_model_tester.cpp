// SPDX-License-Identifier: GPL-3.0-or-later
// QAbstractItemModelTester (Fatal) on every custom item model: RowTableModel and the
// RowFilterProxy over it, fed the snapshots of a real run (generator and pipeline, in memory)
// through SnapshotHistory, with repeated updates, switches between tables of different shapes
// (resets), sorting on every column in both orders, and every filter.
#include "models/row_filter_proxy.h"
#include "models/row_table_model.h"
#include "models/snapshot_history.h"
#include "models/snapshot_tables.h"
#include "pipeline/runtime/runtime.h"

#include <QAbstractItemModelTester>
#include <QtTest>
#include <functional>

using namespace gm;

namespace {

RuntimeOptions busyRun() {
    RuntimeOptions options;
    options.persist = false;
    options.catalog.users = 2'000;
    options.catalog.products = 150;
    options.generator.rate = 40'000;
    options.generator.acceleration = 600; // ten simulated minutes a second: windows close
    options.simulator.anomaly_rate = 0.2;
    options.start_time = 1'795'591'230'000'000; // 2026-11-25T07:20:30Z
    options.catalog.reference_time = options.start_time;
    options.pipeline.workers = 1;
    return options;
}

} // namespace

class ModelTesterTest : public QObject {
    Q_OBJECT
private slots:
    void modelsPassTheTesterOnLiveSnapshots() {
        Runtime runtime(busyRun());
        const std::optional<std::string> error = runtime.prepare();
        QVERIFY2(!error, error.value_or("").c_str());
        const std::shared_ptr<const ProductTable> products =
            std::make_shared<const ProductTable>(productTableFrom(runtime.catalog()));
        runtime.start();

        RowTableModel model;
        RowFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester model_tester(
            &model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester proxy_tester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

        SnapshotHistory history;
        history.setRecentRowsPerTable(runtime.pipeline().config().recent_rows_per_table);
        const std::vector<std::function<TableData()>> tables{
            [&] { return highValueTable(history.high_value.rows()); },
            [&] { return highQuantityTable(history.high_quantity.rows(), products.get()); },
            [&] { return alertsTable(history.alerts.rows(), history.acknowledged()); },
            [&] { return abandonedCartsTable(history.abandoned_carts.rows()); },
            [&] { return stockLevelsTable(history.stock_levels.rows(), products.get()); },
            [&] { return suspiciousTable(history.suspicious.rows()); },
        };
        const QStringList severities{QString(), "critical", "high", "medium"};
        const QStringList countries{QString(), "USA", "UK", "Germany"};

        std::uint64_t last = 0;
        int updates = 0;
        std::size_t max_rows = 0;
        QElapsedTimer clock;
        clock.start();
        while ((updates < 40 || max_rows < 50) && clock.elapsed() < 60'000) {
            const SnapshotPtr snapshot = runtime.pipeline().snapshot();
            if (!snapshot || snapshot->number == last) {
                QTest::qWait(20);
                continue;
            }
            last = snapshot->number;
            history.absorb(snapshot);
            // Several updates of one table, then the next one (a reset with other columns).
            model.setTable(tables[static_cast<std::size_t>(updates / 3) % tables.size()]());
            max_rows = std::max(max_rows, static_cast<std::size_t>(model.rowCount()));
            const int columns = model.columnCount();
            if (columns > 0) {
                proxy.sort(updates % columns,
                           updates % 2 == 0 ? Qt::AscendingOrder : Qt::DescendingOrder);
            }
            proxy.setSeverity(severities[updates % severities.size()]);
            proxy.setCountry(countries[(updates / 2) % countries.size()]);
            proxy.setSearchText(updates % 5 == 0 ? QStringLiteral("PROD") : QString());
            proxy.setTimeRange(0, 0);
            if (updates % 4 == 1 && model.rowCount() > 0) {
                const int time = model.table().columnFor(FilterRole::Time);
                if (time >= 0) {
                    const TimestampUs at =
                        model.index(0, time).data(RowTableModel::SortRole).toLongLong();
                    proxy.setTimeRange(at - kMicrosPerMinute, at + kMicrosPerMinute);
                }
            }
            ++updates;
        }
        runtime.stop();
        QVERIFY2(updates >= 40, qPrintable(QStringLiteral("%1 snapshots").arg(updates)));
        QVERIFY2(max_rows >= 50, qPrintable(QStringLiteral("%1 rows at most").arg(max_rows)));

        // The final snapshot and an empty table (a new run) once more.
        history.absorb(runtime.pipeline().snapshot());
        model.setTable(tables.front()());
        proxy.sort(0, Qt::DescendingOrder);
        model.setTable(TableData{});
        QCOMPARE(proxy.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(ModelTesterTest)
#include "tst_model_tester.moc"
