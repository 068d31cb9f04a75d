// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/batch_schedule.h"
#include "pipeline/kafka/kafka_settings.h"
#include "pipeline/pipeline_config.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <string>

class QSettings;

namespace gm {

enum class ThemeChoice { System, Light, Dark };
// Where the next run's events come from: --source generator|kafka.
enum class EventSourceChoice { Generator, KafkaTopics };
// The topic names: KafkaTopics{}, KafkaTopics::original(), or the standard names behind a prefix.
enum class KafkaTopicNaming { Standard, Original, Prefixed };

// What the Settings dialog edits, stored with QSettings. The Kafka fields are the dialog's side
// of the command line's Kafka options (pipeline/kafka/kafka_settings.h); kafkaSettingsFrom()
// turns them into KafkaSettings. Fields a choice makes irrelevant (the brokers with the embedded
// broker, the group with the generator) are kept, so switching back restores them.
struct AppSettings {
    QString database_uri; // libpq URI; empty = embedded/in-memory
    // --warehouse-db: the warehouse in a database of its own; empty = schema "warehouse" of the
    // database above.
    QString warehouse_database_uri;
    // A reference-data file (docs/reference-data.md) read at launch unless --reference-data is
    // given; empty: the built-in lists only.
    QString reference_data_path;
    EventSourceChoice event_source = EventSourceChoice::Generator; // --source
    bool kafka_publish = false;  // --publish; only with the generator source
    bool kafka_embedded = false; // --embedded-kafka
    QString kafka_brokers;       // --brokers: bootstrap servers, host:port,...
    QString kafka_group = QString::fromStdString(KafkaSettings{}.group); // --group
    KafkaTopicNaming kafka_topic_naming = KafkaTopicNaming::Standard;    // --topics
    QString kafka_topic_prefix; // with KafkaTopicNaming::Prefixed
    // -X key=value lines as typed, so a problem can name its line; blank lines and lines
    // starting with # are skipped.
    QStringList kafka_properties;
    ThemeChoice theme = ThemeChoice::System;
    // Thresholds and windows (applied to the pipeline on the next start).
    double high_value_threshold = 5000.0; // dollars
    int high_quantity_threshold = 50;
    int low_stock_threshold = 10;
    int sales_window_seconds = 60;
    int suspicious_window_minutes = 5;
    int lateness_seconds = 30;
    int abandonment_timeout_minutes = 30;
    // The warehouse batch the window runs by itself (applies at once).
    BatchSchedule batch_schedule;
    // Notifications and the HTTP API (apply at the next launch of the window; --webhook and
    // --api-key-file on the command line come first / add to these).
    QString webhook_url;           // POST each new alert there; empty: no webhook
    QStringList muted_alert_kinds; // alertKindName values: no desktop notification for these
    QStringList api_keys;          // the API accepts these in X-API-Key (with --http)

    static AppSettings load(QSettings& settings);
    void save(QSettings& settings) const;
    // The pipeline configuration these settings ask for, starting from `base`.
    PipelineConfig applyTo(PipelineConfig base) const;
};

// One line naming the first problem of the notification and API key fields, or nothing.
std::optional<QString> notificationSettingsProblem(const AppSettings& settings);

// The Settings field a Kafka problem is about, so the dialog can focus it.
enum class KafkaSettingsField { Brokers, Group, TopicPrefix, Properties };

struct KafkaSettingsProblem {
    KafkaSettingsField field;
    int property_line = -1; // with Properties: the index in AppSettings::kafka_properties
    std::string message;    // one line, naming the option as the command line would
};

// The Kafka part of `settings` applied to `kafka`, which holds what stays as given (compression,
// linger, the command line's -X pairs, which follow the dialog's so they win on a shared key).
// The one mapping the dialog validates with and the session runs with, so the two cannot
// disagree. With the generator source, no publishing and no embedded broker Kafka stays off:
// the fields are still checked but `kafka` is left as it was, as it is on a problem.
std::optional<KafkaSettingsProblem> kafkaSettingsFrom(const AppSettings& settings,
                                                      KafkaSettings& kafka);

QString themeName(ThemeChoice theme);
ThemeChoice parseTheme(const QString& name);

} // namespace gm
