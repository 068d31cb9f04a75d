// SPDX-License-Identifier: GPL-3.0-or-later
// The Settings dialog shows the stored values, hands back what was edited, and keeps Kafka
// choices that would not work from being accepted.
#include "generator/reference_data.h"
#include "tests/models/kafka_settings_samples.h"
#include "ui/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace gm;
using test::Properties;
using test::publishingTo;

namespace {

template <typename Widget> Widget* field(const QDialog& dialog, const char* name) {
    auto* widget = dialog.findChild<Widget*>(QString::fromLatin1(name));
    if (!widget) {
        qFatal("no %s in the dialog", name);
    }
    return widget;
}

void selectData(QComboBox* combo, int data) {
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

void clickOk(QDialog& dialog) {
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
}

// Shows the dialog and picks the Kafka source, where filling in Kafka starts.
bool showWithKafkaSource(QDialog& dialog) {
    dialog.show();
    if (!QTest::qWaitForWindowExposed(&dialog)) {
        return false;
    }
    auto* source = field<QComboBox>(dialog, "kafkaSource");
    const int index = source->findData(static_cast<int>(EventSourceChoice::KafkaTopics));
    source->setCurrentIndex(index);
    return index >= 0;
}

} // namespace

class SettingsDialogTest : public QObject {
    Q_OBJECT
private slots:
    void referenceDataFileIsCheckedBeforeItIsKept();
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
        auto* theme = field<QComboBox>(dialog, "theme");
        theme->setCurrentIndex(theme->findData(QStringLiteral("light")));
        const AppSettings edited = dialog.settings();
        QCOMPARE(edited.high_value_threshold, 9000.0);
        QCOMPARE(edited.theme, ThemeChoice::Light);
    }

    void showsAndReturnsTheKafkaChoices() {
        AppSettings stored;
        stored.event_source = EventSourceChoice::KafkaTopics;
        stored.kafka_publish = true;
        stored.kafka_embedded = true;
        stored.kafka_brokers = QStringLiteral("k1:9092,k2:9092");
        stored.kafka_group = QStringLiteral("analysts");
        stored.kafka_topic_naming = KafkaTopicNaming::Prefixed;
        stored.kafka_topic_prefix = QStringLiteral("staging.");
        stored.kafka_properties = {QStringLiteral("# TLS"), QStringLiteral("security.protocol=SSL"),
                                   QString(), QStringLiteral("acks=all")};
        SettingsDialog dialog(stored);
        QCOMPARE(field<QComboBox>(dialog, "kafkaSource")->currentData().toInt(),
                 static_cast<int>(EventSourceChoice::KafkaTopics));
        QVERIFY(field<QCheckBox>(dialog, "kafkaPublish")->isChecked());
        QVERIFY(field<QCheckBox>(dialog, "kafkaEmbedded")->isChecked());
        QCOMPARE(field<QLineEdit>(dialog, "kafkaBrokers")->text(), stored.kafka_brokers);
        QCOMPARE(field<QLineEdit>(dialog, "kafkaGroup")->text(), stored.kafka_group);
        QCOMPARE(field<QComboBox>(dialog, "kafkaTopics")->currentData().toInt(),
                 static_cast<int>(KafkaTopicNaming::Prefixed));
        QCOMPARE(field<QLineEdit>(dialog, "kafkaTopicPrefix")->text(), stored.kafka_topic_prefix);
        QCOMPARE(field<QPlainTextEdit>(dialog, "kafkaProperties")->toPlainText(),
                 QStringLiteral("# TLS\nsecurity.protocol=SSL\n\nacks=all"));

        const AppSettings same = dialog.settings();
        QCOMPARE(same.event_source, stored.event_source);
        QCOMPARE(same.kafka_publish, stored.kafka_publish);
        QCOMPARE(same.kafka_embedded, stored.kafka_embedded);
        QCOMPARE(same.kafka_brokers, stored.kafka_brokers);
        QCOMPARE(same.kafka_group, stored.kafka_group);
        QCOMPARE(same.kafka_topic_naming, stored.kafka_topic_naming);
        QCOMPARE(same.kafka_topic_prefix, stored.kafka_topic_prefix);
        QCOMPARE(same.kafka_properties, stored.kafka_properties);
    }

    void theChoicesEnableOnlyTheFieldsThatApply() {
        SettingsDialog dialog(AppSettings{});
        auto* source = field<QComboBox>(dialog, "kafkaSource");
        auto* publish = field<QCheckBox>(dialog, "kafkaPublish");
        auto* group = field<QLineEdit>(dialog, "kafkaGroup");
        QVERIFY(publish->isEnabled());
        QVERIFY(!group->isEnabled());
        selectData(source, static_cast<int>(EventSourceChoice::KafkaTopics));
        QVERIFY(!publish->isEnabled());
        QVERIFY(group->isEnabled());
        selectData(source, static_cast<int>(EventSourceChoice::Generator));
        QVERIFY(publish->isEnabled());
        QVERIFY(!group->isEnabled());

        auto* brokers = field<QLineEdit>(dialog, "kafkaBrokers");
        QVERIFY(brokers->isEnabled());
        field<QCheckBox>(dialog, "kafkaEmbedded")->setChecked(true);
        QVERIFY(!brokers->isEnabled());
        field<QCheckBox>(dialog, "kafkaEmbedded")->setChecked(false);
        QVERIFY(brokers->isEnabled());

        auto* topics = field<QComboBox>(dialog, "kafkaTopics");
        auto* prefix = field<QLineEdit>(dialog, "kafkaTopicPrefix");
        QVERIFY(!prefix->isEnabled());
        selectData(topics, static_cast<int>(KafkaTopicNaming::Prefixed));
        QVERIFY(prefix->isEnabled());
        selectData(topics, static_cast<int>(KafkaTopicNaming::Original));
        QVERIFY(!prefix->isEnabled());
    }

    void aMisspelledPropertyKeepsTheDialogOpen() {
        SettingsDialog dialog(publishingTo(QStringLiteral("k:9092")));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        auto* properties = field<QPlainTextEdit>(dialog, "kafkaProperties");
        auto* problem = field<QLabel>(dialog, "kafkaProblem");
        QVERIFY(!problem->isVisible());
        properties->setPlainText(QStringLiteral("# TLS\nacks=all\nbootstrap.servrs=x\n"));
        clickOk(dialog);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(problem->isVisible());
        // librdkafka's own message, naming the property as typed.
        QVERIFY2(problem->text().contains(QStringLiteral("bootstrap.servrs")),
                 qPrintable(problem->text()));
        QCOMPARE(dialog.focusWidget(), properties);
        QCOMPARE(properties->textCursor().selectedText(), QStringLiteral("bootstrap.servrs=x"));

        // Fixed, OK goes through and the problem is gone.
        properties->setPlainText(QStringLiteral("# TLS\nacks=all\nbootstrap.servers=x:9092\n"));
        clickOk(dialog);
        QCOMPARE(accepted.count(), 1);
        QVERIFY(!problem->isVisible());
    }

    void aKafkaSourceWithoutBrokersFocusesTheBrokers() {
        SettingsDialog dialog(AppSettings{});
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QVERIFY(showWithKafkaSource(dialog));
        clickOk(dialog);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QVERIFY(field<QLabel>(dialog, "kafkaProblem")->text().contains(QStringLiteral("brokers")));
        QCOMPARE(dialog.focusWidget(), field<QLineEdit>(dialog, "kafkaBrokers"));

        field<QLineEdit>(dialog, "kafkaGroup")->clear();
        field<QCheckBox>(dialog, "kafkaEmbedded")->setChecked(true);
        clickOk(dialog);
        QCOMPARE(accepted.count(), 0);
        QCOMPARE(dialog.focusWidget(), field<QLineEdit>(dialog, "kafkaGroup"));
    }

    void notificationsAndKeysAreEditedAndChecked();
    void aGoodConfigurationIsAccepted() {
        SettingsDialog dialog(AppSettings{});
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QVERIFY(showWithKafkaSource(dialog));
        field<QLineEdit>(dialog, "kafkaBrokers")->setText(QStringLiteral(" k1:9093,k2:9093 "));
        field<QLineEdit>(dialog, "kafkaGroup")->setText(QStringLiteral("analysts"));
        selectData(field<QComboBox>(dialog, "kafkaTopics"),
                   static_cast<int>(KafkaTopicNaming::Original));
        field<QPlainTextEdit>(dialog, "kafkaProperties")
            ->setPlainText(QStringLiteral("security.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n\n"));
        clickOk(dialog);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.isVisible());

        const AppSettings chosen = dialog.settings();
        QCOMPARE(chosen.event_source, EventSourceChoice::KafkaTopics);
        QCOMPARE(chosen.kafka_brokers, QStringLiteral("k1:9093,k2:9093"));
        QCOMPARE(chosen.kafka_group, QStringLiteral("analysts"));
        QCOMPARE(chosen.kafka_topic_naming, KafkaTopicNaming::Original);
        QCOMPARE(chosen.kafka_properties, (QStringList{QStringLiteral("security.protocol=SASL_SSL"),
                                                       QStringLiteral("sasl.mechanisms=PLAIN")}));
        KafkaSettings kafka;
        QVERIFY(!kafkaSettingsFrom(chosen, kafka));
        QVERIFY(kafka.consume);
        QCOMPARE(kafka.topics.transactions, std::string("transactions-topic"));
    }
};

void SettingsDialogTest::referenceDataFileIsCheckedBeforeItIsKept() {
    QTemporaryDir dir;
    const QString good = dir.filePath(QStringLiteral("shop.txt"));
    const QString bad = dir.filePath(QStringLiteral("broken.txt"));
    {
        QFile file(good);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[countries]\nBrazil\n");
        QFile broken(bad);
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("[planets]\nMars\n");
    }
    AppSettings stored;
    SettingsDialog dialog(stored);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY2(dialog.sizeHint().height() <= 700,
             qPrintable(QString::number(dialog.sizeHint().height())));
    auto* path = field<QLineEdit>(dialog, "referenceData");
    QVERIFY(path->text().isEmpty());

    path->setText(dir.filePath(QStringLiteral("missing.txt")));
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(dialog.isVisible()); // refused, and says why
    QVERIFY2(field<QLabel>(dialog, "kafkaProblem")->text().contains("cannot read"),
             qPrintable(field<QLabel>(dialog, "kafkaProblem")->text()));

    path->setText(bad);
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(dialog.isVisible());
    QVERIFY2(field<QLabel>(dialog, "kafkaProblem")->text().contains("line 1"),
             qPrintable(field<QLabel>(dialog, "kafkaProblem")->text()));
    // Checking a file does not change the lists the running program uses.
    QVERIFY(!parseCountry("Brazil").has_value());

    path->setText(good);
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QVERIFY(!dialog.isVisible());
    QCOMPARE(dialog.settings().reference_data_path, good);
    QVERIFY(!parseCountry("Brazil").has_value());

    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    dialog.settings().save(settings);
    QCOMPARE(AppSettings::load(settings).reference_data_path, good);
}

void SettingsDialogTest::notificationsAndKeysAreEditedAndChecked() {
    AppSettings stored;
    stored.webhook_url = "http://127.0.0.1:9000/hook";
    stored.muted_alert_kinds = {"low_stock"};
    stored.api_keys = {"key-one-0123456789abcdef"};
    SettingsDialog dialog(stored);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    // The whole dialog fits the smallest screen the window is made for.
    QVERIFY2(dialog.sizeHint().width() <= 1024 && dialog.sizeHint().height() <= 700,
             qPrintable(
                 QString("%1x%2").arg(dialog.sizeHint().width()).arg(dialog.sizeHint().height())));
    QCOMPARE(field<QLineEdit>(dialog, "webhookUrl")->text(), stored.webhook_url);
    QVERIFY(!field<QCheckBox>(dialog, "notify_low_stock")->isChecked());
    QVERIFY(field<QCheckBox>(dialog, "notify_high_value")->isChecked());
    QCOMPARE(field<QLineEdit>(dialog, "apiKeys")->echoMode(), QLineEdit::PasswordEchoOnEdit);

    field<QCheckBox>(dialog, "notify_high_value")->setChecked(false);
    field<QCheckBox>(dialog, "notify_low_stock")->setChecked(true);
    field<QLineEdit>(dialog, "apiKeys")->setText("key-one-0123456789abcdef  key-two-0123456789ab");
    const AppSettings edited = dialog.settings();
    QCOMPARE(edited.muted_alert_kinds, QStringList{"high_value"});
    QCOMPARE(edited.api_keys, (QStringList{"key-one-0123456789abcdef", "key-two-0123456789ab"}));

    // A webhook URL that is not one keeps the dialog open, naming the field.
    field<QLineEdit>(dialog, "webhookUrl")->setText("hooks.example.com/x");
    clickOk(dialog);
    QVERIFY(dialog.isVisible());
    auto* problem = field<QLabel>(dialog, "kafkaProblem");
    QVERIFY2(problem->isVisible() && problem->text().startsWith("Webhook URL: "),
             qPrintable(problem->text()));
    // So does a key too short, named by its number and never shown.
    field<QLineEdit>(dialog, "webhookUrl")->setText("https://hooks.example.com/x");
    field<QLineEdit>(dialog, "apiKeys")->setText("key-one-0123456789abcdef shortkey");
    clickOk(dialog);
    QVERIFY(dialog.isVisible());
    QVERIFY2(problem->text().startsWith("API keys: key 2: ") &&
                 !problem->text().contains("shortkey"),
             qPrintable(problem->text()));
    field<QLineEdit>(dialog, "apiKeys")->setText("key-one-0123456789abcdef");
    clickOk(dialog);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
}

QTEST_MAIN(SettingsDialogTest)
#include "tst_settings_dialog.moc"
