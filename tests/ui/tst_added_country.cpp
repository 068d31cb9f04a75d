// SPDX-License-Identifier: GPL-3.0-or-later
// A country added by a reference-data file (issue 16, countries as data) reaches the Carts page
// like a built-in one: cart events naming it, decoded from JSON in the original's format and run
// through the pipeline, give it its own line in the per-country chart, a choice in the country
// breakdown and an entry in the abandoned-cart table's country filter, which then shows its
// session. Stored history keeps its series too (real PostgreSQL that tests/run.sh starts).
#include "../db/db_test_support.h"
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/reference_data.h"
#include "models/snapshot_history.h"
#include "pipeline/memory_sink.h"
#include "pipeline/pipeline.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/postgres/minute_history.h"
#include "tests/ui/range_test_support.h"
#include "ui/carts_page.h"
#include "ui/table_panel.h"
#include "ui/time_chart.h"

#include <QComboBox>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace gm;

namespace {

const TimestampUs kStart = *parseIsoTimestamp("2026-05-01T12:00:00Z");
constexpr TimestampUs kMinute = kMicrosPerMinute;

// An add_to_cart event as the original's producer writes it.
std::string addToCart(int n, const std::string& country, const std::string& user,
                      TimestampUs time) {
    const std::string stamp = formatIsoTimestamp(time);
    return "{\"event_id\": \"" + toString(makeUuidV4(7, static_cast<std::uint64_t>(n))) +
           "\", \"event_type\": \"add_to_cart\", \"timestamp\": \"" +
           stamp.substr(0, stamp.size() - 1) + "\", \"user_id\": \"" + user +
           "\", \"session_id\": \"" + toString(makeUuidV4(8, static_cast<std::uint64_t>(n))) +
           "\", \"country\": \"" + country +
           "\", \"product_id\": \"PROD_00000001\", \"product_name\": \"Nexa Thing 0\","
           " \"category\": \"" +
           std::string(categoryName(0)) +
           "\", \"price\": 19.99, \"quantity\": 1, \"cart_size\": 1, \"cart_value\": 19.99}";
}

template <typename Predicate> bool waitFor(Predicate predicate, int milliseconds = 20000) {
    for (int waited = 0; waited < milliseconds; waited += 5) {
        if (predicate()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return predicate();
}

PageContext contextFor(const SnapshotHistory& history, const SnapshotPtr& snapshot) {
    return test::pageContext(history, snapshot, RunState::Running, nullptr);
}

const QLineSeries* lineNamed(const TimeChart& chart, const QString& name) {
    for (QAbstractSeries* series : chart.chart()->series()) {
        if (series->name() == name) {
            return qobject_cast<const QLineSeries*>(series);
        }
    }
    return nullptr;
}

QStringList itemsOf(const QComboBox* box) {
    QStringList items;
    for (int i = 0; i < box->count(); ++i) {
        items << box->itemText(i);
    }
    return items;
}

} // namespace

class TestAddedCountry : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString path = dir_.filePath(QStringLiteral("shop.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# A shop that also sells in Brazil\n[countries]\nBrazil\n");
        file.close();
        const auto problem = addReferenceDataFile(path.toStdString());
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        QCOMPARE(countryCount(), kCountryCount + 1);
        brazil_ = *parseCountry("Brazil");
        QCOMPARE(static_cast<int>(brazil_), kCountryCount);
    }

    void cleanupTestCase() { resetReferenceData(); }

    void eventsOfTheAddedCountryGetALineAndAFilterEntry() {
        // Decoded as a Kafka consumer would: the added country passes validation.
        CatalogConfig catalog_config;
        catalog_config.users = 100;
        catalog_config.products = 5;
        const Catalog catalog(catalog_config);
        DecodeOptions options;
        options.wall_clock = nullptr;
        EventDecoder decoder(catalog, options);
        EventBatch batch;
        const struct {
            const char* country;
            const char* user;
            TimestampUs at;
        } adds[] = {{"Brazil", "USER_00000001", kStart + 5'000'000},
                    {"Brazil", "USER_00000002", kStart + 9'000'000},
                    {"USA", "USER_00000003", kStart + 12'000'000}};
        int n = 0;
        for (const auto& add : adds) {
            CartEvent event;
            const auto rejected =
                decoder.decode(addToCart(++n, add.country, add.user, add.at), event);
            QVERIFY2(!rejected, rejected ? rejected->detail.c_str() : "");
            batch.carts.push_back(event);
        }
        QCOMPARE(batch.carts[0].country, brazil_);

        PipelineConfig config;
        config.workers = 2;
        config.idle_timeout_wall = 50'000;
        config.snapshot_interval_wall = 20'000;
        auto products = std::make_shared<ProductTable>();
        for (int i = 0; i < 5; ++i) {
            products->push_back({"P" + std::to_string(i), 0, 100, 1000});
        }
        std::atomic<TimestampUs> clock{kStart};
        BoundedQueue<EventBatch> queue(4);
        QueueSource source(queue);
        MemorySink sink;
        Pipeline pipeline(
            config, products, [&] { return clock.load(); }, source, sink);
        pipeline.start();
        queue.push(std::move(batch));
        QVERIFY(waitFor([&] { return pipeline.counters().events.load() == 3; }));
        // Idle: the watermark follows the clock past the minute and the sessions' timeout.
        clock = kStart + 45 * kMinute;
        const auto ready = [&] {
            const SnapshotPtr snapshot = pipeline.snapshot();
            if (!snapshot) {
                return false;
            }
            bool brazil_minute = false;
            for (const CartMetricsRow& row : snapshot->recent.cart_metrics) {
                brazil_minute = brazil_minute || row.country == brazil_;
            }
            return brazil_minute && snapshot->recent.abandoned_carts.size() == 3;
        };
        QVERIFY(waitFor(ready));
        const SnapshotPtr snapshot = pipeline.snapshot();
        pipeline.stop();

        SnapshotHistory history;
        history.absorb(snapshot);
        QVERIFY(history.abandonment.size() >= static_cast<std::size_t>(countryCount()));
        const std::vector<SeriesPoint> brazil_points =
            history.abandonment[static_cast<std::size_t>(brazil_)].points();
        QCOMPARE(brazil_points.size(), std::size_t{1});
        QCOMPARE(brazil_points[0].window_start, kStart);
        QCOMPARE(brazil_points[0].value, 100.0); // two adds, no checkout

        CartsPage page;
        page.resize(1000, 700);
        QComboBox* breakdown = page.breakdownBox();
        QVERIFY2(itemsOf(breakdown).contains(QStringLiteral("total and Brazil")),
                 qPrintable(itemsOf(breakdown).join(QLatin1Char('|'))));
        // Every country: the total, the five built-in ones and Brazil, in its own colour.
        breakdown->setCurrentIndex(1);
        page.showData(contextFor(history, snapshot));
        const QLineSeries* line = lineNamed(*page.chart(), QStringLiteral("Brazil"));
        QVERIFY(line != nullptr);
        QCOMPARE(line->count(), 1);
        QCOMPARE(line->at(0).y(), 100.0);
        const QLineSeries* total = lineNamed(*page.chart(), QStringLiteral("All countries"));
        QVERIFY(total != nullptr);
        QVERIFY(line->color() != total->color());
        QVERIFY(lineNamed(*page.chart(), QStringLiteral("USA")) != nullptr);
        // Brazil alone beside the total.
        breakdown->setCurrentIndex(breakdown->findData(static_cast<int>(brazil_)));
        page.showData(contextFor(history, snapshot));
        QVERIFY(lineNamed(*page.chart(), QStringLiteral("Brazil")) != nullptr);
        const QLineSeries* usa = lineNamed(*page.chart(), QStringLiteral("USA"));
        QVERIFY(usa == nullptr || usa->count() == 0); // a line left out is emptied

        // The abandoned sessions' country filter offers Brazil and shows its two sessions.
        TablePanel* table = page.abandonedTable();
        QCOMPARE(table->model()->rowCount(), 3);
        QComboBox* countries = table->countryBox();
        const int entry = countries->findData(QStringLiteral("Brazil"));
        QVERIFY2(entry > 0, qPrintable(itemsOf(countries).join(QLatin1Char('|'))));
        QCOMPARE(countries->count(), 1 + countryCount());
        countries->setCurrentIndex(entry);
        QCOMPARE(table->proxy()->rowCount(), 2);
    }

    void storedHistoryKeepsTheAddedCountrysSeries() {
        GM_REQUIRE_SERVER();
        test::ScratchDatabase database;
        pqxx::connection connection(database.conninfo());
        MigrationRunner::embedded().migrate(connection);
        {
            pqxx::work work(connection);
            work.exec_params("INSERT INTO cart_metrics (window_start, window_end, country,"
                             " total_cart_events, adds, removes, updates, checkouts,"
                             " avg_cart_value, max_cart_value, abandonment_rate_pct)"
                             " VALUES ($1::timestamptz, $2::timestamptz, 'Brazil', 4, 4, 0, 0, 1,"
                             " 10, 10, 75), ($1::timestamptz, $2::timestamptz, 'USA', 2, 2, 0, 0,"
                             " 2, 10, 10, 0)",
                             formatIsoTimestamp(kStart), formatIsoTimestamp(kStart + kMinute));
            work.commit();
        }
        const StoredMinutes stored =
            readStoredMinutes(database.conninfo(), kStart, kStart + 10 * kMinute, kStoredCarts);
        QVERIFY2(stored.error.empty(), stored.error.c_str());
        QCOMPARE(stored.abandonment.size(), static_cast<std::size_t>(countryCount()));
        const auto& brazil = stored.abandonment[static_cast<std::size_t>(brazil_)];
        QCOMPARE(brazil.size(), std::size_t{1});
        QCOMPARE(brazil[0].value, 75.0);
        QCOMPARE(stored.cart_adds.front().value, 6.0); // summed over both countries
    }

private:
    QTemporaryDir dir_;
    Country brazil_ = Country::USA;
};

QTEST_MAIN(TestAddedCountry)
#include "tst_added_country.moc"
