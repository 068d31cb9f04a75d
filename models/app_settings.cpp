// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/app_settings.h"

#include "pipeline/runtime/run_options.h"

#include <QSettings>
#include <QTime>
#include <algorithm>
#include <cmath>
#include <utility>

namespace gm {
namespace {

QString sourceName(EventSourceChoice source) {
    // The values of --source.
    return source == EventSourceChoice::KafkaTopics ? QStringLiteral("kafka")
                                                    : QStringLiteral("generator");
}

EventSourceChoice parseSource(const QString& name) {
    return name == QLatin1String("kafka") ? EventSourceChoice::KafkaTopics
                                          : EventSourceChoice::Generator;
}

QString topicNamingName(KafkaTopicNaming naming) {
    switch (naming) {
    case KafkaTopicNaming::Original:
        return QStringLiteral("original");
    case KafkaTopicNaming::Prefixed:
        return QStringLiteral("prefix");
    case KafkaTopicNaming::Standard:
        break;
    }
    return QStringLiteral("standard");
}

std::optional<KafkaTopicNaming> parseTopicNaming(const QString& name) {
    if (name == QLatin1String("standard")) {
        return KafkaTopicNaming::Standard;
    }
    if (name == QLatin1String("original")) {
        return KafkaTopicNaming::Original;
    }
    if (name == QLatin1String("prefix")) {
        return KafkaTopicNaming::Prefixed;
    }
    return std::nullopt;
}

// Kafka rejects other characters in topic names only when a topic is created or first used, so
// a typo would surface long after OK.
bool isTopicNamePart(const QString& text) {
    for (const QChar c : text) {
        const bool legal = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                           (c >= u'0' && c <= u'9') || c == u'.' || c == u'_' || c == u'-';
        if (!legal) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<QString> notificationSettingsProblem(const AppSettings& settings) {
    if (!settings.webhook_url.isEmpty()) {
        if (const auto problem = webhookUrlProblem(settings.webhook_url.toStdString())) {
            return QStringLiteral("Webhook URL: %1").arg(QString::fromStdString(*problem));
        }
    }
    for (qsizetype i = 0; i < settings.api_keys.size(); ++i) {
        if (const auto problem = apiKeyProblem(settings.api_keys[i].toStdString())) {
            return QStringLiteral("API keys: key %1: %2")
                .arg(i + 1)
                .arg(QString::fromStdString(*problem));
        }
    }
    return std::nullopt;
}

QString themeName(ThemeChoice theme) {
    switch (theme) {
    case ThemeChoice::Light:
        return QStringLiteral("light");
    case ThemeChoice::Dark:
        return QStringLiteral("dark");
    case ThemeChoice::System:
        break;
    }
    return QStringLiteral("system");
}

ThemeChoice parseTheme(const QString& name) {
    if (name == QLatin1String("light")) {
        return ThemeChoice::Light;
    }
    if (name == QLatin1String("dark")) {
        return ThemeChoice::Dark;
    }
    return ThemeChoice::System;
}

AppSettings AppSettings::load(QSettings& s) {
    AppSettings a;
    a.database_uri = s.value(QStringLiteral("database/uri"), a.database_uri).toString();
    a.warehouse_database_uri =
        s.value(QStringLiteral("database/warehouse_uri"), a.warehouse_database_uri).toString();
    a.reference_data_path =
        s.value(QStringLiteral("shop/reference_data"), a.reference_data_path).toString();
    a.event_source =
        parseSource(s.value(QStringLiteral("kafka/source"), sourceName(a.event_source)).toString());
    a.kafka_brokers = s.value(QStringLiteral("kafka/brokers"), a.kafka_brokers).toString();
    // Stores from before kafka/publish had only brokers, and brokers meant "publish there".
    a.kafka_publish = s.value(QStringLiteral("kafka/publish"), !a.kafka_brokers.isEmpty()).toBool();
    a.kafka_embedded = s.value(QStringLiteral("kafka/embedded"), a.kafka_embedded).toBool();
    a.kafka_group = s.value(QStringLiteral("kafka/group"), a.kafka_group).toString();
    a.kafka_topic_prefix =
        s.value(QStringLiteral("kafka/topic_prefix"), a.kafka_topic_prefix).toString();
    // Likewise a prefix alone meant "prefixed names".
    a.kafka_topic_naming =
        parseTopicNaming(s.value(QStringLiteral("kafka/topics")).toString())
            .value_or(a.kafka_topic_prefix.isEmpty() ? KafkaTopicNaming::Standard
                                                     : KafkaTopicNaming::Prefixed);
    a.kafka_properties = s.value(QStringLiteral("kafka/properties")).toStringList();
    a.theme = parseTheme(s.value(QStringLiteral("ui/theme"), themeName(a.theme)).toString());
    a.high_value_threshold =
        s.value(QStringLiteral("thresholds/high_value"), a.high_value_threshold).toDouble();
    a.high_quantity_threshold =
        s.value(QStringLiteral("thresholds/high_quantity"), a.high_quantity_threshold).toInt();
    a.low_stock_threshold =
        s.value(QStringLiteral("thresholds/low_stock"), a.low_stock_threshold).toInt();
    a.sales_window_seconds =
        s.value(QStringLiteral("windows/sales_seconds"), a.sales_window_seconds).toInt();
    a.suspicious_window_minutes =
        s.value(QStringLiteral("windows/suspicious_minutes"), a.suspicious_window_minutes).toInt();
    a.lateness_seconds =
        s.value(QStringLiteral("windows/lateness_seconds"), a.lateness_seconds).toInt();
    a.abandonment_timeout_minutes =
        s.value(QStringLiteral("windows/abandonment_minutes"), a.abandonment_timeout_minutes)
            .toInt();
    a.batch_schedule.mode = parseScheduleMode(
        s.value(QStringLiteral("warehouse/schedule"), scheduleModeName(a.batch_schedule.mode))
            .toString());
    a.batch_schedule.every_minutes = std::clamp(
        s.value(QStringLiteral("warehouse/every_minutes"), a.batch_schedule.every_minutes).toInt(),
        5, 24 * 60);
    const QTime daily = QTime::fromString(s.value(QStringLiteral("warehouse/daily_utc")).toString(),
                                          QStringLiteral("HH:mm"));
    if (daily.isValid()) {
        a.batch_schedule.daily_minute_utc = daily.hour() * 60 + daily.minute();
    }
    a.webhook_url = s.value(QStringLiteral("notifications/webhook_url")).toString();
    a.muted_alert_kinds = s.value(QStringLiteral("notifications/muted_kinds")).toStringList();
    a.api_keys = s.value(QStringLiteral("http/api_keys")).toStringList();
    return a;
}

void AppSettings::save(QSettings& s) const {
    s.setValue(QStringLiteral("notifications/webhook_url"), webhook_url);
    s.setValue(QStringLiteral("notifications/muted_kinds"), muted_alert_kinds);
    s.setValue(QStringLiteral("http/api_keys"), api_keys);
    s.setValue(QStringLiteral("database/uri"), database_uri);
    s.setValue(QStringLiteral("database/warehouse_uri"), warehouse_database_uri);
    s.setValue(QStringLiteral("shop/reference_data"), reference_data_path);
    s.setValue(QStringLiteral("kafka/source"), sourceName(event_source));
    s.setValue(QStringLiteral("kafka/publish"), kafka_publish);
    s.setValue(QStringLiteral("kafka/embedded"), kafka_embedded);
    s.setValue(QStringLiteral("kafka/brokers"), kafka_brokers);
    s.setValue(QStringLiteral("kafka/group"), kafka_group);
    s.setValue(QStringLiteral("kafka/topics"), topicNamingName(kafka_topic_naming));
    s.setValue(QStringLiteral("kafka/topic_prefix"), kafka_topic_prefix);
    s.setValue(QStringLiteral("kafka/properties"), kafka_properties);
    s.setValue(QStringLiteral("ui/theme"), themeName(theme));
    s.setValue(QStringLiteral("warehouse/schedule"), scheduleModeName(batch_schedule.mode));
    s.setValue(QStringLiteral("warehouse/every_minutes"), batch_schedule.every_minutes);
    s.setValue(QStringLiteral("warehouse/daily_utc"),
               QTime(batch_schedule.daily_minute_utc / 60, batch_schedule.daily_minute_utc % 60)
                   .toString(QStringLiteral("HH:mm")));
    s.setValue(QStringLiteral("thresholds/high_value"), high_value_threshold);
    s.setValue(QStringLiteral("thresholds/high_quantity"), high_quantity_threshold);
    s.setValue(QStringLiteral("thresholds/low_stock"), low_stock_threshold);
    s.setValue(QStringLiteral("windows/sales_seconds"), sales_window_seconds);
    s.setValue(QStringLiteral("windows/suspicious_minutes"), suspicious_window_minutes);
    s.setValue(QStringLiteral("windows/lateness_seconds"), lateness_seconds);
    s.setValue(QStringLiteral("windows/abandonment_minutes"), abandonment_timeout_minutes);
    s.sync();
}

PipelineConfig AppSettings::applyTo(PipelineConfig c) const {
    c.high_value_threshold = static_cast<Cents>(std::llround(high_value_threshold * 100.0));
    c.high_quantity_threshold = static_cast<std::uint32_t>(high_quantity_threshold);
    c.low_stock_threshold = low_stock_threshold;
    c.sales_window = static_cast<TimestampUs>(sales_window_seconds) * kMicrosPerSecond;
    c.suspicious_window = static_cast<TimestampUs>(suspicious_window_minutes) * kMicrosPerMinute;
    for (auto& lateness : c.lateness) {
        lateness = static_cast<TimestampUs>(lateness_seconds) * kMicrosPerSecond;
    }
    c.abandonment_timeout =
        static_cast<TimestampUs>(abandonment_timeout_minutes) * kMicrosPerMinute;
    return c;
}

std::optional<KafkaSettingsProblem> kafkaSettingsFrom(const AppSettings& settings,
                                                      KafkaSettings& kafka) {
    KafkaSettings chosen = kafka;
    chosen.properties.clear();
    for (int line = 0; line < settings.kafka_properties.size(); ++line) {
        const QString text = settings.kafka_properties[line].trimmed();
        if (text.isEmpty() || text.startsWith(u'#')) {
            continue;
        }
        // A space around '=' would otherwise become part of the key or the value.
        const qsizetype equals = text.indexOf(u'=');
        const QString property =
            equals < 0 ? text : text.left(equals).trimmed() + u'=' + text.mid(equals + 1).trimmed();
        if (auto error = applyKafkaOption(chosen, "X", property.toStdString())) {
            return KafkaSettingsProblem{KafkaSettingsField::Properties, line, std::move(*error)};
        }
    }
    chosen.properties.insert(chosen.properties.end(), kafka.properties.begin(),
                             kafka.properties.end());

    chosen.consume = settings.event_source == EventSourceChoice::KafkaTopics;
    // With the Kafka source --publish would publish only critical alerts, which the dialog does
    // not offer: its checkbox is about generated events.
    chosen.publish = !chosen.consume && settings.kafka_publish;
    chosen.embedded = settings.kafka_embedded;
    const QString brokers = settings.kafka_brokers.trimmed();
    if (chosen.embedded) {
        chosen.brokers.clear(); // the embedded broker's address, once it runs
    } else if (!brokers.isEmpty()) {
        chosen.brokers = brokers.toStdString();
    }
    if (chosen.consume) {
        if (auto error =
                applyKafkaOption(chosen, "group", settings.kafka_group.trimmed().toStdString())) {
            return KafkaSettingsProblem{KafkaSettingsField::Group, -1, std::move(*error)};
        }
    }
    switch (settings.kafka_topic_naming) {
    case KafkaTopicNaming::Standard:
        chosen.topics = KafkaTopics{};
        break;
    case KafkaTopicNaming::Original:
        chosen.topics = KafkaTopics::original();
        break;
    case KafkaTopicNaming::Prefixed: {
        const QString prefix = settings.kafka_topic_prefix.trimmed();
        if (!isTopicNamePart(prefix)) {
            return KafkaSettingsProblem{
                KafkaSettingsField::TopicPrefix, -1,
                "topic prefix '" + prefix.toStdString() +
                    "': Kafka topic names take only letters, digits, '.', '_' and '-'"};
        }
        const std::string text = prefix.toStdString();
        chosen.topics = KafkaTopics{};
        chosen.topics.transactions.insert(0, text);
        chosen.topics.cart_events.insert(0, text);
        chosen.topics.product_views.insert(0, text);
        chosen.topics.alerts.insert(0, text);
        break;
    }
    }

    if (!chosen.consume && !chosen.publish && !chosen.embedded) {
        return std::nullopt;
    }
    if (auto error = validateKafkaSettings(chosen)) {
        return KafkaSettingsProblem{KafkaSettingsField::Brokers, -1, std::move(*error)};
    }
    kafka = std::move(chosen);
    return std::nullopt;
}

} // namespace gm
