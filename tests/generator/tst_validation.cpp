// SPDX-License-Identifier: GPL-3.0-or-later
// The validation rules of docs/events.md: for every rule a bad event is refused with exactly its
// reason and a detail naming the field, and a good event next to it is accepted; the same rules
// hold for structs, and a bad struct written to JSON is refused for the same reason.
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/id_dictionary.h"
#include "generator/search_queries.h"
#include "generator/validation.h"
#include "tests/generator/sample_events.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <functional>
#include <variant>

using namespace gm;
using namespace gm::test;

namespace {

Transaction goodTransaction() {
    Transaction t;
    t.transaction_id = uuid(1);
    t.timestamp = kStart;
    t.user = 5;
    t.country = Country::France;
    t.payment_method = PaymentMethod::PayPal;
    t.products = {line(5, 1), line(6, 2), line(7, 3)};
    for (const OrderLine& l : t.products) {
        t.total_amount += l.amount();
    }
    return t;
}

ProductViewEvent goodView(ViewEventType type) {
    ProductViewEvent e;
    e.event_id = uuid(4);
    e.session_id = uuid(5);
    e.timestamp = kStart;
    e.user = 7;
    e.event_type = type;
    e.country = Country::UK;
    switch (type) {
    case ViewEventType::View: {
        const OrderLine item = line(30, 1);
        e.product = item.product;
        e.category = item.category;
        e.price = item.price;
        e.view_duration = 40;
        e.from_search = true;
        e.search_query = QueryTable::genericTerm(0);
        e.previously_viewed_count = 1;
        break;
    }
    case ViewEventType::Search:
        e.search_query = QueryTable::genericTerm(1);
        e.results_count = 12;
        break;
    case ViewEventType::Filter:
        e.filter_category = 3;
        e.has_price_range = true;
        e.min_price = 100'00;
        e.max_price = 200'00;
        e.results_count = 4;
        break;
    case ViewEventType::Compare:
        e.compare_products = {40, 41, 42};
        for (ProductId p : e.compare_products) {
            e.compare_prices.push_back(catalog().product(p).price);
        }
        e.category = kMixedCategory;
        break;
    }
    return e;
}

// The base events that decode rows start from, by name.
AnyEvent baseEvent(const QString& name) {
    if (name == "transaction") {
        return goodTransaction();
    }
    if (name == "add") {
        return cartEvent(CartEventType::AddToCart);
    }
    if (name == "remove") {
        return cartEvent(CartEventType::RemoveFromCart);
    }
    if (name == "update") {
        return cartEvent(CartEventType::UpdateQuantity);
    }
    if (name == "checkout") {
        return cartEvent(CartEventType::Checkout);
    }
    if (name == "view") {
        return goodView(ViewEventType::View);
    }
    if (name == "search") {
        return goodView(ViewEventType::Search);
    }
    if (name == "filter") {
        return goodView(ViewEventType::Filter);
    }
    return goodView(ViewEventType::Compare);
}

QJsonObject baseObject(const QString& name) {
    const std::string json =
        std::visit([](const auto& e) { return encoder().encode(e); }, baseEvent(name));
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

QByteArray compact(const QJsonObject& object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Sets array[index].key (or array[index] itself when key is empty).
void setIn(QJsonObject& object, const char* array, int index, const char* key,
           const QJsonValue& value) {
    QJsonArray elements = object[array].toArray();
    if (*key == '\0') {
        elements[index] = value;
    } else {
        QJsonObject element = elements[index].toObject();
        if (value.isUndefined()) {
            element.remove(key);
        } else {
            element[key] = value;
        }
        elements[index] = element;
    }
    object[array] = elements;
}

// total_amount = sum of the lines, for rows that change a line but want only one fault.
void fixTotal(QJsonObject& object) {
    double total = 0;
    for (const QJsonValue& element : object["products"].toArray()) {
        total += element["price"].toDouble() * element["quantity"].toDouble();
    }
    object["total_amount"] = std::round(total * 100) / 100;
}

QSet<QString>& reasonsSeen() {
    static QSet<QString> seen;
    return seen;
}

} // namespace

class TestValidation : public QObject {
    Q_OBJECT

private slots:
    void reasonNames() {
        const QRegularExpression snake("^[a-z0-9]+(_[a-z0-9]+)*$");
        QSet<QString> names;
        for (int i = 0; i < kRejectReasonCount; ++i) {
            const auto reason = static_cast<RejectReason>(i);
            const QString name = QString::fromUtf8(reasonName(reason));
            QVERIFY2(snake.match(name).hasMatch(), qPrintable(name));
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            QCOMPARE(parseRejectReason(reasonName(reason)), std::optional(reason));
            QVERIFY(!reasonDescription(reason).empty());
        }
        QCOMPARE(parseRejectReason("no_such_reason"), std::nullopt);
        QCOMPARE(reasonName(static_cast<RejectReason>(200)), std::string_view("unknown"));
        // Names are stored in the database: these must never change.
        QCOMPARE(reasonName(RejectReason::MissingField), std::string_view("missing_field"));
        QCOMPARE(reasonName(RejectReason::TotalMismatch), std::string_view("total_mismatch"));
        QCOMPARE(reasonName(RejectReason::MalformedJson), std::string_view("malformed_json"));
    }

    void decode_data() {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("reason"); // "accepted" for good rows
        QTest::addColumn<QString>("field");  // the detail starts with "<field>: "

        const auto row = [](const char* name, const char* base,
                            const std::function<void(QJsonObject&)>& change, const char* reason,
                            const char* field = "") {
            QJsonObject object = baseObject(base);
            change(object);
            QTest::newRow(name) << base << compact(object) << reason << field;
        };
        const auto raw = [](const char* name, const char* base, const QByteArray& payload,
                            const char* reason, const char* field = "") {
            QTest::newRow(name) << base << payload << reason << field;
        };
        const auto set = [](const char* key, const QJsonValue& value) {
            return [=](QJsonObject& o) { o[key] = value; };
        };
        const auto drop = [](const char* key) { return [=](QJsonObject& o) { o.remove(key); }; };
        const auto setLine = [](const char* array, int index, const char* key,
                                const QJsonValue& value) {
            return [=](QJsonObject& o) { setIn(o, array, index, key, value); };
        };
        const auto none = [](QJsonObject&) {};

        // Every base event is accepted as it is.
        for (const char* base : {"transaction", "add", "remove", "update", "checkout", "view",
                                 "search", "filter", "compare"}) {
            row(qPrintable(QString("good: %1").arg(base)), base, none, "accepted");
        }

        // Transport.
        raw("empty payload", "transaction", QByteArray(), "empty_payload", "payload");
        raw("whitespace only", "view", QByteArray(" \r\n\t"), "empty_payload", "payload");
        {
            QJsonObject big = baseObject("transaction");
            big["pad"] = QString((1 << 20), 'x');
            raw("payload over 1 MiB", "transaction", compact(big), "payload_too_large", "payload");
            big["pad"] = QString((1 << 20) - 400, 'x');
            raw("good: payload just under 1 MiB", "transaction", compact(big), "accepted");
        }
        {
            QByteArray payload = compact(baseObject("add"));
            const QByteArray name = QByteArray::fromStdString(
                catalog().productName(cartEvent(CartEventType::AddToCart).product));
            payload.replace(name, "Caf\xc3\x28 \xff");
            raw("invalid UTF-8 in product_name", "add", payload, "invalid_utf8", "payload");
            raw("good: UTF-8 in an unknown field", "add",
                compact(baseObject("add")).replace("{", "{\"note\":\"café ☂\","), "accepted");
        }
        raw("malformed: truncated", "transaction", compact(baseObject("transaction")).left(60),
            "malformed_json", "payload");
        raw("malformed: trailing comma", "search", compact(baseObject("search")).replace("}", ",}"),
            "malformed_json", "payload");
        raw("malformed: nested too deep", "view",
            "{\"x\":" + QByteArray(40, '[') + QByteArray(40, ']') + "}", "malformed_json",
            "payload");
        raw("not an object: array", "cart", "[" + compact(baseObject("add")) + "]", "not_an_object",
            "payload");
        raw("not an object: number", "transaction", "42", "not_an_object", "payload");

        // Missing required field.
        row("missing user_id", "transaction", drop("user_id"), "missing_field", "user_id");
        row("missing products[1].price", "transaction",
            setLine("products", 1, "price", QJsonValue::Undefined), "missing_field",
            "products[1].price");
        row("missing items", "checkout", drop("items"), "missing_field", "items");
        row("missing product_name", "add", drop("product_name"), "missing_field", "product_name");
        row("missing previously_viewed_count", "view", drop("previously_viewed_count"),
            "missing_field", "previously_viewed_count");
        row("missing max_price", "filter", drop("max_price"), "missing_field", "max_price");
        row("missing prices", "compare", drop("prices"), "missing_field", "prices");
        row("missing event_type", "search", drop("event_type"), "missing_field", "event_type");
        row("good: checkout without cart_value (original producer)", "checkout", drop("cart_value"),
            "accepted");
        row(
            "good: unknown extra fields", "transaction",
            [](QJsonObject& o) {
                o["source"] = "python";
                o["nested"] = QJsonObject{{"a", QJsonArray{1, 2, QJsonObject{}}}};
            },
            "accepted");

        // Wrong type.
        row("quantity as string", "transaction", setLine("products", 0, "quantity", "2"),
            "wrong_type", "products[0].quantity");
        row("price as string", "add", set("price", "19.99"), "wrong_type", "price");
        row("fractional quantity", "remove", set("quantity", 2.5), "wrong_type", "quantity");
        row("from_search as string", "view", set("from_search", "yes"), "wrong_type",
            "from_search");
        row("user_id null", "update", set("user_id", QJsonValue::Null), "wrong_type", "user_id");
        row("products is an object", "transaction", set("products", QJsonObject{}), "wrong_type",
            "products");
        row("items[0] is a number", "checkout", setLine("items", 0, "", 7), "wrong_type",
            "items[0]");
        row("search_query null in a search", "search", set("search_query", QJsonValue::Null),
            "wrong_type", "search_query");
        row("one price bound null", "filter", set("max_price", QJsonValue::Null), "wrong_type",
            "max_price");
        row("product_names[1] a number", "compare", setLine("product_names", 1, "", 5),
            "wrong_type", "product_names[1]");
        row("timestamp as epoch number", "transaction", set("timestamp", 1.7e9), "wrong_type",
            "timestamp");
        row("good: quantity written as 2.0", "remove", set("quantity", 2.0), "accepted");
        row("good: search_query null in a view", "view", set("search_query", QJsonValue::Null),
            "accepted");
        row(
            "good: filter without category and band", "filter",
            [](QJsonObject& o) {
                o["filter_category"] = QJsonValue::Null;
                o["min_price"] = QJsonValue::Null;
                o["max_price"] = QJsonValue::Null;
            },
            "accepted");
        {
            QByteArray payload = compact(baseObject("transaction"));
            payload.replace("{\"country\"", "{\"country\":\"Mars\",\"country\"");
            raw("good: repeated field, last wins", "transaction", payload, "accepted");
        }

        // Vocabularies.
        row("unknown country", "transaction", set("country", "Spain"), "unknown_country",
            "country");
        row("country in the wrong case", "view", set("country", "usa"), "unknown_country",
            "country");
        row("unknown payment method", "transaction", set("payment_method", "Bitcoin"),
            "unknown_payment_method", "payment_method");
        row("unknown cart event type", "add", set("event_type", "purchase"), "unknown_event_type",
            "event_type");
        row("cart event type on the views topic", "view", set("event_type", "checkout"),
            "unknown_event_type", "event_type");
        row("unknown category", "add", set("category", "Gadgets"), "unknown_category", "category");
        row("unknown item category", "checkout", setLine("items", 1, "category", "Toys"),
            "unknown_category", "items[1].category");
        row("unknown filter category", "filter", set("filter_category", "Nope"), "unknown_category",
            "filter_category");
        row("unknown compare category", "compare", set("category", "Everything"),
            "unknown_category", "category");
        row("good: compare in one category", "compare", set("category", "Laptops"), "accepted");
        row("good: every payment method", "transaction", set("payment_method", "Google Pay"),
            "accepted");

        // Ids.
        row("user id not digits", "transaction", set("user_id", "USER_abc"), "bad_user_id",
            "user_id");
        row("user id lower case", "view", set("user_id", "user_00000001"), "bad_user_id",
            "user_id");
        // Any id matching the pattern is accepted, in or outside our catalog (issue 16).
        row("good: user id zero", "add", set("user_id", "USER_00000000"), "accepted");
        row("good: user not in the catalog", "search", set("user_id", "USER_00001001"), "accepted");
        row("user id of 17 digits", "view", set("user_id", "USER_12345678901234567"), "bad_user_id",
            "user_id");
        row("good: last user, short form", "search", set("user_id", "USER_1000"), "accepted");
        row("product id not digits", "add", set("product_id", "PROD_12x"), "bad_product_id",
            "product_id");
        row("good: product not in the catalog", "transaction",
            setLine("products", 2, "product_id", "PROD_00000201"), "accepted");
        // A new name while the name dictionary is at its cap (lowered for this row in decode()).
        row("name dictionary full", "view", set("product_name", "A name never seen before"),
            "dictionary_full", "product_name");
        row("compare product id", "compare", setLine("product_ids", 1, "", "SKU-1"),
            "bad_product_id", "product_ids[1]");
        row("good: last product", "view", set("product_id", "PROD_00000200"), "accepted");
        row("transaction_id not a UUID", "transaction", set("transaction_id", "12345"), "bad_uuid",
            "transaction_id");
        row("event_id not a UUID", "add", set("event_id", "not-a-uuid"), "bad_uuid", "event_id");
        row("session_id with a g", "view",
            set("session_id", "0123456g-89ab-4def-8123-456789abcdef"), "bad_uuid", "session_id");
        row("good: upper-case UUID", "view",
            set("session_id", "0123456F-89AB-4DEF-8123-456789ABCDEF"), "accepted");

        // Timestamps.
        row("timestamp words", "transaction", set("timestamp", "yesterday"), "bad_timestamp",
            "timestamp");
        row("month 13", "add", set("timestamp", "2026-13-01T00:00:00Z"), "bad_timestamp",
            "timestamp");
        row("February 30", "view", set("timestamp", "2026-02-30T00:00:00Z"), "bad_timestamp",
            "timestamp");
        row("offset +25:00", "search", set("timestamp", "2026-11-25T10:15:30+25:00"),
            "bad_timestamp", "timestamp");
        // Parsed, but outside the range every stage can hold and render (1970 to 9999-11-30).
        row("year zero", "checkout", set("timestamp", "0000-01-01T00:00:00Z"),
            "timestamp_out_of_range", "timestamp");
        row("year 9999, last second", "transaction", set("timestamp", "9999-12-31T23:59:59Z"),
            "timestamp_out_of_range", "timestamp");
        row("December 9999", "add", set("timestamp", "9999-12-01T00:00:00Z"),
            "timestamp_out_of_range", "timestamp");
        row("an offset into December 9999", "view", set("timestamp", "9999-11-30T23:30:00-01:00"),
            "timestamp_out_of_range", "timestamp");
        row("before 1970", "search", set("timestamp", "1969-12-31T23:59:59.999999Z"),
            "timestamp_out_of_range", "timestamp");
        row("good: the Unix epoch", "transaction", set("timestamp", "1970-01-01T00:00:00Z"),
            "accepted");
        row("good: the last accepted microsecond", "checkout",
            set("timestamp", "9999-11-30T23:59:59.999999Z"), "accepted");
        row("good: naive timestamp", "transaction", set("timestamp", "2026-11-25T10:15:30.5"),
            "accepted");
        row("good: +02:00 offset", "add", set("timestamp", "2026-11-25T12:15:30+02:00"),
            "accepted");

        // Quantity 1-1000.
        row("quantity 0", "transaction", setLine("products", 2, "quantity", 0),
            "quantity_out_of_range", "products[2].quantity");
        row("quantity 1001", "add", set("quantity", 1001), "quantity_out_of_range", "quantity");
        row("quantity -1", "remove", set("quantity", -1), "quantity_out_of_range", "quantity");
        row("old_quantity 0", "update", set("old_quantity", 0), "quantity_out_of_range",
            "old_quantity");
        row("item quantity 5000", "checkout", setLine("items", 0, "quantity", 5000),
            "quantity_out_of_range", "items[0].quantity");
        row(
            "good: quantity 1000", "transaction",
            [](QJsonObject& o) {
                setIn(o, "products", 0, "quantity", 1000);
                setIn(o, "products", 0, "price", 10.0);
                fixTotal(o);
            },
            "accepted");
        row("good: quantity 1", "add", set("quantity", 1), "accepted");

        // Price 0-100,000.
        row("price -0.01", "add", set("price", -0.01), "price_out_of_range", "price");
        row("price 100000.01", "view", set("price", 100000.01), "price_out_of_range", "price");
        row("compare price negative", "compare", setLine("prices", 1, "", -1), "price_out_of_range",
            "prices[1]");
        row("min_price negative", "filter", set("min_price", -5), "price_out_of_range",
            "min_price");
        {
            QByteArray payload =
                QByteArray::fromStdString(encoder().encode(cartEvent(CartEventType::Checkout)));
            const QJsonObject checkout = baseObject("checkout");
            const QByteArray price = QByteArray::number(
                checkout["items"].toArray()[2].toObject()["price"].toDouble(), 'f', 2);
            const qsizetype at = payload.lastIndexOf("\"price\":" + price);
            payload.replace(at, 8 + price.size(), "\"price\":1e400");
            raw("item price 1e400", "checkout", payload, "price_out_of_range", "items[2].price");
        }
        row("good: price 0", "add", set("price", 0), "accepted");
        row("good: price 100000", "view", set("price", 100000), "accepted");

        // Total 0-1,000,000.
        row("total_amount negative", "transaction", set("total_amount", -1), "total_out_of_range",
            "total_amount");
        row("total_amount over a million", "transaction", set("total_amount", 1000000.01),
            "total_out_of_range", "total_amount");
        row("cart_value negative", "add", set("cart_value", -5), "total_out_of_range",
            "cart_value");
        row("total_value two million", "checkout", set("total_value", 2e6), "total_out_of_range",
            "total_value");
        row(
            "good: total exactly a million", "transaction",
            [](QJsonObject& o) {
                o["products"] = QJsonArray{QJsonObject{
                    {"product_id", "PROD_00000001"}, {"quantity", 10}, {"price", 100000}}};
                o["total_amount"] = 1000000;
            },
            "accepted");

        // Counts and durations.
        row("view_duration negative", "view", set("view_duration", -1), "count_out_of_range",
            "view_duration");
        row("view_duration 70000 s", "view", set("view_duration", 70000), "count_out_of_range",
            "view_duration");
        row("results_count negative", "search", set("results_count", -3), "count_out_of_range",
            "results_count");
        row("cart_size negative", "add", set("cart_size", -1), "count_out_of_range", "cart_size");
        row("previously_viewed_count 1e10", "view", set("previously_viewed_count", 1e10),
            "count_out_of_range", "previously_viewed_count");
        row("total_items negative", "checkout", set("total_items", -1), "count_out_of_range",
            "total_items");
        row("good: zero results", "filter", set("results_count", 0), "accepted");

        // Lines add up to the total (±0.01).
        const double total = baseObject("transaction")["total_amount"].toDouble();
        row("total 0.02 above the lines", "transaction", set("total_amount", total + 0.02),
            "total_mismatch", "total_amount");
        row("total 0.02 below the lines", "transaction", set("total_amount", total - 0.02),
            "total_mismatch", "total_amount");
        row("good: total 0.01 above the lines", "transaction", set("total_amount", total + 0.01),
            "accepted");
        row("good: total 0.01 below the lines", "transaction", set("total_amount", total - 0.01),
            "accepted");
        row(
            "sub-cent prices add up only before rounding", "transaction",
            [](QJsonObject& o) {
                o["products"] = QJsonArray{QJsonObject{
                    {"product_id", "PROD_00000001"}, {"quantity", 1000}, {"price", 0.004}}};
                o["total_amount"] = 4;
            },
            "total_mismatch", "total_amount");
        row(
            "good: sub-cent price that rounds consistently", "transaction",
            [](QJsonObject& o) {
                o["products"] = QJsonArray{QJsonObject{
                    {"product_id", "PROD_00000001"}, {"quantity", 1}, {"price", 19.994}}};
                o["total_amount"] = 19.99;
            },
            "accepted");
        const double checkout_total = baseObject("checkout")["total_value"].toDouble();
        row(
            "checkout items do not add up", "checkout",
            [=](QJsonObject& o) {
                o["total_value"] = checkout_total + 1;
                o["cart_value"] = checkout_total + 1;
            },
            "total_mismatch", "total_value");
        row("checkout cart_value differs", "checkout", set("cart_value", checkout_total + 5),
            "total_mismatch", "cart_value");

        // Checkout with no items.
        row(
            "checkout with no items", "checkout",
            [](QJsonObject& o) {
                o["items"] = QJsonArray{};
                o["total_items"] = 0;
                o["total_value"] = 0;
                o["cart_value"] = 0;
            },
            "no_items", "items");
        row(
            "transaction with no products", "transaction",
            [](QJsonObject& o) {
                o["products"] = QJsonArray{};
                o["total_amount"] = 0;
            },
            "no_items", "products");

        // Update with equal quantities.
        row("update to the same quantity", "update", set("new_quantity", 2), "update_same_quantity",
            "new_quantity");
        row("good: update down", "update", set("new_quantity", 1), "accepted");

        // Search with an empty query.
        row("empty search query", "search", set("search_query", ""), "empty_search_query",
            "search_query");
        row("blank search query", "search", set("search_query", "  \t"), "empty_search_query",
            "search_query");
        row("good: foreign search query", "search", set("search_query", "Wanderschuhe größe 44"),
            "accepted");

        // Compare with fewer than 2 products.
        row(
            "compare one product", "compare",
            [](QJsonObject& o) {
                o["product_ids"] = QJsonArray{"PROD_00000041"};
                o["product_names"] = QJsonArray{"x"};
                o["prices"] = QJsonArray{10.5};
            },
            "compare_too_few_products", "product_ids");
        row(
            "compare no products", "compare",
            [](QJsonObject& o) {
                o["product_ids"] = QJsonArray{};
                o["product_names"] = QJsonArray{};
                o["prices"] = QJsonArray{};
            },
            "compare_too_few_products", "product_ids");
        row(
            "good: compare two products", "compare",
            [](QJsonObject& o) {
                o["product_ids"] = QJsonArray{"PROD_00000041", "PROD_00000042"};
                o["product_names"] = QJsonArray{"x", "y"};
                o["prices"] = QJsonArray{10.5, 20};
            },
            "accepted");
        row("compare prices shorter", "compare", set("prices", QJsonArray{1, 2}),
            "compare_arrays_mismatch", "prices");
        row("compare names longer", "compare", set("product_names", QJsonArray{"a", "b", "c", "d"}),
            "compare_arrays_mismatch", "product_names");

        // min_price > max_price.
        row(
            "min above max", "filter",
            [](QJsonObject& o) {
                o["min_price"] = 200;
                o["max_price"] = 100;
            },
            "min_price_above_max", "min_price");
        row(
            "good: min equals max", "filter",
            [](QJsonObject& o) {
                o["min_price"] = 100;
                o["max_price"] = 100;
            },
            "accepted");

        // Lines of one order have distinct products (the raw table is keyed by order and
        // product, so a repeated product would lose a line and the total would not add up).
        row(
            "transaction with a product twice", "transaction",
            [](QJsonObject& o) {
                setIn(o, "products", 2, "product_id", o["products"][0]["product_id"]);
                setIn(o, "products", 2, "price", o["products"][0]["price"]);
                fixTotal(o);
            },
            "duplicate_product", "products[2].product_id");
        row(
            "checkout with an item twice", "checkout",
            [](QJsonObject& o) {
                const QJsonObject first = o["items"][0].toObject();
                setIn(o, "items", 1, "", first);
                double total = 0;
                int units = 0;
                for (const QJsonValue& item : o["items"].toArray()) {
                    total += item["price"].toDouble() * item["quantity"].toDouble();
                    units += item["quantity"].toInt();
                }
                o["total_value"] = o["cart_value"] = std::round(total * 100) / 100;
                o["total_items"] = units;
            },
            "duplicate_product", "items[1].product_id");
        row(
            "good: one line per product, equal prices", "transaction",
            [](QJsonObject& o) {
                setIn(o, "products", 1, "price", o["products"][0]["price"]);
                fixTotal(o);
            },
            "accepted");

        // Search queries are interned for the life of the process: bounded and printable.
        row("search query of 300 bytes", "search", set("search_query", QString(300, 'q')),
            "invalid_search_query", "search_query");
        row("view query with a newline", "view", set("search_query", "a\nb"),
            "invalid_search_query", "search_query");
        row("good: search query of 256 bytes", "search", set("search_query", QString(256, 'q')),
            "accepted");
    }

    void decode() {
        QFETCH(QString, base);
        QFETCH(QByteArray, payload);
        QFETCH(QString, reason);
        QFETCH(QString, field);
        const EventKind kind =
            base == "transaction" ? EventKind::Transaction
            : QStringList{"add", "remove", "update", "checkout", "cart"}.contains(base)
                ? EventKind::Cart
                : EventKind::ProductView;
        EventDecoder decoder(catalog());
        InternTable& names = productNames();
        const std::uint32_t name_cap = names.maxEntries();
        if (reason == "dictionary_full") {
            names.setMaxEntries(names.size());
        }
        const DecodeResult result = decoder.decode(
            kind, std::string_view(payload.constData(), std::size_t(payload.size())));
        names.setMaxEntries(name_cap);
        if (reason == "accepted") {
            const auto* rejection = std::get_if<Rejection>(&result);
            QVERIFY2(!rejection, rejection ? rejection->detail.c_str() : "");
            // Whatever the decoder accepts, the struct rules accept too.
            const auto problem = std::visit(
                [](const auto& e) -> std::optional<Rejection> {
                    if constexpr (std::is_same_v<std::decay_t<decltype(e)>, Rejection>) {
                        return std::nullopt;
                    } else {
                        return validate(e);
                    }
                },
                result);
            QVERIFY2(!problem, problem ? problem->detail.c_str() : "");
            return;
        }
        const auto* rejection = std::get_if<Rejection>(&result);
        QVERIFY2(rejection, "accepted a bad event");
        QCOMPARE(QString::fromUtf8(reasonName(rejection->reason)), reason);
        const QString detail = QString::fromStdString(rejection->detail);
        QVERIFY2(detail.startsWith(field + ": "), qPrintable(detail));
        QVERIFY(!detail.contains('\n'));
        reasonsSeen().insert(reason);
    }

    // One decoder reads a stream: an event more than a day (by default) ahead of the newest
    // event it accepted, and of the wall clock, is refused and does not move the reference;
    // events behind it or within the day pass, across event kinds.
    void timeHorizon_data() {
        QTest::addColumn<QList<qint64>>("offsets"); // seconds after kStart, in decoding order
        QTest::addColumn<QStringList>("verdicts");
        QTest::addColumn<qint64>("horizon"); // seconds; 0: the default; -1: unlimited
        QTest::addColumn<qint64>("clock");   // wall clock, seconds after kStart; -1: none
        const qint64 day = 86'400;
        const auto row = [](const char* name, QList<qint64> offsets, QStringList verdicts,
                            qint64 horizon = 0, qint64 clock = -1) {
            QTest::newRow(name) << offsets << verdicts << horizon << clock;
        };
        const QString ok = "accepted";
        const QString ahead = "timestamp_too_far_ahead";
        row("good: a day ahead exactly", {0, day}, {ok, ok});
        row("a day and a second ahead", {0, day + 1}, {ok, ahead});
        row("year 9999 after a good event, then the stream goes on",
            {0, 253'399'000'000 - 1'795'000'000, 60}, {ok, ahead, ok});
        row("good: the reference moves with accepted events", {0, day, 2 * day, 3 * day - 10},
            {ok, ok, ok, ok});
        row("a refused event does not move the reference", {0, 2 * day, 3 * day},
            {ok, ahead, ahead});
        row("good: late events are not this rule's business", {10 * day, 0, -100 * day},
            {ok, ok, ok});
        row("good: the first event sets the reference (a simulation in the future)",
            {1000 * day, 1000 * day + 3600}, {ok, ok});
        row("an hour's horizon", {0, 3600, 7201}, {ok, ok, ahead}, 3600);
        row("good: unlimited", {0, 1000 * day}, {ok, ok}, -1);
        row("good: last week's backlog, then today's run (the wall clock)", {0, 7 * day}, {ok, ok},
            0, 7 * day);
        row("a day ahead of the wall clock and of the stream", {0, 8 * day + 1}, {ok, ahead}, 0,
            7 * day);
        row("year 9999 whatever the wall clock", {0, 253'399'000'000 - 1'795'000'000}, {ok, ahead},
            0, 7 * day);
    }

    void timeHorizon() {
        QFETCH(QList<qint64>, offsets);
        QFETCH(QStringList, verdicts);
        QFETCH(qint64, horizon);
        QFETCH(qint64, clock);
        DecodeOptions options;
        if (horizon == -1) {
            options.max_time_ahead = EventTimeHorizon::kUnlimited;
        } else if (horizon > 0) {
            options.max_time_ahead = horizon * kMicrosPerSecond;
        }
        static TimestampUs fake_now = 0;
        fake_now = kStart + clock * kMicrosPerSecond;
        options.wall_clock = clock < 0 ? nullptr : +[] { return fake_now; };
        EventDecoder decoder(catalog(), options);
        for (qsizetype i = 0; i < offsets.size(); ++i) {
            // Alternate kinds: the reference is the stream's, not one topic's.
            const QString base = i % 2 == 0 ? "transaction" : "add";
            QJsonObject object = baseObject(base);
            object["timestamp"] =
                QString::fromStdString(formatIsoTimestamp(kStart + offsets[i] * kMicrosPerSecond));
            const std::string payload = compact(object).toStdString();
            Transaction transaction;
            CartEvent cart;
            const auto rejection =
                i % 2 == 0 ? decoder.decode(payload, transaction) : decoder.decode(payload, cart);
            const QString verdict =
                rejection ? QString::fromUtf8(reasonName(rejection->reason)) : "accepted";
            QVERIFY2(verdict == verdicts[i],
                     qPrintable(QString("event %1: %2 (%3)")
                                    .arg(i)
                                    .arg(verdict)
                                    .arg(rejection ? rejection->detail.c_str() : "")));
            if (rejection) {
                QVERIFY(QString::fromStdString(rejection->detail).startsWith("timestamp: "));
                QVERIFY(!QString::fromStdString(rejection->detail).contains('\n'));
                reasonsSeen().insert(verdict);
            }
        }
    }

    void everyReasonHasADecodeRow() {
        if (reasonsSeen().isEmpty()) {
            QSKIP("needs the rows of decode() to have run");
        }
        for (int i = 0; i < kRejectReasonCount; ++i) {
            const QString name = QString::fromUtf8(reasonName(static_cast<RejectReason>(i)));
            QVERIFY2(reasonsSeen().contains(name), qPrintable(name));
        }
    }

    // Long orders take the sorting path: same answer as the pairwise scan, the earliest repeat.
    void duplicateProductsInLongOrders() {
        std::vector<OrderLine> lines;
        for (ProductId p = 0; p < 40; ++p) {
            lines.push_back(line(p, 1));
        }
        QCOMPARE(validation::findDuplicateProduct(lines), std::nullopt);
        lines[38].product = 20;
        lines[35].product = 3;
        using Found = std::optional<std::pair<std::size_t, std::size_t>>;
        QCOMPARE(validation::findDuplicateProduct(lines), Found({3, 35}));
        lines.resize(8);
        lines[7].product = 1;
        lines[5].product = 1;
        QCOMPARE(validation::findDuplicateProduct(lines), Found({1, 5}));

        Transaction order = goodTransaction();
        order.products.clear();
        for (ProductId p = 0; p < 100; ++p) {
            order.products.push_back(line(p, 1));
        }
        order.products[99] = order.products[42];
        order.total_amount = 0;
        for (const OrderLine& l : order.products) {
            order.total_amount += l.amount();
        }
        const auto rejection = validate(order);
        QVERIFY(rejection);
        QCOMPARE(rejection->reason, RejectReason::DuplicateProduct);
        QCOMPARE(QString::fromStdString(rejection->detail),
                 QString("products[99].product_id: %1 is also on products[42]")
                     .arg(QString::fromStdString(formatProductId(42))));
        EventDecoder decoder(catalog());
        Transaction decoded;
        const auto wire = decoder.decode(encoder().encode(order), decoded);
        QVERIFY(wire);
        QCOMPARE(wire->detail, rejection->detail);
    }

    void detailWording() {
        EventDecoder decoder(catalog());
        QJsonObject object = baseObject("transaction");
        setIn(object, "products", 2, "quantity", 0);
        Transaction out;
        const QByteArray payload = compact(object);
        const auto rejection = decoder.decode(payload.toStdString(), out);
        QVERIFY(rejection);
        QCOMPARE(QString::fromStdString(rejection->detail),
                 QString::fromUtf8("products[2].quantity: 0 is outside 1–1000"));
        // Hostile values are quoted, escaped and cut short.
        object = baseObject("transaction");
        object["country"] = QString(500, 'Z') + "\n";
        const auto long_value = decoder.decode(compact(object).toStdString(), out);
        QVERIFY(long_value);
        QCOMPARE(long_value->reason, RejectReason::UnknownCountry);
        QVERIFY(long_value->detail.size() < 120);
        QVERIFY(long_value->detail.find('\n') == std::string::npos);
    }

    void structs_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("onWire"); // the encoded struct decodes to the same verdict

        cases().clear();
        const auto row = [](const char* name, std::function<AnyEvent()> make, const char* reason,
                            bool on_wire = true) {
            QTest::newRow(name) << int(cases().size()) << reason << on_wire;
            cases().push_back(std::move(make));
        };
        const auto tx = [](const std::function<void(Transaction&)>& change) {
            return [=] {
                Transaction t = goodTransaction();
                change(t);
                return AnyEvent(t);
            };
        };
        const auto cart = [](CartEventType type, const std::function<void(CartEvent&)>& change) {
            return [=] {
                CartEvent e = cartEvent(type);
                change(e);
                return AnyEvent(e);
            };
        };
        const auto view = [](ViewEventType type,
                             const std::function<void(ProductViewEvent&)>& change) {
            return [=] {
                ProductViewEvent e = goodView(type);
                change(e);
                return AnyEvent(e);
            };
        };
        using C = CartEventType;
        using V = ViewEventType;

        row("good transaction", tx([](Transaction&) {}), "accepted");
        for (C type : {C::AddToCart, C::RemoveFromCart, C::UpdateQuantity, C::Checkout}) {
            row(cartEventTypeName(type).data(), cart(type, [](CartEvent&) {}), "accepted");
        }
        for (V type : {V::View, V::Search, V::Filter, V::Compare}) {
            row(viewEventTypeName(type).data(), view(type, [](ProductViewEvent&) {}), "accepted");
        }
        row("line quantity 0", tx([](Transaction& t) { t.products[1].quantity = 0; }),
            "quantity_out_of_range");
        row("line quantity 1001", tx([](Transaction& t) { t.products[1].quantity = 1001; }),
            "quantity_out_of_range");
        row("line price negative", tx([](Transaction& t) { t.products[0].price = -1; }),
            "price_out_of_range");
        row("line price above 100,000",
            tx([](Transaction& t) { t.products[0].price = kMaxPriceCents + 1; }),
            "price_out_of_range");
        row("total negative", tx([](Transaction& t) { t.total_amount = -1; }),
            "total_out_of_range");
        row("total above a million",
            tx([](Transaction& t) { t.total_amount = kMaxTotalCents + 1; }), "total_out_of_range");
        row("total 2 cents off", tx([](Transaction& t) { t.total_amount += 2; }), "total_mismatch");
        row("total 1 cent off", tx([](Transaction& t) { t.total_amount -= 1; }), "accepted");
        row("no products", tx([](Transaction& t) {
                t.products.clear();
                t.total_amount = 0;
            }),
            "no_items");
        row("country enum out of range",
            tx([](Transaction& t) { t.country = static_cast<Country>(9); }), "unknown_country",
            false);
        row("payment enum out of range",
            tx([](Transaction& t) { t.payment_method = static_cast<PaymentMethod>(7); }),
            "unknown_payment_method", false);
        row("timestamp in year 10000", tx([](Transaction& t) { t.timestamp = kYear10000; }),
            "timestamp_out_of_range", false);
        row("timestamp in December 9999",
            tx([](Transaction& t) { t.timestamp = kMaxTimestamp + 1; }), "timestamp_out_of_range");
        row("timestamp before 1970", tx([](Transaction& t) { t.timestamp = -1; }),
            "timestamp_out_of_range");
        row("good: the last accepted microsecond",
            tx([](Transaction& t) { t.timestamp = kMaxTimestamp; }), "accepted");
        row("a product on two lines", tx([](Transaction& t) {
                t.products[2] = t.products[0];
                t.total_amount = 0;
                for (const OrderLine& l : t.products) {
                    t.total_amount += l.amount();
                }
            }),
            "duplicate_product");
        row("checkout with an item twice",
            cart(C::Checkout,
                 [](CartEvent& e) {
                     e.items[1] = e.items[0];
                     e.total_value = 0;
                     for (const OrderLine& l : e.items) {
                         e.total_value += l.amount();
                     }
                     e.cart_value = e.total_value;
                 }),
            "duplicate_product");
        row("line category 100", tx([](Transaction& t) { t.products[0].category = 100; }),
            "unknown_category", false);
        row("cart event type out of range",
            cart(C::AddToCart, [](CartEvent& e) { e.event_type = static_cast<C>(9); }),
            "unknown_event_type", false);
        row("add quantity 0", cart(C::AddToCart, [](CartEvent& e) { e.quantity = 0; }),
            "quantity_out_of_range");
        row("add category 100", cart(C::AddToCart, [](CartEvent& e) { e.category = 100; }),
            "unknown_category", false);
        row("add cart_value negative", cart(C::AddToCart, [](CartEvent& e) { e.cart_value = -1; }),
            "total_out_of_range");
        row("remove cart_size absurd",
            cart(C::RemoveFromCart, [](CartEvent& e) { e.cart_size = 2'000'000'000; }),
            "count_out_of_range");
        row("update to the same quantity",
            cart(C::UpdateQuantity, [](CartEvent& e) { e.new_quantity = e.old_quantity; }),
            "update_same_quantity");
        row("update to 0", cart(C::UpdateQuantity, [](CartEvent& e) { e.new_quantity = 0; }),
            "quantity_out_of_range");
        row("checkout without items",
            cart(C::Checkout,
                 [](CartEvent& e) {
                     e.items.clear();
                     e.total_items = 0;
                     e.total_value = e.cart_value = 0;
                 }),
            "no_items");
        row("checkout total 5 cents off",
            cart(C::Checkout,
                 [](CartEvent& e) {
                     e.total_value += 5;
                     e.cart_value += 5;
                 }),
            "total_mismatch");
        row("checkout cart_value differs",
            cart(C::Checkout, [](CartEvent& e) { e.cart_value += 100; }), "total_mismatch");
        row("checkout item price negative",
            cart(C::Checkout, [](CartEvent& e) { e.items[1].price = -1; }), "price_out_of_range");
        row("view price above 100,000",
            view(V::View, [](ProductViewEvent& e) { e.price = kMaxPriceCents + 1; }),
            "price_out_of_range");
        row("view query too long",
            view(V::View,
                 [](ProductViewEvent& e) {
                     e.search_query = QueryTable::global().intern(std::string(300, 'q'));
                 }),
            "invalid_search_query");
        row("search without query",
            view(V::Search, [](ProductViewEvent& e) { e.search_query = kNoQuery; }),
            "empty_search_query");
        row("search with a blank query",
            view(V::Search,
                 [](ProductViewEvent& e) { e.search_query = QueryTable::global().intern("   "); }),
            "empty_search_query");
        row("search results absurd",
            view(V::Search, [](ProductViewEvent& e) { e.results_count = 2'000'000'000; }),
            "count_out_of_range");
        row("filter min above max",
            view(V::Filter,
                 [](ProductViewEvent& e) {
                     e.min_price = 300'00;
                     e.max_price = 200'00;
                 }),
            "min_price_above_max");
        row("filter min negative", view(V::Filter, [](ProductViewEvent& e) { e.min_price = -1; }),
            "price_out_of_range");
        row("filter category 150",
            view(V::Filter, [](ProductViewEvent& e) { e.filter_category = 150; }),
            "unknown_category", false);
        row("good: filter min equals max",
            view(V::Filter, [](ProductViewEvent& e) { e.max_price = e.min_price; }), "accepted");
        row("compare one product",
            view(V::Compare,
                 [](ProductViewEvent& e) {
                     e.compare_products.resize(1);
                     e.compare_prices.resize(1);
                 }),
            "compare_too_few_products");
        row("compare prices shorter",
            view(V::Compare, [](ProductViewEvent& e) { e.compare_prices.pop_back(); }),
            "compare_arrays_mismatch");
        row("compare price negative",
            view(V::Compare, [](ProductViewEvent& e) { e.compare_prices[1] = -1; }),
            "price_out_of_range");
        row("compare category 200", view(V::Compare, [](ProductViewEvent& e) { e.category = 200; }),
            "unknown_category", false);
    }

    void structs() {
        QFETCH(int, index);
        QFETCH(QString, reason);
        QFETCH(bool, onWire);
        const AnyEvent event = cases()[std::size_t(index)]();
        const auto verdict = [](const std::optional<Rejection>& rejection) {
            return rejection ? QString::fromUtf8(reasonName(rejection->reason))
                             : QString("accepted");
        };
        const auto rejection = std::visit([](const auto& e) { return validate(e); }, event);
        QCOMPARE(verdict(rejection), reason);
        if (rejection) {
            QVERIFY(rejection->detail.find(": ") != std::string::npos);
        }
        if (!onWire) {
            return;
        }
        const std::string json =
            std::visit([](const auto& e) { return encoder().encode(e); }, event);
        EventDecoder decoder(catalog());
        const DecodeResult decoded = decoder.decode(kindOf(event), json);
        const auto* wire_rejection = std::get_if<Rejection>(&decoded);
        QCOMPARE(verdict(wire_rejection ? std::optional(*wire_rejection) : std::nullopt), reason);
        if (wire_rejection && rejection) {
            // Both name the same field.
            const auto field = [](const std::string& detail) {
                return detail.substr(0, detail.find(": "));
            };
            QCOMPARE(field(wire_rejection->detail), field(rejection->detail));
        }
    }

private:
    static std::vector<std::function<AnyEvent()>>& cases() {
        static std::vector<std::function<AnyEvent()>> all;
        return all;
    }
};

QTEST_APPLESS_MAIN(TestValidation)
#include "tst_validation.moc"
