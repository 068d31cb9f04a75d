// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/ids.h"
#include "generator/number_text.h"
#include "generator/timestamp.h"

#include <QTest>

using namespace gm;

class TestIdsAndTime : public QObject {
    Q_OBJECT

private slots:
    void isoTimestampRoundTrip() {
        const TimestampUs time = 1'795'602'930'123'456;
        const std::string text = formatIsoTimestamp(time);
        QCOMPARE(text.size(), kIsoTimestampLength);
        QCOMPARE(text.back(), 'Z');
        QCOMPARE(parseIsoTimestamp(text), std::optional<TimestampUs>(time));
    }

    void isoTimestampForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros");
        const qint64 base = 1'795'593'330'000'000; // 2026-11-25T07:55:30Z
        QTest::newRow("utc") << "2026-11-25T07:55:30Z" << base;
        QTest::newRow("naive is utc") << "2026-11-25T07:55:30" << base;
        QTest::newRow("space separator") << "2026-11-25 07:55:30" << base;
        QTest::newRow("fraction") << "2026-11-25T07:55:30.5Z" << base + 500'000;
        QTest::newRow("nanoseconds truncated")
            << "2026-11-25T07:55:30.123456789Z" << base + 123'456;
        QTest::newRow("offset") << "2026-11-25T09:55:30+02:00" << base;
        QTest::newRow("negative offset") << "2026-11-25T02:55:30-05:00" << base;
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64{0};
        QTest::newRow("before epoch") << "1969-12-31T23:59:59.5Z" << qint64{-500'000};
    }

    void isoTimestampForms() {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        const auto parsed = parseIsoTimestamp(text.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(*parsed, micros);
    }

    void badTimestamps_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("date only") << "2026-11-25";
        QTest::newRow("month 13") << "2026-13-01T00:00:00Z";
        QTest::newRow("feb 30") << "2026-02-30T00:00:00Z";
        QTest::newRow("hour 24") << "2026-11-25T24:00:00Z";
        QTest::newRow("junk after") << "2026-11-25T07:55:30Zjunk";
        QTest::newRow("empty fraction") << "2026-11-25T07:55:30.Z";
        QTest::newRow("letters") << "yesterday at noon";
    }

    void badTimestamps() {
        QFETCH(QString, text);
        QVERIFY(!parseIsoTimestamp(text.toStdString()).has_value());
    }

    void uuids() {
        const Uuid id = makeUuidV4(0x0123456789ABCDEFULL, 0xFEDCBA9876543210ULL);
        const std::string text = toString(id);
        QCOMPARE(text.size(), std::size_t{36});
        QCOMPARE(text[14], '4');                                          // version 4
        QVERIFY(std::string("89ab").find(text[19]) != std::string::npos); // RFC 4122 variant
        QCOMPARE(parseUuid(text), std::optional<Uuid>(id));
        QVERIFY(!parseUuid("0123456789abcdef0123456789abcdef"));
        QVERIFY(!parseUuid("g1234567-89ab-4def-8123-456789abcdef"));
    }

    void thousandsSeparators() {
        QCOMPARE(groupThousands(0), std::string("0"));
        QCOMPARE(groupThousands(999), std::string("999"));
        QCOMPARE(groupThousands(1000), std::string("1,000"));
        QCOMPARE(groupThousands(1234567), std::string("1,234,567"));
        QCOMPARE(groupThousands(18446744073709551615ULL),
                 std::string("18,446,744,073,709,551,615"));
    }

    void textIds() {
        QCOMPARE(parseUserId("USER_00000042"), std::optional<UserId>(41));
        QCOMPARE(parseProductId("PROD_00000001"), std::optional<ProductId>(0));
        QCOMPARE(formatUserId(123'456'788), std::string("USER_123456789"));
        QVERIFY(!parseUserId("USER_00000000"));
        QVERIFY(!parseUserId("USER_"));
        QVERIFY(!parseUserId("USER_12a"));
        QVERIFY(!parseUserId("PROD_00000001"));
        QVERIFY(!parseProductId("PROD_99999999999"));
    }
};

QTEST_APPLESS_MAIN(TestIdsAndTime)
#include "tst_ids_and_time.moc"
