// SPDX-License-Identifier: GPL-3.0-or-later
// The notice strip: a run's long notices are shown whole (wrapped, tooltip), added up while
// visible, and go away after their time or on a click.
#include "ui/notice_banner.h"

#include <QVBoxLayout>
#include <QtTest>

using namespace gm;

class NoticeBannerTest : public QObject {
    Q_OBJECT
private slots:
    void showsWholeNoticesAndHidesAfterItsTime() {
        QWidget window;
        auto* column = new QVBoxLayout(&window);
        auto* banner = new NoticeBanner(&window, 300);
        column->addWidget(banner);
        window.resize(1024, 200);
        window.show();
        QVERIFY(!banner->isVisible());

        const QString history = "continuing the stored history: simulated time starts at "
                                "2026-12-03T19:41:00.000000Z, where the stored history ends "
                                "(later than now)";
        banner->showNotice(history);
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), history);
        QVERIFY(banner->toolTip().startsWith(history));
        // Wrapped within the window, not clipped by it.
        QVERIFY(banner->wordWrap());
        QVERIFY(banner->width() <= window.width());

        banner->showNotice("the database holds no history yet");
        QCOMPARE(banner->text(), history + " · the database holds no history yet");
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 3'000);

        // A later notice starts afresh; a click closes it.
        banner->showNotice("rows spilled");
        QCOMPARE(banner->text(), QString("rows spilled"));
        QTest::mouseClick(banner, Qt::LeftButton);
        QVERIFY(!banner->isVisible());
        banner->showNotice(QString());
        QVERIFY(!banner->isVisible());
    }
};

QTEST_MAIN(NoticeBannerTest)
#include "tst_notice_banner.moc"
