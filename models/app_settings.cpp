// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/app_settings.h"

#include <QSettings>
#include <cmath>

namespace gm {

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
    a.kafka_brokers = s.value(QStringLiteral("kafka/brokers"), a.kafka_brokers).toString();
    a.kafka_topic_prefix =
        s.value(QStringLiteral("kafka/topic_prefix"), a.kafka_topic_prefix).toString();
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
    return a;
}

void AppSettings::save(QSettings& s) const {
    s.setValue(QStringLiteral("database/uri"), database_uri);
    s.setValue(QStringLiteral("kafka/brokers"), kafka_brokers);
    s.setValue(QStringLiteral("kafka/topic_prefix"), kafka_topic_prefix);
    s.setValue(QStringLiteral("ui/theme"), themeName(theme));
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

} // namespace gm
