// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/csv.h"
#include "models/row_filter_proxy.h"
#include "models/row_table_model.h"

#include <QBuffer>
#include <QtTest>

using namespace gm;

class CsvTest : public QObject {
    Q_OBJECT
private slots:
    void quotesOnlyWhatNeedsIt_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "abc"
                               << "abc";
        QTest::newRow("comma") << "a,b"
                               << "\"a,b\"";
        QTest::newRow("quote") << "say \"hi\""
                               << "\"say \"\"hi\"\"\"";
        QTest::newRow("newline") << "line1\nline2"
                                 << "\"line1\nline2\"";
        QTest::newRow("cr") << "a\rb"
                            << "\"a\rb\"";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("unicode") << QStringLiteral("Zürich €") << QStringLiteral("Zürich €");
    }
    void quotesOnlyWhatNeedsIt() {
        QFETCH(QString, field);
        QFETCH(QString, expected);
        QCOMPARE(csvField(field), expected);
    }

    void linesEndWithCrLf() {
        QCOMPARE(csvLine({QStringLiteral("a"), QStringLiteral("b,c")}),
                 QByteArray("a,\"b,c\"\r\n"));
    }

    void modelRoundTripsThroughCsv() {
        TableData data;
        data.columns = {
            {QStringLiteral("Name"), QStringLiteral("name"), ColumnKind::Text, FilterRole::Key},
            {QStringLiteral("Amount"), QStringLiteral("total_amount"), ColumnKind::Cents,
             FilterRole::None},
            {QStringLiteral("When"), QStringLiteral("timestamp"), ColumnKind::Timestamp,
             FilterRole::Time},
            {QStringLiteral("Country"), QStringLiteral("country"), ColumnKind::Text,
             FilterRole::Country}};
        const qlonglong t = 1'764'000'000LL * 1'000'000 + 123'456;
        data.rows = {
            {QStringLiteral("comma, inside"), qlonglong{123456}, t, QStringLiteral("USA")},
            {QStringLiteral("quote \"q\""), qlonglong{-5}, t + 1, QStringLiteral("UK")},
            {QStringLiteral("multi\nline\r\nfield"), qlonglong{0}, t + 2, QStringLiteral("USA")},
            {QStringLiteral("Müller ✓"), qlonglong{99}, t + 3, QStringLiteral("Japan")},
        };
        RowTableModel model;
        model.setTable(data);
        RowFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setCountry(QStringLiteral("USA")); // the export is the filtered view

        const CsvTable table = csvFromModel(proxy, RowTableModel::ExportRole);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(writeCsv(buffer, table));
        const QByteArray bytes = buffer.data();
        QVERIFY(!bytes.startsWith("\xEF\xBB\xBF")); // no byte-order mark

        const QList<QStringList> parsed = parseCsv(bytes);
        QCOMPARE(parsed.size(), 3);
        QCOMPARE(parsed[0], (QStringList{QStringLiteral("name"), QStringLiteral("total_amount"),
                                         QStringLiteral("timestamp"), QStringLiteral("country")}));
        QCOMPARE(parsed[1], (QStringList{QStringLiteral("comma, inside"), QStringLiteral("1234.56"),
                                         QStringLiteral("2025-11-24T16:00:00.123456Z"),
                                         QStringLiteral("USA")}));
        QCOMPARE(parsed[2][0], QStringLiteral("multi\nline\r\nfield"));
        QCOMPARE(parsed[2][1], QStringLiteral("0.00"));

        proxy.setCountry({});
        const QList<QStringList> all = parseCsv([&] {
            QBuffer b;
            b.open(QIODevice::WriteOnly);
            writeCsv(b, csvFromModel(proxy, RowTableModel::ExportRole));
            return b.data();
        }());
        QCOMPARE(all.size(), 5);
        QCOMPARE(all[2][0], QStringLiteral("quote \"q\""));
        QCOMPARE(all[2][1], QStringLiteral("-0.05"));
        QCOMPARE(all[4][0], QStringLiteral("Müller ✓"));
    }

    void progressCanStopTheWrite() {
        CsvTable table;
        table.header = {QStringLiteral("n")};
        for (int i = 0; i < 10'000; ++i) {
            table.rows << QStringList{QString::number(i)};
        }
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        qsizetype last = 0;
        QVERIFY(!writeCsv(buffer, table, [&last](qsizetype written) {
            last = written;
            return written < 1024;
        }));
        QCOMPARE(last, qsizetype{1024});
        QCOMPARE(parseCsv(buffer.data()).size(), 1 + 1024);
    }
};

QTEST_APPLESS_MAIN(CsvTest)
#include "tst_csv.moc"
