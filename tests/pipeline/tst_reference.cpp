// SPDX-License-Identifier: GPL-3.0-or-later
// The pipeline against a brute-force recomputation of every table, on a long generated run, for
// 1, 2 and 4 workers: the rows must be identical.
#include "generator/simulator.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "reference_model.h"
#include "table_compare.h"

#include <QTest>

using namespace gm;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kEvents = 150'000;
#else
constexpr std::size_t kEvents = 1'000'000;
#endif

const TimestampUs kStart = *parseIsoTimestamp("2026-03-01T00:00:00Z");

} // namespace

class ReferenceTest : public QObject {
    Q_OBJECT

private:
    CatalogConfig catalog_config_;
    std::unique_ptr<Catalog> catalog_;
    std::shared_ptr<const ProductTable> products_;
    std::vector<EventBatch> batches_;
    PipelineConfig config_;
    RowBatch reference_;

    RowBatch runPipeline(int workers, PipelineFigures& figures) {
        PipelineConfig config = config_;
        config.workers = workers;
        MemorySink sink;
        StreamEngine engine(
            config, products_, [] { return kStart; }, sink);
        for (const EventBatch& batch : batches_) {
            engine.process(batch);
        }
        engine.flush();
        figures = engine.counters().figures();
        return sink.take();
    }

private slots:
    void initTestCase() {
        catalog_config_.users = 3'000;
        catalog_config_.products = 400;
        catalog_config_.seed = 7;
        catalog_config_.reference_time = kStart;
        catalog_ = std::make_unique<Catalog>(catalog_config_);
        products_ = std::make_shared<const ProductTable>(productTableFrom(*catalog_));
        SimulatorConfig sim;
        sim.seed = 7;
        sim.anomaly_rate = 0.05;
        ShopSimulator simulator(*catalog_, sim, kStart);
        // ~20 events per simulated second: a million events span about 14 simulated hours,
        // so hundreds of windows of every length close.
        simulator.setShopRate(20);
        for (std::size_t done = 0; done < kEvents;) {
            const std::size_t count = std::min<std::size_t>(4096, kEvents - done);
            EventBatch batch;
            batch.first_sequence = done;
            simulator.generate(count, batch);
            batches_.push_back(std::move(batch));
            done += count;
        }
        config_.workers = 1;
        reference_ = test::referenceRows(batches_, *products_, config_);
    }

    void equalsReference_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("2 workers") << 2;
        QTest::newRow("4 workers") << 4;
    }

    void equalsReference() {
        QFETCH(int, workers);
        PipelineFigures figures;
        const RowBatch rows = runPipeline(workers, figures);
        std::string failures;
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            const auto expected = test::canonicalLines(reference_, table, true);
            const auto actual = test::canonicalLines(rows, table, true);
            if (expected.empty() && table != TableId::LowStockAlerts) {
                failures += std::string(tableName(table)) + ": the reference has no rows (the "
                                                            "run does not exercise it)\n";
            }
            const std::string diff = test::diffLines(expected, actual);
            if (!diff.empty()) {
                failures += std::string(tableName(table)) + ": " + diff;
            }
        }
        for (const JobFigures& job : figures.jobs) {
            QCOMPARE(job.late, std::uint64_t{0});
            QCOMPARE(job.rejected, std::uint64_t{0});
        }
        QCOMPARE(figures.events, std::uint64_t{kEvents});
        if (!failures.empty()) {
            QFAIL(failures.c_str());
        }
    }

    // Batch boundaries decide when windows close, never what they contain.
    void independentOfBatchSize() {
        PipelineConfig config = config_;
        config.workers = 2;
        MemorySink sink;
        StreamEngine engine(
            config, products_, [] { return kStart; }, sink);
        const std::size_t limit = std::min<std::size_t>(batches_.size(), 40);
        std::vector<EventBatch> small;
        for (std::size_t i = 0; i < limit; ++i) {
            // Split every batch in three pieces per stream.
            const EventBatch& batch = batches_[i];
            for (int part = 0; part < 3; ++part) {
                EventBatch piece;
                auto slice = [&](const auto& from, auto& to) {
                    const std::size_t n = from.size();
                    to.assign(from.begin() + static_cast<std::ptrdiff_t>(n * part / 3),
                              from.begin() + static_cast<std::ptrdiff_t>(n * (part + 1) / 3));
                };
                slice(batch.views, piece.views);
                slice(batch.carts, piece.carts);
                slice(batch.transactions, piece.transactions);
                engine.process(std::move(piece));
            }
        }
        engine.flush();
        const RowBatch rows = sink.take();
        const std::vector<EventBatch> prefix(batches_.begin(),
                                             batches_.begin() + static_cast<std::ptrdiff_t>(limit));
        const RowBatch expected = test::referenceRows(prefix, *products_, config_);
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            const std::string diff = test::diffLines(test::canonicalLines(expected, table, true),
                                                     test::canonicalLines(rows, table, true));
            QVERIFY2(diff.empty(), (std::string(tableName(table)) + ": " + diff).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(ReferenceTest)
#include "tst_reference.moc"
