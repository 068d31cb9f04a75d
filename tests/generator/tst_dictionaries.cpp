// SPDX-License-Identifier: GPL-3.0-or-later
// The open dictionaries (generator/intern_table.h, generator/id_dictionary.h): the catalog's
// numbering costs nothing, other ids are interned densely and keep their text, the caps refuse
// and count, and threads interning the same texts agree on every id.
#include "generator/id_dictionary.h"
#include "generator/intern_table.h"

#include <QTest>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace gm;

namespace {

std::string text(const IdDictionary& dictionary, std::uint32_t index) {
    char buffer[kMaxIdTextLength];
    return {buffer, dictionary.format(index, buffer)};
}

} // namespace

class TestDictionaries : public QObject {
    Q_OBJECT

private slots:
    void catalogNumberingIsComputedNotStored() {
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        std::uint32_t index = 0;
        QCOMPARE(users.lookup("USER_00000001", index), IdDictionary::Verdict::Ok);
        QCOMPARE(index, 0U);
        QCOMPARE(users.lookup("USER_00001000", index), IdDictionary::Verdict::Ok);
        QCOMPARE(index, 999U);
        QCOMPARE(users.interned().size(), 0U);
        QCOMPARE(text(users, 41), std::string("USER_00000042"));
    }

    void otherIdsAreInternedDenselyWithTheirText() {
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        // Beyond the range, unpadded, over-padded, zero: each its own id, as received.
        const std::vector<std::string> ids = {"USER_00001001", "USER_1", "USER_000000001",
                                              "USER_00000000", "USER_9999999999999999"};
        std::uint32_t expected = 1'000;
        for (const std::string& id : ids) {
            std::uint32_t index = 0;
            QCOMPARE(users.lookup(id, index), IdDictionary::Verdict::Ok);
            QCOMPARE(index, expected++);
            QCOMPARE(text(users, index), id);
            std::uint32_t again = 0;
            QCOMPARE(users.lookup(id, again), IdDictionary::Verdict::Ok);
            QCOMPARE(again, index);
        }
        QCOMPARE(users.interned().size(), static_cast<std::uint32_t>(ids.size()));
    }

    void digitsAreKeptExactly() {
        // Ids are held as digit count and value: every spelling of one number stays distinct
        // and is written back as received.
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        const std::vector<std::string> ids = {"USER_0",
                                              "USER_00",
                                              "USER_0000000000000000",
                                              "USER_0000000000000001",
                                              "USER_0000000000001001",
                                              "USER_1234567890123456"};
        std::set<std::uint32_t> indexes;
        for (const std::string& id : ids) {
            std::uint32_t index = 0;
            QCOMPARE(users.lookup(id, index), IdDictionary::Verdict::Ok);
            QCOMPARE(text(users, index), id);
            indexes.insert(index);
        }
        QCOMPARE(indexes.size(), ids.size());
    }

    void findNeverInterns() {
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        QVERIFY(!users.find("USER_42"));
        QCOMPARE(users.interned().size(), 0U);
        QCOMPARE(users.find("USER_00000042"), std::optional<std::uint32_t>(41));
        std::uint32_t index = 0;
        QCOMPARE(users.lookup("USER_42", index), IdDictionary::Verdict::Ok);
        QCOMPARE(users.find("USER_42"), std::optional<std::uint32_t>(index));
        QVERIFY(!users.find("user_42"));
        users.prefetch("USER_42"); // a hint only: changes nothing
        users.prefetch("not an id");
        QCOMPARE(users.interned().size(), 1U);
    }

    void countsDistinctIdsOutsideACatalog() {
        // 200,000 in the catalog's numbering: the seen-bitmap spans several chunks.
        IdDictionary products("PROD_", 200'000, 100, 1 << 20);
        std::uint32_t index = 0;
        for (const char* id : {"PROD_00000005", "PROD_00000020", "PROD_00000020", "PROD_00000500",
                               "PROD_00150000", "PROD_7", "PROD_7", "PROD_00200001"}) {
            QCOMPARE(products.lookup(id, index), IdDictionary::Verdict::Ok);
        }
        // Interned: PROD_7 and PROD_00200001 (beyond the numbering's range).
        QCOMPARE(products.interned().size(), 2U);
        QCOMPARE(products.outsideCatalog(0), std::uint64_t{6});  // 4 distinct numbered + 2
        QCOMPARE(products.outsideCatalog(10), std::uint64_t{5}); // 20, 500, 150000 + 2
        QCOMPARE(products.outsideCatalog(20), std::uint64_t{4}); // PROD_00000020 is index 19
        QCOMPARE(products.outsideCatalog(1'000), std::uint64_t{3});
        QCOMPARE(products.outsideCatalog(149'999), std::uint64_t{3});
        QCOMPARE(products.outsideCatalog(150'000), std::uint64_t{2});
        QCOMPARE(products.outsideCatalog(200'000), std::uint64_t{2});
        QCOMPARE(products.outsideCatalog(4'000'000'000U), std::uint64_t{2});
    }

    void patternIsEnforced_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("prefix only") << "USER_";
        QTest::newRow("other prefix") << "PROD_00000001";
        QTest::newRow("lower case") << "user_00000001";
        QTest::newRow("letter") << "USER_12a";
        QTest::newRow("sign") << "USER_-1";
        QTest::newRow("space") << "USER_ 1";
        QTest::newRow("17 digits") << "USER_12345678901234567";
    }
    void patternIsEnforced() {
        QFETCH(QString, id);
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        std::uint32_t index = 0;
        QCOMPARE(users.lookup(id.toStdString(), index), IdDictionary::Verdict::BadPattern);
        QCOMPARE(users.interned().size(), 0U);
    }

    // Digits are read eight at a time: every length, every value of every digit position,
    // and every non-digit byte at every position must be judged as one digit at a time would.
    void digitsReadEightAtATime() {
        IdDictionary users("USER_", 1'000, 100, 1 << 20);
        for (std::size_t length = 1; length <= IdDictionary::kMaxDigits; ++length) {
            std::string digits;
            for (std::size_t i = 0; i < length; ++i) {
                digits.push_back(char('1' + (i * 7) % 9));
            }
            const auto parsed = users.parse("USER_" + digits);
            QVERIFY(parsed.valid && !parsed.canonical);
            QCOMPARE(IdTable::digitsOf(parsed.key), length);
            QCOMPARE(IdTable::valueOf(parsed.key), std::stoull(digits));
            for (std::size_t pos = 0; pos < length; ++pos) {
                for (int byte = 0; byte < 256; ++byte) {
                    std::string id = "USER_" + digits;
                    id[5 + pos] = char(byte);
                    const bool digit = byte >= '0' && byte <= '9';
                    const auto changed = users.parse(id);
                    QCOMPARE(changed.valid, digit);
                    if (digit && !changed.canonical) {
                        QCOMPARE(IdTable::valueOf(changed.key), std::stoull(id.substr(5)));
                    }
                }
            }
        }
        // What the decoder keeps from its prefetch finds the same index as the text.
        std::uint32_t from_text = 0;
        std::uint32_t from_parsed = 0;
        QCOMPARE(users.lookup("USER_900000123", from_text), IdDictionary::Verdict::Ok);
        const auto parsed = users.parse("USER_900000123");
        users.prefetch(parsed);
        QCOMPARE(users.lookup(parsed, 14, from_parsed), IdDictionary::Verdict::Ok);
        QCOMPARE(from_parsed, from_text);
        QCOMPARE(users.lookup(users.parse("USER_x"), 6, from_parsed),
                 IdDictionary::Verdict::BadPattern);
    }

    void capRefusesAndCounts() {
        IdDictionary products("PROD_", 10, 3, 1 << 20);
        std::uint32_t index = 0;
        for (const char* id : {"PROD_11", "PROD_12", "PROD_13"}) {
            QCOMPARE(products.lookup(id, index), IdDictionary::Verdict::Ok);
        }
        QCOMPARE(products.lookup("PROD_14", index), IdDictionary::Verdict::Full);
        QCOMPARE(products.interned().refused(), std::uint64_t{1});
        // Known ids and the catalog's numbering still work when full.
        QCOMPARE(products.lookup("PROD_12", index), IdDictionary::Verdict::Ok);
        QCOMPARE(index, 11U);
        QCOMPARE(products.lookup("PROD_00000005", index), IdDictionary::Verdict::Ok);
        QCOMPARE(index, 4U);

        InternTable names(100, 10);
        QVERIFY(names.intern("12345"));
        QVERIFY(names.intern("67890"));
        QVERIFY(!names.intern("x")); // 11 bytes of text would exceed the cap of 10
        QCOMPARE(names.refused(), std::uint64_t{1});
    }

    void threadsAgreeOnEveryId() {
        InternTable table(1U << 20, std::size_t{64} << 20);
        constexpr int kThreads = 4;
        constexpr int kTexts = 50'000;
        std::vector<std::vector<std::uint32_t>> seen(kThreads, std::vector<std::uint32_t>(kTexts));
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                // Each thread walks the texts from another starting point.
                for (int i = 0; i < kTexts; ++i) {
                    const int n = (i + t * kTexts / kThreads) % kTexts;
                    seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(n)] =
                        *table.intern("text " + std::to_string(n));
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        QCOMPARE(table.size(), static_cast<std::uint32_t>(kTexts));
        std::set<std::uint32_t> ids;
        for (int n = 0; n < kTexts; ++n) {
            const std::uint32_t id = seen[0][static_cast<std::size_t>(n)];
            for (int t = 1; t < kThreads; ++t) {
                QCOMPARE(seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(n)], id);
            }
            QCOMPARE(std::string(table.text(id)), "text " + std::to_string(n));
            ids.insert(id);
        }
        // Dense: exactly 0 .. kTexts - 1.
        QCOMPARE(ids.size(), static_cast<std::size_t>(kTexts));
        QCOMPARE(*ids.rbegin(), static_cast<std::uint32_t>(kTexts - 1));
        QVERIFY(table.bytes() > 0);
    }
};

QTEST_GUILESS_MAIN(TestDictionaries)
#include "tst_dictionaries.moc"
