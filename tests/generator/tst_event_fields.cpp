// SPDX-License-Identifier: GPL-3.0-or-later
// The event-field descriptions of generator/event_fields.h against the codec: the encoder writes
// exactly the described keys for every event type (and for the elements of products[] and
// items[]), and the decoder refuses an event that lacks a field the description requires. The
// same descriptions name the raw-event columns (tests/db/tst_event_fields checks those against
// the migrated database), so a field renamed on one side only fails here or there.
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/event_fields.h"
#include "generator/json_reader.h"
#include "generator/simulator.h"
#include "sample_events.h"

#include <QtTest>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace gm;
using namespace gm::event_fields;

namespace {

using Keys = std::multiset<std::string>;

template <std::size_t N> Keys describedKeys(const std::array<EventField, N>& fields, TypeSet type) {
    Keys keys;
    for (const EventField& field : fields) {
        if ((field.types & type) != 0) {
            keys.emplace(field.key);
        }
    }
    return keys;
}

Keys memberKeys(const json::Document& doc, json::Document::Index object) {
    Keys keys;
    json::Document::Index key = doc.firstChild(object);
    for (std::uint32_t i = 0; i < doc.size(object); ++i) {
        keys.emplace(doc.string(key));
        key = doc.next(key + 1);
    }
    return keys;
}

json::Document::Index member(const json::Document& doc, json::Document::Index object,
                             std::string_view name) {
    json::Document::Index key = doc.firstChild(object);
    for (std::uint32_t i = 0; i < doc.size(object); ++i) {
        if (doc.string(key) == name) {
            return key + 1;
        }
        key = doc.next(key + 1);
    }
    return 0;
}

// Every element of the array member `name` has exactly the described keys.
template <std::size_t N>
bool elementsHaveKeys(const json::Document& doc, std::string_view name,
                      const std::array<EventField, N>& fields) {
    const json::Document::Index array = member(doc, doc.root(), name);
    if (array == 0 || doc.type(array) != json::Type::Array || doc.size(array) == 0) {
        return false;
    }
    json::Document::Index element = doc.firstChild(array);
    for (std::uint32_t i = 0; i < doc.size(array); ++i, element = doc.next(element)) {
        if (memberKeys(doc, element) != describedKeys(fields, kEveryType)) {
            return false;
        }
    }
    return true;
}

// The payload without its top-level member `name` (the encoder's output has no whitespace).
std::string withoutMember(const std::string& payload, std::string_view name) {
    const std::string needle = "\"" + std::string(name) + "\":";
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < payload.size(); ++i) {
        const char c = payload[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (depth == 1 && payload.compare(i, needle.size(), needle) == 0) {
            // The member runs to the next top-level ',' or the closing '}'.
            std::size_t end = i + needle.size();
            int inner = 0;
            bool quoted = false;
            for (; end < payload.size(); ++end) {
                const char e = payload[end];
                if (quoted) {
                    if (e == '\\') {
                        ++end;
                    } else if (e == '"') {
                        quoted = false;
                    }
                } else if (e == '"') {
                    quoted = true;
                } else if (e == '[' || e == '{') {
                    ++inner;
                } else if (e == ']' || (e == '}' && inner > 0)) {
                    --inner;
                } else if (inner == 0 && (e == ',' || e == '}')) {
                    break;
                }
            }
            std::string out = payload;
            if (payload[end] == ',') {
                out.erase(i, end + 1 - i); // the member and the comma after it
            } else {
                out.erase(i - 1, end - (i - 1)); // the last member and the comma before it
            }
            return out;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return payload;
}

// One generated event of every type of both event-type streams, and a transaction.
struct Samples {
    std::map<CartEventType, CartEvent> carts;
    std::map<ViewEventType, ProductViewEvent> views;
    std::vector<Transaction> transactions;
};

Samples samples() {
    ShopSimulator simulator(test::catalog(), SimulatorConfig{}, test::kStart);
    simulator.setShopRate(2000);
    Samples out;
    EventBatch batch;
    for (int round = 0; round < 100; ++round) {
        batch.clear();
        simulator.generate(5000, batch);
        for (const CartEvent& e : batch.carts) {
            out.carts.emplace(e.event_type, e);
        }
        for (const ProductViewEvent& e : batch.views) {
            out.views.emplace(e.event_type, e);
        }
        if (out.transactions.empty() && !batch.transactions.empty()) {
            out.transactions.push_back(batch.transactions.front());
        }
        if (out.carts.size() == kCartEventTypeCount && out.views.size() == kViewEventTypeCount &&
            !out.transactions.empty()) {
            break;
        }
    }
    return out;
}

std::string keysText(const Keys& keys) {
    std::string out;
    for (const std::string& key : keys) {
        out += (out.empty() ? "" : " ") + key;
    }
    return out;
}

} // namespace

class TestEventFields : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void descriptionIsConsistent();
    void encoderWritesTheDescribedKeys();
    void decoderRequiresTheRequiredFields();

private:
    Samples samples_;
};

void TestEventFields::initTestCase() {
    samples_ = samples();
    QCOMPARE(samples_.carts.size(), std::size_t(kCartEventTypeCount));
    QCOMPARE(samples_.views.size(), std::size_t(kViewEventTypeCount));
    QVERIFY(!samples_.transactions.empty());
}

void TestEventFields::descriptionIsConsistent() {
    for (const RawEventTable* table : kRawEventTables) {
        std::set<std::string_view> keys;
        std::set<std::string_view> columns;
        for (const EventField& field : table->fields) {
            QVERIFY2(keys.insert(field.key).second, "a JSON key described twice");
            QVERIFY2(field.column.empty() || columns.insert(field.column).second,
                     "a column described twice");
            // A key column is never NULL, so its field is in every event.
            QVERIFY(field.primary_key == Key::No || field.required == Required::Always);
            QVERIFY(field.required == Required::ByType || field.types == kEveryType);
            QVERIFY(field.types != 0);
        }
        QVERIFY(table->columnCount() > 0);
        QVERIFY(table->columnField(0).primary_key == Key::Yes);
    }
}

void TestEventFields::encoderWritesTheDescribedKeys() {
    const EventEncoder& encoder = test::encoder();
    json::Document doc;
    for (const auto& [type, event] : samples_.carts) {
        const std::string payload = encoder.encode(event);
        QVERIFY(doc.parse(payload));
        const Keys actual = memberKeys(doc, doc.root());
        const Keys expected = describedKeys(kCartEventFields, typeBit(type));
        QVERIFY2(actual == expected, (std::string(cartEventTypeName(type)) + ": wrote " +
                                      keysText(actual) + "; described " + keysText(expected))
                                         .c_str());
        if (type == CartEventType::Checkout) {
            QVERIFY2(elementsHaveKeys(doc, "items", kCheckoutItemFields), payload.c_str());
        }
    }
    for (const auto& [type, event] : samples_.views) {
        const std::string payload = encoder.encode(event);
        QVERIFY(doc.parse(payload));
        const Keys actual = memberKeys(doc, doc.root());
        const Keys expected = describedKeys(kProductViewFields, typeBit(type));
        QVERIFY2(actual == expected, (std::string(viewEventTypeName(type)) + ": wrote " +
                                      keysText(actual) + "; described " + keysText(expected))
                                         .c_str());
    }
    const std::string payload = encoder.encode(samples_.transactions.front());
    QVERIFY(doc.parse(payload));
    QCOMPARE(memberKeys(doc, doc.root()), describedKeys(kTransactionFields, kEveryType));
    QVERIFY2(elementsHaveKeys(doc, "products", kTransactionLineFields), payload.c_str());
}

// Every described field the event type carries is required: without it the decoder refuses the
// event as missing_field, naming the field.
void TestEventFields::decoderRequiresTheRequiredFields() {
    const EventEncoder& encoder = test::encoder();
    DecodeOptions options;
    options.wall_clock = nullptr;
    int checked = 0;
    const auto check = [&](EventKind kind, const std::string& payload, std::string_view key,
                           bool tolerated) {
        EventDecoder decoder(test::catalog(), options);
        const std::string without = withoutMember(payload, key);
        QVERIFY2(without != payload, ("no member " + std::string(key)).c_str());
        const DecodeResult result = decoder.decode(kind, without);
        const Rejection* rejection = std::get_if<Rejection>(&result);
        if (tolerated) {
            QVERIFY2(rejection == nullptr, rejection ? rejection->detail.c_str() : "");
            return;
        }
        QVERIFY2(rejection != nullptr, ("accepted without " + std::string(key)).c_str());
        QCOMPARE(rejection->reason, RejectReason::MissingField);
        QCOMPARE(QString::fromStdString(rejection->detail),
                 QString::fromStdString(std::string(key) + ": missing"));
        ++checked;
    };
    for (const auto& [type, event] : samples_.carts) {
        const std::string payload = encoder.encode(event);
        for (const EventField& field : kCartEventFields) {
            if ((field.types & typeBit(type)) != 0) {
                // docs/events.md: a checkout without cart_value is read with total_value.
                const bool tolerated = type == CartEventType::Checkout && field.key == "cart_value";
                check(EventKind::Cart, payload, field.key, tolerated);
            }
        }
    }
    for (const auto& [type, event] : samples_.views) {
        const std::string payload = encoder.encode(event);
        for (const EventField& field : kProductViewFields) {
            if ((field.types & typeBit(type)) != 0) {
                check(EventKind::ProductView, payload, field.key, false);
            }
        }
    }
    const std::string payload = encoder.encode(samples_.transactions.front());
    for (const EventField& field : kTransactionFields) {
        check(EventKind::Transaction, payload, field.key, false);
    }
    QVERIFY(checked > 40);
}

QTEST_GUILESS_MAIN(TestEventFields)
#include "tst_event_fields.moc"
