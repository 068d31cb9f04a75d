// SPDX-License-Identifier: GPL-3.0-or-later
// kafkaSettingsFrom(): the Settings dialog's Kafka choices as KafkaSettings, and the problems it
// reports with the field they are about (the dialog focuses it).
#include "models/app_settings.h"
#include "tests/models/kafka_settings_samples.h"

#include <QtTest>

using namespace gm;
using test::Properties;
using test::publishingTo;

class KafkaSettingsFromTest : public QObject {
    Q_OBJECT
private slots:
    void kafkaOffLeavesTheSettingsAsTheyWere() {
        AppSettings settings;
        settings.kafka_brokers = QStringLiteral("kafka1:9092"); // kept for later, unused now
        settings.kafka_topic_naming = KafkaTopicNaming::Original;
        settings.kafka_properties = {QStringLiteral("acks=all")};
        KafkaSettings kafka;
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QVERIFY(!kafka.consume && !kafka.publish && !kafka.embedded);
        QVERIFY(kafka.brokers.empty());
        QCOMPARE(kafka.topics.transactions, std::string("transactions"));
        QVERIFY(kafka.properties.empty());
    }

    void propertiesSkipCommentsAndBlankLinesAndKeepTheirOrder() {
        AppSettings settings = publishingTo(QStringLiteral("k:9092"));
        settings.kafka_properties = {QStringLiteral("# TLS"), QStringLiteral("acks=all"), QString(),
                                     QStringLiteral("  linger.ms = 5  "), QStringLiteral("acks=1")};
        KafkaSettings kafka;
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QCOMPARE(kafka.properties,
                 (Properties{{"acks", "all"}, {"linger.ms", "5"}, {"acks", "1"}}));
    }

    // The command line's -X pairs come last, so on a key both set the command line wins.
    void givenPropertiesFollowTheDialogs() {
        AppSettings settings = publishingTo(QStringLiteral("k:9092"));
        settings.kafka_properties = {QStringLiteral("acks=all")};
        KafkaSettings kafka;
        kafka.properties = {{"acks", "1"}};
        kafka.compression = "zstd";
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QCOMPARE(kafka.properties, (Properties{{"acks", "all"}, {"acks", "1"}}));
        QCOMPARE(kafka.compression, std::string("zstd"));
    }

    void aMisspelledPropertyIsNamedWithItsLine() {
        AppSettings settings = publishingTo(QStringLiteral("k:9092"));
        settings.kafka_properties = {QStringLiteral("# comment"), QString(),
                                     QStringLiteral("bootstrap.servrs=x")};
        KafkaSettings kafka;
        const auto problem = kafkaSettingsFrom(settings, kafka);
        QVERIFY(problem);
        QCOMPARE(problem->field, KafkaSettingsField::Properties);
        QCOMPARE(problem->property_line, 2);
        QVERIFY2(QString::fromStdString(problem->message).contains("bootstrap.servrs"),
                 problem->message.c_str());
        QVERIFY(!kafka.publish); // untouched
    }

    void aPropertyWithoutValueOrWithABadValueIsAProblem() {
        for (const QString& line : {QStringLiteral("acks"), QStringLiteral("acks=lots")}) {
            AppSettings settings = publishingTo(QStringLiteral("k:9092"));
            settings.kafka_properties = {line};
            KafkaSettings kafka;
            const auto problem = kafkaSettingsFrom(settings, kafka);
            QVERIFY2(problem, qPrintable(line));
            QCOMPARE(problem->field, KafkaSettingsField::Properties);
            QCOMPARE(problem->property_line, 0);
        }
    }

    void theKafkaSourceNeedsAGroupAndABroker() {
        AppSettings settings;
        settings.event_source = EventSourceChoice::KafkaTopics;
        settings.kafka_brokers = QStringLiteral("k:9092");
        settings.kafka_group = QStringLiteral("  ");
        KafkaSettings kafka;
        auto problem = kafkaSettingsFrom(settings, kafka);
        QVERIFY(problem);
        QCOMPARE(problem->field, KafkaSettingsField::Group);
        QVERIFY(QString::fromStdString(problem->message).contains("--group"));

        settings.kafka_group = QStringLiteral("analysts");
        settings.kafka_brokers.clear();
        problem = kafkaSettingsFrom(settings, kafka);
        QVERIFY(problem);
        QCOMPARE(problem->field, KafkaSettingsField::Brokers);
        QVERIFY(QString::fromStdString(problem->message).contains("--brokers"));

        // A bootstrap.servers property is a broker too, as on the command line.
        settings.kafka_properties = {QStringLiteral("bootstrap.servers=k:9092")};
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QVERIFY(kafka.consume);
        QCOMPARE(kafka.group, std::string("analysts"));
    }

    void theGeneratorIgnoresAnEmptyGroup() {
        AppSettings settings = publishingTo(QStringLiteral("k:9092"));
        settings.kafka_group.clear();
        KafkaSettings kafka;
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QCOMPARE(kafka.group, std::string("globalmart-monitor"));
    }

    void publishingNeedsABrokerUnlessEmbedded() {
        AppSettings settings = publishingTo(QString());
        KafkaSettings kafka;
        const auto problem = kafkaSettingsFrom(settings, kafka);
        QVERIFY(problem);
        QCOMPARE(problem->field, KafkaSettingsField::Brokers);

        settings.kafka_embedded = true;
        settings.kafka_brokers = QStringLiteral("ignored:9092");
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QVERIFY(kafka.embedded && kafka.publish);
        QVERIFY(kafka.brokers.empty()); // the embedded broker's address is filled in at start
    }

    void aTopicPrefixMustMakeLegalTopicNames() {
        AppSettings settings = publishingTo(QStringLiteral("k:9092"));
        settings.kafka_topic_naming = KafkaTopicNaming::Prefixed;
        settings.kafka_topic_prefix = QStringLiteral("my shop/");
        KafkaSettings kafka;
        const auto problem = kafkaSettingsFrom(settings, kafka);
        QVERIFY(problem);
        QCOMPARE(problem->field, KafkaSettingsField::TopicPrefix);
        QVERIFY(QString::fromStdString(problem->message).contains("my shop/"));

        settings.kafka_topic_prefix = QStringLiteral("eu_west.staging-");
        QVERIFY(!kafkaSettingsFrom(settings, kafka));
        QCOMPARE(kafka.topics.cart_events, std::string("eu_west.staging-cart-events"));
    }
};

QTEST_GUILESS_MAIN(KafkaSettingsFromTest)
#include "tst_kafka_settings_from.moc"
