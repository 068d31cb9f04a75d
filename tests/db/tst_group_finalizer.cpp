// SPDX-License-Identifier: GPL-3.0-or-later
// Scale-out (issue 18, docs/scale-out.md step 2.4) on real PostgreSQL: a group member commits
// each partition's hand-over (encoded windows, per-event rows, progress) to the partial store,
// and the group's finalizer merges the windows every partition has handed over into the public
// tables. The tables it writes must be the ones the exact-mode engine's rows make when written by
// the single process's own writer, also when the member is killed mid-run and another takes its
// partitions over from what PostgreSQL says.
//
// No broker: offsets are the events' positions in their partition's log (partition_logs.h).
#include "db_test_support.h"
#include "group_tables.h"
#include "partition_logs.h"
#include "pipeline/kafka/offset_tracker.h"
#include "pipeline/memory_sink.h"
#include "pipeline/postgres/flush_writer.h"
#include "pipeline/postgres/group_finalizer.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/partial_store.h"
#include "pipeline/postgres/partition_commit.h"
#include "pipeline/postgres/row_table_batches.h"
#include "pipeline/stream_engine.h"

#include <QtTest>
#include <pqxx/pqxx>

using namespace gm;

namespace {

constexpr TimestampUs kNow = test::kPartitionLogStart + 3 * kMicrosPerHour; // processing time
constexpr std::size_t kBatchesPerCommit = 8;
constexpr std::size_t kBatchesPerFinalize = 40;

std::vector<GroupTopic> logTopics() {
    std::vector<GroupTopic> topics;
    for (const EventKind kind : {EventKind::ProductView, EventKind::Cart, EventKind::Transaction}) {
        topics.push_back({kind, test::topicName(kind), test::kLogPartitions});
    }
    return topics;
}

// One group member owning every partition of the logs: claims them, resumes each from what the
// store holds, reads from there, commits every few batches and finalizes every few more.
// Stops after `stop_after` batches without a last commit (a crash).
struct MemberRun {
    std::size_t batches = 0;
    std::size_t finalized_partials = 0;
    std::uint64_t next_sequence = 0;
    std::map<TopicPartition, std::int64_t> generation;
};

MemberRun runMember(const PipelineConfig& config, const ProductTable& products,
                    const std::string& conninfo, const std::vector<test::PartitionLog>& logs,
                    const std::string& member_id, std::size_t stop_after,
                    std::uint64_t first_sequence, GroupFinalizer& finalizer) {
    PartialStore store(conninfo, "shop");
    PartitionShards shards(config);
    OffsetTracker tracker;
    shards.assign(test::allLogPartitions());
    MemberRun run;
    std::map<std::pair<EventKind, std::int32_t>, std::int64_t> start;
    for (const PartitionState& state : test::allLogPartitions()) {
        const TopicPartition tp = test::topicPartition(state.topic, state.partition);
        const PartitionClaim claim = store.claim(tp, member_id);
        run.generation[tp] = claim.generation;
        if (!claim.progress) {
            continue;
        }
        const PartitionProgress& stored = *claim.progress;
        std::array<TimestampUs, kJobCount> floors;
        std::copy(stored.job_watermarks.begin(), stored.job_watermarks.end(), floors.begin());
        const TimestampUs newest_before = stored.newest_before_replay.value_or(kNoWatermark);
        shards.resumePartition(state.topic, state.partition, floors, newest_before);
        tracker.seed(tp, {stored.replay_from, stored.next_offset, newest_before});
        start[{state.topic, state.partition}] = stored.replay_from;
    }
    const std::vector<test::OffsetBatch> batches = test::batchesFrom(logs, start, first_sequence);

    ProcessDictionaries dictionaries;
    PartialEncoder encoder(dictionaries);
    const EmitContext context{config, products, kNow};
    std::vector<PartitionHandOver> handed;
    ShardOutput released;
    std::uint64_t sequence = first_sequence;
    auto commitAll = [&] {
        shards.handOver(handed);
        shards.release(released);
        tracker.release(sequence, [&](const TopicPartition& tp) {
            return shards.oldestOpenStart(test::topicOf(tp), tp.partition);
        });
        for (PartitionHandOver& partition : handed) {
            const TopicPartition tp = test::topicPartition(partition.topic, partition.partition);
            PartitionPosition position;
            if (const auto point = tracker.replayPoint(tp)) {
                position = {point->next_offset, point->replay_from, point->newest_before, {}};
            }
            store.commit(
                partitionCommit(partition, tp, run.generation.at(tp), position, encoder, context));
        }
    };
    for (const test::OffsetBatch& batch : batches) {
        if (run.batches == stop_after) {
            run.next_sequence = sequence;
            return run;
        }
        const EventBatch& events = batch.events;
        shards.add(*events.partition, events.views, events.carts, events.transactions);
        const std::uint64_t end = events.first_sequence + events.size();
        tracker.record(
            events.first_sequence, end,
            {{test::topicPartition(batch.topic, *events.partition),
              OffsetRange{batch.first_offset,
                          batch.first_offset + static_cast<std::int64_t>(events.size()) - 1,
                          test::newestOf(events)}}});
        sequence = end;
        ++run.batches;
        if (run.batches % kBatchesPerCommit == 0) {
            commitAll();
        }
        if (run.batches % kBatchesPerFinalize == 0) {
            run.finalized_partials += finalizer.finalize(kNow).partials;
        }
    }
    shards.closeAll();
    commitAll();
    run.finalized_partials += finalizer.finalize(kNow).partials;
    run.next_sequence = sequence;
    return run;
}

} // namespace

class TestGroupFinalizer : public QObject {
    Q_OBJECT

    const Catalog catalog_{CatalogConfig{.users = 900, .products = 300, .seed = 5}};
    const std::shared_ptr<const ProductTable> products_ =
        std::make_shared<const ProductTable>(productTableFrom(catalog_));
    PipelineConfig config_;
    ProcessDictionaries dictionaries_;
    test::PartitionedShop shop_;
    std::unique_ptr<test::ScratchDatabase> engine_db_; // the single process's rows
    std::unique_ptr<test::ScratchDatabase> db_;

    static void migrate(const test::ScratchDatabase& db) {
        pqxx::connection connection(db.conninfo());
        MigrationRunner::embedded().migrate(connection);
    }

    std::unique_ptr<GroupFinalizer> finalizer(std::vector<GroupTopic> topics = logTopics()) {
        return std::make_unique<GroupFinalizer>(db_->conninfo(), "shop", std::move(topics), config_,
                                                products_, dictionaries_);
    }

    void compareWithTheEngine() {
        const std::string difference = test::groupTableDifference(
            engine_db_->conninfo(), db_->conninfo(), "the single process", "the group");
        QVERIFY2(difference.empty(), difference.c_str());
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM group_partials"),
                 std::uint64_t{0});
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM group_rows"),
                 std::uint64_t{0});
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM group_progress WHERE "
                                                "finalized_up_to = 9223372036854775807"),
                 std::uint64_t{kJobCount});
    }

private slots:
    void initTestCase() {
        GM_REQUIRE_SERVER();
        config_.workers = 1;
        config_.exact_partitions = true;
        // Late copies (two minutes older than their original, one after every 7th event) make
        // lateness, replays and the partitions' floors matter.
        shop_ = test::partitionedShop(catalog_, 7);
        engine_db_ = std::make_unique<test::ScratchDatabase>();
        migrate(*engine_db_);
        MemorySink sink;
        StreamEngine engine(
            config_, products_, [] { return kNow; }, sink);
        for (const test::OffsetBatch& batch : test::batchesFrom(shop_.logs, {}, 0)) {
            engine.process(batch.events);
        }
        engine.flush();
        std::vector<TableBatch> batches;
        forEachTableBatch(sink.rows(), 20'000,
                          [&](TableBatch&& batch) { batches.push_back(std::move(batch)); });
        FlushWriter writer(engine_db_->conninfo(), 1);
        writer.connect();
        writer.write(batches);
    }

    void init() {
        db_ = std::make_unique<test::ScratchDatabase>();
        migrate(*db_);
    }
    void cleanup() { db_.reset(); }
    void cleanupTestCase() { engine_db_.reset(); }

    // One member, committing every few batches and finalizing as it goes: the public tables
    // are the single process's, row for row, and nothing is left in the group's tables.
    void oneMemberWritesTheSingleProcessTables() {
        auto group = finalizer();
        const MemberRun run = runMember(config_, *products_, db_->conninfo(), shop_.logs,
                                        "member-a", SIZE_MAX, 0, *group);
        QVERIFY(run.batches > 300);
        QVERIFY(run.finalized_partials > 0);
        compareWithTheEngine();
    }

    // Windows are merged as soon as every partition of their topic has handed them over, not
    // only at the end: partway through, some windows are in the public tables, none that ends
    // after its job's finalized time, and no partial of a finalized window is left.
    void windowsAreFinalizedAsTheGroupPassesThem() {
        auto group = finalizer();
        runMember(config_, *products_, db_->conninfo(), shop_.logs, "member-a", 200, 0, *group);
        const FinalizeReport report = group->finalize(kNow);
        QVERIFY(report.locked);
        for (int job = 0; job < kJobCount; ++job) {
            const TimestampUs up_to = report.finalized_up_to[job];
            QVERIFY(up_to > test::kPartitionLogStart);
            QVERIFY(up_to < kFlushWatermark);
            QCOMPARE(
                test::countOf(db_->conninfo(),
                              "SELECT count(*) FROM group_partials WHERE split_part(table_id, '.', "
                              "1) = '" +
                                  std::string(jobName(static_cast<JobId>(job))) +
                                  "' AND (extract(epoch FROM window_end) * 1000000)::bigint <= " +
                                  std::to_string(up_to)),
                std::uint64_t{0});
        }
        const std::string sales_up_to =
            std::to_string(report.finalized_up_to[static_cast<int>(JobId::Sales)]);
        const std::uint64_t written =
            test::countOf(db_->conninfo(), "SELECT count(*) FROM sales_per_minute");
        QVERIFY(written > 0);
        QVERIFY(written <
                test::countOf(engine_db_->conninfo(), "SELECT count(*) FROM sales_per_minute"));
        QCOMPARE(
            test::countOf(db_->conninfo(), "SELECT count(*) FROM sales_per_minute WHERE "
                                           "(extract(epoch FROM window_end) * 1000000)::bigint > " +
                                               sales_up_to),
            std::uint64_t{0});
        QVERIFY(test::countOf(db_->conninfo(), "SELECT count(*) FROM group_partials") > 0);
    }

    // A member dies between commits; another claims every partition, resumes each from the
    // stored replay point and watermarks, and reads on. The old member's next commit is refused,
    // and the public tables end exactly as the single process's.
    void aTakeOverAfterACrashWritesTheSameTables_data() {
        QTest::addColumn<std::size_t>("crash_after");
        QTest::newRow("early") << std::size_t{45};
        QTest::newRow("halfway") << std::size_t{211};
        QTest::newRow("late") << std::size_t{363};
    }
    void aTakeOverAfterACrashWritesTheSameTables() {
        QFETCH(std::size_t, crash_after);
        auto group = finalizer();
        const MemberRun first = runMember(config_, *products_, db_->conninfo(), shop_.logs,
                                          "member-a", crash_after, 0, *group);
        QCOMPARE(first.batches, crash_after);
        const MemberRun second = runMember(config_, *products_, db_->conninfo(), shop_.logs,
                                           "member-b", SIZE_MAX, first.next_sequence, *group);
        QVERIFY(second.batches > 0);
        // The first member, still alive somewhere, cannot write to what it lost.
        PartialStore zombie(db_->conninfo(), "shop");
        PartitionCommit stale;
        stale.partition = test::topicPartition(EventKind::Cart, 1);
        stale.generation = first.generation.at(stale.partition);
        stale.progress.next_offset = 1;
        QVERIFY_THROWS_EXCEPTION(PartitionFenced, zombie.commit(stale));
        compareWithTheEngine();
    }

    // A partition that has committed nothing may hold any window of its topic: with a fifth
    // transactions partition nobody reads, no sales, anomaly or inventory window is final,
    // while carts and views go on.
    void aSilentPartitionHoldsItsTopic() {
        std::vector<GroupTopic> topics = logTopics();
        topics[2].partitions = test::kLogPartitions + 1;
        QCOMPARE(topics[2].kind, EventKind::Transaction);
        auto group = finalizer(topics);
        runMember(config_, *products_, db_->conninfo(), shop_.logs, "member-a", SIZE_MAX, 0,
                  *group);
        const FinalizeReport report = group->finalize(kNow);
        QCOMPARE(report.finalized_up_to[static_cast<int>(JobId::Sales)], kNoWatermark);
        QCOMPARE(report.finalized_up_to[static_cast<int>(JobId::Inventory)], kNoWatermark);
        QCOMPARE(report.finalized_up_to[static_cast<int>(JobId::Carts)], kFlushWatermark);
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM sales_per_minute"),
                 std::uint64_t{0});
        QVERIFY(test::countOf(db_->conninfo(), "SELECT count(*) FROM cart_metrics") > 0);
        QVERIFY(test::countOf(db_->conninfo(),
                              "SELECT count(*) FROM group_partials WHERE topic = 'transactions'") >
                0);
    }

    // A damaged payload stops the finalization with the partial named; nothing is written or
    // deleted, so the window is not merged without it.
    void aDamagedPartialIsNotMergedWithoutIt() {
        std::vector<GroupTopic> topics = logTopics();
        topics[2].partitions = test::kLogPartitions + 1; // hold transactions back while committing
        auto holding = finalizer(topics);
        runMember(config_, *products_, db_->conninfo(), shop_.logs, "member-a", SIZE_MAX, 0,
                  *holding);
        pqxx::connection connection(db_->conninfo());
        pqxx::work work(connection);
        work.exec("UPDATE group_partials SET payload = set_byte(payload, 20, "
                  "(get_byte(payload, 20) + 1) % 256) WHERE (table_id, partition, window_start) = "
                  "(SELECT table_id, partition, window_start FROM group_partials "
                  "WHERE table_id = 'sales.by_country' ORDER BY window_start LIMIT 1)");
        work.commit();
        const std::uint64_t partials =
            test::countOf(db_->conninfo(), "SELECT count(*) FROM group_partials");
        auto group = finalizer();
        bool refused = false;
        try {
            group->finalize(kNow);
        } catch (const UnreadablePartial& e) {
            refused = true;
            QVERIFY2(QString(e.what()).contains("sales.by_country of transactions["), e.what());
        }
        QVERIFY(refused);
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM group_partials"), partials);
        QCOMPARE(test::countOf(db_->conninfo(), "SELECT count(*) FROM sales_per_minute"),
                 std::uint64_t{0});
    }

    // One member finalizes at a time: while another holds the group's lock, a call does nothing
    // and says so.
    void anotherFinalizerHoldingTheLockIsLeftAlone() {
        pqxx::connection other(db_->conninfo());
        pqxx::work holding(other);
        holding.exec("SELECT pg_advisory_xact_lock(hashtextextended('globalmart group finalizer "
                     "' || 'shop', 0))");
        auto group = finalizer();
        const FinalizeReport report = group->finalize(kNow);
        QVERIFY(!report.locked);
        holding.abort();
        QVERIFY(group->finalize(kNow).locked);
    }
};

QTEST_GUILESS_MAIN(TestGroupFinalizer)
#include "tst_group_finalizer.moc"
