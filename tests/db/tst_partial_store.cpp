// SPDX-License-Identifier: GPL-3.0-or-later
// The scale-out partial store (issue 18 step 2, docs/scale-out.md) on real PostgreSQL: a
// partition's partials and progress land together or not at all, a replayed window replaces
// what was stored, a member that lost its partition cannot write to it any more, and bytes and
// microseconds come back exactly as written.
#include "db_test_support.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/partial_store.h"

#include <QtTest>
#include <limits>
#include <pqxx/pqxx>

using namespace gm;

namespace {

PartitionProgress progressOf(std::int64_t next_offset, std::int64_t replay_from,
                             std::optional<TimestampUs> newest_event,
                             std::optional<TimestampUs> caught_up_at) {
    PartitionProgress progress;
    progress.next_offset = next_offset;
    progress.replay_from = replay_from;
    progress.newest_event = newest_event;
    progress.caught_up_at = caught_up_at;
    return progress;
}

constexpr TimestampUs kT0 = 1'795'591'200'000'000; // 2026-11-25T07:20:00Z
constexpr TimestampUs kMinute = 60'000'000;

// Every byte value, a NUL in the middle and a length that is not a multiple of anything.
std::string awkwardBytes(char salt) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
        bytes.push_back(static_cast<char>((i * 7 + salt) & 0xff));
    }
    bytes[17] = '\0';
    return bytes;
}

StoredPartial partial(std::string table, TimestampUs start, TimestampUs length, std::string bytes) {
    return {std::move(table), start, start + length, std::move(bytes)};
}

std::uint64_t count(const std::string& conninfo, const std::string& sql) {
    pqxx::connection connection(conninfo);
    pqxx::nontransaction work(connection);
    return work.exec1(sql)[0].as<std::uint64_t>();
}

} // namespace

class TestPartialStore : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> db_;

private slots:
    void init() {
        GM_REQUIRE_SERVER();
        db_ = std::make_unique<test::ScratchDatabase>();
        pqxx::connection connection(db_->conninfo());
        MigrationRunner::embedded().migrate(connection);
    }
    void cleanup() { db_.reset(); }

    void aNewPartitionIsClaimedWithNothingCommitted() {
        PartialStore store(db_->conninfo(), "shop");
        const PartitionClaim claim = store.claim({"transactions", 3}, "member-a");
        QCOMPARE(claim.generation, std::int64_t{1});
        QVERIFY(!claim.progress);
        const auto states = store.partitions("transactions");
        QCOMPARE(states.size(), std::size_t{1});
        QCOMPARE(states[0].partition.partition, 3);
        QCOMPARE(states[0].owner, std::string("member-a"));
        QCOMPARE(states[0].generation, std::int64_t{1});
        QVERIFY(!states[0].progress);
        QVERIFY(store.partitions("cart_events").empty());
    }

    void partialsAndProgressComeBackExactly() {
        PartialStore store(db_->conninfo(), "shop");
        const PartitionClaim claim = store.claim({"transactions", 0}, "member-a");
        PartitionCommit commit;
        commit.partition = {"transactions", 0};
        commit.generation = claim.generation;
        commit.progress = progressOf(1234, 1000, kT0 + 59'999'999, std::nullopt);
        // What a replay needs (migration 0010): the engine's "no watermark yet" is int64's
        // minimum, which must come back as it went in.
        commit.progress.newest_before_replay = kT0 + 17;
        commit.progress.job_watermarks = {kT0 - 30'000'000, std::numeric_limits<TimestampUs>::min(),
                                          kT0 + 1, kT0 - 60'000'000, 0};
        commit.partials = {partial("sales_by_country", kT0, kMinute, awkwardBytes(1)),
                           partial("sales_by_country", kT0 + kMinute, kMinute, awkwardBytes(2)),
                           partial("anomaly_stats", kT0, 5 * kMinute, std::string())};
        store.commit(commit);

        const PartitionClaim again = store.claim({"transactions", 0}, "member-b");
        QCOMPARE(again.generation, std::int64_t{2});
        QVERIFY(again.progress);
        QCOMPARE(again.progress->next_offset, std::int64_t{1234});
        QCOMPARE(again.progress->replay_from, std::int64_t{1000});
        QCOMPARE(again.progress->newest_event, std::optional<TimestampUs>(kT0 + 59'999'999));
        QVERIFY(!again.progress->caught_up_at);
        QCOMPARE(again.progress->newest_before_replay, std::optional<TimestampUs>(kT0 + 17));
        QVERIFY(again.progress->job_watermarks == commit.progress.job_watermarks);

        const auto stored = store.partialsEndingBy("transactions", kT0 + 5 * kMinute);
        QCOMPARE(stored.size(), std::size_t{3});
        // Ordered by window end, then table: the two minutes, then the 5-minute window.
        QCOMPARE(stored[0].second.table_id, std::string("sales_by_country"));
        QCOMPARE(stored[0].second.window_start, kT0);
        QCOMPARE(stored[0].second.window_end, kT0 + kMinute);
        QVERIFY(stored[0].second.payload == awkwardBytes(1));
        QVERIFY(stored[1].second.payload == awkwardBytes(2));
        QCOMPARE(stored[2].second.table_id, std::string("anomaly_stats"));
        QVERIFY(stored[2].second.payload.empty());
        QCOMPARE(stored[2].first, 0);
        // Only windows ending by the bound.
        QCOMPARE(store.partialsEndingBy("transactions", kT0 + kMinute).size(), std::size_t{1});
        QCOMPARE(store.partialsEndingBy("transactions", kT0 + kMinute - 1).size(), std::size_t{0});
    }

    void watermarksOfAnotherJobCountAreRefused() {
        PartialStore store(db_->conninfo(), "shop");
        PartitionCommit commit;
        commit.partition = {"transactions", 7};
        commit.generation = store.claim(commit.partition, "member-a").generation;
        commit.progress = progressOf(10, 5, kT0, std::nullopt);
        commit.progress.job_watermarks = {kT0, kT0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.commit(commit));
        QVERIFY(!store.claim(commit.partition, "member-a").progress);
    }

    void aReplayedWindowReplacesTheStoredOne() {
        PartialStore store(db_->conninfo(), "shop");
        PartitionCommit commit;
        commit.partition = {"product_views", 1};
        commit.generation = store.claim(commit.partition, "member-a").generation;
        commit.progress = progressOf(50, 10, kT0, std::nullopt);
        commit.partials = {partial("trending_products", kT0, kMinute, "first")};
        store.commit(commit);
        // A new owner replays the partition from replay_from and closes the same window again.
        commit.generation = store.claim(commit.partition, "member-b").generation;
        commit.progress = progressOf(60, 20, kT0 + kMinute, kT0 + 2 * kMinute);
        commit.partials = {partial("trending_products", kT0, kMinute, "second")};
        store.commit(commit);

        const auto stored = store.partialsEndingBy("product_views", kT0 + kMinute);
        QCOMPARE(stored.size(), std::size_t{1});
        QCOMPARE(stored[0].second.payload, std::string("second"));
        const auto states = store.partitions("product_views");
        QCOMPARE(states[0].owner, std::string("member-b"));
        QCOMPARE(states[0].progress->caught_up_at, std::optional<TimestampUs>(kT0 + 2 * kMinute));
    }

    void aMemberThatLostThePartitionWritesNothing() {
        PartialStore member_a(db_->conninfo(), "shop");
        PartialStore member_b(db_->conninfo(), "shop");
        const TopicPartition partition{"cart_events", 2};
        const std::int64_t a_generation = member_a.claim(partition, "member-a").generation;
        const std::int64_t b_generation = member_b.claim(partition, "member-b").generation;
        QVERIFY(b_generation > a_generation);

        PartitionCommit stale;
        stale.partition = partition;
        stale.generation = a_generation;
        stale.progress = progressOf(99, 90, kT0, std::nullopt);
        stale.partials = {partial("cart_sessions", kT0, kMinute, "stale")};
        try {
            member_a.commit(stale);
            QFAIL("a commit with a superseded generation was accepted");
        } catch (const PartitionFenced& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("member-b") != std::string::npos, e.what());
            QVERIFY2(message.find("cart_events[2]") != std::string::npos, e.what());
        }
        QCOMPARE(count(db_->conninfo(), "SELECT count(*) FROM group_partials"), std::uint64_t{0});
        QVERIFY(!member_b.partitions("cart_events")[0].progress);

        PartitionCommit current = stale;
        current.generation = b_generation;
        current.partials = {partial("cart_sessions", kT0, kMinute, "current")};
        member_b.commit(current);
        const auto stored = member_b.partialsEndingBy("cart_events", kT0 + kMinute);
        QCOMPARE(stored.size(), std::size_t{1});
        QCOMPARE(stored[0].second.payload, std::string("current"));

        PartitionCommit never_claimed = current;
        never_claimed.partition = {"cart_events", 7};
        QVERIFY_THROWS_EXCEPTION(PartitionFenced, member_b.commit(never_claimed));
    }

    void aRefusedCommitLeavesProgressAsItWas() {
        PartialStore store(db_->conninfo(), "shop");
        PartitionCommit commit;
        commit.partition = {"transactions", 4};
        commit.generation = store.claim(commit.partition, "member-a").generation;
        commit.progress = progressOf(10, 5, kT0, std::nullopt);
        store.commit(commit);

        // The bad partial comes after the progress update in the same transaction.
        PartitionCommit bad = commit;
        bad.progress = progressOf(20, 15, kT0 + kMinute, std::nullopt);
        bad.partials = {partial("sales_by_country", kT0, kMinute, "fine"),
                        StoredPartial{"sales_by_country", kT0 + kMinute, kT0 + kMinute, "empty"}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.commit(bad));
        PartitionCommit backwards = commit;
        backwards.progress = progressOf(20, 21, kT0, std::nullopt);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.commit(backwards));

        const auto states = store.partitions("transactions");
        QCOMPARE(states[0].progress->next_offset, std::int64_t{10});
        QCOMPARE(count(db_->conninfo(), "SELECT count(*) FROM group_partials"), std::uint64_t{0});
    }

    void groupsAndTopicsDoNotSeeEachOther() {
        PartialStore shop(db_->conninfo(), "shop");
        PartialStore other(db_->conninfo(), "other-shop");
        for (PartialStore* store : {&shop, &other}) {
            PartitionCommit commit;
            commit.partition = {"transactions", 0};
            commit.generation = store->claim(commit.partition, "member").generation;
            commit.progress = progressOf(1, 0, kT0, std::nullopt);
            commit.partials = {partial("sales_by_country", kT0, kMinute, store->groupId())};
            store->commit(commit);
        }
        const auto stored = shop.partialsEndingBy("transactions", kT0 + kMinute);
        QCOMPARE(stored.size(), std::size_t{1});
        QCOMPARE(stored[0].second.payload, std::string("shop"));
        QVERIFY(shop.partialsEndingBy("cart_events", kT0 + kMinute).empty());
        QCOMPARE(shop.partitions("transactions").size(), std::size_t{1});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PartialStore(db_->conninfo(), ""));
    }
};

QTEST_GUILESS_MAIN(TestPartialStore)
#include "tst_partial_store.moc"
