// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 16: another shop's streams. A producer whose catalog is not ours (user and product ids
// far beyond our catalog's numbering or in other spellings, its own product names and prices,
// renamed and repriced halfway) publishes events in the original format with kcat. Every event
// is accepted, nothing is dead-lettered, the tables equal a brute-force computation over the
// same events (names and prices as sent), stock stays unknown. Two more runs of this binary in
// child processes, one with the dictionaries filled in another order first, consume the same
// events again: the tables are identical (rows carry text ids, never indexes).
#include "generator/id_dictionary.h"
#include "kafka_test_support.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"
#include "reference_model.h"
#include "table_compare.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <set>

using namespace gm;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kEvents = 20'000;
constexpr qint64 kForeignUserBase = 700'000'000;   // beyond our 100,000,000 users
constexpr qint64 kForeignProductBase = 60'000'000; // beyond our 10,000,000 products

std::uint32_t numberOf(const QString& id) {
    return id.mid(5).toUInt();
}

// Every third user is spelled without padding (USER_42): kept as sent, never rewritten.
QString foreignUser(const QString& ours) {
    const std::uint32_t n = numberOf(ours);
    return n % 3 == 0 ? QStringLiteral("USER_%1").arg(n)
                      : QStringLiteral("USER_%1").arg(kForeignUserBase + n);
}

QString foreignProduct(const QString& ours) {
    return QStringLiteral("PROD_%1").arg(kForeignProductBase + 7 * qint64{numberOf(ours)});
}

// The other shop renames every other product and reprices every product halfway through.
QString foreignName(const QString& ours, bool late) {
    const std::uint32_t n = numberOf(ours);
    return QStringLiteral("Other shop article %1%2")
        .arg(n)
        .arg(late && n % 2 == 0 ? QStringLiteral(" (new edition)") : QString());
}

qint64 foreignCents(double price, bool late) {
    const auto cents = static_cast<qint64>(std::llround(price * 100));
    return cents * 3 + 1 + (late ? 3 : 0);
}

double dollars(qint64 cents) {
    return static_cast<double>(cents) / 100.0;
}

// One of our events, encoded by our encoder, rewritten as the other shop would have sent it.
QByteArray foreignEvent(const std::string& ours, TimestampUs midpoint) {
    QJsonObject event = QJsonDocument::fromJson(QByteArray::fromStdString(ours)).object();
    const auto time = parseIsoTimestamp(event["timestamp"].toString().toStdString());
    const bool late = time && *time >= midpoint;
    event["user_id"] = foreignUser(event["user_id"].toString());
    const auto rewriteLines = [&](const char* field, const char* total_field) {
        QJsonArray lines = event[field].toArray();
        qint64 total = 0;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            QJsonObject line = lines[i].toObject();
            const QString ours_id = line["product_id"].toString();
            const qint64 cents = foreignCents(line["price"].toDouble(), late);
            total += cents * line["quantity"].toInteger();
            line["product_id"] = foreignProduct(ours_id);
            line["price"] = dollars(cents);
            if (line.contains("product_name")) {
                line["product_name"] = foreignName(ours_id, late);
            }
            lines[i] = line;
        }
        event[field] = lines;
        event[total_field] = dollars(total);
        if (event.contains("cart_value") && QString(field) == "items") {
            event["cart_value"] = dollars(total);
        }
    };
    if (event.contains("products")) {
        rewriteLines("products", "total_amount");
    } else if (event.contains("items")) {
        rewriteLines("items", "total_value");
    } else if (event.contains("product_ids")) {
        QJsonArray ids = event["product_ids"].toArray();
        QJsonArray names;
        QJsonArray prices = event["prices"].toArray();
        for (qsizetype i = 0; i < ids.size(); ++i) {
            const QString ours_id = ids[i].toString();
            ids[i] = foreignProduct(ours_id);
            names.append(foreignName(ours_id, late));
            prices[i] = dollars(foreignCents(prices[i].toDouble(), late));
        }
        event["product_ids"] = ids;
        event["product_names"] = names;
        event["prices"] = prices;
    } else if (event.contains("product_id")) {
        const QString ours_id = event["product_id"].toString();
        event["product_id"] = foreignProduct(ours_id);
        event["product_name"] = foreignName(ours_id, late);
        event["price"] = dollars(foreignCents(event["price"].toDouble(), late));
    }
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

struct Consumed {
    std::vector<EventBatch> batches;
    std::size_t events = 0;
    std::uint64_t dead_letters = 0;
};

Consumed consume(const std::string& brokers, const std::string& group, std::size_t expected) {
    KafkaSettings settings;
    settings.brokers = brokers;
    settings.group = group;
    settings.properties = {{"session.timeout.ms", "10000"}, {"heartbeat.interval.ms", "500"}};
    KafkaEventSource source(settings, test::catalog());
    source.start();
    Consumed out;
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    while (out.events < expected && std::chrono::steady_clock::now() < deadline) {
        if (auto batch = source.next(50ms)) {
            out.events += batch->size();
            out.batches.push_back(std::move(*batch));
        }
    }
    out.dead_letters = source.status().dead_letters;
    for (const auto& letter : source.takeDeadLetters()) {
        qWarning("dead letter %s: %s", std::string(reasonName(letter.reason)).c_str(),
                 letter.detail.c_str());
    }
    source.stop();
    return out;
}

struct Tables {
    RowBatch rows;
    PipelineFigures figures;
    std::shared_ptr<const ProductTable> products;
};

Tables runPipeline(const std::vector<EventBatch>& batches) {
    Tables out;
    out.products = std::make_shared<const ProductTable>(productTableFrom(test::catalog()));
    MemorySink sink;
    PipelineConfig config;
    config.workers = 2;
    StreamEngine engine(
        config, out.products, [] { return test::kStart; }, sink);
    for (const EventBatch& batch : batches) {
        engine.process(batch);
    }
    engine.flush();
    out.figures = engine.counters().figures();
    out.rows = sink.take();
    return out;
}

QByteArray tablesText(const RowBatch& rows) {
    QByteArray text;
    for (int i = 0; i < kTableCount; ++i) {
        const auto table = static_cast<TableId>(i);
        text += "== " + QByteArray::fromStdString(std::string(tableName(table))) + "\n";
        for (const std::string& line : test::canonicalLines(rows, table, true)) {
            text += QByteArray::fromStdString(line) + "\n";
        }
    }
    return text;
}

// The child process: consume everything again under its own group and write the tables.
int childRun() {
    const std::string brokers = qEnvironmentVariable("GM_ANY_SHOP_BROKERS").toStdString();
    const std::string group = qEnvironmentVariable("GM_ANY_SHOP_GROUP").toStdString();
    const auto expected =
        static_cast<std::size_t>(qEnvironmentVariable("GM_ANY_SHOP_EVENTS").toULongLong());
    if (qEnvironmentVariableIsSet("GM_ANY_SHOP_SCRAMBLE")) {
        // Fill the dictionaries in another order first: every index differs from the other runs.
        for (qint64 n = 3000; n >= 1; --n) {
            std::uint32_t index = 0;
            IdDictionary::users().lookup(
                QStringLiteral("USER_%1").arg(kForeignUserBase + n).toStdString(), index);
            IdDictionary::products().lookup(
                QStringLiteral("PROD_%1").arg(kForeignProductBase + 7 * n).toStdString(), index);
        }
    }
    const Consumed consumed = consume(brokers, group, expected);
    if (consumed.events != expected || consumed.dead_letters != 0) {
        fprintf(stderr, "child consumed %zu of %zu events, %llu dead letters\n", consumed.events,
                expected, static_cast<unsigned long long>(consumed.dead_letters));
        return 1;
    }
    QFile out(qEnvironmentVariable("GM_ANY_SHOP_OUT"));
    if (!out.open(QIODevice::WriteOnly)) {
        return 1;
    }
    out.write(tablesText(runPipeline(consumed.batches).rows));
    return 0;
}

} // namespace

class TestAnyShop : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    QTemporaryDir dir_;
    std::size_t published_ = 0;
    std::vector<std::string> foreign_products_;

    QByteArray runChild(const QString& group, bool scramble) {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("GM_ANY_SHOP_CHILD", "1");
        env.insert("GM_ANY_SHOP_BROKERS", QString::fromStdString(kafka_->bootstrapServers()));
        env.insert("GM_ANY_SHOP_GROUP", group);
        env.insert("GM_ANY_SHOP_EVENTS", QString::number(published_));
        const QString out = dir_.filePath(group + ".txt");
        env.insert("GM_ANY_SHOP_OUT", out);
        if (scramble) {
            env.insert("GM_ANY_SHOP_SCRAMBLE", "1");
        }
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        if (!child.waitForFinished(150'000) || child.exitCode() != 0) {
            qWarning("child: %s", child.readAllStandardError().constData());
            return {};
        }
        QFile file(out);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 8, .topics = test::eventTopics()});
        QVERIFY2(test::runKcat({"-V"}).exit_code == 0, "kcat is not installed");

        // Our simulator invents the shop's behaviour; the other shop's catalog replaces ours.
        SimulatorConfig config;
        config.seed = 16;
        ShopSimulator simulator(test::catalog(), config, test::kStart);
        simulator.setShopRate(20); // about 17 simulated minutes: trending windows close
        EventBatch batch;
        simulator.generate(kEvents, batch);
        TimestampUs last = test::kStart;
        for (const auto& t : batch.transactions) {
            last = std::max(last, t.timestamp);
        }
        const TimestampUs midpoint = test::kStart + (last - test::kStart) / 2;
        const KafkaTopics topics;
        const auto publish = [&](const std::string& topic, const auto& events) {
            QFile file(dir_.filePath(QString::fromStdString(topic) + ".jsonl"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            for (const auto& event : events) {
                const QByteArray json = foreignEvent(test::encoder().encode(event), midpoint);
                const QJsonObject object = QJsonDocument::fromJson(json).object();
                file.write(object["user_id"].toString().toUtf8() + "\t" + json + "\n");
            }
            file.close();
            const auto result =
                test::runKcat({"-b", QString::fromStdString(kafka_->bootstrapServers()), "-P", "-t",
                               QString::fromStdString(topic), "-K", "\t", "-l", file.fileName()});
            QVERIFY2(result.exit_code == 0, result.err.constData());
            published_ += events.size();
        };
        publish(topics.transactions, batch.transactions);
        publish(topics.cart_events, batch.carts);
        publish(topics.product_views, batch.views);
        QCOMPARE(published_, kEvents);
    }

    void everyEventAcceptedAndTablesExact() {
        const Consumed consumed =
            consume(kafka_->bootstrapServers(), "any-shop-parent", published_);
        QCOMPARE(consumed.events, published_);
        QCOMPARE(consumed.dead_letters, std::uint64_t{0});

        // The ids are kept as sent: none is in our catalog's numbering, unpadded ones stay so.
        bool saw_unpadded = false;
        for (const EventBatch& batch : consumed.batches) {
            for (const auto& t : batch.transactions) {
                const std::string user = formatUserId(t.user);
                QVERIFY2(!IdDictionary::users().isCatalogIndex(t.user), user.c_str());
                saw_unpadded |= user.size() < 13;
                for (const auto& line : t.products) {
                    QVERIFY(!IdDictionary::products().isCatalogIndex(line.product));
                    QVERIFY(formatProductId(line.product).starts_with("PROD_6"));
                }
            }
        }
        QVERIFY(saw_unpadded);

        const Tables tables = runPipeline(consumed.batches);
        PipelineConfig config;
        const RowBatch reference = test::referenceRows(consumed.batches, *tables.products, config);
        std::string failures;
        for (int i = 0; i < kTableCount; ++i) {
            const auto table = static_cast<TableId>(i);
            const auto expected = test::canonicalLines(reference, table, true);
            const std::string diff =
                test::diffLines(expected, test::canonicalLines(tables.rows, table, true));
            if (!diff.empty()) {
                failures += std::string(tableName(table)) + ": " + diff;
            }
        }
        QVERIFY2(failures.empty(), failures.c_str());
        for (const JobFigures& job : tables.figures.jobs) {
            QCOMPARE(job.late, std::uint64_t{0});
            QCOMPARE(job.rejected, std::uint64_t{0});
        }
        QVERIFY(!tables.rows.trending_products.empty());
        QVERIFY(!tables.rows.product_sales_velocity.empty());
        // Stock of the other shop's products is unknown: no levels, no low-stock alerts.
        QVERIFY(tables.rows.stock_levels.empty());
        QVERIFY(tables.rows.low_stock_alerts.empty());
        // After the flush no user holds state: every window and session closed and freed.
        QCOMPARE(tables.figures.open_sessions, std::uint64_t{0});
        for (const JobFigures& job : tables.figures.jobs) {
            QCOMPARE(job.open_windows, std::uint64_t{0});
        }

        // Names and prices as sent: trending rows after the midpoint show the new edition.
        bool renamed = false;
        for (const auto& row : tables.rows.trending_products) {
            QVERIFY2(row.product_name.starts_with("Other shop article "), row.product_name.c_str());
            renamed |= row.product_name.ends_with("(new edition)");
            QCOMPARE(row.product_price % 3, Cents{1}); // 3 x ours + 1 (+ 3 later)
        }
        QVERIFY(renamed);
        // Renames and reprices are counted; the newest name is the one shown.
        QVERIFY(tables.products->live->changes() > 0);
        const auto renamed_index =
            IdDictionary::products().find("PROD_" + std::to_string(kForeignProductBase + 14));
        QVERIFY(renamed_index);
        QVERIFY(*renamed_index >= IdDictionary::products().catalogRange());
        const ProductId product = *renamed_index;
        QCOMPARE(tables.products->nameOf(product),
                 std::string("Other shop article 2 (new edition)"));
        QVERIFY(!tables.products->stockKnown(product));

        // The same events in two more processes, one with its dictionaries filled backwards.
        const QByteArray ours = tablesText(tables.rows);
        const QByteArray again = runChild("any-shop-child-a", false);
        const QByteArray scrambled = runChild("any-shop-child-b", true);
        QVERIFY(!again.isEmpty());
        QCOMPARE(again, ours);
        QCOMPARE(scrambled, ours);
    }

    // Outside the lists: dead-lettered with the reason; accepted once a reference-data file
    // (what --reference-data reads) adds the names.
    void unknownCountryAndCategoryUntilAdded() {
        KafkaTopics topics;
        topics.transactions = "vocab-transactions";
        topics.cart_events = "vocab-cart-events";
        topics.product_views = "vocab-product-views";
        topics.alerts = "vocab-alerts";
        const QString views = dir_.filePath("vocab.jsonl");
        {
            QFile file(views);
            QVERIFY(file.open(QIODevice::WriteOnly));
            const char* kView =
                R"({"event_id":"%1","event_type":"view","timestamp":"2026-11-18T20:00:00Z",)"
                R"("user_id":"USER_5","session_id":"7f1c2a3e-5b4d-4c2a-9e8f-0a1b2c3d4e5f",)"
                R"("country":"%2","product_id":"PROD_80000001","product_name":"Rake",)"
                R"("category":"%3","price":12.5,"view_duration":30,"from_search":false,)"
                R"("search_query":null,"previously_viewed_count":0})";
            file.write(QString::fromLatin1(kView)
                           .arg("6f1c2a3e-5b4d-4c2a-9e8f-0a1b2c3d4e51", "Brazil", "Bicycles")
                           .toUtf8() +
                       "\n");
            file.write(QString::fromLatin1(kView)
                           .arg("6f1c2a3e-5b4d-4c2a-9e8f-0a1b2c3d4e52", "France", "Garden Tools")
                           .toUtf8() +
                       "\n");
        }
        const auto produced =
            test::runKcat({"-b", QString::fromStdString(kafka_->bootstrapServers()), "-P", "-t",
                           QString::fromStdString(topics.product_views), "-l", views});
        QVERIFY2(produced.exit_code == 0, produced.err.constData());

        const auto read = [&](const std::string& group, std::size_t events, std::size_t letters) {
            KafkaSettings settings = test::settingsFor(*kafka_, group);
            settings.topics = topics;
            KafkaEventSource source(settings, test::catalog());
            source.start();
            std::vector<DeadLetter> dead;
            EventBatch accepted;
            test::waitUntil(
                [&] {
                    if (auto batch = source.next(50ms)) {
                        test::append(accepted, std::move(*batch));
                    }
                    for (auto& letter : source.takeDeadLetters()) {
                        dead.push_back(std::move(letter));
                    }
                    return accepted.size() + dead.size() >= events + letters;
                },
                60s);
            source.stop();
            return std::pair{accepted.size(), dead};
        };
        const auto [refused_events, refused] = read("vocab-before", 0, 2);
        QCOMPARE(refused_events, std::size_t{0});
        QCOMPARE(refused.size(), std::size_t{2});
        std::set<RejectReason> reasons;
        for (const auto& letter : refused) {
            reasons.insert(letter.reason);
        }
        QCOMPARE(reasons, (std::set<RejectReason>{RejectReason::UnknownCountry,
                                                  RejectReason::UnknownCategory}));

        const QString extra = dir_.filePath("reference-data.txt");
        {
            QFile file(extra);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("[countries]\nBrazil\n\n[categories: Home & Kitchen]\nGarden Tools\n");
        }
        const auto problem = addReferenceDataFile(extra.toStdString());
        QVERIFY2(!problem, problem ? problem->c_str() : "");
        const auto [accepted_events, still_refused] = read("vocab-after", 2, 0);
        resetReferenceData();
        QCOMPARE(accepted_events, std::size_t{2});
        QCOMPARE(still_refused.size(), std::size_t{0});
    }

    void cleanupTestCase() { kafka_.reset(); }
};

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet("GM_ANY_SHOP_CHILD")) {
        return childRun();
    }
    TestAnyShop test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_any_shop.moc"
