// SPDX-License-Identifier: GPL-3.0-or-later
// Reference data as data (generator/reference_data.txt, compiled in; --reference-data adds):
// the shipped file holds the enums' entries in their order, an added file extends the lists
// without moving them, and a bad file changes nothing and says which line is wrong.
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/name_index.h"
#include "generator/reference_data.h"
#include "generator/short_text.h"

#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace gm;

class TestReferenceData : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { resetReferenceData(); }

    void shippedFileMatchesTheEnums() {
        QCOMPARE(countryCount(), kCountryCount);
        QCOMPARE(paymentMethodCount(), kPaymentMethodCount);
        QCOMPARE(categoryCount(), kCategoryCount);
        QCOMPARE(countryName(Country::USA), std::string_view("USA"));
        QCOMPARE(countryName(Country::Japan), std::string_view("Japan"));
        QCOMPARE(paymentMethodName(PaymentMethod::GooglePay), std::string_view("Google Pay"));
        QCOMPARE(categoryName(0), std::string_view("Smartphones"));
        QCOMPARE(categoryName(99), std::string_view("Outdoor Toys"));
        QCOMPARE(categoryGroup(19), CategoryGroup::Electronics);
        QCOMPARE(categoryGroup(20), CategoryGroup::Clothing);
        QCOMPARE(categoryGroup(99), CategoryGroup::Toys);
        QCOMPARE(categoriesOf(CategoryGroup::Books).size(), std::size_t{10});
        QVERIFY(builtinReferenceDataText().find("[countries]") != std::string_view::npos);
    }

    // Names are found through an index (name_index.h): every listed name at its position,
    // nothing that only resembles one.
    void everyNameIsFoundAndOnlyThose() {
        for (int c = 0; c < categoryCount(); ++c) {
            const std::string name(categoryName(CategoryId(c)));
            QCOMPARE(parseCategory(name), std::optional<CategoryId>(CategoryId(c)));
            QVERIFY(!parseCategory(name + " "));
            QVERIFY(!parseCategory(name.substr(0, name.size() - 1)));
            QVERIFY(!parseCategory(name.substr(1)));
            std::string changed = name;
            changed[changed.size() / 2] ^= 0x20;
            QVERIFY(!parseCategory(changed));
        }
        for (int c = 0; c < countryCount(); ++c) {
            const std::string name(countryName(Country(c)));
            QCOMPARE(parseCountry(name), std::optional<Country>(Country(c)));
            QVERIFY(!parseCountry(name + "A"));
        }
        for (int m = 0; m < paymentMethodCount(); ++m) {
            const std::string name(paymentMethodName(PaymentMethod(m)));
            QCOMPARE(parsePaymentMethod(name), std::optional<PaymentMethod>(PaymentMethod(m)));
        }
        QVERIFY(!parseCategory(""));
        QVERIFY(!parseCountry(""));
        QVERIFY(!parseCountry("U"));
    }

    void nameIndexOfShortAndLongNames() {
        std::vector<std::string> names;
        for (std::size_t length = 0; length <= 40; ++length) {
            names.push_back(std::string(length, 'a'));
            names.push_back(std::string(length, 'a') + "b");
        }
        names.push_back("a"); // listed twice: keeps its first position
        const NameIndex index(names);
        for (std::size_t i = 0; i + 1 < names.size(); ++i) {
            QCOMPARE(index.find(names[i]), std::optional<std::uint8_t>(std::uint8_t(i)));
            QVERIFY(!index.find(names[i] + "c"));
            QVERIFY(!index.find("c" + names[i]));
        }
        QCOMPARE(index.find("a"), std::optional<std::uint8_t>(2));
        QVERIFY(!NameIndex().find("a"));
    }

    // sameShortText compares by words from both ends: a difference at any position of any
    // length must show.
    void shortTextsDifferAtEveryPosition() {
        for (std::size_t length = 0; length <= 40; ++length) {
            const std::string a(length, 'q');
            QVERIFY(sameShortText(a, std::string(length, 'q')));
            QVERIFY(!sameShortText(a, a + "q"));
            for (std::size_t pos = 0; pos < length; ++pos) {
                std::string b = a;
                b[pos] = 'r';
                QVERIFY(!sameShortText(a, b));
            }
        }
    }

    void addedEntriesFollowTheBuiltInOnes() {
        QVERIFY(!parseCountry("Brazil"));
        const auto problem = addReferenceData("[countries]\nUSA\nBrazil\n\n# comment\n"
                                              "[payment methods]\nPix\n"
                                              "[categories]\nGarden Tools\n");
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        QCOMPARE(countryCount(), kCountryCount + 1);
        QCOMPARE(parseCountry("Brazil"), std::optional<Country>(static_cast<Country>(5)));
        QCOMPARE(parseCountry("USA"), std::optional<Country>(Country::USA)); // not moved
        QCOMPARE(parsePaymentMethod("Pix"),
                 std::optional<PaymentMethod>(static_cast<PaymentMethod>(5)));
        QCOMPARE(parseCategory("Garden Tools"), std::optional<CategoryId>(100));
        QCOMPARE(categoryName(100), std::string_view("Garden Tools"));
        // The whole shipped file again adds nothing.
        QVERIFY(!addReferenceData(builtinReferenceDataText()));
        QCOMPARE(categoryCount(), kCategoryCount + 1);
        resetReferenceData();
        QVERIFY(!parseCountry("Brazil"));
    }

    void badTextsChangeNothing_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("problem");
        QTest::newRow("name first") << "Brazil\n"
                                    << "line 1: a name before the first section";
        QTest::newRow("unknown section") << "[cities]\nParis\n"
                                         << "line 1: unknown section";
        QTest::newRow("open header") << "[countries\n"
                                     << "line 1: a section header must end";
        QTest::newRow("unknown group") << "\n[categories: Garden]\nRakes\n"
                                       << "line 2: unknown category group";
        QTest::newRow("repeat") << "[countries]\nChile\nChile\n"
                                << "line 3: 'Chile' is listed";
        QTest::newRow("mixed") << "[categories]\nmixed\n"
                               << "line 2: 'mixed' is reserved";
        QTest::newRow("quote") << "[countries]\nA\"B\n"
                               << "line 2: a name with a control";
        QTest::newRow("too long") << "[countries]\n" + QString(101, 'x') + "\n"
                                  << "line 2: a name longer than 100 bytes";
    }
    void badTextsChangeNothing() {
        QFETCH(QString, text);
        QFETCH(QString, problem);
        const auto result = addReferenceData(text.toStdString());
        QVERIFY(result);
        QVERIFY2(result->starts_with(problem.toStdString()), result->c_str());
        QCOMPARE(countryCount(), kCountryCount);
        QCOMPARE(categoryCount(), kCategoryCount);
    }

    void tooManyCategories() {
        std::string text = "[categories]\n";
        for (int i = 0; i < kMaxCategories - kCategoryCount + 1; ++i) {
            text += "Extra " + std::to_string(i) + "\n";
        }
        const auto result = addReferenceData(text);
        QVERIFY(result);
        QVERIFY2(result->find("more than 250 categories") != std::string::npos, result->c_str());
        QCOMPARE(categoryCount(), kCategoryCount);
    }

    void fileErrorsNameTheFile() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("missing.txt").toStdString();
        QCOMPARE(addReferenceDataFile(missing),
                 std::optional<std::string>("cannot read " + missing));
        const std::string bad = dir.filePath("bad.txt").toStdString();
        std::ofstream(bad) << "[countries]\n\nBrazil\n[nations]\n";
        QCOMPARE(addReferenceDataFile(bad),
                 std::optional<std::string>(bad + ": line 4: unknown section [nations] (expected "
                                                  "[countries], [payment methods], [categories] "
                                                  "or [categories: <group>])"));
    }

    // The decoder follows the lists: refused with its reason, accepted once added.
    void decoderAcceptsAddedNames() {
        const Catalog catalog(CatalogConfig{.users = 10, .products = 10});
        const std::string view =
            R"({"event_id":"6f1c2a3e-5b4d-4c2a-9e8f-0a1b2c3d4e5f","event_type":"view",)"
            R"("timestamp":"2026-11-25T10:15:30Z","user_id":"USER_77777777777",)"
            R"("session_id":"7f1c2a3e-5b4d-4c2a-9e8f-0a1b2c3d4e5f","country":"Brazil",)"
            R"("product_id":"PROD_123456789","product_name":"Rake","category":"Garden Tools",)"
            R"("price":12.5,"view_duration":30,"from_search":false,"search_query":null,)"
            R"("previously_viewed_count":0})";
        const DecodeOptions options{.wall_clock = nullptr};
        auto result = decode(EventKind::ProductView, view, catalog, options);
        QVERIFY(std::holds_alternative<Rejection>(result));
        QCOMPARE(std::get<Rejection>(result).reason, RejectReason::UnknownCountry);
        QVERIFY(!addReferenceData("[countries]\nBrazil\n"));
        result = decode(EventKind::ProductView, view, catalog, options);
        QCOMPARE(std::get<Rejection>(result).reason, RejectReason::UnknownCategory);
        QVERIFY(!addReferenceData("[categories]\nGarden Tools\n"));
        result = decode(EventKind::ProductView, view, catalog, options);
        QVERIFY(std::holds_alternative<ProductViewEvent>(result));
        const auto& event = std::get<ProductViewEvent>(result);
        QCOMPARE(countryName(event.country), std::string_view("Brazil"));
        QCOMPARE(categoryName(event.category), std::string_view("Garden Tools"));
        QCOMPARE(formatUserId(event.user), std::string("USER_77777777777"));
        QCOMPARE(formatProductId(event.product), std::string("PROD_123456789"));
    }
};

QTEST_GUILESS_MAIN(TestReferenceData)
#include "tst_reference_data.moc"
