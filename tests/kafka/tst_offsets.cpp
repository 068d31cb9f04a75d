// SPDX-License-Identifier: GPL-3.0-or-later
// Back-pressure and exactness: a source whose downstream queue is full pauses its partitions
// (reading stops, memory does not grow) and resumes when the pipeline catches up, losing and
// duplicating nothing; offsets are committed only through the sequence a (fake) durability
// signal reports, so a restarted member of the group resumes exactly after it.
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"

#include <QTest>
#include <thread>

using namespace gm;
using namespace std::chrono_literals;

namespace {

void publish(const EmbeddedKafka& kafka, const EventBatch& events) {
    KafkaSettings settings = test::settingsFor(kafka, "unused");
    KafkaProducer producer(settings);
    EventPublisher publisher(producer, test::encoder(), settings.topics);
    QVERIFY(publisher.publish(events));
    QVERIFY(producer.flush(60s));
}

} // namespace

class TestOffsets : public QObject {
    Q_OBJECT

private slots:
    void pausesWhenTheQueueIsFull() {
        EmbeddedKafka kafka(EmbeddedKafkaConfig{.partitions = 8, .topics = test::eventTopics()});
        const EventBatch generated = test::generate(40'000, 21);
        publish(kafka, generated);

        KafkaSettings settings = test::settingsFor(kafka, "back-pressure");
        settings.queue_batches = 2;
        settings.max_batch = 500;
        KafkaEventSource source(settings, test::catalog());
        source.start();
        // Nobody reads: the queue fills and the partitions are paused.
        QVERIFY(test::waitUntil([&] { return source.status().paused; }, 45s));
        std::this_thread::sleep_for(300ms); // prefetched messages settle
        const std::uint64_t read_while_paused = source.status().messages;
        std::this_thread::sleep_for(700ms);
        QCOMPARE(source.status().messages, read_while_paused); // no reading while paused
        QVERIFY(read_while_paused < generated.size());
        QVERIFY(source.status().paused);

        const EventBatch consumed = test::collect(source, test::atLeast(generated.size()), 90s);
        QCOMPARE(consumed.size(), generated.size());
        QVERIFY(test::sameEvents(consumed, generated));
        const KafkaSourceStatus status = source.status();
        QVERIFY(status.pauses >= 1);
        QCOMPARE(status.duplicates, std::uint64_t{0});
        QVERIFY(test::waitUntil([&] { return !source.status().paused; }, 2s));
        source.stop();
    }

    void restartResumesAfterTheDurableSequence() {
        EmbeddedKafka kafka(EmbeddedKafkaConfig{.partitions = 8, .topics = test::eventTopics()});
        const EventBatch generated = test::generate(6'000, 22);
        publish(kafka, generated);

        KafkaSettings settings = test::settingsFor(kafka, "durable");
        settings.max_batch = 300;
        std::vector<EventBatch> batches;
        {
            KafkaEventSource first(settings, test::catalog());
            first.start();
            test::collect(first, test::atLeast(generated.size()), 90s,
                          [&](const EventBatch& batch) { batches.push_back(batch); });
            QVERIFY(batches.size() >= 4);
            // The fake durability signal: rows of the first half of the batches are in
            // PostgreSQL; the rest are still in open windows when this member stops.
            const EventBatch& last_durable = batches[batches.size() / 2 - 1];
            const std::uint64_t durable = last_durable.first_sequence + last_durable.size();
            QVERIFY(first.commitThrough(durable, true));
            QVERIFY(test::waitUntil([&] { return first.status().commits >= 1; }, 5s));
            QCOMPARE(first.status().commit_errors, std::uint64_t{0});
            // The System page sees what was committed beside the lag.
            QVERIFY(test::waitUntil(
                [&] {
                    for (const auto& lag : first.lag()) {
                        if (lag.committed > 0) {
                            return true;
                        }
                    }
                    return false;
                },
                3s));
            first.stop();
        }
        EventBatch not_durable;
        for (std::size_t i = batches.size() / 2; i < batches.size(); ++i) {
            test::append(not_durable, EventBatch(batches[i]));
        }

        KafkaEventSource second(settings, test::catalog());
        second.start();
        EventBatch resumed = test::collect(second, test::atLeast(not_durable.size()), 90s);
        // Anything beyond would be a replay of durable events: wait a little for stragglers.
        test::append(resumed, test::collect(second, test::atLeast(1), 1500ms));
        QCOMPARE(resumed.size(), not_durable.size());
        QVERIFY(test::sameEvents(resumed, not_durable));
        QCOMPARE(resumed.size() + (generated.size() - not_durable.size()), generated.size());
        second.stop();
    }
};

QTEST_GUILESS_MAIN(TestOffsets)
#include "tst_offsets.moc"
