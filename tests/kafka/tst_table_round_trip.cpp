// SPDX-License-Identifier: GPL-3.0-or-later
// Kafka does not change the tables: a fixed-seed generated stream fed straight to a stream engine,
// and the same stream published to the embedded broker, consumed and fed to a second engine, give
// the same rows in every table (processing-time columns aside), with 1 and with 2 workers.
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "table_compare.h"

#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kEvents = 200'000;
constexpr std::size_t kSliceEvents = 4'096; // what the generator source hands out at a time
// 40 events per simulated second: 200,000 events span ~83 simulated minutes, so every window
// length closes many times and carts stay idle past the 30-minute abandonment timeout.
constexpr double kShopRate = 40;
constexpr std::uint64_t kSeed = 2024;

// The stream in generator-sized slices, numbered like the generator source numbers them. The
// planted-anomaly ground truth is cleared because it never travels on the wire.
std::vector<EventBatch> generateSlices() {
    SimulatorConfig config;
    config.seed = kSeed;
    ShopSimulator simulator(test::catalog(), config, test::kStart);
    simulator.setShopRate(kShopRate);
    std::vector<EventBatch> slices;
    for (std::size_t done = 0; done < kEvents;) {
        EventBatch slice;
        slice.first_sequence = done;
        simulator.generate(std::min(kSliceEvents, kEvents - done), slice);
        for (auto& t : slice.transactions) {
            t.planted_anomaly = PlantedAnomaly::None;
        }
        done += slice.size();
        slices.push_back(std::move(slice));
    }
    return slices;
}

// A table comparison only means something if no event was dropped on either side.
std::string lateOrRejected(const PipelineFigures& figures) {
    std::string problems;
    for (int job = 0; job < kJobCount; ++job) {
        const JobFigures& f = figures.jobs[static_cast<std::size_t>(job)];
        if (f.late != 0 || f.rejected != 0) {
            problems += std::string(jobName(static_cast<JobId>(job))) + ": " +
                        std::to_string(f.late) + " late, " + std::to_string(f.rejected) +
                        " rejected\n";
        }
    }
    return problems;
}

} // namespace

class TestTableRoundTrip : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    std::shared_ptr<const ProductTable> products_;
    PipelineConfig config_;
    RowBatch in_process_rows_;

    std::unique_ptr<StreamEngine> makeEngine(int workers, MemorySink& sink) const {
        PipelineConfig config = config_;
        config.workers = workers;
        // Processing-time columns are left out of the comparison, so a fixed clock will do; the
        // engines are driven from this thread, so no idle advance ever consults it.
        return std::make_unique<StreamEngine>(
            config, products_, [] { return test::kStart; }, sink);
    }

    // Stock is applied in arrival order (pipeline/README.md): when a backlog is read, partitions
    // interleave differently from the generated order, so which transaction takes a product to
    // its threshold, and the stock then, may differ. What must not differ: the final stock
    // (stock_levels, compared whole), which products raised a low-stock alert, and every other
    // alert.
    static std::vector<std::string> comparable(const RowBatch& rows, TableId table) {
        std::vector<std::string> lines = test::canonicalLines(rows, table, true);
        if (table == TableId::LowStockAlerts) {
            for (std::string& line : lines) {
                line = line.substr(0, line.find('|')); // product_id
            }
            lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
        } else if (table == TableId::Alerts) {
            std::erase_if(lines,
                          [](const std::string& line) { return line.starts_with("low_stock|"); });
        }
        return lines;
    }

    // Every table's rows from the Kafka path against the in-process rows; empty when equal.
    std::string differences(const RowBatch& kafka_rows) const {
        std::string failures;
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            const std::string diff =
                test::diffLines(comparable(in_process_rows_, table), comparable(kafka_rows, table));
            if (!diff.empty()) {
                failures += std::string(tableName(table)) + ": " + diff;
            }
        }
        return failures;
    }

    // Consumes the published stream in a new consumer group, feeding each batch to an engine as
    // it arrives, and compares the engine's tables with the in-process ones.
    void verifyKafkaPath(const std::string& group, int workers) {
        MemorySink sink;
        const auto engine = makeEngine(workers, sink);
        KafkaEventSource source(test::settingsFor(*kafka_, group), test::catalog());
        source.start();
        std::size_t received = 0;
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        while (received < kEvents && std::chrono::steady_clock::now() < deadline) {
            if (auto batch = source.next(50ms)) {
                received += batch->size();
                engine->process(std::move(*batch));
            }
        }
        QCOMPARE(received, kEvents);
        const KafkaSourceStatus status = source.status();
        QCOMPARE(status.accepted, std::uint64_t{kEvents});
        QCOMPARE(status.dead_letters, std::uint64_t{0});
        QCOMPARE(status.duplicates, std::uint64_t{0});
        source.stop();
        engine->flush();

        const PipelineFigures figures = engine->counters().figures();
        QCOMPARE(figures.events, std::uint64_t{kEvents});
        const std::string dropped = lateOrRejected(figures);
        QVERIFY2(dropped.empty(), dropped.c_str());
        const std::string failures = differences(sink.take());
        QVERIFY2(failures.empty(), failures.c_str());
    }

private slots:
    void initTestCase() {
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 16, .topics = test::eventTopics()});
        QVERIFY(!kafka_->bootstrapServers().empty());
        products_ = std::make_shared<const ProductTable>(productTableFrom(test::catalog()));
        // Partitions interleave users differently from the generator's order; lateness this
        // generous keeps that from deciding which events count (asserted: none is late).
        config_.lateness.fill(10 * kMicrosPerMinute);

        const std::vector<EventBatch> slices = generateSlices();

        MemorySink sink;
        const auto engine = makeEngine(1, sink);
        for (const EventBatch& slice : slices) {
            engine->process(slice);
        }
        engine->flush();
        const PipelineFigures figures = engine->counters().figures();
        QCOMPARE(figures.events, std::uint64_t{kEvents});
        const std::string dropped = lateOrRejected(figures);
        QVERIFY2(dropped.empty(), dropped.c_str());
        in_process_rows_ = sink.take();
        // Two empty tables would compare equal and prove nothing: this run fills every table.
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            QVERIFY2(!test::canonicalLines(in_process_rows_, table, false).empty(),
                     std::string(tableName(table)).c_str());
        }

        const DeliveryStatus delivery = test::publishAll(*kafka_, slices);
        QCOMPARE(delivery.delivered, std::uint64_t{kEvents});
        QCOMPARE(delivery.failed, std::uint64_t{0});
    }

    void kafkaPathGivesTheSameTables() { verifyKafkaPath("tables-1-worker", 1); }

    // Another consumer group reads the partitions in another interleaving, and the shards split
    // it differently: still the same rows.
    void kafkaPathWithTwoWorkersGivesTheSameTables() { verifyKafkaPath("tables-2-workers", 2); }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestTableRoundTrip)
#include "tst_table_round_trip.moc"
