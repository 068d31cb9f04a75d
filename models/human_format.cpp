// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/human_format.h"

#include "generator/timestamp.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>
#include <cmath>

namespace gm {
namespace {

const QLocale& english() {
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

QDateTime utc(TimestampUs time) {
    return QDateTime::fromMSecsSinceEpoch(toMillis(time), QTimeZone::utc());
}

} // namespace

QString groupedInt(long long value) {
    return english().toString(value);
}

QString dollars(double value) {
    const QString number = english().toString(std::abs(value), 'f', 2);
    return value < 0 ? QStringLiteral("-$") + number : QStringLiteral("$") + number;
}

QString centsText(Cents cents) {
    return dollars(static_cast<double>(cents) / 100.0);
}

QString percentText(double percent, int decimals) {
    return english().toString(percent, 'f', decimals) + QLatin1Char('%');
}

QString decimalText(double value, int decimals) {
    return english().toString(value, 'f', decimals);
}

QString rateText(double events_per_second) {
    if (events_per_second >= 1e6) {
        return english().toString(events_per_second / 1e6, 'f', 2) + QStringLiteral("M events/s");
    }
    return english().toString(std::llround(events_per_second)) + QStringLiteral(" events/s");
}

QString bytesText(long long bytes) {
    const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
    if (mib >= 1024.0) {
        return english().toString(mib / 1024.0, 'f', 2) + QStringLiteral(" GiB");
    }
    return english().toString(mib, 'f', 1) + QStringLiteral(" MiB");
}

QString utcClock(TimestampUs time) {
    return utc(time).toString(QStringLiteral("HH:mm:ss")) + QStringLiteral(" UTC");
}

QString utcDateTime(TimestampUs time) {
    return utc(time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" UTC");
}

QString isoUtc(TimestampUs time) {
    return QString::fromStdString(formatIsoTimestamp(time));
}

} // namespace gm
