// SPDX-License-Identifier: GPL-3.0-or-later
// The Inventory page's note on stock scope counts truly: the catalog's products, those given by
// the initial stock file, the products named outside the catalog and of those the ones whose
// stock is unknown (issue 16).
#include "generator/id_dictionary.h"
#include "ui/inventory_page.h"

#include <QLabel>
#include <QTest>

using namespace gm;

namespace {

ProductId lookUp(const char* id) {
    std::uint32_t index = 0;
    if (IdDictionary::products().lookup(id, index) != IdDictionary::Verdict::Ok) {
        qFatal("not a product id: %s", id);
    }
    return index;
}

QString scopeText(InventoryPage& page, const ProductTable& products) {
    const SnapshotHistory history;
    PageContext context{history,
                        nullptr,
                        std::nullopt,
                        &products,
                        RunState::Running,
                        PipelineConfig{},
                        RunOptions{},
                        {0, 0},
                        0,
                        0,
                        0,
                        true,
                        DesktopSession::Services{}};
    page.showData(context);
    const auto* label = page.findChild<QLabel*>("stockScope");
    return label != nullptr ? label->text() : QString();
}

} // namespace

class TestInventoryScope : public QObject {
    Q_OBJECT

private slots:
    void countsProductsOutsideTheCatalog() {
        InventoryPage page;
        page.resize(1024, 700);
        ProductTable products(std::vector<ProductInfo>{{"Lamp", 3, 1000, 40}, {"Desk", 3, 900, 8}});
        QCOMPARE(products.outsideCatalogCount(), std::uint64_t{0}); // a fresh process
        QString text = scopeText(page, products);
        QVERIFY2(text.contains("the catalog's 2 products. 0 products named outside the catalog "
                               "so far, 0 of them with <b>unknown stock</b>"),
                 qPrintable(text));

        // A shop's product with initial stock, one without, one in our numbering beyond the
        // catalog (index 9), and a catalog product (not outside).
        products.extra_stock.emplace_back(lookUp("PROD_95000001"), 12);
        lookUp("PROD_95000002");
        lookUp("PROD_95000002");
        lookUp("PROD_00000010");
        lookUp("PROD_00000002");
        text = scopeText(page, products);
        QVERIFY2(text.contains("the catalog's 2 products and for 1 more from the initial stock "
                               "file. 3 products named outside the catalog so far, 2 of them "
                               "with <b>unknown stock</b>"),
                 qPrintable(text));
    }
};

QTEST_MAIN(TestInventoryScope)
#include "tst_inventory_scope.moc"
