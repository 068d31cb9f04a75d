// SPDX-License-Identifier: GPL-3.0-or-later
// When the scheduled warehouse batch is due, and how the schedule is stored.
#include "models/app_settings.h"
#include "models/batch_schedule.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTimeZone>
#include <QtTest>

using namespace gm;

namespace {
QDateTime utc(const char* text) {
    QDateTime time = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    time.setTimeZone(QTimeZone::utc());
    return time;
}
} // namespace

class TestBatchSchedule : public QObject {
    Q_OBJECT

private slots:
    void offIsNeverDue() {
        QVERIFY(!nextBatchRun(BatchSchedule{}, utc("2027-03-10T10:00:00")));
        QCOMPARE(scheduleText(BatchSchedule{}), QStringLiteral("off"));
    }

    void everyMinutesCountsFromTheGivenTime() {
        BatchSchedule schedule{BatchScheduleMode::EveryMinutes, 30, 0};
        QCOMPARE(*nextBatchRun(schedule, utc("2027-03-10T23:45:10")), utc("2027-03-11T00:15:10"));
        QCOMPARE(scheduleText(schedule), QStringLiteral("every 30 minutes"));
    }

    void dailyIsTheNextTimeOfDayInUtc() {
        BatchSchedule schedule{BatchScheduleMode::DailyUtc, 60, 2 * 60 + 30};
        QCOMPARE(*nextBatchRun(schedule, utc("2027-03-10T01:00:00")), utc("2027-03-10T02:30:00"));
        // Exactly at the time: the run of that time has been made, the next is tomorrow.
        QCOMPARE(*nextBatchRun(schedule, utc("2027-03-10T02:30:00")), utc("2027-03-11T02:30:00"));
        QCOMPARE(*nextBatchRun(schedule, utc("2027-12-31T23:00:00")), utc("2028-01-01T02:30:00"));
        // A local time is converted first: 03:00 in Berlin (UTC+1) is 02:00 UTC.
        const QDateTime berlin(QDate(2027, 3, 10), QTime(3, 0),
                               QTimeZone(QByteArrayLiteral("Europe/Berlin")));
        QCOMPARE(*nextBatchRun(schedule, berlin), utc("2027-03-10T02:30:00"));
        QCOMPARE(scheduleText(schedule), QStringLiteral("daily at 02:30 UTC"));
    }

    void storedWithTheOtherSettings() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_batch_schedule"));
        QSettings settings;
        settings.clear();
        QCOMPARE(AppSettings::load(settings).batch_schedule, BatchSchedule{});
        AppSettings stored;
        stored.batch_schedule = {BatchScheduleMode::DailyUtc, 45, 23 * 60 + 5};
        stored.save(settings);
        QCOMPARE(AppSettings::load(settings).batch_schedule, stored.batch_schedule);
        QCOMPARE(settings.value("warehouse/daily_utc").toString(), QStringLiteral("23:05"));
        settings.setValue("warehouse/every_minutes", 0); // edited by hand: clamped
        QCOMPARE(AppSettings::load(settings).batch_schedule.every_minutes, 5);
        settings.clear();
    }
};

QTEST_GUILESS_MAIN(TestBatchSchedule)
#include "tst_batch_schedule.moc"
