// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/row_filter_proxy.h"
#include "models/row_table_model.h"
#include "models/snapshot_tables.h"

#include <QtTest>

using namespace gm;

namespace {

constexpr TimestampUs kT0 = 1'764'000'000LL * kMicrosPerSecond;

HighValueAnomalyRow row(std::uint64_t id, Severity severity, Country country, int minute,
                        Cents amount) {
    HighValueAnomalyRow r;
    r.transaction_id = Uuid{0xabc, id};
    r.user_id = static_cast<UserId>(id * 10);
    r.timestamp = kT0 + minute * kMicrosPerMinute + 1;
    r.total_amount = amount;
    r.country = country;
    r.severity = severity;
    r.anomaly_reason = "reason " + std::to_string(id);
    return r;
}

} // namespace

class FilterProxyTest : public QObject {
    Q_OBJECT

    RowTableModel model_;
    RowFilterProxy proxy_;

    QStringList shownUsers() const {
        QStringList users;
        for (int i = 0; i < proxy_.rowCount(); ++i) {
            users << proxy_.index(i, 2).data().toString();
        }
        return users;
    }

private slots:
    void init() {
        model_.setTable(highValueTable({
            row(1, Severity::Critical, Country::USA, 0, 1'500'000),
            row(2, Severity::High, Country::Germany, 0, 800'000),
            row(3, Severity::Medium, Country::USA, 1, 600'000),
            row(4, Severity::Critical, Country::Japan, 2, 2'000'000),
            row(5, Severity::Medium, Country::Germany, 2, 510'000),
        }));
        proxy_.setSourceModel(&model_);
        proxy_.setSeverity({});
        proxy_.setCountry({});
        proxy_.setType({});
        proxy_.setSearchText({});
        proxy_.setTimeRange(0, 0);
        proxy_.sort(-1);
    }

    void severityFilter() {
        proxy_.setSeverity(QStringLiteral("critical"));
        QCOMPARE(shownUsers(),
                 (QStringList{QStringLiteral("USER_00000011"), QStringLiteral("USER_00000041")}));
    }

    void countryAndSeverityCombine() {
        proxy_.setCountry(QStringLiteral("Germany"));
        QCOMPARE(proxy_.rowCount(), 2);
        proxy_.setSeverity(QStringLiteral("medium"));
        QCOMPARE(shownUsers(), QStringList{QStringLiteral("USER_00000051")});
    }

    void typeFilter() {
        proxy_.setType(QStringLiteral("high_value"));
        QCOMPARE(proxy_.rowCount(), 5);
        proxy_.setType(QStringLiteral("high_quantity"));
        QCOMPARE(proxy_.rowCount(), 0);
    }

    void searchMatchesShownAndExportedText() {
        proxy_.setSearchText(QStringLiteral("user_00000031"));
        QCOMPARE(shownUsers(), QStringList{QStringLiteral("USER_00000031")});
        proxy_.setSearchText(QStringLiteral("$20,000.00")); // as displayed
        QCOMPARE(shownUsers(), QStringList{QStringLiteral("USER_00000041")});
        proxy_.setSearchText(QStringLiteral("reason 2"));
        QCOMPARE(shownUsers(), QStringList{QStringLiteral("USER_00000021")});
        proxy_.setSearchText(QStringLiteral("nothing like this"));
        QCOMPARE(proxy_.rowCount(), 0);
    }

    void timeRangeFromAChartPoint() {
        proxy_.setTimeRange(kT0 + 2 * kMicrosPerMinute, kT0 + 3 * kMicrosPerMinute);
        QCOMPARE(shownUsers(),
                 (QStringList{QStringLiteral("USER_00000041"), QStringLiteral("USER_00000051")}));
        proxy_.setTimeRange(0, 0);
        QCOMPARE(proxy_.rowCount(), 5);
    }

    void sortsByRawValueNotText() {
        const int amount = 3;
        proxy_.sort(amount, Qt::AscendingOrder);
        // As text "$5,100.00" > "$20,000.00"; as numbers it is the smallest.
        QCOMPARE(proxy_.index(0, amount).data().toString(), QStringLiteral("$5,100.00"));
        QCOMPARE(proxy_.index(4, amount).data().toString(), QStringLiteral("$20,000.00"));
    }
};

QTEST_MAIN(FilterProxyTest)
#include "tst_filter_proxy.moc"
