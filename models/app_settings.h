// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/pipeline_config.h"

#include <QString>

class QSettings;

namespace gm {

enum class ThemeChoice { System, Light, Dark };

// What the Settings dialog edits, stored with QSettings. Database and Kafka fields are kept for
// the persistence and Kafka stages; this build does not connect to either.
struct AppSettings {
    QString database_uri;  // libpq URI; empty = embedded/in-memory
    QString kafka_brokers; // bootstrap servers; empty = Kafka off
    QString kafka_topic_prefix;
    ThemeChoice theme = ThemeChoice::System;
    // Thresholds and windows (applied to the pipeline on the next start).
    double high_value_threshold = 5000.0; // dollars
    int high_quantity_threshold = 50;
    int low_stock_threshold = 10;
    int sales_window_seconds = 60;
    int suspicious_window_minutes = 5;
    int lateness_seconds = 30;
    int abandonment_timeout_minutes = 30;

    static AppSettings load(QSettings& settings);
    void save(QSettings& settings) const;
    // The pipeline configuration these settings ask for, starting from `base`.
    PipelineConfig applyTo(PipelineConfig base) const;
};

QString themeName(ThemeChoice theme);
ThemeChoice parseTheme(const QString& name);

} // namespace gm
