// SPDX-License-Identifier: GPL-3.0-or-later
// The initial stock file (pipeline/initial_stock.h, docs/initial-stock.md): its format, and its
// effect on the pipeline: a product outside our catalog with initial stock gets stock_levels
// rows and a low-stock alert like a catalog product; one without stays unknown (no rows).
#include "generator/catalog.h"
#include "generator/id_dictionary.h"
#include "pipeline/initial_stock.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"

#include <QTest>
#include <map>
#include <string>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-03-01T00:00:00Z");

ProductId product(const std::string& id) {
    std::uint32_t index = 0;
    if (IdDictionary::products().lookup(id, index) != IdDictionary::Verdict::Ok) {
        qFatal("not a product id: %s", id.c_str());
    }
    return index;
}

Transaction sale(int n, ProductId item, std::uint16_t quantity) {
    Transaction tx;
    tx.transaction_id.high = 0x16000 + static_cast<std::uint64_t>(n);
    tx.transaction_id.low = static_cast<std::uint64_t>(n);
    tx.timestamp = kStart + n * 1'000'000;
    tx.user = static_cast<UserId>(n);
    tx.products.push_back({item, kNoCategory, quantity, 500, kNoName});
    tx.total_amount = 500 * quantity;
    return tx;
}

} // namespace

class TestInitialStock : public QObject {
    Q_OBJECT

private slots:
    void formatHeaderOptional() {
        std::string problem;
        const auto with_header = parseInitialStock(
            "product_id,stock\r\nPROD_00000002, 7\r\n\r\nPROD_91000001 ,0\r\n", problem);
        QVERIFY2(with_header, problem.c_str());
        QCOMPARE(with_header->levels.size(), std::size_t{2});
        QCOMPARE(with_header->levels[0], std::make_pair(ProductId{1}, std::int64_t{7}));
        QCOMPARE(with_header->levels[1].first, product("PROD_91000001"));
        QCOMPARE(with_header->levels[1].second, std::int64_t{0});

        const auto without = parseInitialStock("PROD_00000002,7", problem);
        QVERIFY2(without, problem.c_str());
        QCOMPARE(without->levels.size(), std::size_t{1});
        QCOMPARE(without->levels[0], with_header->levels[0]);
        QVERIFY(parseInitialStock("", problem)->empty());
    }

    void faultsNameTheLine() {
        std::string problem;
        QVERIFY(!parseInitialStock("PROD_1,1\nPROD_2,x\n", problem));
        QVERIFY2(problem.starts_with("line 2: stock 'x'"), problem.c_str());
        QVERIFY(!parseInitialStock("PROD_1,1\nPROD_1,2\n", problem));
        QCOMPARE(problem, std::string("line 2: PROD_1 is already given on line 1"));
        QVERIFY(!parseInitialStock("product_id,stock\nproduct_id,stock\n", problem));
        QVERIFY2(problem.starts_with("line 2: 'product_id' is not a product id"), problem.c_str());
        QVERIFY(!parseInitialStock("PROD_1,\x01\n", problem));
        QVERIFY2(problem.find("\\x01") != std::string::npos, problem.c_str());
    }

    void foreignProductWithInitialStockGetsRowsAndAlerts() {
        // Our catalog: two products. The shop's: PROD_93000001 (initial stock 12) and
        // PROD_93000002 (no stock given).
        const Catalog catalog(CatalogConfig{.users = 10, .products = 2, .reference_time = kStart});
        std::string problem;
        const auto stock =
            parseInitialStock("PROD_93000001,12\nPROD_00000002,4\n", problem); // catalog: 1
        QVERIFY2(stock, problem.c_str());
        const ProductId stocked = product("PROD_93000001");
        const ProductId unknown = product("PROD_93000002");
        const auto table = std::make_shared<const ProductTable>(productTableFrom(catalog, *stock));
        QCOMPARE(table->size(), std::size_t{2});
        QCOMPARE((*table)[1].inventory, std::int64_t{4});
        QCOMPARE(table->extra_stock.size(), std::size_t{1});
        QVERIFY(table->stockKnown(stocked));
        QVERIFY(!table->stockKnown(unknown));
        const std::uint64_t unknown_before = table->stockUnknownCount();

        PipelineConfig config; // low-stock threshold 10
        config.workers = 1;
        MemorySink sink;
        StreamEngine engine(
            config, table, [] { return kStart; }, sink);
        EventBatch batch;
        batch.transactions = {sale(1, stocked, 1), sale(2, unknown, 5),  sale(3, 1, 1),
                              sale(4, stocked, 2), sale(5, unknown, 50), sale(6, stocked, 20)};
        engine.process(batch);
        engine.flush();
        const RowBatch rows = sink.take();

        std::map<ProductId, std::int64_t> last_level;
        for (const StockLevelRow& row : rows.stock_levels) {
            last_level[row.product_id] = row.stock_on_hand;
        }
        QVERIFY(!last_level.contains(unknown));            // stock unknown: no row
        QCOMPARE(last_level.at(stocked), std::int64_t{0}); // 12 - 1 - 2 - 20, never below zero
        QCOMPARE(last_level.at(1), std::int64_t{3});       // the file replaced the catalog's 100
        std::map<ProductId, std::int64_t> alerted;
        for (const LowStockAlertRow& row : rows.low_stock_alerts) {
            QVERIFY(!alerted.contains(row.product_id)); // one alert per fall
            alerted[row.product_id] = row.stock_on_hand;
        }
        QVERIFY(!alerted.contains(unknown));
        QCOMPARE(alerted.at(stocked), std::int64_t{9}); // 12 - 1 - 2: at or below 10
        QCOMPARE(alerted.at(1), std::int64_t{3});
        // Both shop products are counted outside the catalog; only one has unknown stock.
        QVERIFY(table->outsideCatalogCount() >= 2);
        QCOMPARE(table->stockUnknownCount(), unknown_before);
        QCOMPARE(table->outsideCatalogCount() - table->extra_stock.size(), unknown_before);
    }
};

QTEST_GUILESS_MAIN(TestInitialStock)
#include "tst_initial_stock.moc"
