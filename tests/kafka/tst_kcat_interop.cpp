// SPDX-License-Identifier: GPL-3.0-or-later
// Other Kafka clients read what we publish and we read what they produce: kcat consumes our
// topics and every message is a JSON object with the spec's field names (checked with Qt's
// parser, independent of ours), keyed by user_id; events in the original project's format
// (naive timestamps, "-topic" names) produced by kcat are consumed and counted.
#include "generator/timestamp.h"
#include "kafka_test_support.h"
#include "pipeline/kafka/event_publisher.h"
#include "pipeline/kafka/kafka_producer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace gm;
using namespace std::chrono_literals;

namespace {

QSet<QString> keysOf(const QJsonObject& object) {
    const QStringList keys = object.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

QSet<QString> set(std::initializer_list<const char*> names) {
    QSet<QString> out;
    for (const char* name : names) {
        out.insert(QString::fromLatin1(name));
    }
    return out;
}

int lineCount(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return -1;
    }
    return static_cast<int>(file.readAll().count('\n'));
}

} // namespace

class TestKcatInterop : public QObject {
    Q_OBJECT

    std::unique_ptr<EmbeddedKafka> kafka_;
    QString bootstrap_;

    // "key<TAB>value" lines of everything on the topic.
    QList<QByteArray> kcatConsume(const std::string& topic) {
        const auto result =
            test::runKcat({"-b", bootstrap_, "-C", "-t", QString::fromStdString(topic), "-o",
                           "beginning", "-e", "-q", "-f", "%k\\t%s\\n"});
        if (result.exit_code != 0) {
            qWarning("kcat: %s", result.err.constData());
            return {};
        }
        QList<QByteArray> lines = result.out.split('\n');
        lines.removeAll(QByteArray());
        return lines;
    }

private slots:
    void initTestCase() {
        auto topics = test::eventTopics();
        for (const auto& topic : test::eventTopics(KafkaTopics::original())) {
            topics.push_back(topic);
        }
        kafka_ = std::make_unique<EmbeddedKafka>(
            EmbeddedKafkaConfig{.brokers = 1, .partitions = 8, .topics = topics});
        bootstrap_ = QString::fromStdString(kafka_->bootstrapServers());
        const auto version = test::runKcat({"-V"});
        QVERIFY2(version.exit_code == 0, "kcat is not installed");
    }

    void kcatReadsOurEvents() {
        const EventBatch generated = test::generate(3'000, 5);
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        KafkaProducer producer(settings);
        EventPublisher publisher(producer, test::encoder(), settings.topics);
        QVERIFY(publisher.publish(generated));
        QVERIFY(producer.flush(45s));

        const auto transactions = kcatConsume(settings.topics.transactions);
        QCOMPARE(transactions.size(), static_cast<qsizetype>(generated.transactions.size()));
        const auto transaction_keys = set({"transaction_id", "user_id", "timestamp", "products",
                                           "total_amount", "payment_method", "country"});
        for (const QByteArray& line : transactions) {
            const auto tab = line.indexOf('\t');
            QVERIFY(tab > 0);
            QJsonParseError error;
            const auto document = QJsonDocument::fromJson(line.mid(tab + 1), &error);
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            const QJsonObject object = document.object();
            QCOMPARE(keysOf(object), transaction_keys);
            QCOMPARE(line.left(tab), object["user_id"].toString().toUtf8()); // keyed by user
            QVERIFY(object["timestamp"].toString().endsWith('Z'));
            for (const auto product : object["products"].toArray()) {
                QCOMPARE(keysOf(product.toObject()), set({"product_id", "quantity", "price"}));
            }
        }

        const auto common =
            set({"event_id", "event_type", "timestamp", "user_id", "session_id", "country"});
        for (const auto& [topic, expected] :
             {std::pair{settings.topics.cart_events, generated.carts.size()},
              std::pair{settings.topics.product_views, generated.views.size()}}) {
            const auto lines = kcatConsume(topic);
            QCOMPARE(lines.size(), static_cast<qsizetype>(expected));
            for (const QByteArray& line : lines) {
                const auto object =
                    QJsonDocument::fromJson(line.mid(line.indexOf('\t') + 1)).object();
                QVERIFY2(keysOf(object).contains(common), line.constData());
            }
        }
    }

    void kcatReadsOurAlerts() {
        KafkaSettings settings = test::settingsFor(*kafka_, "unused");
        KafkaProducer producer(settings);
        AlertPublisher alerts(producer, settings.topics.alerts);
        QVERIFY(alerts.publish("{\"severity\":\"critical\",\"kind\":\"high_value\","
                               "\"user_id\":\"USER_00000001\"}",
                               "USER_00000001"));
        QVERIFY(producer.flush(45s));
        const auto lines = kcatConsume(settings.topics.alerts);
        QCOMPARE(lines.size(), qsizetype{1});
        const auto object =
            QJsonDocument::fromJson(lines[0].mid(lines[0].indexOf('\t') + 1)).object();
        QCOMPARE(object["severity"].toString(), QStringLiteral("critical"));
    }

    void weReadOriginalFormatFromKcat() {
        const KafkaTopics original = KafkaTopics::original();
        const std::pair<std::string, const char*> files[] = {
            {original.transactions, "original_transactions.jsonl"},
            {original.cart_events, "original_cart_events.jsonl"},
            {original.product_views, "original_product_views.jsonl"}};
        for (const auto& [topic, file] : files) {
            const auto result =
                test::runKcat({"-b", bootstrap_, "-P", "-t", QString::fromStdString(topic), "-X",
                               "sticky.partitioning.linger.ms=0", "-l", test::dataFile(file)});
            QVERIFY2(result.exit_code == 0, result.err.constData());
        }
        const int transactions = lineCount(test::dataFile("original_transactions.jsonl"));
        const int carts = lineCount(test::dataFile("original_cart_events.jsonl"));
        const int views = lineCount(test::dataFile("original_product_views.jsonl"));
        QVERIFY(transactions > 0 && carts > 0 && views > 0);

        KafkaSettings settings = test::settingsFor(*kafka_, "original-format");
        QVERIFY(!applyKafkaOption(settings, "topics", "original"));
        KafkaEventSource source(settings, test::catalog());
        source.start();
        const std::size_t total = static_cast<std::size_t>(transactions + carts + views);
        const EventBatch consumed = test::collect(source, test::atLeast(total), 60s);
        for (const auto& letter : source.takeDeadLetters()) {
            qWarning("dead letter %s: %s", std::string(reasonName(letter.reason)).c_str(),
                     letter.detail.c_str());
        }
        QCOMPARE(consumed.transactions.size(), static_cast<std::size_t>(transactions));
        QCOMPARE(consumed.carts.size(), static_cast<std::size_t>(carts));
        QCOMPARE(consumed.views.size(), static_cast<std::size_t>(views));
        QCOMPARE(source.status().dead_letters, std::uint64_t{0});

        // A naive timestamp is UTC: the first transaction of the file says 10:33:20.838000.
        QFile file(test::dataFile("original_transactions.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto first = QJsonDocument::fromJson(file.readLine()).object();
        const std::string naive = first["timestamp"].toString().toStdString();
        QVERIFY(naive.find('Z') == std::string::npos);
        const auto expected = parseIsoTimestamp(naive + "Z");
        QVERIFY(expected);
        const auto id = parseUuid(first["transaction_id"].toString().toStdString());
        bool found = false;
        for (const auto& t : consumed.transactions) {
            if (t.transaction_id == *id) {
                found = true;
                QCOMPARE(t.timestamp, *expected);
            }
        }
        QVERIFY(found);
        source.stop();
    }

    void cleanupTestCase() { kafka_.reset(); }
};

QTEST_GUILESS_MAIN(TestKcatInterop)
#include "tst_kcat_interop.moc"
