// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/ids.h"
#include "generator/number_text.h"
#include "generator/simulation_clock.h"
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

    // Accepted event times: 1970-01-01 to 9999-11-30, so that windows after them fit in 9999.
    // The fixed part is checked all at once: any byte other than a digit at a digit's place,
    // or other than the separator at a separator's place, is refused; a digit that keeps the
    // date valid is read at its place.
    void everyByteOfTheFixedPart() {
        const std::string base = "2026-11-25T10:15:30.123456Z";
        const TimestampUs time = *parseIsoTimestamp(base);
        for (std::size_t pos = 0; pos < 19; ++pos) {
            for (int byte = 0; byte < 256; ++byte) {
                std::string text = base;
                text[pos] = char(byte);
                const auto parsed = parseIsoTimestamp(text);
                const bool separator = pos == 4 || pos == 7 || pos == 10 || pos == 13 || pos == 16;
                if (!separator && (byte < '0' || byte > '9')) {
                    QVERIFY2(!parsed, text.c_str());
                } else if (separator) {
                    const bool allowed =
                        byte == base[pos] || (pos == 10 && (byte == 't' || byte == ' '));
                    QCOMPARE(parsed.has_value(), allowed);
                    if (allowed) {
                        QCOMPARE(*parsed, time);
                    }
                } else if (pos == 3 && byte != base[pos]) {
                    // Another year: the same instant shifted by whole years.
                    QVERIFY2(parsed && *parsed != time, text.c_str());
                } else if (pos == 18) {
                    QCOMPARE(*parsed, time + (byte - '0') * kMicrosPerSecond);
                }
            }
        }
    }

    void eventTimeRange() {
        QCOMPARE(kYear10000, daysFromCivil(10000, 1, 1) * 86'400 * kMicrosPerSecond);
        QCOMPARE(formatIsoTimestamp(kMinEventTime), std::string("1970-01-01T00:00:00.000000Z"));
        QCOMPARE(formatIsoTimestamp(kMaxEventTime), std::string("9999-11-30T23:59:59.999999Z"));
        QCOMPARE(formatIsoTimestamp(kMaxEventTime + kEventTimeHeadroom),
                 std::string("9999-12-31T23:59:59.999999Z"));
        QVERIFY(isEventTimeInRange(kMinEventTime));
        QVERIFY(isEventTimeInRange(kMaxEventTime));
        QVERIFY(!isEventTimeInRange(kMinEventTime - 1));
        QVERIFY(!isEventTimeInRange(kMaxEventTime + 1));
    }

    // Every window end an accepted event can open renders as an ISO timestamp that reads back:
    // tumbling windows up to the headroom, started at the latest accepted time.
    void windowEndsAfterAcceptedTimesRender_data() {
        QTest::addColumn<qint64>("length");
        for (const TimestampUs minutes : {1, 5, 10, 30, 60, 24 * 60, 7 * 24 * 60}) {
            QTest::newRow(qPrintable(QString("%1 min").arg(minutes)))
                << qint64(minutes) * 60'000'000;
        }
        QTest::newRow("the headroom") << qint64(kEventTimeHeadroom);
    }

    void windowEndsAfterAcceptedTimesRender() {
        QFETCH(qint64, length);
        for (const TimestampUs time : {kMaxEventTime, kMinEventTime}) {
            const TimestampUs start = time / length * length;
            const TimestampUs end = start + length;
            QVERIFY(end <= kMaxEventTime + kEventTimeHeadroom);
            const std::string text = formatIsoTimestamp(end);
            QCOMPARE(parseIsoTimestamp(text), std::optional<TimestampUs>(end));
            // A sliding window or a session timeout ends at most `length` after the event.
            const std::string after = formatIsoTimestamp(time + length);
            QCOMPARE(parseIsoTimestamp(after), std::optional<TimestampUs>(time + length));
        }
    }

    void simulatedTimeRange_data() {
        QTest::addColumn<qint64>("start");
        QTest::addColumn<double>("acceleration");
        QTest::addColumn<double>("wallSeconds");
        QTest::addColumn<bool>("inRange");
        const qint64 now = 1'795'000'000'000'000; // 2026-11-18
        QTest::newRow("real time, an hour") << now << 1.0 << 3600.0 << true;
        QTest::newRow("real time, unbounded") << now << 1.0 << 0.0 << true;
        QTest::newRow("x1e6, a day") << now << 1e6 << 86'400.0 << true;
        QTest::newRow("x1e6, unbounded (a year of wall time is 31,600 years)")
            << now << 1e6 << 0.0 << false;
        QTest::newRow("start before 1970") << qint64(-1) << 1.0 << 10.0 << false;
        QTest::newRow("start in December 9999")
            << qint64(kMaxEventTime + 1) << 1.0 << 10.0 << false;
        QTest::newRow("start at the last accepted time, 1 s")
            << qint64(kMaxEventTime) << 1.0 << 1.0 << false;
        QTest::newRow("good: the year 9000 at x1000 for a week")
            << qint64(daysFromCivil(9000, 1, 1) * 86'400'000'000) << 1000.0 << 604'800.0 << true;
        QTest::newRow("infinite acceleration") << now << qInf() << 1.0 << false;
        QTest::newRow("NaN acceleration advances at the clock's minimum")
            << now << qQNaN() << 1.0 << true;
    }

    void simulatedTimeRange() {
        QFETCH(qint64, start);
        QFETCH(double, acceleration);
        QFETCH(double, wallSeconds);
        QFETCH(bool, inRange);
        QCOMPARE(simulatedTimeStaysInRange(start, acceleration, wallSeconds), inRange);
        QVERIFY(simulatedEndTime(start, acceleration, wallSeconds) >= start);
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

    // parseUuid reads eight digits at a time: every byte value at every position must be
    // judged as a digit-by-digit reading would, and formatUuid must write what it reads.
    void uuidsAgreeWithDigitByDigitReading() {
        const auto byHand = [](std::string_view text) -> std::optional<Uuid> {
            if (text.size() != 36) {
                return std::nullopt;
            }
            std::uint64_t words[2] = {0, 0};
            int nibble = 0;
            for (std::size_t i = 0; i < 36; ++i) {
                const char c = text[i];
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') {
                        return std::nullopt;
                    }
                    continue;
                }
                int value = -1;
                if (c >= '0' && c <= '9') {
                    value = c - '0';
                } else if (c >= 'a' && c <= 'f') {
                    value = c - 'a' + 10;
                } else if (c >= 'A' && c <= 'F') {
                    value = c - 'A' + 10;
                }
                if (value < 0) {
                    return std::nullopt;
                }
                words[nibble / 16] = words[nibble / 16] << 4 | std::uint64_t(value);
                ++nibble;
            }
            return Uuid{words[0], words[1]};
        };
        const std::string base = toString(Uuid{0x0123456789ABCDEFULL, 0xFEDCBA9876543210ULL});
        QCOMPARE(base, std::string("01234567-89ab-cdef-fedc-ba9876543210"));
        for (std::size_t pos = 0; pos < base.size(); ++pos) {
            for (int byte = 0; byte < 256; ++byte) {
                std::string text = base;
                text[pos] = char(byte);
                QVERIFY2(parseUuid(text) == byHand(text), text.c_str());
            }
        }
        std::uint64_t state = 0x9E3779B97F4A7C15ULL;
        const auto next = [&] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return state;
        };
        for (int i = 0; i < 100'000; ++i) {
            const Uuid id{next(), next()};
            std::string text = toString(id);
            QCOMPARE(byHand(text), std::optional<Uuid>(id));
            for (char& c : text) {
                if (c >= 'a' && c <= 'f' && (next() & 1) != 0) {
                    c = char(c - 'a' + 'A');
                }
            }
            QCOMPARE(parseUuid(text), std::optional<Uuid>(id));
        }
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
        QCOMPARE(formatUserId(99'999'999), std::string("USER_100000000"));
        QVERIFY(!parseUserId("USER_"));
        QVERIFY(!parseUserId("USER_12a"));
        QVERIFY(!parseUserId("PROD_00000001"));
        QVERIFY(!parseProductId("PROD_12345678901234567")); // 17 digits
        // Outside the catalog's numbering: interned and written back exactly as received.
        for (const char* text : {"USER_00000000", "USER_7", "USER_000000042", "USER_100000001"}) {
            const auto id = parseUserId(text);
            QVERIFY2(id, text);
            QCOMPARE(formatUserId(*id), std::string(text));
        }
        const auto big = parseProductId("PROD_99999999999");
        QVERIFY(big);
        QCOMPARE(formatProductId(*big), std::string("PROD_99999999999"));
    }
};

QTEST_APPLESS_MAIN(TestIdsAndTime)
#include "tst_ids_and_time.moc"
