// SPDX-License-Identifier: GPL-3.0-or-later
// The window on a live run: every page redraws from real snapshots, the last page and the
// theme persist, and a chart minute drills into the matching anomaly rows.
#include "ui/anomalies_page.h"
#include "ui/chart_panel.h"
#include "ui/control_bar.h"
#include "ui/desktop_session.h"
#include "ui/main_window.h"
#include "ui/table_panel.h"

#include <QDoubleSpinBox>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QToolButton>
#include <QtTest>

using namespace gm;

namespace {

RunOptions busyShop() {
    RunOptions options;
    options.catalog.users = 5'000;
    options.catalog.products = 300;
    options.generator.rate = 20'000;
    options.generator.acceleration = 120; // two simulated minutes per second: windows close
    options.simulator.anomaly_rate = 0.10;
    options.start_time = wallClockNow();
    options.catalog.reference_time = options.start_time;
    return options;
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("GlobalMartTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
    }

    void pagesFillFromALiveRunAndDrillDown() {
        DesktopSession session(busyShop());
        MainWindow window(session);
        window.resize(1400, 900);
        window.show();
        QStringList titles;
        for (int i = 0; i < MainWindow::PageCount; ++i) {
            titles << window.page(i)->title();
        }
        QCOMPARE(titles, (QStringList{"Overview", "Carts", "Products", "Anomalies", "Inventory",
                                      "Alerts", "System", "Warehouse"}));
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 10'000);
        window.showPage(MainWindow::Anomalies);
        auto* anomalies = static_cast<AnomaliesPage*>(window.page(MainWindow::Anomalies));
        QTRY_VERIFY_WITH_TIMEOUT(window.history().anomalies[0].points().size() >= 3, 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(anomalies->highValue()->model()->rowCount() > 0, 10'000);
        QVERIFY(anomalies->charts().first()->chartView()->isVisible());

        // Drill into the minute of a high-value anomaly row the table shows.
        const TableData& shown = anomalies->highValue()->model()->table();
        const TimestampUs time = shown.rows.back()[1].toLongLong();
        const TimestampUs minute = time - time % kMicrosPerMinute;
        anomalies->drillInto(minute, QString());
        RowFilterProxy* proxy = anomalies->highValue()->proxy();
        QVERIFY(proxy->rowCount() > 0);
        for (int i = 0; i < proxy->rowCount(); ++i) {
            const TimestampUs time = proxy->index(i, 1).data(RowTableModel::SortRole).toLongLong();
            QVERIFY(time >= minute && time < minute + kMicrosPerMinute);
        }
        anomalies->highValue()->clearTimeRange();

        for (int i = 0; i < MainWindow::PageCount; ++i) {
            window.showPage(i);
            window.refreshNow();
        }
        window.showPage(MainWindow::Inventory);
        window.close(); // stores geometry and page
        session.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 30'000);
    }

    void lastPageAndThemeAreRestored() {
        QCOMPARE(QSettings().value(QStringLiteral("window/page")).toInt(),
                 int{MainWindow::Inventory});
        {
            QSettings settings;
            settings.setValue(QStringLiteral("ui/theme"), QStringLiteral("dark"));
        }
        DesktopSession session(busyShop());
        MainWindow window(session);
        QCOMPARE(window.currentPage(), int{MainWindow::Inventory});
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 128);
        window.setTheme(ThemeChoice::Light);
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() > 128);
    }

    void generatorControlsRestWhileKafkaIsTheSource() {
        RunOptions options = busyShop();
        options.kafka.consume = true;
        options.kafka.brokers = "127.0.0.1:9"; // never started: only the controls are looked at
        DesktopSession session(options);
        MainWindow window(session);
        window.show();
        QVERIFY(!window.controls()->rateSlider()->isEnabled());
        QVERIFY(!window.controls()->rateBox()->isEnabled());
        QVERIFY(window.controls()->rateSlider()->toolTip().contains("Kafka"));
        QVERIFY(window.controls()->startButton()->isEnabled()); // the run itself still starts

        DesktopSession generated(busyShop());
        MainWindow generator_window(generated);
        QVERIFY(generator_window.controls()->rateSlider()->isEnabled());
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_main_window.moc"
