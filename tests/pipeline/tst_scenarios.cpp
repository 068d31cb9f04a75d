// SPDX-License-Identifier: GPL-3.0-or-later
// Runs every scenarios/*.test file (format: scenarios/README.md): one data row per check, each
// file once with one worker and once with three (the rows must not depend on it).
#include "scenario_runner.h"
#include "table_compare.h"

#include <QDir>
#include <QTest>

class ScenarioTest : public QObject {
    Q_OBJECT

private slots:
    void scenario_data() {
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QStringList>("actual");
        QTest::addColumn<QString>("error");
        const QDir dir(QStringLiteral(GM_SCENARIO_DIR));
        const QStringList files =
            dir.entryList({QStringLiteral("*.test")}, QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), "no scenario files found");
        for (const QString& file : files) {
            for (const int workers : {1, 3}) {
                const auto checks =
                    gm::test::runScenario(dir.filePath(file).toStdString(), workers);
                for (const auto& check : checks) {
                    QStringList expected;
                    QStringList actual;
                    for (const auto& line : check.expected) {
                        expected << QString::fromStdString(line);
                    }
                    for (const auto& line : check.actual) {
                        actual << QString::fromStdString(line);
                    }
                    const QString name = QStringLiteral("%1:%2 %3 [workers=%4]")
                                             .arg(file)
                                             .arg(check.line)
                                             .arg(QString::fromStdString(check.title))
                                             .arg(workers);
                    QTest::newRow(name.toUtf8().constData())
                        << expected << actual << QString::fromStdString(check.error);
                }
            }
        }
    }

    void scenario() {
        QFETCH(QStringList, expected);
        QFETCH(QStringList, actual);
        QFETCH(QString, error);
        QVERIFY2(error.isEmpty(), error.toUtf8().constData());
        std::vector<std::string> e;
        std::vector<std::string> a;
        for (const QString& line : expected) {
            e.push_back(line.toStdString());
        }
        for (const QString& line : actual) {
            a.push_back(line.toStdString());
        }
        const std::string diff = gm::test::diffLines(e, a, 40);
        QVERIFY2(diff.empty(), ("\n" + diff).c_str());
    }
};

QTEST_GUILESS_MAIN(ScenarioTest)
#include "tst_scenarios.moc"
