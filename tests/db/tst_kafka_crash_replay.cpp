// SPDX-License-Identifier: GPL-3.0-or-later
// The Kafka delivery guarantee, end to end with the real program: globalmart consumes from a
// broker into PostgreSQL, is killed (SIGKILL) after it has committed offsets, and is started
// again. It resumes after the committed offsets, and every windowed table ends up exactly as in
// an uninterrupted run over the same events: nothing lost, nothing doubled, and no window that
// was written before the crash overwritten from part of its events.
#include "generator/catalog.h"
#include "generator/event_encoder.h"
#include "generator/simulator.h"
#include "pipeline/kafka/embedded_kafka.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"
#include "pipeline/table_schema.h"
#include "tests/db/db_test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <iterator>
#include <limits>
#include <pqxx/pqxx>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;
constexpr std::uint32_t kUsers = 2'000;
constexpr std::uint32_t kProducts = 300;
constexpr std::uint64_t kSeed = 31;
constexpr std::size_t kEvents = 150'000;
// Events per simulated second: 150,000 events cover about two simulated hours, so windows and
// cart sessions close (and offsets get committed) well before the crash.
constexpr double kShopRate = 20;

// Stock and the alerts feed are running state rather than windows: a restarted run starts
// stock from the catalog again, and alert deduplication from empty (README, "Kafka").
bool replayedExactly(TableId table) {
    return table != TableId::StockLevels && table != TableId::LowStockAlerts &&
           table != TableId::Alerts;
}

std::uint64_t rawEvents(const std::string& conninfo) {
    return test::countOrZero(conninfo,
                             "SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM "
                             "cart_events) + (SELECT count(*) FROM product_view_events)");
}

} // namespace

class TestKafkaCrashReplay : public QObject {
    Q_OBJECT

    std::unique_ptr<Catalog> catalog_;
    std::unique_ptr<EmbeddedKafka> kafka_;
    EventBatch events_;
    std::uint64_t published_ = 0;
    TimestampUs cut_ = 0; // the first run sees the events before this time

    // Publishes the events with from <= timestamp < to, in stream order. Cut by event time, not
    // by a share of each stream: the three streams must reach the cut together, as in a live
    // shop, or one of them arrives after the others' watermark and is (rightly) late.
    void publish(TimestampUs from, TimestampUs to) {
        KafkaSettings settings;
        settings.brokers = kafka_->bootstrapServers();
        const EventEncoder encoder(*catalog_);
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, encoder, settings.topics);
        EventBatch slice;
        const auto take = [&](const auto& all, auto& into) {
            std::copy_if(all.begin(), all.end(), std::back_inserter(into), [&](const auto& event) {
                return event.timestamp >= from && event.timestamp < to;
            });
        };
        take(events_.views, slice.views);
        take(events_.carts, slice.carts);
        take(events_.transactions, slice.transactions);
        QVERIFY(publisher.publish(slice));
        published_ += slice.size();
        QVERIFY(producer.flush(120s));
        QCOMPARE(producer.status().failed, std::uint64_t{0});
    }

    QStringList arguments(const std::string& group, const std::string& conninfo) const {
        return {"--headless",
                "--source",
                "kafka",
                "--brokers",
                QString::fromStdString(kafka_->bootstrapServers()),
                "--group",
                QString::fromStdString(group),
                "-X",
                "session.timeout.ms=6000",
                "--db",
                QString::fromStdString(conninfo),
                "--users",
                QString::number(kUsers),
                "--products",
                QString::number(kProducts),
                "--seed",
                QString::number(kSeed),
                "--start",
                QString::fromStdString(formatIsoTimestamp(kStart))};
    }

    static void start(QProcess& process, const QStringList& args) {
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(GLOBALMART_EXECUTABLE, args);
        QVERIFY2(process.waitForStarted(10'000), qPrintable(process.errorString()));
    }

    // SIGTERM: the program stops reading, flushes its windows and writes everything.
    static QString stopCleanly(QProcess& process) {
        process.terminate();
        if (!process.waitForFinished(120'000)) {
            process.kill();
            process.waitForFinished(10'000);
        }
        return QString::fromUtf8(process.readAll());
    }

private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        catalog_ = std::make_unique<Catalog>(CatalogConfig{
            .users = kUsers, .products = kProducts, .seed = kSeed, .reference_time = kStart});
        SimulatorConfig config;
        config.seed = kSeed;
        ShopSimulator simulator(*catalog_, config, kStart);
        simulator.setShopRate(kShopRate);
        simulator.generate(kEvents, events_);
        // 60% of the simulated time span.
        const TimestampUs end = simulator.now();
        cut_ = kStart + (end - kStart) * 6 / 10;
        kafka_ = std::make_unique<EmbeddedKafka>(EmbeddedKafkaConfig{
            .brokers = 1,
            .partitions = 16,
            .topics = {"transactions", "cart-events", "product-views", "alerts"}});
    }

    void crashAndRestartGivesTheUninterruptedTables() {
        // The first 60% of the stream, then a run that is killed once it has committed offsets.
        publish(kStart, cut_);
        test::ScratchDatabase crashed_db;
        const QStringList crash_args = arguments("crashes", crashed_db.conninfo());
        {
            QProcess first;
            start(first, crash_args);
            const std::string progress =
                "SELECT count(*) FROM pipeline_progress WHERE job LIKE 'kafka:crashes:%'";
            if (!test::waitUntil(
                    [&] { return test::countOrZero(crashed_db.conninfo(), progress) > 0; }, 120s)) {
                QFAIL(qPrintable("no progress marks; globalmart said:\n" + stopCleanly(first)));
            }
            QVERIFY(test::waitUntil([&] { return rawEvents(crashed_db.conninfo()) == published_; },
                                    120s));
            // The offset commit follows the durable progress marks within a poll (~1 s).
            std::this_thread::sleep_for(3s);
            first.kill();
            QVERIFY(first.waitForFinished(10'000));
        }

        // The rest of the stream arrives while it is down; the second run resumes.
        publish(cut_, std::numeric_limits<TimestampUs>::max());
        QProcess second;
        start(second, crash_args);
        QVERIFY(test::waitUntil([&] { return rawEvents(crashed_db.conninfo()) == kEvents; }, 180s));
        std::this_thread::sleep_for(2s); // the last batches through the pipeline
        const QString second_output = stopCleanly(second);
        qDebug("%s", qPrintable(second_output.right(2500)));
        QVERIFY2(second_output.contains("resumes; windows up to"), qPrintable(second_output));
        // A consumer's progress and summary speak of what it read, not of a generator.
        QVERIFY(second_output.contains("consuming transactions, cart-events, product-views from " +
                                       QString::fromStdString(kafka_->bootstrapServers()) +
                                       " as group 'crashes'"));
        QVERIFY(second_output.contains("event time      up to 2026-11-18T"));
        QVERIFY(!second_output.contains("1970-01-01"));
        // What the resumed run reads again that the first had counted is a replay, not late data.
        const QString summary = second_output.mid(second_output.lastIndexOf("Summary"));
        QVERIFY2(summary.contains(" replayed (already written before a restart)"),
                 qPrintable(summary));
        QVERIFY2(!summary.contains(QRegularExpression(R"([1-9][\d,]* late)")), qPrintable(summary));
        // It read from the committed offsets, not from the beginning.
        const auto read = QRegularExpression(R"(kafka in: \d+ partitions[^,]*, ([\d,]+) messages)")
                              .globalMatch(second_output);
        QString last_read;
        for (auto it = read; it.hasNext();) {
            last_read = it.next().captured(1);
        }
        QVERIFY2(!last_read.isEmpty(), qPrintable(second_output));
        const std::uint64_t replayed = last_read.remove(',').toULongLong();
        QVERIFY2(replayed < kEvents, qPrintable(second_output));
        QVERIFY(replayed >= kEvents * 4 / 10);

        // The reference: one uninterrupted run over the whole stream.
        test::ScratchDatabase reference_db;
        QProcess reference;
        start(reference, arguments("uninterrupted", reference_db.conninfo()));
        QVERIFY(
            test::waitUntil([&] { return rawEvents(reference_db.conninfo()) == kEvents; }, 180s));
        std::this_thread::sleep_for(2s);
        stopCleanly(reference);

        std::size_t compared = 0;
        for (int index = 0; index < kTableCount; ++index) {
            const auto table = static_cast<TableId>(index);
            if (!replayedExactly(table)) {
                continue;
            }
            const auto expected = test::tableLines(reference_db.conninfo(),
                                                   std::string(tableName(table)), columns(table));
            const auto actual = test::tableLines(crashed_db.conninfo(),
                                                 std::string(tableName(table)), columns(table));
            QVERIFY2(!expected.empty(), tableName(table).data());
            if (expected != actual) {
                std::vector<std::string> missing;
                std::vector<std::string> extra;
                std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                                    std::back_inserter(missing));
                std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                                    std::back_inserter(extra));
                QString message = QString("%1: %2 rows uninterrupted, %3 after the crash")
                                      .arg(QString::fromStdString(std::string(tableName(table))))
                                      .arg(expected.size())
                                      .arg(actual.size());
                for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i) {
                    message += "\n  - " + QString::fromStdString(missing[i]);
                }
                for (std::size_t i = 0; i < std::min<std::size_t>(extra.size(), 5); ++i) {
                    message += "\n  + " + QString::fromStdString(extra[i]);
                }
                QFAIL(qPrintable(message));
            }
            ++compared;
        }
        QCOMPARE(compared, std::size_t{18});
        QCOMPARE(test::countOrZero(crashed_db.conninfo(), "SELECT count(*) FROM transactions"),
                 std::uint64_t{events_.transactions.size()});
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestKafkaCrashReplay)
#include "tst_kafka_crash_replay.moc"
