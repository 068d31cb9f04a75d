// SPDX-License-Identifier: GPL-3.0-or-later
// A run configured with a database that fell back to memory (here: the embedded cluster cannot
// be created) has no stored history: the time-range bar must then range over what memory holds,
// as with --no-db, and say why, instead of loading from the configured database.
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/time_range_bar.h"

#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace gm;

class RangeMemoryFallbackTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_range_memory_fallback"));
        QSettings().clear();
    }

    void aRunThatFellBackToMemoryRangesOverMemory() {
        // No database configured: the run would use the embedded cluster under XDG_DATA_HOME,
        // which here is a file, so the cluster cannot be created and the run goes on in memory.
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString not_a_directory = home.filePath(QStringLiteral("a-file"));
        {
            QFile file(not_a_directory);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("not a directory\n");
        }
        qunsetenv("GLOBALMART_DATABASE_URL");
        qunsetenv("PGHOST");
        qunsetenv("PGDATABASE");
        qputenv("XDG_DATA_HOME", not_a_directory.toLocal8Bit());

        RunOptions options;
        options.catalog.users = 2'000;
        options.catalog.products = 100;
        options.generator.rate = 5'000;
        options.generator.acceleration = 60;
        options.start_time = wallClockNow();
        options.catalog.reference_time = options.start_time;
        options.workers = 1;
        QVERIFY(options.persist); // a database is configured (the default one)
        DesktopSession session(options);
        MainWindow window(session);
        window.resize(1024, 700);
        window.show();
        window.showPage(MainWindow::Overview);
        auto* bar = window.findChild<TimeRangeBar*>(QStringLiteral("timeRangeBar"));
        QVERIFY(bar != nullptr);

        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 30'000);
        QCOMPARE(session.runPersists(), std::optional<bool>(false)); // it did fall back

        bar->setRange({RangePreset::Last24Hours, {}});
        // Nothing to load from any database: the range is what memory holds, at once.
        QVERIFY(!bar->loader().hasDatabase());
        QVERIFY(!bar->loading());
        QVERIFY(!bar->view().hasStored());
        QVERIFY2(bar->statusText().contains(QStringLiteral("in memory only")),
                 qPrintable(bar->statusText()));
        window.refreshNow();
        QVERIFY(!bar->loading());

        session.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 60'000);
        // Until the next start the window still shows this run's memory: no database either.
        QVERIFY(!bar->loader().hasDatabase());
        qunsetenv("XDG_DATA_HOME");
    }
};

QTEST_MAIN(RangeMemoryFallbackTest)
#include "tst_range_memory_fallback.moc"
