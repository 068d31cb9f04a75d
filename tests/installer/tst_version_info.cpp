// SPDX-License-Identifier: GPL-3.0-or-later
// gm::versionReport(): what `globalmart --version` prints.
#include "app/version_info.h"

#include <QRegularExpression>
#include <QStringList>
#include <QTest>

class TestVersionInfo : public QObject {
    Q_OBJECT

private:
    static QStringList reportLines() {
        return QString::fromStdString(gm::versionReport()).split('\n');
    }

    // The value on the "  name   value" line, or a null string.
    static QString valueOf(const QString& name) {
        const QRegularExpression line("^  " + QRegularExpression::escape(name) + " +(\\S.*)$");
        for (const QString& text : reportLines()) {
            const auto match = line.match(text);
            if (match.hasMatch()) {
                return match.captured(1);
            }
        }
        return {};
    }

private slots:
    void firstLineIsNameAndVersion() {
        const QStringList lines = reportLines();
        QCOMPARE(lines.first(), QString("globalmart ") + gm::buildVersion());
        QVERIFY(QString(gm::buildVersion()).contains(QRegularExpression("^\\d+\\.\\d+\\.\\d+$")));
    }

    void endsWithOneNewline() {
        const std::string report = gm::versionReport();
        QVERIFY(report.size() > 1);
        QCOMPARE(report.back(), '\n');
        QVERIFY(report[report.size() - 2] != '\n');
    }

    void namesEveryComponent_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("pattern");
        const auto row = [](const char* name, const char* pattern) {
            QTest::newRow(name) << QString(name) << QString(pattern);
        };
        row("commit", "^\\S+$"); // a git describe string or "unknown"
        row("Qt", "^6\\.\\d+\\.\\d+");
        row("librdkafka", "^\\d+\\.\\d+\\.\\d+");
        row("libpqxx", "^\\d+\\.\\d+\\.\\d+");
        row("libpq", "^\\d+\\.\\d+");
    }
    void namesEveryComponent() {
        QFETCH(QString, name);
        QFETCH(QString, pattern);
        const QString value = valueOf(name);
        QVERIFY2(!value.isNull(), qPrintable("no line for " + name));
        QVERIFY2(value.contains(QRegularExpression(pattern)), qPrintable(name + ": " + value));
    }

    void qtIsTheRunningLibrary() {
        QVERIFY(valueOf("Qt").startsWith(QString::fromLatin1(qVersion())));
    }

    void commitMatchesTheBuild() { QCOMPARE(valueOf("commit"), QString(gm::buildCommit())); }
};

QTEST_GUILESS_MAIN(TestVersionInfo)
#include "tst_version_info.moc"
