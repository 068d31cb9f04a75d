// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input never stops the stream: malformed transactions produced by kcat from a file, and an
// empty, a 1.2 MB and an invalid-UTF-8 payload from our producer, each become a dead letter
// with the right reason and its origin (topic, partition, offset, raw payload), while the good
// messages around them reach the pipeline. Events stamped far ahead of the stream are refused
// too, without moving the stream's event time.
#include "kafka_test_support.h"
#include "pipeline/kafka/kafka_producer.h"

#include <QFile>
#include <QTest>
#include <map>

using namespace gm;
using namespace std::chrono_literals;

namespace {

QList<QByteArray> readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QList<QByteArray> lines = file.readAll().split('\n');
    lines.removeAll(QByteArray());
    return lines;
}

} // namespace

class TestDeadLetters : public QObject {
    Q_OBJECT

private slots:
    void badMessagesBecomeDeadLetters() {
        EmbeddedKafka kafka(EmbeddedKafkaConfig{.partitions = 4, .topics = test::eventTopics()});
        const QString bootstrap = QString::fromStdString(kafka.bootstrapServers());
        const auto result = test::runKcat({"-b", bootstrap, "-P", "-t", "transactions", "-X",
                                           "sticky.partitioning.linger.ms=0", "-l",
                                           test::dataFile("bad_transactions.jsonl")});
        QVERIFY2(result.exit_code == 0, result.err.constData());

        const QList<QByteArray> file_lines = readLines(test::dataFile("bad_transactions.jsonl"));
        std::multimap<std::string, std::string> expected; // reason -> payload (kcat's lines)
        const QList<QByteArray> reasons = readLines(test::dataFile("bad_transactions.reasons"));
        QVERIFY(!reasons.isEmpty());
        for (qsizetype i = 0; i < reasons.size(); ++i) {
            expected.emplace(reasons[i].toStdString(), file_lines[2 * i + 1].toStdString());
        }
        std::size_t good = static_cast<std::size_t>(file_lines.size() - reasons.size());

        // What kcat cannot send from a line-based file.
        KafkaSettings settings = test::settingsFor(kafka, "dead-letters");
        KafkaProducer producer(settings);
        const EventBatch valid = test::generate(400, 3);
        QVERIFY(valid.transactions.size() >= 2);
        const std::string good_json = test::encoder().encode(valid.transactions[0]);
        std::string bad_utf8 = good_json;
        const auto country = bad_utf8.find("\"country\":\"") + 11;
        bad_utf8.insert(country, "\xff\xfe");
        const std::string huge = "{\"padding\":\"" + std::string(1'200'000, 'x') + "\"}";
        KafkaSettings big_settings = settings;
        big_settings.properties.emplace_back("message.max.bytes", "2000000");
        KafkaProducer big_producer(big_settings);
        QVERIFY(producer.produce("transactions", "USER_00000001", ""));
        QVERIFY(producer.produce("transactions", "USER_00000001", bad_utf8));
        QVERIFY(big_producer.produce("transactions", "USER_00000001", huge));
        QVERIFY(producer.produce("transactions", "USER_00000001",
                                 test::encoder().encode(valid.transactions[1])));
        ++good;
        QVERIFY(producer.flush(45s));
        QVERIFY(big_producer.flush(45s));
        QCOMPARE(big_producer.status().delivered, std::uint64_t{1});
        expected.emplace("empty_payload", "");
        expected.emplace("invalid_utf8", bad_utf8);
        expected.emplace("payload_too_large", huge);

        KafkaEventSource source(settings, test::catalog());
        source.start();
        std::vector<DeadLetter> letters;
        const EventBatch consumed = test::collect(
            source,
            [&](const EventBatch& all) {
                auto more = source.takeDeadLetters();
                std::move(more.begin(), more.end(), std::back_inserter(letters));
                return all.size() >= good && letters.size() >= expected.size();
            },
            60s);
        QCOMPARE(consumed.transactions.size(), good);
        QCOMPARE(letters.size(), expected.size());

        std::multimap<std::string, std::string> got;
        for (const auto& letter : letters) {
            QCOMPARE(letter.topic, std::string("transactions"));
            QVERIFY(letter.partition >= 0 && letter.partition < 4);
            QVERIFY(letter.offset >= 0);
            QVERIFY(letter.detail.find('\n') == std::string::npos);
            QVERIFY(letter.received_at > 0);
            std::string payload = letter.payload;
            if (letter.reason == RejectReason::PayloadTooLarge) {
                // Kept cut to the limit; the size says what arrived.
                QCOMPARE(letter.payload_bytes, huge.size());
                QCOMPARE(payload.size(), settings.dead_letter_payload_bytes);
                payload = huge;
            }
            got.emplace(std::string(reasonName(letter.reason)), payload);
        }
        for (const auto& [reason, payload] : expected) {
            const auto range = got.equal_range(reason);
            bool match = false;
            for (auto it = range.first; it != range.second; ++it) {
                match = match || it->second == payload;
            }
            QVERIFY2(match, (reason + ": " + payload.substr(0, 80)).c_str());
        }

        const KafkaSourceStatus status = source.status();
        QCOMPARE(status.dead_letters, std::uint64_t{expected.size()});
        QCOMPARE(status.rejected_by_reason[static_cast<int>(RejectReason::MalformedJson)],
                 std::uint64_t{expected.count("malformed_json")});
        QCOMPARE(status.rejected_by_reason[static_cast<int>(RejectReason::EmptyPayload)],
                 std::uint64_t{1});
        QCOMPARE(status.accepted, std::uint64_t{good});
        QCOMPARE(status.messages, std::uint64_t{good + expected.size()});
        source.stop();
    }

    // The consumer's decoder judges each event against the newest it accepted (across the three
    // topics) and the wall clock: one stamped two days ahead of both (and one in year 9999)
    // becomes a dead letter and does
    // not move the reference, so the events after it are not made late. One partition per topic
    // and one producer keep the reading order fixed.
    void eventsFarAheadBecomeDeadLetters_data() {
        QTest::addColumn<qint64>("horizonDays"); // KafkaSettings::max_event_time_ahead; 0: default
        QTest::addColumn<bool>("twoDaysAheadRefused");
        QTest::newRow("default: a day") << qint64(0) << true;
        QTest::newRow("good: three days") << qint64(3) << false;
    }

    void eventsFarAheadBecomeDeadLetters() {
        QFETCH(qint64, horizonDays);
        QFETCH(bool, twoDaysAheadRefused);
        EmbeddedKafka kafka(EmbeddedKafkaConfig{.partitions = 1, .topics = test::eventTopics()});
        KafkaSettings settings = test::settingsFor(kafka, "far-ahead");
        if (horizonDays > 0) {
            settings.max_event_time_ahead = horizonDays * kMicrosPerDay;
        }
        KafkaProducer producer(settings);
        const EventBatch batch = test::generate(400, 5);
        QVERIFY(batch.transactions.size() >= 4);
        const auto stamped = [&](std::size_t index, TimestampUs time) {
            Transaction transaction = batch.transactions[index];
            transaction.timestamp = time;
            return test::encoder().encode(transaction);
        };
        // Ahead of the wall clock too, which the consumer's decoder also allows for.
        const std::string two_days_ahead =
            stamped(1, std::max(test::kStart, wallClockNow()) + 2 * kMicrosPerDay);
        const std::string year_9999 = stamped(2, kMaxEventTime);
        const std::vector<std::string> payloads = {stamped(0, test::kStart), two_days_ahead,
                                                   year_9999,
                                                   stamped(3, test::kStart + kMicrosPerDay)};
        for (const std::string& payload : payloads) {
            QVERIFY(producer.produce("transactions", "USER_00000001", payload));
            QVERIFY(producer.flush(45s)); // one at a time: the order on the partition is ours
        }
        std::vector<std::pair<std::string, std::int64_t>> refused; // payload, offset
        if (twoDaysAheadRefused) {
            refused.emplace_back(two_days_ahead, 1);
        }
        refused.emplace_back(year_9999, 2);
        const std::size_t accepted = payloads.size() - refused.size();

        KafkaEventSource source(settings, test::catalog());
        source.start();
        std::vector<DeadLetter> letters;
        const EventBatch consumed = test::collect(
            source,
            [&](const EventBatch& all) {
                auto more = source.takeDeadLetters();
                std::move(more.begin(), more.end(), std::back_inserter(letters));
                return all.size() >= accepted && letters.size() >= refused.size();
            },
            60s);
        QCOMPARE(consumed.transactions.size(), accepted);
        QCOMPARE(consumed.transactions.back().timestamp, test::kStart + kMicrosPerDay);
        QCOMPARE(letters.size(), refused.size());
        for (std::size_t i = 0; i < letters.size(); ++i) {
            QCOMPARE(reasonName(letters[i].reason), std::string_view("timestamp_too_far_ahead"));
            QCOMPARE(letters[i].payload, refused[i].first);
            QCOMPARE(letters[i].offset, refused[i].second);
        }
        const KafkaSourceStatus status = source.status();
        QCOMPARE(status.rejected_by_reason[static_cast<int>(RejectReason::TimestampTooFarAhead)],
                 std::uint64_t{refused.size()});
        QCOMPARE(status.accepted, std::uint64_t{accepted});
        source.stop();
    }
};

QTEST_GUILESS_MAIN(TestDeadLetters)
#include "tst_dead_letters.moc"
