// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/app_settings.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace gm;

class SettingsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultsFollowTheSpec() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(settings);
        QCOMPARE(loaded.theme, ThemeChoice::System);
        const PipelineConfig config = loaded.applyTo(PipelineConfig{});
        const PipelineConfig spec;
        QCOMPARE(config.high_value_threshold, spec.high_value_threshold);
        QCOMPARE(config.high_quantity_threshold, spec.high_quantity_threshold);
        QCOMPARE(config.low_stock_threshold, spec.low_stock_threshold);
        QCOMPARE(config.sales_window, spec.sales_window);
        QCOMPARE(config.suspicious_window, spec.suspicious_window);
        QCOMPARE(config.abandonment_timeout, spec.abandonment_timeout);
        QCOMPARE(config.lateness, spec.lateness);
    }

    void valuesPersistAcrossInstances() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("globalmart.ini"));
        AppSettings edited;
        edited.database_uri = QStringLiteral("postgresql://analyst@db:5432/globalmart");
        edited.event_source = EventSourceChoice::KafkaTopics;
        edited.kafka_publish = true;
        edited.kafka_embedded = true;
        edited.kafka_brokers = QStringLiteral("broker1:9092,broker2:9092");
        edited.kafka_group = QStringLiteral("analysts");
        edited.kafka_topic_naming = KafkaTopicNaming::Original;
        edited.kafka_topic_prefix = QStringLiteral("staging.");
        // Commas, '=', '#', quotes and a blank line are what an INI list could get wrong.
        edited.kafka_properties = {QStringLiteral("# TLS to the staging cluster"),
                                   QStringLiteral("security.protocol=SSL"), QString(),
                                   QStringLiteral("bootstrap.servers=a:9093,b:9093"),
                                   QStringLiteral("sasl.password=\"p;w=d\"")};
        edited.theme = ThemeChoice::Dark;
        edited.high_value_threshold = 7250.5;
        edited.high_quantity_threshold = 80;
        edited.low_stock_threshold = 3;
        edited.sales_window_seconds = 120;
        edited.suspicious_window_minutes = 15;
        edited.lateness_seconds = 10;
        edited.abandonment_timeout_minutes = 45;
        {
            QSettings settings(path, QSettings::IniFormat);
            edited.save(settings);
        }
        QSettings reopened(path, QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(reopened);
        QCOMPARE(loaded.database_uri, edited.database_uri);
        QCOMPARE(loaded.event_source, EventSourceChoice::KafkaTopics);
        QVERIFY(loaded.kafka_publish);
        QVERIFY(loaded.kafka_embedded);
        QCOMPARE(loaded.kafka_brokers, edited.kafka_brokers);
        QCOMPARE(loaded.kafka_group, edited.kafka_group);
        QCOMPARE(loaded.kafka_topic_naming, KafkaTopicNaming::Original);
        QCOMPARE(loaded.kafka_topic_prefix, edited.kafka_topic_prefix);
        QCOMPARE(loaded.kafka_properties, edited.kafka_properties);
        QCOMPARE(loaded.theme, ThemeChoice::Dark);
        QCOMPARE(loaded.high_value_threshold, 7250.5);
        QCOMPARE(loaded.high_quantity_threshold, 80);
        QCOMPARE(loaded.low_stock_threshold, 3);
        const PipelineConfig config = loaded.applyTo(PipelineConfig{});
        QCOMPARE(config.high_value_threshold, Cents{725'050});
        QCOMPARE(config.sales_window, 2 * kMicrosPerMinute);
        QCOMPARE(config.suspicious_window, 15 * kMicrosPerMinute);
        QCOMPARE(config.abandonment_timeout, 45 * kMicrosPerMinute);
        for (const TimestampUs lateness : config.lateness) {
            QCOMPARE(lateness, 10 * kMicrosPerSecond);
        }
    }

    void kafkaDefaultsLeaveKafkaOff() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(settings);
        QCOMPARE(loaded.event_source, EventSourceChoice::Generator);
        QVERIFY(!loaded.kafka_publish);
        QVERIFY(!loaded.kafka_embedded);
        QCOMPARE(loaded.kafka_group, QStringLiteral("globalmart-monitor"));
        QCOMPARE(loaded.kafka_topic_naming, KafkaTopicNaming::Standard);
        QVERIFY(loaded.kafka_properties.isEmpty());
    }

    void singleAndNoPropertiesRoundTrip() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("globalmart.ini"));
        for (const QStringList& properties :
             {QStringList{}, QStringList{QStringLiteral("bootstrap.servers=a:1,b:2")}}) {
            AppSettings edited;
            edited.kafka_properties = properties;
            {
                QSettings settings(path, QSettings::IniFormat);
                edited.save(settings);
            }
            QSettings reopened(path, QSettings::IniFormat);
            QCOMPARE(AppSettings::load(reopened).kafka_properties, properties);
        }
    }

    // Before the Kafka group box there were only brokers and a prefix, and brokers meant
    // "publish the generated events there".
    void anOldStorePublishesToItsBrokers() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.ini"));
        {
            QSettings old(path, QSettings::IniFormat);
            old.setValue(QStringLiteral("kafka/brokers"), QStringLiteral("kafka1:9092"));
            old.setValue(QStringLiteral("kafka/topic_prefix"), QStringLiteral("dev-"));
        }
        QSettings settings(path, QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(settings);
        QCOMPARE(loaded.event_source, EventSourceChoice::Generator);
        QVERIFY(loaded.kafka_publish);
        QVERIFY(!loaded.kafka_embedded);
        QCOMPARE(loaded.kafka_brokers, QStringLiteral("kafka1:9092"));
        QCOMPARE(loaded.kafka_topic_naming, KafkaTopicNaming::Prefixed);
        QCOMPARE(loaded.kafka_topic_prefix, QStringLiteral("dev-"));

        KafkaSettings kafka;
        QVERIFY(!kafkaSettingsFrom(loaded, kafka));
        QVERIFY(kafka.publish);
        QVERIFY(!kafka.consume);
        QCOMPARE(kafka.brokers, std::string("kafka1:9092"));
        QCOMPARE(kafka.topics.transactions, std::string("dev-transactions"));
        QCOMPARE(kafka.topics.alerts, std::string("dev-alerts"));
    }

    void anOldStoreWithoutBrokersLeavesKafkaOff() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.ini"));
        {
            QSettings old(path, QSettings::IniFormat);
            old.setValue(QStringLiteral("kafka/brokers"), QString());
            old.setValue(QStringLiteral("kafka/topic_prefix"), QString());
        }
        QSettings settings(path, QSettings::IniFormat);
        const AppSettings loaded = AppSettings::load(settings);
        QVERIFY(!loaded.kafka_publish);
        QCOMPARE(loaded.kafka_topic_naming, KafkaTopicNaming::Standard);
    }

    void defaultSettingsLocationIsIsolatedInTestMode() {
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
        {
            QSettings settings;
            settings.clear();
            AppSettings s;
            s.theme = ThemeChoice::Light;
            s.save(settings);
        }
        QSettings settings;
        QVERIFY(settings.fileName().contains(QStringLiteral("qttest")) ||
                settings.fileName().contains(QStringLiteral(".qttest")));
        QCOMPARE(AppSettings::load(settings).theme, ThemeChoice::Light);
        settings.clear();
    }
};

QTEST_MAIN(SettingsTest)
#include "tst_settings.moc"
