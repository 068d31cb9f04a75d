// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings_dialog.h"

#include "generator/reference_data.h"
#include "models/alert_notifications.h"
#include "ui/palette_colors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBlock>
#include <QTimeEdit>
#include <QVBoxLayout>

namespace gm {
namespace {

constexpr int kPropertyLinesShown = 4;

QSpinBox* spin(int min, int max, int value, const QString& suffix, QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

QLabel* note(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: palette(mid);"));
    return label;
}

// Joins command-line options for a note, each kept on one line: a break at its dashes or inside
// "--source kafka" would make it unrecognisable.
QString optionList(const QStringList& options) {
    QStringList unbroken;
    for (QString option : options) {
        option.replace(u'-', QStringLiteral("-\u2060")); // word joiner: no break after a dash
        option.replace(u' ', QChar(0x00a0));
        unbroken << option;
    }
    return unbroken.join(QStringLiteral(", "));
}

// Greys the label with the field, so a row that does not apply reads as such.
void setRowEnabled(QFormLayout& form, QWidget* field, bool enabled) {
    field->setEnabled(enabled);
    if (QWidget* label = form.labelForField(field)) {
        label->setEnabled(enabled);
    }
}

QString joinedTopicNames(const KafkaTopics& topics) {
    return QStringLiteral("%1, %2, %3, %4")
        .arg(QString::fromStdString(topics.transactions),
             QString::fromStdString(topics.cart_events),
             QString::fromStdString(topics.product_views), QString::fromStdString(topics.alerts));
}

} // namespace

SettingsDialog::SettingsDialog(const AppSettings& s, QWidget* parent) : QDialog(parent), base_(s) {
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);
    auto* columns = new QHBoxLayout;
    auto* left = new QVBoxLayout;
    auto* right = new QVBoxLayout;
    columns->addLayout(left, 3);
    columns->addLayout(right, 2);
    layout->addLayout(columns);

    auto* database = new QGroupBox(tr("Database (applies on the next Start)"), this);
    auto* database_form = new QFormLayout(database);
    database_form->addRow(
        note(tr("An empty PostgreSQL URI uses the private embedded database. --db and the PG* "
                "variables on the command line take precedence."),
             database));
    database_uri_ = new QLineEdit(s.database_uri, database);
    database_uri_->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/globalmart"));
    database_form->addRow(tr("PostgreSQL URI"), database_uri_);
    warehouse_database_uri_ = new QLineEdit(s.warehouse_database_uri, database);
    warehouse_database_uri_->setPlaceholderText(tr("empty: the database above"));
    warehouse_database_uri_->setToolTip(
        tr("The warehouse in a database of its own (as --warehouse-db): the Warehouse page and "
           "its batches use it; the raw events stay in the database above."));
    database_form->addRow(tr("Warehouse URI"), warehouse_database_uri_);
    right->addWidget(database);

    auto* kafka = new QGroupBox(tr("Kafka (applies on the next Start)"), this);
    kafka_form_ = new QFormLayout(kafka);
    kafka_form_->addRow(note(
        tr("Kafka options on the command line (%1) take precedence over all of these.")
            .arg(optionList({QStringLiteral("--source kafka"), QStringLiteral("--publish"),
                             QStringLiteral("--brokers"), QStringLiteral("--embedded-kafka")})),
        kafka));
    kafka_source_ = new QComboBox(kafka);
    kafka_source_->setObjectName(QStringLiteral("kafkaSource"));
    kafka_source_->addItem(tr("Built-in generator"),
                           static_cast<int>(EventSourceChoice::Generator));
    kafka_source_->addItem(tr("Kafka topics (consumer group)"),
                           static_cast<int>(EventSourceChoice::KafkaTopics));
    kafka_source_->setCurrentIndex(kafka_source_->findData(static_cast<int>(s.event_source)));
    kafka_form_->addRow(tr("Event source"), kafka_source_);
    kafka_publish_ = new QCheckBox(tr("Publish generated events and critical alerts"), kafka);
    kafka_publish_->setObjectName(QStringLiteral("kafkaPublish"));
    kafka_publish_->setChecked(s.kafka_publish);
    kafka_form_->addRow(QString(), kafka_publish_);
    kafka_brokers_ = new QLineEdit(s.kafka_brokers, kafka);
    kafka_brokers_->setObjectName(QStringLiteral("kafkaBrokers"));
    kafka_brokers_->setPlaceholderText(QStringLiteral("host:port,host:port"));
    kafka_brokers_->setToolTip(tr("Bootstrap servers (--brokers)"));
    kafka_form_->addRow(tr("Brokers"), kafka_brokers_);
    kafka_embedded_ = new QCheckBox(tr("Embedded broker on loopback (demo)"), kafka);
    kafka_embedded_->setObjectName(QStringLiteral("kafkaEmbedded"));
    kafka_embedded_->setChecked(s.kafka_embedded);
    kafka_form_->addRow(QString(), kafka_embedded_);
    kafka_group_ = new QLineEdit(s.kafka_group, kafka);
    kafka_group_->setObjectName(QStringLiteral("kafkaGroup"));
    kafka_group_->setPlaceholderText(QString::fromStdString(KafkaSettings{}.group));
    kafka_form_->addRow(tr("Consumer group"), kafka_group_);

    kafka_topics_ = new QComboBox(kafka);
    kafka_topics_->setObjectName(QStringLiteral("kafkaTopics"));
    kafka_topics_->addItem(tr("Standard (%1)").arg(joinedTopicNames(KafkaTopics{})),
                           static_cast<int>(KafkaTopicNaming::Standard));
    kafka_topics_->addItem(tr("Original project (%1, …)")
                               .arg(QString::fromStdString(KafkaTopics::original().transactions)),
                           static_cast<int>(KafkaTopicNaming::Original));
    kafka_topics_->addItem(tr("Prefix…"), static_cast<int>(KafkaTopicNaming::Prefixed));
    kafka_topics_->setItemData(1, joinedTopicNames(KafkaTopics::original()), Qt::ToolTipRole);
    kafka_topics_->setCurrentIndex(kafka_topics_->findData(static_cast<int>(s.kafka_topic_naming)));
    kafka_form_->addRow(tr("Topics"), kafka_topics_);
    kafka_prefix_ = new QLineEdit(s.kafka_topic_prefix, kafka);
    kafka_prefix_->setObjectName(QStringLiteral("kafkaTopicPrefix"));
    kafka_prefix_->setPlaceholderText(tr("e.g. staging. (goes in front of the standard names)"));
    kafka_form_->addRow(tr("Topic prefix"), kafka_prefix_);

    kafka_properties_ = new QPlainTextEdit(kafka);
    kafka_properties_->setObjectName(QStringLiteral("kafkaProperties"));
    kafka_properties_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    kafka_properties_->setPlainText(s.kafka_properties.join(u'\n'));
    kafka_properties_->setPlaceholderText(
        QStringLiteral("security.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\n# …"));
    kafka_properties_->setToolTip(
        tr("One key=value per line, passed to librdkafka as is (like -X). Blank lines and lines "
           "starting with # are ignored."));
    kafka_properties_->setLineWrapMode(QPlainTextEdit::NoWrap);
    kafka_properties_->setTabChangesFocus(true);
    const int frame = 2 * kafka_properties_->frameWidth();
    const int margin = 2 * static_cast<int>(kafka_properties_->document()->documentMargin());
    kafka_properties_->setFixedHeight(
        kafka_properties_->fontMetrics().lineSpacing() * kPropertyLinesShown + frame + margin);
    kafka_form_->addRow(tr("librdkafka properties"), kafka_properties_);

    left->addWidget(kafka);

    auto* notify = new QGroupBox(tr("Notifications and HTTP API"), this);
    auto* notify_form = new QFormLayout(notify);
    notify_form->addRow(note(tr("Desktop notices apply at once; the webhook and the API keys at "
                                "the next launch (with --http)."),
                             notify));
    webhook_url_ = new QLineEdit(s.webhook_url, notify);
    webhook_url_->setObjectName(QStringLiteral("webhookUrl"));
    webhook_url_->setPlaceholderText(QStringLiteral("https://hooks.slack.com/services/…"));
    webhook_url_->setToolTip(tr("Each new alert is posted there as JSON with a Slack-compatible "
                                "\"text\" field (--webhook takes precedence)"));
    notify_form->addRow(tr("Webhook URL"), webhook_url_);
    auto* kinds = new QWidget(notify);
    auto* kinds_grid = new QGridLayout(kinds);
    kinds_grid->setContentsMargins(0, 0, 0, 0);
    const std::vector<AlertKindChoice> choices = alertKindChoices();
    for (std::size_t i = 0; i < choices.size(); ++i) {
        auto* box = new QCheckBox(choices[i].label, kinds);
        box->setObjectName(QStringLiteral("notify_") + choices[i].name);
        box->setChecked(!s.muted_alert_kinds.contains(choices[i].name));
        box->setProperty("kind", choices[i].name);
        kinds_grid->addWidget(box, static_cast<int>(i / 2), static_cast<int>(i % 2));
        notify_kinds_.push_back(box);
    }
    notify_form->addRow(tr("Desktop notice for critical"), kinds);
    api_keys_ = new QLineEdit(s.api_keys.join(u' '), notify);
    api_keys_->setObjectName(QStringLiteral("apiKeys"));
    api_keys_->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    api_keys_->setToolTip(tr("Keys the HTTP API (--http) accepts in the X-API-Key header, "
                             "separated by spaces; 16 to 256 characters each. Keys from "
                             "--api-key-file are accepted as well."));
    notify_form->addRow(tr("API keys"), api_keys_);
    left->addWidget(notify);

    auto* shop = new QGroupBox(tr("Shop reference data (applies at the next launch)"), this);
    auto* shop_form = new QFormLayout(shop);
    auto* shop_row = new QHBoxLayout;
    reference_data_ = new QLineEdit(s.reference_data_path, shop);
    reference_data_->setObjectName(QStringLiteral("referenceData"));
    reference_data_->setPlaceholderText(tr("empty: the built-in countries, payment methods and "
                                           "categories"));
    reference_data_->setToolTip(
        tr("A file adding countries, payment methods and categories to the lists events are "
           "checked against (format: docs/reference-data.md), as --reference-data does; "
           "--reference-data on the command line takes precedence."));
    auto* browse = new QPushButton(tr("Browse…"), shop);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Reference data file"), reference_data_->text());
        if (!path.isEmpty()) {
            reference_data_->setText(path);
        }
    });
    shop_row->addWidget(reference_data_, 1);
    shop_row->addWidget(browse);
    shop_form->addRow(tr("File"), shop_row);
    left->addWidget(shop);
    left->addStretch(1);

    const auto update = [this] { updateKafkaFields(); };
    connect(kafka_source_, &QComboBox::currentIndexChanged, this, update);
    connect(kafka_embedded_, &QCheckBox::toggled, this, update);
    connect(kafka_topics_, &QComboBox::currentIndexChanged, this, update);
    updateKafkaFields();

    auto* rules = new QGroupBox(tr("Thresholds and windows (apply on the next Start)"), this);
    auto* rules_form = new QFormLayout(rules);
    high_value_ = new QDoubleSpinBox(rules);
    high_value_->setRange(1, 1'000'000);
    high_value_->setDecimals(2);
    high_value_->setPrefix(QStringLiteral("$"));
    high_value_->setGroupSeparatorShown(true);
    high_value_->setValue(s.high_value_threshold);
    high_quantity_ = spin(1, 100'000, s.high_quantity_threshold, tr(" units"), rules);
    low_stock_ = spin(0, 100'000, s.low_stock_threshold, tr(" units"), rules);
    sales_window_ = spin(60, 3600, s.sales_window_seconds, tr(" s"), rules);
    sales_window_->setSingleStep(60);
    suspicious_window_ = spin(1, 120, s.suspicious_window_minutes, tr(" min"), rules);
    lateness_ = spin(0, 3600, s.lateness_seconds, tr(" s"), rules);
    abandonment_ = spin(1, 24 * 60, s.abandonment_timeout_minutes, tr(" min"), rules);
    rules_form->addRow(tr("High-value order above"), high_value_);
    rules_form->addRow(tr("High-quantity line from"), high_quantity_);
    rules_form->addRow(tr("Low stock at or below"), low_stock_);
    rules_form->addRow(tr("Sales window"), sales_window_);
    rules_form->addRow(tr("Suspicious-pattern window"), suspicious_window_);
    rules_form->addRow(tr("Allowed lateness (all jobs)"), lateness_);
    rules_form->addRow(tr("Cart abandonment timeout"), abandonment_);
    right->addWidget(rules);

    auto* look = new QGroupBox(tr("Appearance"), this);
    auto* look_form = new QFormLayout(look);
    theme_ = new QComboBox(look);
    theme_->setObjectName(QStringLiteral("theme"));
    theme_->addItem(tr("Follow the system"), themeName(ThemeChoice::System));
    theme_->addItem(tr("Light"), themeName(ThemeChoice::Light));
    theme_->addItem(tr("Dark"), themeName(ThemeChoice::Dark));
    theme_->setCurrentIndex(theme_->findData(themeName(s.theme)));
    look_form->addRow(tr("Theme"), theme_);
    right->addWidget(look);

    auto* batch = new QGroupBox(tr("Warehouse batch schedule (applies at once)"), this);
    auto* batch_form = new QFormLayout(batch);
    schedule_mode_ = new QComboBox(batch);
    schedule_mode_->setObjectName(QStringLiteral("scheduleMode"));
    schedule_mode_->addItem(tr("Off"), scheduleModeName(BatchScheduleMode::Off));
    schedule_mode_->addItem(tr("Every N minutes"),
                            scheduleModeName(BatchScheduleMode::EveryMinutes));
    schedule_mode_->addItem(tr("Daily at (UTC)"), scheduleModeName(BatchScheduleMode::DailyUtc));
    schedule_mode_->setCurrentIndex(
        schedule_mode_->findData(scheduleModeName(s.batch_schedule.mode)));
    schedule_minutes_ = new QSpinBox(batch);
    schedule_minutes_->setRange(5, 24 * 60);
    schedule_minutes_->setSuffix(tr(" min"));
    schedule_minutes_->setValue(s.batch_schedule.every_minutes);
    schedule_time_ = new QTimeEdit(batch);
    schedule_time_->setDisplayFormat(QStringLiteral("HH:mm"));
    schedule_time_->setTime(
        QTime(s.batch_schedule.daily_minute_utc / 60, s.batch_schedule.daily_minute_utc % 60));
    schedule_next_ = new QLabel(batch);
    batch_form->addRow(tr("Run the batch"), schedule_mode_);
    batch_form->addRow(tr("Every"), schedule_minutes_);
    batch_form->addRow(tr("At (UTC)"), schedule_time_);
    batch_form->addRow(tr("Next run"), schedule_next_);
    right->addWidget(batch);
    const auto update_schedule = [this] {
        const BatchSchedule schedule = settings().batch_schedule;
        schedule_minutes_->setEnabled(schedule.mode == BatchScheduleMode::EveryMinutes);
        schedule_time_->setEnabled(schedule.mode == BatchScheduleMode::DailyUtc);
        const auto next = nextBatchRun(schedule, QDateTime::currentDateTimeUtc());
        schedule_next_->setText(next ? next->toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))
                                     : tr("never"));
    };
    connect(schedule_mode_, &QComboBox::currentIndexChanged, this, update_schedule);
    connect(schedule_minutes_, &QSpinBox::valueChanged, this, update_schedule);
    connect(schedule_time_, &QTimeEdit::timeChanged, this, update_schedule);
    update_schedule();
    right->addStretch(1);

    // Beside OK, where the eye is after the click, and in a row the buttons already make tall
    // enough, so a one-line problem does not resize the dialog.
    auto* bottom = new QHBoxLayout;
    kafka_problem_ = new QLabel(this);
    kafka_problem_->setObjectName(QStringLiteral("kafkaProblem"));
    kafka_problem_->setWordWrap(true);
    kafka_problem_->setTextFormat(Qt::PlainText);
    kafka_problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette problem_palette = kafka_problem_->palette();
    problem_palette.setColor(QPalette::WindowText, severityColor(0)); // the critical colour
    kafka_problem_->setPalette(problem_palette);
    kafka_problem_->hide();
    bottom->addWidget(kafka_problem_, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
}

void SettingsDialog::updateKafkaFields() {
    const bool from_kafka =
        kafka_source_->currentData().toInt() == static_cast<int>(EventSourceChoice::KafkaTopics);
    kafka_publish_->setEnabled(!from_kafka);
    setRowEnabled(*kafka_form_, kafka_brokers_, !kafka_embedded_->isChecked());
    setRowEnabled(*kafka_form_, kafka_group_, from_kafka);
    setRowEnabled(*kafka_form_, kafka_prefix_,
                  kafka_topics_->currentData().toInt() ==
                      static_cast<int>(KafkaTopicNaming::Prefixed));
}

AppSettings SettingsDialog::settings() const {
    AppSettings s = base_;
    s.database_uri = database_uri_->text().trimmed();
    s.warehouse_database_uri = warehouse_database_uri_->text().trimmed();
    s.reference_data_path = reference_data_->text().trimmed();
    s.event_source = static_cast<EventSourceChoice>(kafka_source_->currentData().toInt());
    s.kafka_publish = kafka_publish_->isChecked();
    s.kafka_embedded = kafka_embedded_->isChecked();
    s.kafka_brokers = kafka_brokers_->text().trimmed();
    s.kafka_group = kafka_group_->text().trimmed();
    s.kafka_topic_naming = static_cast<KafkaTopicNaming>(kafka_topics_->currentData().toInt());
    s.kafka_topic_prefix = kafka_prefix_->text().trimmed();
    // Line for line as in the editor, so a problem's line number finds its block.
    QStringList lines = kafka_properties_->toPlainText().split(u'\n');
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty()) {
        lines.removeLast();
    }
    s.kafka_properties = lines;
    s.theme = parseTheme(theme_->currentData().toString());
    s.high_value_threshold = high_value_->value();
    s.high_quantity_threshold = high_quantity_->value();
    s.low_stock_threshold = low_stock_->value();
    s.sales_window_seconds = sales_window_->value() / 60 * 60;
    s.suspicious_window_minutes = suspicious_window_->value();
    s.lateness_seconds = lateness_->value();
    s.abandonment_timeout_minutes = abandonment_->value();
    s.batch_schedule.mode = parseScheduleMode(schedule_mode_->currentData().toString());
    s.batch_schedule.every_minutes = schedule_minutes_->value();
    s.batch_schedule.daily_minute_utc =
        schedule_time_->time().hour() * 60 + schedule_time_->time().minute();
    s.webhook_url = webhook_url_->text().trimmed();
    s.muted_alert_kinds.clear();
    for (const QCheckBox* box : notify_kinds_) {
        if (!box->isChecked()) {
            s.muted_alert_kinds << box->property("kind").toString();
        }
    }
    s.api_keys = api_keys_->text().split(u' ', Qt::SkipEmptyParts);
    return s;
}

void SettingsDialog::accept() {
    // Checked against defaults rather than the command line's options: what is stored must hold
    // on its own, whatever a later launch adds.
    KafkaSettings scratch;
    if (const std::optional<KafkaSettingsProblem> problem =
            kafkaSettingsFrom(settings(), scratch)) {
        showKafkaProblem(*problem);
        return;
    }
    if (const std::optional<QString> problem = notificationSettingsProblem(settings())) {
        kafka_problem_->setText(*problem);
        kafka_problem_->show();
        (problem->startsWith(QStringLiteral("Webhook")) ? webhook_url_ : api_keys_)->setFocus();
        return;
    }
    if (const QString path = settings().reference_data_path; !path.isEmpty()) {
        // Read now, so a wrong file is found here rather than by the next launch.
        if (const auto problem = checkReferenceDataFile(path.toStdString())) {
            kafka_problem_->setText(
                tr("Reference data file: %1").arg(QString::fromStdString(*problem)));
            kafka_problem_->show();
            reference_data_->setFocus();
            return;
        }
    }
    kafka_problem_->hide();
    QDialog::accept();
}

void SettingsDialog::showKafkaProblem(const KafkaSettingsProblem& problem) {
    kafka_problem_->setText(QString::fromStdString(problem.message));
    kafka_problem_->show();
    switch (problem.field) {
    case KafkaSettingsField::Brokers:
        if (kafka_brokers_->isEnabled()) {
            kafka_brokers_->setFocus();
            kafka_brokers_->selectAll();
        } else {
            kafka_embedded_->setFocus();
        }
        break;
    case KafkaSettingsField::Group:
        kafka_group_->setFocus();
        kafka_group_->selectAll();
        break;
    case KafkaSettingsField::TopicPrefix:
        kafka_prefix_->setFocus();
        kafka_prefix_->selectAll();
        break;
    case KafkaSettingsField::Properties: {
        kafka_properties_->setFocus();
        const QTextBlock block =
            kafka_properties_->document()->findBlockByNumber(problem.property_line);
        if (block.isValid()) {
            QTextCursor cursor(block);
            cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
            kafka_properties_->setTextCursor(cursor);
        }
        break;
    }
    }
}

} // namespace gm
