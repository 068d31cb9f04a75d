// SPDX-License-Identifier: GPL-3.0-or-later
// The Settings dialog shows the stored values and hands back what was edited.
#include "ui/settings_dialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QtTest>

using namespace gm;

class SettingsDialogTest : public QObject {
    Q_OBJECT
private slots:
    void showsAndReturnsValues() {
        AppSettings stored;
        stored.database_uri = QStringLiteral("postgresql://a@b/c");
        stored.kafka_brokers = QStringLiteral("k:9092");
        stored.theme = ThemeChoice::Dark;
        stored.high_value_threshold = 6000;
        stored.low_stock_threshold = 7;
        SettingsDialog dialog(stored);
        const auto edits = dialog.findChildren<QLineEdit*>();
        QVERIFY(std::any_of(edits.begin(), edits.end(), [](QLineEdit* e) {
            return e->text() == QStringLiteral("postgresql://a@b/c");
        }));
        // Unedited, the dialog returns exactly what it was given.
        const AppSettings same = dialog.settings();
        QCOMPARE(same.database_uri, stored.database_uri);
        QCOMPARE(same.kafka_brokers, stored.kafka_brokers);
        QCOMPARE(same.theme, ThemeChoice::Dark);
        QCOMPARE(same.high_value_threshold, 6000.0);
        QCOMPARE(same.low_stock_threshold, 7);
        QCOMPARE(same.sales_window_seconds, 60);

        dialog.findChild<QDoubleSpinBox*>()->setValue(9000);
        auto* theme = dialog.findChild<QComboBox*>();
        theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
        const AppSettings edited = dialog.settings();
        QCOMPARE(edited.high_value_threshold, 9000.0);
        QCOMPARE(edited.theme, ThemeChoice::Light);
    }
};

QTEST_MAIN(SettingsDialogTest)
#include "tst_settings_dialog.moc"
