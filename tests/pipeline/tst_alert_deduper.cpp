// SPDX-License-Identifier: GPL-3.0-or-later
// The alerts table's deduplication: a batch of candidates gives each alert it touches once, in
// its final state and in creation order, the same as handing the candidates over one by one,
// including an alert replaced within the batch by a recurrence after the dedup window.
#include "pipeline/alert_deduper.h"

#include <QTest>
#include <map>
#include <random>

using namespace gm;

namespace {

constexpr TimestampUs kMinute = kMicrosPerMinute;
constexpr TimestampUs kWindow = 10 * kMinute;

AlertCandidate candidate(AlertKind kind, std::string subject, Severity severity, TimestampUs time,
                         std::string message = "m") {
    return {kind, severity, std::move(subject), "t " + message, std::move(message), time};
}

std::string describe(const AlertRow& row) {
    return std::to_string(row.alert_id) + " " + row.subject + " x" +
           std::to_string(row.occurrences) + " sev " +
           std::to_string(static_cast<int>(row.severity)) + " " + row.title + "/" + row.message +
           " " + std::to_string(row.first_seen) + "-" + std::to_string(row.last_seen);
}

} // namespace

class AlertDeduperTest : public QObject {
    Q_OBJECT

private slots:
    void eachAlertLeavesOnceInItsFinalState() {
        AlertDeduper alerts(kWindow);
        std::vector<AlertCandidate> batch;
        for (int i = 0; i < 100; ++i) {
            batch.push_back(candidate(AlertKind::Restock, "PROD_00000001/USA",
                                      i == 40 ? Severity::High : Severity::Medium, i * 1000000,
                                      "sold " + std::to_string(i)));
        }
        batch.push_back(candidate(AlertKind::Restock, "PROD_00000002/USA", Severity::Low, 5));
        std::vector<AlertRow> changed;
        alerts.process(batch, changed);
        QCOMPARE(changed.size(), std::size_t{2});
        QCOMPARE(changed[0].subject, std::string("PROD_00000001/USA"));
        QCOMPARE(changed[0].occurrences, std::uint64_t{100});
        QCOMPARE(changed[0].severity, Severity::High);
        QCOMPARE(changed[0].message, std::string("sold 40")); // the latest at the highest severity
        QCOMPARE(changed[0].last_seen, TimestampUs{99000000});
        QCOMPARE(changed[1].subject, std::string("PROD_00000002/USA"));
        QCOMPARE(alerts.alertsRaised(), std::uint64_t{2});
    }

    // A recurrence after the window raises a new alert in the same batch: the old one leaves in
    // the state it had reached, not as a copy of its successor.
    void aReplacedAlertKeepsItsOwnState() {
        AlertDeduper alerts(kWindow);
        std::vector<AlertCandidate> batch = {
            candidate(AlertKind::LowStock, "PROD_00000007", Severity::Medium, 0, "first"),
            candidate(AlertKind::LowStock, "PROD_00000007", Severity::Medium, kMinute, "second"),
            candidate(AlertKind::LowStock, "PROD_00000007", Severity::High, 30 * kMinute, "later"),
        };
        std::vector<AlertRow> changed;
        alerts.process(batch, changed);
        QCOMPARE(changed.size(), std::size_t{2});
        QCOMPARE(changed[0].occurrences, std::uint64_t{2});
        QCOMPARE(changed[0].message, std::string("second"));
        QCOMPARE(changed[0].last_seen, kMinute);
        QCOMPARE(changed[1].occurrences, std::uint64_t{1});
        QCOMPARE(changed[1].message, std::string("later"));
        QVERIFY(changed[0].alert_id != changed[1].alert_id);
    }

    // A random batch against the same candidates one call each: the final state of every alert
    // must be the same.
    void batchEqualsOneByOne() {
        std::mt19937_64 random(5);
        std::vector<AlertCandidate> candidates;
        for (int i = 0; i < 3000; ++i) {
            const auto kind = static_cast<AlertKind>(random() % 3);
            candidates.push_back(candidate(
                kind, "S" + std::to_string(random() % 20), static_cast<Severity>(random() % 4),
                static_cast<TimestampUs>(random() % (120 * kMinute)), std::to_string(i)));
        }
        std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
            return std::tie(a.time, a.kind, a.subject) < std::tie(b.time, b.kind, b.subject);
        });
        AlertDeduper one_by_one(kWindow);
        std::map<std::uint64_t, std::string> expected; // alert id -> final state
        for (const AlertCandidate& c : candidates) {
            std::vector<AlertCandidate> single = {c};
            std::vector<AlertRow> changed;
            one_by_one.process(single, changed);
            QCOMPARE(changed.size(), std::size_t{1});
            expected[changed[0].alert_id] = describe(changed[0]);
        }
        AlertDeduper batched(kWindow);
        std::vector<AlertRow> changed;
        std::vector<AlertCandidate> batch = candidates;
        batched.process(batch, changed);
        std::map<std::uint64_t, std::string> actual;
        for (const AlertRow& row : changed) {
            QVERIFY2(!actual.contains(row.alert_id), "an alert left twice");
            actual[row.alert_id] = describe(row);
        }
        QVERIFY(expected.size() > 100); // recurrences after the window happened
        QCOMPARE(actual, expected);
    }
};

QTEST_GUILESS_MAIN(AlertDeduperTest)
#include "tst_alert_deduper.moc"
