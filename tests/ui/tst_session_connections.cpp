// SPDX-License-Identifier: GPL-3.0-or-later
// Database and Kafka from the Settings dialog reach the next run; the command line wins.
#include "tests/models/kafka_settings_samples.h"
#include "ui/desktop_session.h"

#include <QTest>

using namespace gm;
using test::Properties;
using test::publishingTo;

class TestSessionConnections : public QObject {
    Q_OBJECT

private slots:
    void settingsConfigureTheNextRun() {
        DesktopSession session(RunOptions{});
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        settings.database_uri = QStringLiteral("postgresql://analyst@db.example/shop");
        settings.kafka_topic_naming = KafkaTopicNaming::Prefixed;
        settings.kafka_topic_prefix = QStringLiteral("dev-");
        QVERIFY(!session.setConnections(settings));
        const RunOptions& next = session.options();
        QCOMPARE(next.database_url,
                 std::optional<std::string>("postgresql://analyst@db.example/shop"));
        QVERIFY(next.kafka.publish);
        QVERIFY(!next.kafka.consume);
        QVERIFY(!next.kafka.embedded);
        QCOMPARE(next.kafka.brokers, std::string("kafka1:9092"));
        QCOMPARE(next.kafka.topics.transactions, std::string("dev-transactions"));
        QCOMPARE(next.kafka.topics.cart_events, std::string("dev-cart-events"));
        QCOMPARE(next.kafka.topics.product_views, std::string("dev-product-views"));
        QCOMPARE(next.kafka.topics.alerts, std::string("dev-alerts"));
    }

    void theKafkaSourceConsumesWithItsGroup() {
        DesktopSession session(RunOptions{});
        AppSettings settings;
        settings.event_source = EventSourceChoice::KafkaTopics;
        settings.kafka_publish = true; // greyed out with the Kafka source, and ignored
        settings.kafka_brokers = QStringLiteral("kafka1:9092,kafka2:9092");
        settings.kafka_group = QStringLiteral("analysts");
        settings.kafka_topic_naming = KafkaTopicNaming::Original;
        QVERIFY(!session.setConnections(settings));
        const KafkaSettings& kafka = session.options().kafka;
        QVERIFY(kafka.consume);
        QVERIFY(!kafka.publish);
        QCOMPARE(kafka.brokers, std::string("kafka1:9092,kafka2:9092"));
        QCOMPARE(kafka.group, std::string("analysts"));
        QCOMPARE(kafka.topics.transactions, std::string("transactions-topic"));
        QCOMPARE(kafka.topics.alerts, std::string("alerts-topic"));
    }

    void theEmbeddedBrokerReplacesTheBrokers() {
        DesktopSession session(RunOptions{});
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        settings.kafka_embedded = true;
        QVERIFY(!session.setConnections(settings));
        const KafkaSettings& kafka = session.options().kafka;
        QVERIFY(kafka.embedded);
        QVERIFY(kafka.publish);
        QVERIFY(kafka.brokers.empty());

        // The embedded broker alone (nothing published, generator source) is still Kafka on.
        settings.kafka_publish = false;
        QVERIFY(!session.setConnections(settings));
        QVERIFY(session.options().kafka.embedded);
    }

    void standardTopicsAndPropertiesInOrder() {
        DesktopSession session(RunOptions{});
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        settings.kafka_topic_naming = KafkaTopicNaming::Standard;
        settings.kafka_topic_prefix = QStringLiteral("unused-"); // only with "Prefix…"
        settings.kafka_properties = {
            QStringLiteral("security.protocol=SASL_SSL"), QStringLiteral("# the staging cluster"),
            QStringLiteral("sasl.mechanisms=PLAIN"), QStringLiteral("sasl.username=monitor")};
        QVERIFY(!session.setConnections(settings));
        const KafkaSettings& kafka = session.options().kafka;
        QCOMPARE(kafka.topics.transactions, std::string("transactions"));
        QCOMPARE(kafka.topics.alerts, std::string("alerts"));
        QCOMPARE(kafka.properties, (Properties{{"security.protocol", "SASL_SSL"},
                                               {"sasl.mechanisms", "PLAIN"},
                                               {"sasl.username", "monitor"}}));
    }

    void clearingTheSettingsTurnsThemOffAgain() {
        DesktopSession session(RunOptions{});
        AppSettings settings;
        settings.database_uri = QStringLiteral("postgresql://analyst@db.example/shop");
        settings.event_source = EventSourceChoice::KafkaTopics;
        settings.kafka_embedded = true;
        settings.kafka_topic_naming = KafkaTopicNaming::Original;
        settings.kafka_properties = {QStringLiteral("acks=all")};
        QVERIFY(!session.setConnections(settings));
        QVERIFY(session.options().kafka.consume);

        QVERIFY(!session.setConnections(AppSettings{}));
        const RunOptions& next = session.options();
        QVERIFY(!next.database_url);
        QVERIFY(!next.kafka.consume);
        QVERIFY(!next.kafka.publish);
        QVERIFY(!next.kafka.embedded);
        QVERIFY(next.kafka.brokers.empty());
        QVERIFY(next.kafka.properties.empty());
        QCOMPARE(next.kafka.topics.transactions, std::string("transactions"));

        // Brokers kept in the store without publishing or consuming are not Kafka on either.
        AppSettings only_brokers;
        only_brokers.kafka_brokers = QStringLiteral("kafka1:9092");
        QVERIFY(!session.setConnections(only_brokers));
        QVERIFY(!session.options().kafka.publish);
        QVERIFY(session.options().kafka.brokers.empty());
    }

    void aBadStoreLeavesKafkaOffAndSaysWhy() {
        DesktopSession session(RunOptions{});
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        QVERIFY(!session.setConnections(settings));
        settings.kafka_properties = {QStringLiteral("bootstrap.servrs=x")};
        const std::optional<QString> problem = session.setConnections(settings);
        QVERIFY(problem);
        QVERIFY2(problem->contains(QStringLiteral("bootstrap.servrs")), qPrintable(*problem));
        QVERIFY(!session.options().kafka.publish);
        QVERIFY(session.options().kafka.brokers.empty());
    }

    void theCommandLineTakesPrecedence() {
        RunOptions given;
        given.database_url = "dbname=from_command_line";
        given.kafka.consume = true;
        given.kafka.brokers = "cli:9092";
        DesktopSession session(given);
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        settings.database_uri = QStringLiteral("postgresql://analyst@db.example/shop");
        settings.kafka_group = QStringLiteral("analysts");
        settings.kafka_topic_naming = KafkaTopicNaming::Prefixed;
        settings.kafka_topic_prefix = QStringLiteral("dev-");
        settings.kafka_properties = {QStringLiteral("acks=all")};
        QVERIFY(!session.setConnections(settings));
        QCOMPARE(session.options().database_url,
                 std::optional<std::string>("dbname=from_command_line"));
        const KafkaSettings& kafka = session.options().kafka;
        QVERIFY(kafka.consume);
        QCOMPARE(kafka.brokers, std::string("cli:9092"));
        QVERIFY(!kafka.publish);
        QCOMPARE(kafka.group, std::string("globalmart-monitor"));
        QCOMPARE(kafka.topics.transactions, std::string("transactions"));
        QVERIFY(kafka.properties.empty());
    }

    // Each of the options that turn Kafka on makes the command line win on its own.
    void anyKafkaSwitchOnTheCommandLineWins() {
        for (int which = 0; which < 4; ++which) {
            RunOptions given;
            given.kafka.consume = which == 0;
            given.kafka.publish = which == 1;
            given.kafka.embedded = which == 2;
            given.kafka.brokers = which == 2 ? "" : "cli:9092";
            DesktopSession session(given);
            AppSettings settings;
            settings.event_source =
                which == 0 ? EventSourceChoice::Generator : EventSourceChoice::KafkaTopics;
            settings.kafka_publish = which != 1;
            settings.kafka_embedded = which != 2;
            settings.kafka_brokers = QStringLiteral("kafka1:9092");
            QVERIFY(!session.setConnections(settings));
            const KafkaSettings& kafka = session.options().kafka;
            QCOMPARE(kafka.consume, given.kafka.consume);
            QCOMPARE(kafka.publish, given.kafka.publish);
            QCOMPARE(kafka.embedded, given.kafka.embedded);
            QCOMPARE(kafka.brokers, given.kafka.brokers);
        }
    }

    // Options the dialog does not show, given without turning Kafka on, still apply; a -X pair
    // from the command line follows the dialog's, so it wins on the same key.
    void otherCommandLineKafkaOptionsStillApply() {
        RunOptions given;
        given.kafka.compression = "zstd";
        given.kafka.properties = {{"acks", "1"}};
        DesktopSession session(given);
        AppSettings settings = publishingTo(QStringLiteral("kafka1:9092"));
        settings.kafka_properties = {QStringLiteral("acks=all")};
        QVERIFY(!session.setConnections(settings));
        const KafkaSettings& kafka = session.options().kafka;
        QVERIFY(kafka.publish);
        QCOMPARE(kafka.compression, std::string("zstd"));
        QCOMPARE(kafka.properties, (Properties{{"acks", "all"}, {"acks", "1"}}));
    }
};

QTEST_MAIN(TestSessionConnections)
#include "tst_session_connections.moc"
