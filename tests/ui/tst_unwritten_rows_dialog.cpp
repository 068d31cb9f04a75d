// SPDX-License-Identifier: GPL-3.0-or-later
// Stopping the window's run while PostgreSQL is unreachable: a modal dialog says how many rows
// are not written and where they would be kept; "Leave them spilled" ends the stop at once, the
// rows are in the spill file, and the status bar says how many and where.
#include "ui/desktop_session.h"
#include "ui/unwritten_rows_dialog.h"

#include <QLabel>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace gm;

class UnwrittenRowsDialogTest : public QObject {
    Q_OBJECT
private slots:
    void stopWithAnUnreachableDatabaseAsksAndSpills() {
        QTemporaryDir home;
        qputenv("XDG_DATA_HOME", home.path().toLocal8Bit()); // the spill directory
        RunOptions options;
        options.catalog.users = 2'000;
        options.catalog.products = 200;
        options.generator.rate = 5'000;
        options.generator.acceleration = 60;
        options.start_time = wallClockNow();
        options.catalog.reference_time = options.start_time;
        options.database_url = "postgresql://gm@127.0.0.1:1/globalmart"; // nobody listens
        DesktopSession session(options);
        QWidget window;
        window.show();
        UnwrittenRowsDialog::watch(session, &window);
        QStringList notices;
        connect(&session, &DesktopSession::notice, this,
                [&](const QString& text) { notices << text; });

        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(
            session.services().writer && session.services().writer->buffered_rows > 0, 20'000);
        session.stop();

        UnwrittenRowsDialog* dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<UnwrittenRowsDialog*>()) != nullptr,
                                 10'000);
        QVERIFY(dialog->isModal());
        QTRY_VERIFY(dialog->isVisible());
        QString text;
        for (QLabel* label : dialog->findChildren<QLabel*>()) {
            text += label->text();
        }
        QVERIFY2(text.contains("rows are not in PostgreSQL yet"), qPrintable(text));
        QVERIFY2(text.contains(home.path() + "/globalmart/spill/"), qPrintable(text));
        QPushButton* leave = nullptr;
        for (QPushButton* button : dialog->findChildren<QPushButton*>()) {
            if (button->text() == "Leave them spilled") {
                leave = button;
            }
        }
        QVERIFY(leave != nullptr);
        QTest::mouseClick(leave, Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 30'000);
        QTRY_VERIFY(window.findChild<UnwrittenRowsDialog*>() == nullptr); // closed itself
        const QString spilled = notices.filter(" rows spilled to ").value(0);
        QVERIFY2(spilled.contains(home.path() + "/globalmart/spill/rows-") &&
                     spilled.endsWith(", written at next start"),
                 qPrintable(notices.join('\n')));
        QVERIFY(!spilled.startsWith("0 "));
        const QString path = spilled.section(" rows spilled to ", 1).section(", written", 0, 0);
        QVERIFY2(std::filesystem::exists(path.toStdString()), qPrintable(path));
    }
};

QTEST_MAIN(UnwrittenRowsDialogTest)
#include "tst_unwritten_rows_dialog.moc"
