// SPDX-License-Identifier: GPL-3.0-or-later
// The latest event time the decoder accepts (kMaxEventTime, generator/timestamp.h) must leave
// room for every window, session and timeout it opens: an hour of the shop simulated up to that
// time goes through all five jobs, and every timestamp in every table renders with year 9999
// and reads back. With the old limit (the last microsecond of 9999) windows ended in year 10000
// and were written as year 0000.
#include "generator/catalog.h"
#include "generator/simulator.h"
#include "pipeline/memory_sink.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/product_table.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"

#include <QRegularExpression>
#include <QTest>

using namespace gm;

class TestEventTimeLimits : public QObject {
    Q_OBJECT

private slots:
    // Every window and timeout of the default configuration, with its lateness, fits in the
    // headroom kept after the last accepted event time.
    void defaultWindowsFitTheHeadroom() {
        const PipelineConfig config;
        TimestampUs lateness = 0;
        for (const TimestampUs job_lateness : config.lateness) {
            lateness = std::max(lateness, job_lateness);
        }
        for (const TimestampUs length :
             {config.sales_window, config.cart_metrics_window, config.cart_session_window,
              config.abandonment_timeout, config.trending_window, config.category_window,
              config.search_window, config.browsing_window, config.suspicious_window,
              config.anomaly_stats_window, config.velocity_window, config.high_demand_window,
              config.inventory_metrics_window, config.alert_dedup_window}) {
            QVERIFY(length + lateness < kEventTimeHeadroom);
        }
    }

    void rowsAtTheLastAcceptedTimeRender() {
        const Catalog catalog(CatalogConfig{.users = 2'000, .products = 300, .seed = 3});
        // An hour of events at 20 a simulated second, ending just before kMaxEventTime.
        const TimestampUs start = kMaxEventTime - kMicrosPerHour;
        ShopSimulator simulator(catalog, SimulatorConfig{.seed = 5}, start);
        simulator.setShopRate(20);
        EventBatch batch;
        simulator.generate(70'000, batch);
        QVERIFY(simulator.now() <= kMaxEventTime);
        QVERIFY(simulator.now() > kMaxEventTime - 10 * kMicrosPerMinute);

        PipelineConfig config;
        config.workers = 1;
        MemorySink sink;
        StreamEngine engine(
            config, std::make_shared<const ProductTable>(productTableFrom(catalog)),
            [&] { return simulator.now(); }, sink);
        engine.process(std::move(batch));
        engine.flush();

        const RowBatch rows = sink.rows();
        const QRegularExpression timestamp("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$");
        int checked = 0;
        for (int table = 0; table < kTableCount; ++table) {
            const auto id = static_cast<TableId>(table);
            const auto& names = columns(id);
            for (const auto& fields : tableText(rows, id)) {
                for (std::size_t i = 0; i < fields.size(); ++i) {
                    const QString text = QString::fromStdString(fields[i]);
                    if (!timestamp.match(text).hasMatch() || isProcessingTimeColumn(names[i])) {
                        continue;
                    }
                    QVERIFY2(text.startsWith("9999-1"),
                             qPrintable(QString::fromUtf8(tableName(id)) + "." +
                                        QString::fromStdString(names[i]) + " = " + text));
                    QVERIFY(parseIsoTimestamp(fields[i]).has_value());
                    ++checked;
                }
            }
        }
        // Windows, sessions, abandoned carts and anomalies all produced rows.
        QVERIFY2(checked > 1000, qPrintable(QString::number(checked)));
        QVERIFY(!rows.sales_per_minute.empty());
        QVERIFY(!rows.abandoned_carts.empty());
    }
};

QTEST_GUILESS_MAIN(TestEventTimeLimits)
#include "tst_event_time_limits.moc"
