// SPDX-License-Identifier: GPL-3.0-or-later
// Filters, order and paging of the HTTP API on rows rendered by the real table descriptions:
// the cases where comparing text would go wrong (numbers, times, NULL) and the parameter errors.
#include "app/http/table_query.h"
#include "pipeline/table_schema.h"

#include <QTest>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'591'230'000'000; // 2026-11-25T07:20:30Z

std::vector<TextRow> cartRows() {
    std::vector<TextRow> rows;
    const std::uint32_t adds[] = {9, 10, 2, 10};
    const Country countries[] = {Country::USA, Country::UK, Country::Germany, Country::USA};
    for (int i = 0; i < 4; ++i) {
        CartSessionRow row;
        row.window_start = kStart + i * 60'000'000LL;
        row.window_end = row.window_start + 60'000'000LL;
        row.user_id = static_cast<UserId>(100 + i);
        row.country = countries[i];
        row.add_count = adds[i];
        row.session_completed = i % 2 == 0;
        rows.push_back(rowFields(row));
    }
    return rows;
}

std::size_t column(const char* name) {
    const auto& names = columns(TableId::CartSessions);
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// The user ids of the rows a query selects, in order.
QStringList users(const QueryParameters& parameters, std::vector<TextRow> rows = cartRows()) {
    const TableInfo& info = tableInfo(TableId::CartSessions);
    auto parsed = parseTableQuery(info, parameters);
    if (const auto* error = std::get_if<QueryError>(&parsed)) {
        return {QString("error ") + QString::fromStdString(error->parameter)};
    }
    static std::vector<TextRow> kept;
    kept = std::move(rows);
    QStringList ids;
    for (const TextRow* row : runTableQuery(info, std::get<TableQuery>(parsed), kept).rows) {
        ids << QString::fromStdString((*row)[column("user_id")]);
    }
    return ids;
}

QString user(int offset) {
    return QString::fromStdString(text::user(static_cast<UserId>(100 + offset)));
}

} // namespace

class TableQueryTest : public QObject {
    Q_OBJECT

private slots:
    void numbersCompareAsNumbers() {
        // As text "10" < "9"; as numbers it is not.
        QCOMPARE(users({{"add_count", "gt.9"}}), (QStringList{user(1), user(3)}));
        QCOMPARE(users({{"add_count", "in.(9,2)"}}), (QStringList{user(0), user(2)}));
        QCOMPARE(users({{"order", "add_count.desc"}}),
                 (QStringList{user(1), user(3), user(0), user(2)}));
    }
    void timesCompareAsInstantsWhateverTheirSpelling() {
        QCOMPARE(users({{"window_start", "eq.2026-11-25T07:21:30Z"}}), QStringList{user(1)});
        QCOMPARE(users({{"window_start", "gte.2026-11-25T08:22:30+01:00"}}),
                 (QStringList{user(2), user(3)}));
    }
    void likeHasBothWildcardsAndSingleCharacters() {
        QCOMPARE(users({{"country", "like.U*"}}), (QStringList{user(0), user(1), user(3)}));
        QCOMPARE(users({{"country", "like.U%A"}}), (QStringList{user(0), user(3)}));
        QCOMPARE(users({{"country", "like.U_"}}), QStringList{user(1)});
    }
    void filtersCombineAndBooleansAreTrueOrFalse() {
        QCOMPARE(users({{"country", "eq.USA"}, {"session_completed", "eq.true"}}),
                 QStringList{user(0)});
        QCOMPARE(users({{"session_completed", "eq.yes"}}), QStringList{"error session_completed"});
    }
    void nullMatchesNoComparisonAndSortsLast() {
        std::vector<TextRow> rows = cartRows();
        rows[0][column("country")].clear();
        QCOMPARE(users({{"country", "neq.UK"}}, rows), (QStringList{user(2), user(3)}));
        QCOMPARE(users({{"order", "country.asc"}}, rows),
                 (QStringList{user(2), user(1), user(3), user(0)}));
        QCOMPARE(users({{"order", "country.desc"}}, rows),
                 (QStringList{user(3), user(1), user(2), user(0)}));
    }
    void pagingCountsEveryMatch() {
        const TableInfo& info = tableInfo(TableId::CartSessions);
        const std::vector<TextRow> rows = cartRows();
        auto parsed = parseTableQuery(info, {{"limit", "2"}, {"offset", "1"}});
        const TablePage page = runTableQuery(info, std::get<TableQuery>(parsed), rows);
        QCOMPARE(page.rows.size(), std::size_t{2});
        QCOMPARE(page.rows[0], &rows[1]);
        QCOMPARE(page.total, std::size_t{4});
        QCOMPARE(contentRange(page), std::string("1-2/4"));
        parsed = parseTableQuery(info, {{"limit", "0"}});
        QCOMPARE(contentRange(runTableQuery(info, std::get<TableQuery>(parsed), rows)),
                 std::string("*/4"));
    }
    void errorsNameTheParameter() {
        QCOMPARE(users({{"limit", "x"}}), QStringList{"error limit"});
        QCOMPARE(users({{"offset", "1.5"}}), QStringList{"error offset"});
        QCOMPARE(users({{"nope", "eq.1"}}), QStringList{"error nope"});
        QCOMPARE(users({{"add_count", "gt.many"}}), QStringList{"error add_count"});
        QCOMPARE(users({{"add_count", "about.3"}}), QStringList{"error add_count"});
        QCOMPARE(users({{"order", "add_count.up"}}), QStringList{"error order"});
    }
};

QTEST_GUILESS_MAIN(TableQueryTest)
#include "tst_table_query.moc"
