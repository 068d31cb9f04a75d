// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON codec: every event kind and type survives encode -> decode unchanged, the output has
// exactly the spec's field names and formats (checked with Qt's own JSON parser as an independent
// reader), and hostile payloads are refused without crashing.
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/json_reader.h"
#include "generator/json_writer.h"
#include "generator/number_text.h"
#include "generator/random.h"
#include "generator/search_queries.h"
#include "generator/simulator.h"
#include "generator/validation.h"
#include "tests/generator/sample_events.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QTimeZone>
#include <charconv>
#include <cmath>
#include <cstring>
#include <variant>

using namespace gm;
using namespace gm::test;

namespace {

// A decoded event carries the product names as sent (interned); a generated one names none.
Transaction withoutNames(Transaction event) {
    for (auto& line : event.products) {
        line.name = kNoName;
    }
    return event;
}
CartEvent withoutNames(CartEvent event) {
    event.product_name = kNoName;
    for (auto& line : event.items) {
        line.name = kNoName;
    }
    return event;
}
ProductViewEvent withoutNames(ProductViewEvent event) {
    event.product_name = kNoName;
    event.compare_names.clear();
    return event;
}

Transaction transaction(std::initializer_list<OrderLine> lines) {
    Transaction t;
    t.transaction_id = uuid(1);
    t.timestamp = kStart + 123'456;
    t.user = 41;
    t.country = Country::Germany;
    t.payment_method = PaymentMethod::ApplePay;
    t.products = lines;
    for (const OrderLine& l : t.products) {
        t.total_amount += l.amount();
    }
    return t;
}

ProductViewEvent viewEvent(ViewEventType type) {
    ProductViewEvent e;
    e.event_id = uuid(4);
    e.session_id = uuid(5);
    e.timestamp = kStart - 1;
    e.user = 0;
    e.event_type = type;
    e.country = Country::UK;
    switch (type) {
    case ViewEventType::View: {
        const OrderLine item = line(0, 1);
        e.product = item.product;
        e.category = item.category;
        e.price = item.price;
        e.view_duration = 37;
        e.previously_viewed_count = 2;
        break;
    }
    case ViewEventType::Search:
        e.search_query = QueryTable::categoryQuery(5);
        e.results_count = 17;
        break;
    case ViewEventType::Filter:
        e.results_count = 0;
        break;
    case ViewEventType::Compare:
        e.compare_products = {1, 2, 3};
        for (ProductId p : e.compare_products) {
            e.compare_prices.push_back(catalog().product(p).price);
        }
        e.category = kMixedCategory;
        break;
    }
    return e;
}

// One sample of every event kind and type, with the variants worth telling apart.
std::vector<std::pair<const char*, AnyEvent>> samples() {
    std::vector<std::pair<const char*, AnyEvent>> all;
    all.emplace_back("transaction, one line", transaction({line(5, 1)}));
    all.emplace_back("transaction, five lines",
                     transaction({line(1, 1), line(2, 3), line(3, 2), line(4, 1), line(199, 1)}));
    Transaction cheap = transaction({line(6, 1)});
    cheap.products[0].price = 5;
    cheap.total_amount = 5; // 0.05: a leading zero after the point
    all.emplace_back("transaction, five cents", cheap);
    all.emplace_back("add_to_cart", cartEvent(CartEventType::AddToCart));
    all.emplace_back("remove_from_cart", cartEvent(CartEventType::RemoveFromCart));
    all.emplace_back("update_quantity", cartEvent(CartEventType::UpdateQuantity));
    all.emplace_back("checkout", cartEvent(CartEventType::Checkout));
    all.emplace_back("view", viewEvent(ViewEventType::View));
    ProductViewEvent from_search = viewEvent(ViewEventType::View);
    from_search.from_search = true;
    from_search.search_query = QueryTable::genericTerm(0);
    all.emplace_back("view from a search", from_search);
    ProductViewEvent foreign_query = viewEvent(ViewEventType::View);
    foreign_query.from_search = true;
    foreign_query.search_query = QueryTable::global().intern("blaue \"Schuhe\" \\ größe 42 ☂");
    all.emplace_back("view from a foreign query with escapes", foreign_query);
    all.emplace_back("search", viewEvent(ViewEventType::Search));
    all.emplace_back("filter without category or band", viewEvent(ViewEventType::Filter));
    ProductViewEvent band = viewEvent(ViewEventType::Filter);
    band.filter_category = 42;
    band.has_price_range = true;
    band.min_price = 50'00;
    band.max_price = 100'00;
    band.results_count = 12;
    all.emplace_back("filter with category and band", band);
    all.emplace_back("compare, mixed", viewEvent(ViewEventType::Compare));
    ProductViewEvent same = viewEvent(ViewEventType::Compare);
    const CategoryId category = catalog().product(10).category;
    same.compare_products = {10, 10};
    same.compare_prices = {catalog().product(10).price, catalog().product(10).price};
    same.category = category;
    all.emplace_back("compare, one category", same);
    return all;
}

std::string encode(const AnyEvent& event) {
    return std::visit([](const auto& e) { return encoder().encode(e); }, event);
}

QJsonObject parseWithQt(const std::string& json) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qWarning("Qt cannot parse: %s (%s)", json.c_str(), qPrintable(error.errorString()));
        return {};
    }
    return document.object();
}

QStringList sortedKeys(const QJsonObject& object) {
    QStringList keys = object.keys();
    keys.sort();
    return keys;
}

QStringList sorted(QStringList list) {
    list.sort();
    return list;
}

std::string toStd(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

const char* reasonOf(const DecodeResult& result) {
    if (const auto* rejection = std::get_if<Rejection>(&result)) {
        return reasonName(rejection->reason).data();
    }
    return "accepted";
}

} // namespace

class TestEventCodec : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("sample");
        const auto all = samples();
        for (std::size_t i = 0; i < all.size(); ++i) {
            QTest::newRow(all[i].first) << static_cast<int>(i);
        }
    }

    void roundTrip() {
        QFETCH(int, sample);
        const AnyEvent original = samples()[static_cast<std::size_t>(sample)].second;
        const std::string json = encode(original);
        QVERIFY2(std::visit([](const auto& e) { return !validate(e); }, original), json.c_str());
        EventDecoder decoder(catalog());
        // The decoder announces the event's own id once, with the kind (the Kafka source
        // prefetches its duplicate check from it).
        std::vector<std::pair<EventKind, Uuid>> announced;
        decoder.onEventId(
            [](void* context, EventKind kind, const Uuid& id) {
                static_cast<std::vector<std::pair<EventKind, Uuid>>*>(context)->emplace_back(kind,
                                                                                             id);
            },
            &announced);
        const DecodeResult result = decoder.decode(kindOf(original), json);
        if (const auto* rejection = std::get_if<Rejection>(&result)) {
            QFAIL(qPrintable(QString::fromStdString(rejection->detail + " in " + json)));
        }
        const Uuid own_id = std::visit(
            [](const auto& e) {
                if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Transaction>) {
                    return e.transaction_id;
                } else {
                    return e.event_id;
                }
            },
            original);
        QCOMPARE(announced.size(), std::size_t{1});
        QVERIFY(announced[0] == std::make_pair(kindOf(original), own_id));
        // The decoded event carries the names as sent (interned); a generated one names none
        // (the catalog's applies). The names' text is checked by re-encoding below.
        const bool equal = std::visit(
            [&](const auto& e) {
                using Event = std::decay_t<decltype(e)>;
                const auto* decoded = std::get_if<Event>(&result);
                if (decoded == nullptr) {
                    return false;
                }
                return withoutNames(*decoded) == e;
            },
            original);
        QVERIFY2(equal, json.c_str());
        // Encoding the decoded event gives the same bytes: nothing is lost or reordered.
        const std::string again = std::visit(
            [](const auto& e) -> std::string {
                if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Rejection>) {
                    return {};
                } else {
                    return encoder().encode(e);
                }
            },
            result);
        QCOMPARE(again, json);
    }

    void specFieldNames_data() {
        QTest::addColumn<int>("sample");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QStringList>("lineFields");
        const QStringList cart_common = {"event_id", "event_type", "timestamp",
                                         "user_id",  "session_id", "country"};
        const QStringList item = {"product_id", "product_name", "category", "price"};
        const auto all = samples();
        const auto row = [&](const char* name, const QStringList& fields,
                             const QStringList& line_fields = {}) {
            for (std::size_t i = 0; i < all.size(); ++i) {
                if (qstrcmp(all[i].first, name) == 0) {
                    QTest::newRow(name)
                        << static_cast<int>(i) << sorted(fields) << sorted(line_fields);
                    return;
                }
            }
            QFAIL(name);
        };
        row("transaction, one line",
            {"transaction_id", "user_id", "timestamp", "products", "total_amount", "payment_method",
             "country"},
            {"product_id", "quantity", "price"});
        row("add_to_cart", cart_common + item + QStringList{"quantity", "cart_size", "cart_value"});
        row("remove_from_cart",
            cart_common + item + QStringList{"quantity", "cart_size", "cart_value"});
        row("update_quantity",
            cart_common + item +
                QStringList{"old_quantity", "new_quantity", "cart_size", "cart_value"});
        row("checkout",
            cart_common +
                QStringList{"items", "total_items", "total_value", "cart_value", "cart_size"},
            item + QStringList{"quantity"});
        row("view", cart_common + item +
                        QStringList{"view_duration", "from_search", "search_query",
                                    "previously_viewed_count"});
        row("search", cart_common + QStringList{"search_query", "results_count"});
        row("filter with category and band",
            cart_common +
                QStringList{"filter_category", "min_price", "max_price", "results_count"});
        row("compare, mixed",
            cart_common + QStringList{"product_ids", "product_names", "prices", "category"});
    }

    void specFieldNames() {
        QFETCH(int, sample);
        QFETCH(QStringList, fields);
        QFETCH(QStringList, lineFields);
        const std::string json = encode(samples()[static_cast<std::size_t>(sample)].second);
        const QJsonObject object = parseWithQt(json);
        QCOMPARE(sortedKeys(object), fields);
        for (const char* array : {"products", "items"}) {
            for (const QJsonValue& element : object.value(array).toArray()) {
                QCOMPARE(sortedKeys(element.toObject()), lineFields);
            }
        }
    }

    void wireFormats() {
        // A checkout has every kind of value: ids, timestamp, names, money, counts.
        const CartEvent checkout = cartEvent(CartEventType::Checkout);
        const std::string json = encoder().encode(checkout);
        const QJsonObject object = parseWithQt(json);
        const QRegularExpression iso(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$)");
        const QRegularExpression uuid_pattern(
            "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
            "[0-9a-f]{12}$");
        QVERIFY(iso.match(object["timestamp"].toString()).hasMatch());
        QVERIFY(uuid_pattern.match(object["event_id"].toString()).hasMatch());
        QVERIFY(uuid_pattern.match(object["session_id"].toString()).hasMatch());
        QCOMPARE(object["user_id"].toString(), QString("USER_00001000"));
        QCOMPARE(object["event_type"].toString(), QString("checkout"));
        QCOMPARE(object["country"].toString(), QString("Japan"));
        const QJsonObject first = object["items"].toArray()[0].toObject();
        QCOMPARE(first["product_id"].toString(), QString("PROD_00000004"));
        QCOMPARE(first["product_name"].toString(),
                 QString::fromStdString(catalog().productName(3)));
        QCOMPARE(first["category"].toString(),
                 QString::fromUtf8(categoryName(catalog().product(3).category)));
        QVERIFY(first["price"].isDouble());
        QCOMPARE(first["quantity"].toInt(), 1);
        QCOMPARE(std::llround(object["total_value"].toDouble() * 100), checkout.total_value);
        QCOMPARE(object["cart_value"].toDouble(), object["total_value"].toDouble());
        // Money is written with exactly two decimals.
        const QRegularExpression money(R"re("(price|total_value|cart_value)":(-?\d+)\.(\d+))re");
        auto matches = money.globalMatch(QString::fromStdString(json));
        int count = 0;
        while (matches.hasNext()) {
            QCOMPARE(matches.next().captured(3).size(), 2);
            ++count;
        }
        QCOMPARE(count, 5);
        QCOMPARE(formatIsoTimestamp(0), std::string("1970-01-01T00:00:00.000000Z"));
    }

    void nullsAndMixed() {
        const QJsonObject view = parseWithQt(encoder().encode(viewEvent(ViewEventType::View)));
        QVERIFY(view["search_query"].isNull());
        QCOMPARE(view["from_search"].toBool(true), false);
        const QJsonObject filter = parseWithQt(encoder().encode(viewEvent(ViewEventType::Filter)));
        QVERIFY(filter["filter_category"].isNull());
        QVERIFY(filter["min_price"].isNull());
        QVERIFY(filter["max_price"].isNull());
        const QJsonObject compare =
            parseWithQt(encoder().encode(viewEvent(ViewEventType::Compare)));
        QCOMPARE(compare["category"].toString(), QString("mixed"));
        QCOMPARE(compare["product_ids"].toArray().size(), 3);
        QCOMPARE(compare["product_names"].toArray()[2].toString(),
                 QString::fromStdString(catalog().productName(3)));
    }

    void money_data() {
        QTest::addColumn<qint64>("cents");
        QTest::addColumn<QString>("text");
        QTest::newRow("typical") << qint64(1999) << "19.99";
        QTest::newRow("whole") << qint64(2000) << "20.00";
        QTest::newRow("five cents") << qint64(5) << "0.05";
        QTest::newRow("zero") << qint64(0) << "0.00";
        QTest::newRow("negative") << qint64(-50) << "-0.50";
        QTest::newRow("million") << qint64(100'000'000) << "1000000.00";
        QTest::newRow("most negative") << qint64(INT64_MIN) << "-92233720368547758.08";
    }

    void money() {
        QFETCH(qint64, cents);
        QFETCH(QString, text);
        std::string out;
        json::appendCents(out, cents);
        QCOMPARE(QString::fromStdString(out), text);
        QCOMPARE(QString::fromStdString(validation::formatCents(cents)), text);
        char buffer[kMaxCentsTextLength];
        QCOMPARE(QString::fromStdString(std::string(buffer, formatCents(cents, buffer))), text);
    }

    void stringEscaping_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << "Nexa Laptops 4821";
        QTest::newRow("quotes and backslash") << R"(say "hi" \ bye)";
        QTest::newRow("control characters") << QString("tab\there\nnew\rline\x01\x1f\b\f");
        QTest::newRow("unicode") << QString::fromUtf8("größe ☂ 😀");
        QTest::newRow("empty") << "";
    }

    void stringEscaping() {
        QFETCH(QString, text);
        const std::string utf8 = text.toStdString();
        std::string json = "{\"s\":";
        json::appendString(json, utf8);
        json += '}';
        QCOMPARE(parseWithQt(json)["s"].toString(), text);
        // And our reader agrees with Qt's.
        json::Document document;
        QVERIFY(document.parse(json));
        QCOMPARE(std::string(document.string(document.root() + 2)), utf8);
    }

    void timestamps_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        const qint64 base = QDateTime(QDate(2026, 11, 25), QTime(10, 15, 30), QTimeZone::utc())
                                .toMSecsSinceEpoch() *
                            1000;
        QTest::newRow("Z") << "2026-11-25T10:15:30.123456Z" << base + 123'456;
        QTest::newRow("naive is UTC") << "2026-11-25T10:15:30.123456" << base + 123'456;
        QTest::newRow("+02:00") << "2026-11-25T12:15:30.123456+02:00" << base + 123'456;
        QTest::newRow("-05:30") << "2026-11-25T04:45:30.123456-05:30" << base + 123'456;
        QTest::newRow("+00:00") << "2026-11-25T10:15:30+00:00" << base;
        QTest::newRow("space separator") << "2026-11-25 10:15:30.5" << base + 500'000;
        QTest::newRow("no fraction, naive") << "2026-11-25T10:15:30" << base;
        QTest::newRow("milliseconds") << "2026-11-25T10:15:30.123Z" << base + 123'000;
        QTest::newRow("nanoseconds truncated")
            << "2026-11-25T10:15:30.123456789Z" << base + 123'456;
        QTest::newRow("offset across midnight") << "2026-11-26T01:15:30+15:00" << base;
    }

    void timestamps() {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        QJsonObject object = parseWithQt(encoder().encode(transaction({line(8, 2)})));
        object["timestamp"] = text;
        Transaction decoded;
        EventDecoder decoder(catalog());
        const auto rejection = decoder.decode(toStd(object), decoded);
        QVERIFY2(!rejection, rejection ? rejection->detail.c_str() : "");
        QCOMPARE(decoded.timestamp, micros);
        QCOMPARE(QString::fromStdString(formatIsoTimestamp(decoded.timestamp)),
                 QDateTime::fromMSecsSinceEpoch(micros / 1000, QTimeZone::utc())
                         .toString("yyyy-MM-dd'T'hh:mm:ss.zzz") +
                     QString::asprintf("%03lldZ", micros % 1000));
    }

    void simulatorStreamRoundTrips() {
        ShopSimulator simulator(catalog(), SimulatorConfig{.seed = 11}, kStart);
        simulator.setShopRate(2'000);
        EventBatch batch;
        simulator.generate(60'000, batch);
        QVERIFY(!batch.views.empty() && !batch.carts.empty() && !batch.transactions.empty());
        EventDecoder decoder(catalog());
        std::string json;
        Transaction transaction_out;
        CartEvent cart_out;
        ProductViewEvent view_out;
        const auto check = [&](const auto& event, auto& decoded) -> bool {
            json.clear();
            encoder().append(event, json);
            if (auto rejection = validate(event)) {
                qWarning("simulator event fails validation: %s in %s", rejection->detail.c_str(),
                         json.c_str());
                return false;
            }
            if (auto rejection = decoder.decode(json, decoded)) {
                qWarning("%s in %s", rejection->detail.c_str(), json.c_str());
                return false;
            }
            return true;
        };
        for (const ProductViewEvent& event : batch.views) {
            QVERIFY(check(event, view_out));
            QVERIFY2(withoutNames(view_out) == event, json.c_str());
        }
        for (const CartEvent& event : batch.carts) {
            QVERIFY(check(event, cart_out));
            QVERIFY2(withoutNames(cart_out) == event, json.c_str());
        }
        for (Transaction event : batch.transactions) {
            event.planted_anomaly = PlantedAnomaly::None; // ground truth, never on the wire
            QVERIFY(check(event, transaction_out));
            QVERIFY2(withoutNames(transaction_out) == event, json.c_str());
        }
    }

    void readerValues() {
        json::Document document;
        QVERIFY(document.parse(
            R"( {"a":[-0,1e3,1.5E-2,123456789012345678901234567890,1e400,-1e400,1e-400,0.1],)"
            "\"b\":\"\\u00e9\\ud83d\\ude00\\/\\\"\",\"c\":{},\"d\":[],\"e\":[true,false,null]} "));
        const auto root = document.root();
        QCOMPARE(document.type(root), json::Type::Object);
        QCOMPARE(document.size(root), 5u);
        auto key = document.firstChild(root);
        QCOMPARE(document.string(key), std::string_view("a"));
        const auto numbers = key + 1;
        QCOMPARE(document.size(numbers), 8u);
        std::vector<double> values;
        for (auto n = document.firstChild(numbers); values.size() < 8; n = document.next(n)) {
            QCOMPARE(document.type(n), json::Type::Number);
            values.push_back(document.number(n));
        }
        QCOMPARE(values[0], 0.0);
        QCOMPARE(values[1], 1000.0);
        QCOMPARE(values[2], 0.015);
        QCOMPARE(values[3], 1.2345678901234568e29);
        QVERIFY(std::isinf(values[4]) && values[4] > 0);
        QVERIFY(std::isinf(values[5]) && values[5] < 0);
        QCOMPARE(values[6], 0.0);
        QCOMPARE(values[7], 0.1);
        key = document.next(numbers);
        QCOMPARE(document.string(key + 1), std::string_view("é😀/\""));
        key = document.next(key + 1);
        QCOMPARE(document.type(key + 1), json::Type::Object);
        QCOMPARE(document.size(key + 1), 0u);
        key = document.next(key + 1);
        QCOMPARE(document.type(key + 1), json::Type::Array);
        key = document.next(key + 1);
        QCOMPARE(document.string(key), std::string_view("e"));
        const auto literals = key + 1;
        QCOMPARE(document.type(literals + 1), json::Type::True);
        QCOMPARE(document.type(literals + 2), json::Type::False);
        QCOMPARE(document.type(literals + 3), json::Type::Null);
        QCOMPARE(document.next(literals), literals + 4);
    }

    // Decimals of up to 15 digits are read by one division (json_reader.cpp); it must give the
    // very double from_chars gives, for every digit count and split.
    void readerDecimalsMatchFromChars() {
        Rng random(16);
        json::Document document;
        for (int round = 0; round < 200'000; ++round) {
            const int digits = 1 + int(random.below(15));
            const int fraction = int(random.below(std::uint64_t(digits) + 1));
            std::string number = random.below(4) == 0 ? "-" : "";
            std::string integer;
            for (int i = 0; i < digits - fraction; ++i) {
                integer.push_back(char('0' + random.below(10)));
            }
            integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size()));
            number += integer.empty() ? "0" : integer;
            if (fraction > 0) {
                number.push_back('.');
                for (int i = 0; i < fraction; ++i) {
                    number.push_back(char('0' + random.below(10)));
                }
            }
            QVERIFY2(document.parse("[" + number + "]"), number.c_str());
            double expected = 0;
            std::from_chars(number.data(), number.data() + number.size(), expected);
            const double read = document.number(document.firstChild(document.root()));
            if (number.find_first_not_of("-0") != std::string::npos ||
                number.find('.') != std::string::npos) {
                QVERIFY2(std::memcmp(&read, &expected, sizeof read) == 0, number.c_str());
            } else {
                QCOMPARE(read, 0.0); // "-0" reads as 0
            }
        }
    }

    // Strings are scanned 16 and 8 bytes at a time: a quote, a backslash or a control character
    // must be found at every offset, in every position of the last block, and near the end.
    void readerFindsStringEndsAtEveryOffset() {
        json::Document document;
        std::string text; // strings without escapes point into it
        const auto first = [&] { return document.string(document.firstChild(document.root())); };
        for (std::size_t length = 0; length < 70; ++length) {
            const std::string plain(length, 'x');
            text = "[\"" + plain + "\"]";
            QVERIFY(document.parse(text));
            QCOMPARE(first(), std::string_view(plain));
            text = "[\"" + plain + "\\n" + plain + "\"]";
            QVERIFY(document.parse(text));
            QCOMPARE(first(), std::string_view(plain + "\n" + plain));
            text = "[\"" + plain + "\t\"]";
            QVERIFY(!document.parse(text));
            QCOMPARE(document.error(), json::ParseError::Malformed);
            QCOMPARE(document.errorOffset(), length + 2);
            text = "[\"" + plain;
            QVERIFY(!document.parse(text));
            text = "[\"" + plain + "\x7f\xc3\xa9\",\"" + plain + "\"]";
            QVERIFY(document.parse(text));
            QCOMPARE(first(), std::string_view(plain + "\x7f\xc3\xa9"));
        }
    }

    void readerRefuses_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("error");
        const int malformed = int(json::ParseError::Malformed);
        const int utf8 = int(json::ParseError::InvalidUtf8);
        QTest::newRow("empty") << QByteArray("") << int(json::ParseError::Empty);
        QTest::newRow("whitespace") << QByteArray(" \n\t ") << int(json::ParseError::Empty);
        QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})") << malformed;
        QTest::newRow("trailing comma in array") << QByteArray("[1,]") << malformed;
        QTest::newRow("single quotes") << QByteArray("{'a':1}") << malformed;
        QTest::newRow("bare key") << QByteArray("{a:1}") << malformed;
        QTest::newRow("leading zero") << QByteArray("[01]") << malformed;
        QTest::newRow("plus sign") << QByteArray("[+1]") << malformed;
        QTest::newRow("bare point") << QByteArray("[1.]") << malformed;
        QTest::newRow("empty exponent") << QByteArray("[1e]") << malformed;
        QTest::newRow("NaN") << QByteArray("[NaN]") << malformed;
        QTest::newRow("Infinity") << QByteArray("[-Infinity]") << malformed;
        QTest::newRow("two values") << QByteArray("{} {}") << malformed;
        QTest::newRow("unterminated string") << QByteArray("{\"a\":\"abc") << malformed;
        QTest::newRow("unterminated object") << QByteArray(R"({"a":1)") << malformed;
        QTest::newRow("raw newline in string") << QByteArray("[\"a\nb\"]") << malformed;
        QTest::newRow("bad escape") << QByteArray(R"(["\x41"])") << malformed;
        QTest::newRow("short \\u") << QByteArray(R"(["\u12"])") << malformed;
        QTest::newRow("truncated literal") << QByteArray("[tru") << malformed;
        QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << malformed;
        QTest::newRow("lone high surrogate") << QByteArray(R"(["\ud800"])") << utf8;
        QTest::newRow("high then not low") << QByteArray(R"(["\ud800\u0041"])") << utf8;
        QTest::newRow("lone low surrogate") << QByteArray(R"(["\udc00"])") << utf8;
        QTest::newRow("byte ff") << QByteArray("[\"\xff\"]") << utf8;
        QTest::newRow("overlong slash") << QByteArray("[\"\xc0\xaf\"]") << utf8;
        QTest::newRow("overlong 3-byte") << QByteArray("[\"\xe0\x80\xaf\"]") << utf8;
        QTest::newRow("encoded surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << utf8;
        QTest::newRow("above U+10FFFF") << QByteArray("[\"\xf4\x90\x80\x80\"]") << utf8;
        QTest::newRow("lone continuation") << QByteArray("[\"\x80\"]") << utf8;
        QTest::newRow("truncated sequence at end") << QByteArray("[\"\xe2\x98") << utf8;
        QTest::newRow("non-ASCII outside strings") << QByteArray("[\xc3\xa9]") << malformed;
    }

    void readerRefuses() {
        QFETCH(QByteArray, text);
        QFETCH(int, error);
        json::Document document;
        QVERIFY(!document.parse(std::string_view(text.constData(), std::size_t(text.size()))));
        QCOMPARE(int(document.error()), error);
        QVERIFY(!document.errorMessage().empty());
    }

    void depthLimit() {
        json::Document document;
        const auto nested = [](int depth) {
            return std::string(std::size_t(depth), '[') + std::string(std::size_t(depth), ']');
        };
        QVERIFY(document.parse(nested(32), {.max_bytes = 1 << 20, .max_depth = 32}));
        QVERIFY(!document.parse(nested(33), {.max_bytes = 1 << 20, .max_depth = 32}));
        QCOMPARE(document.error(), json::ParseError::TooDeep);
        // An event may carry deep unknown fields up to the limit.
        QJsonObject object = parseWithQt(encoder().encode(transaction({line(9, 1)})));
        std::string json = toStd(object);
        json.pop_back();
        json += R"(,"extra":)" + nested(31) + "}";
        EventDecoder decoder(catalog());
        Transaction decoded;
        QVERIFY(!decoder.decode(json, decoded));
        json.insert(json.size() - 1, "]");
        json.insert(json.find("\"extra\":") + 8, "[");
        const auto rejection = decoder.decode(json, decoded);
        QVERIFY(rejection);
        QCOMPARE(rejection->reason, RejectReason::MalformedJson);
    }

    void hostilePayloads_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QByteArray() << "empty_payload";
        QTest::newRow("100k open brackets") << QByteArray(100'000, '[') << "malformed_json";
        QByteArray objects;
        for (int i = 0; i < 100'000; ++i) {
            objects += "{\"a\":";
        }
        QTest::newRow("100k nested objects") << objects << "malformed_json";
        QByteArray closed = QByteArray(5'000, '[') + QByteArray(5'000, ']');
        QTest::newRow("5k closed brackets") << closed << "malformed_json";
        QByteArray huge = "{\"pad\":\"" + QByteArray((1 << 20), 'x') + "\"}";
        QTest::newRow("1 MiB string") << huge << "payload_too_large";
        QByteArray many_numbers = "[" + QByteArray("0,").repeated(400'000) + "0]";
        QTest::newRow("800 kB array of zeros") << many_numbers << "not_an_object";
        QTest::newRow("NUL bytes") << QByteArray(64, '\0') << "malformed_json";
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"user_id\":\"\xc3\x28\"}") << "invalid_utf8";
        QTest::newRow("truncated") << QByteArray(R"({"transaction_id":"6f1c)") << "malformed_json";
        QTest::newRow("array") << QByteArray("[]") << "not_an_object";
        QTest::newRow("string") << QByteArray(R"("hello")") << "not_an_object";
        QTest::newRow("null") << QByteArray("null") << "not_an_object";
        QTest::newRow("empty object") << QByteArray("{}") << "missing_field";
        QTest::newRow("lone surrogate key") << QByteArray(R"({"\udfff":1})") << "invalid_utf8";
    }

    void hostilePayloads() {
        QFETCH(QByteArray, payload);
        QFETCH(QString, reason);
        const std::string_view text(payload.constData(), std::size_t(payload.size()));
        EventDecoder decoder(catalog());
        for (EventKind kind : {EventKind::Transaction, EventKind::Cart, EventKind::ProductView}) {
            const DecodeResult result = decoder.decode(kind, text);
            QCOMPARE(QString(reasonOf(result)), reason);
            const auto& rejection = std::get<Rejection>(result);
            QVERIFY(rejection.detail.find('\n') == std::string::npos);
            QVERIFY(rejection.detail.size() < 200);
        }
    }

    void payloadAtTheSizeLimit() {
        QJsonObject object = parseWithQt(encoder().encode(transaction({line(9, 1)})));
        const std::string base = toStd(object);
        const std::size_t limit = std::size_t{1} << 20;
        std::string json = base.substr(0, base.size() - 1) + ",\"pad\":\"";
        json += std::string(limit - json.size() - 2, 'x') + "\"}";
        QCOMPARE(json.size(), limit);
        EventDecoder decoder(catalog());
        Transaction decoded;
        QVERIFY(!decoder.decode(json, decoded));
        json.insert(json.size() - 2, "x");
        QCOMPARE(decoder.decode(json, decoded)->reason, RejectReason::PayloadTooLarge);
        // The limit is configurable.
        EventDecoder strict(catalog(), {.max_payload_bytes = 100, .max_depth = 32});
        QCOMPARE(strict.decode(base, decoded)->reason, RejectReason::PayloadTooLarge);
    }

    void everyTruncationIsRefused() {
        EventDecoder decoder(catalog());
        for (const auto& [name, event] : samples()) {
            const std::string json = encode(event);
            for (std::size_t length = 0; length < json.size(); ++length) {
                const DecodeResult result = decoder.decode(kindOf(event), json.substr(0, length));
                QVERIFY2(std::holds_alternative<Rejection>(result), name);
            }
        }
    }

    void mutationsNeverCrash() {
        // Random edits of valid events: whatever the decoder accepts must also pass the struct
        // validation, and nothing may crash (run under the asan preset to check memory too).
        Rng rng(2024);
        EventDecoder decoder(catalog());
        const auto all = samples();
        constexpr std::string_view kInteresting = "{}[]\",:\\-0123456789.eEnulltruefalse \xc3\xff";
        int accepted = 0;
        for (int round = 0; round < 30'000; ++round) {
            const AnyEvent& event = all[rng.below(all.size())].second;
            std::string json = encode(event);
            const int edits = 1 + int(rng.below(4));
            for (int e = 0; e < edits && !json.empty(); ++e) {
                const std::size_t at = rng.below(json.size());
                switch (rng.below(4)) {
                case 0:
                    json[at] = kInteresting[rng.below(kInteresting.size())];
                    break;
                case 1:
                    json.erase(at, 1 + rng.below(8));
                    break;
                case 2:
                    json.insert(at, 1, kInteresting[rng.below(kInteresting.size())]);
                    break;
                default:
                    json.insert(at, json.substr(rng.below(json.size()), rng.below(16)));
                    break;
                }
            }
            const DecodeResult result = decoder.decode(kindOf(event), json);
            if (std::holds_alternative<Rejection>(result)) {
                QVERIFY(!std::get<Rejection>(result).detail.empty());
                continue;
            }
            ++accepted;
            const auto problem = std::visit(
                [](const auto& e) -> std::optional<Rejection> {
                    if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Rejection>) {
                        return std::nullopt;
                    } else {
                        return validate(e);
                    }
                },
                result);
            QVERIFY2(!problem, (json + " -> " + (problem ? problem->detail : "")).c_str());
        }
        QVERIFY(accepted > 0); // some edits are harmless (a digit in a price, spaces)
    }
};

QTEST_APPLESS_MAIN(TestEventCodec)
#include "tst_event_codec.moc"
