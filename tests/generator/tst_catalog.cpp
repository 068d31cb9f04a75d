// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/catalog.h"
#include "generator/search_queries.h"

#include <QTest>
#include <bit>

using namespace gm;

class TestCatalog : public QObject {
    Q_OBJECT

    static const Catalog& catalog() {
        static const Catalog instance(CatalogConfig{.users = 100'000,
                                                    .products = 20'000,
                                                    .seed = 1,
                                                    .reference_time = 1'795'000'000'000'000});
        return instance;
    }

private slots:
    void referenceData() {
        QCOMPARE(categoryName(0), std::string_view("Smartphones"));
        QCOMPARE(categoryName(99), std::string_view("Outdoor Toys"));
        QCOMPARE(categoryGroup(*parseCategory("Yoga Mats")), CategoryGroup::Sports);
        QCOMPARE(categoriesOf(CategoryGroup::Electronics).size(), std::size_t{20});
        QCOMPARE(categoriesOf(CategoryGroup::Toys).size(), std::size_t{10});
        QVERIFY(!parseCountry("Spain"));
        QCOMPARE(*parsePaymentMethod("Apple Pay"), PaymentMethod::ApplePay);
    }

    void pricesFollowTheGroupRanges() {
        std::array<int, kCategoryGroupCount> lower{}, total{};
        for (ProductId id = 0; id < catalog().productCount(); ++id) {
            const Product& product = catalog().product(id);
            const auto group = categoryGroup(product.category);
            const PriceRangeCents range = priceRange(group);
            QVERIFY(product.price >= range.min && product.price <= range.max);
            lower[static_cast<int>(group)] += product.price <= (range.min + range.max) / 2;
            ++total[static_cast<int>(group)];
            QVERIFY(product.rating >= 1.0F && product.rating <= 5.0F);
            QVERIFY(product.inventory >= 0 && product.inventory <= 1000);
        }
        for (int g = 0; g < kCategoryGroupCount; ++g) {
            const double share = static_cast<double>(lower[g]) / total[g];
            QVERIFY2(std::abs(share - 0.7) < 0.03,
                     qPrintable(QString("group %1: %2").arg(g).arg(share)));
        }
    }

    void inventoryClasses() {
        int low = 0;
        int high = 0;
        for (ProductId id = 0; id < catalog().productCount(); ++id) {
            low += catalog().product(id).inventory < 20;
            high += catalog().product(id).inventory > 100;
        }
        const double n = catalog().productCount();
        QVERIFY(std::abs(low / n - 0.10) < 0.02);
        QVERIFY(std::abs(high / n - 0.40) < 0.02);
    }

    void usersAgesCountriesPreferences() {
        std::array<int, kCountryCount> countries{};
        int young = 0;
        for (UserId id = 0; id < catalog().userCount(); ++id) {
            const UserProfile& user = catalog().user(id);
            QVERIFY(user.age >= 18 && user.age <= 75);
            const int preferred = std::popcount(user.preferred_groups);
            QVERIFY(preferred >= 1 && preferred <= 3);
            young += user.age <= 24;
            ++countries[static_cast<int>(user.country)];
        }
        QVERIFY(std::abs(young / 100'000.0 - 0.15) < 0.01);
        for (int count : countries) {
            QVERIFY(std::abs(count / 100'000.0 - 0.2) < 0.01);
        }
    }

    void namesAndIds() {
        const std::string name = catalog().productName(0);
        QVERIFY(name.find(categoryName(catalog().product(0).category)) != std::string::npos);
        QCOMPARE(formatUserId(41), std::string("USER_00000042"));
        QCOMPARE(formatProductId(0), std::string("PROD_00000001"));
        QCOMPARE(catalog().userEmail(41), std::string("user42@example.com"));
    }

    void searchResultsCountMatchingNames() {
        const SearchIndex index(catalog());
        // Brute force over every product name for a few built-in queries.
        for (QueryId query : {QueryTable::genericTerm(0), QueryTable::categoryQuery(1),
                              QueryTable::brandQuery(3), QueryTable::genericTerm(4)}) {
            QString needle = QString::fromStdString(std::string(QueryTable::global().text(query)));
            std::uint32_t expected = 0;
            for (ProductId id = 0; id < catalog().productCount(); ++id) {
                const QString haystack = QString::fromStdString(catalog().productName(id)) + " " +
                                         QString::fromStdString(std::string(
                                             categoryName(catalog().product(id).category)));
                expected += haystack.contains(needle, Qt::CaseInsensitive);
            }
            QCOMPARE(index.resultsCount(query), expected);
        }
    }

    void priceRangeCounts() {
        std::uint32_t expected = 0;
        for (ProductId id = 0; id < catalog().productCount(); ++id) {
            const Product& p = catalog().product(id);
            expected += p.category == 5 && p.price >= 5000 && p.price <= 10000;
        }
        QCOMPARE(catalog().countInPriceRange(5, 5000, 10000), expected);
    }
};

QTEST_APPLESS_MAIN(TestCatalog)
#include "tst_catalog.moc"
