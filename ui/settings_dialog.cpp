// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace gm {
namespace {

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

} // namespace

SettingsDialog::SettingsDialog(const AppSettings& s, QWidget* parent) : QDialog(parent), base_(s) {
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);

    auto* storage = new QGroupBox(tr("Database and Kafka (apply on the next Start)"), this);
    auto* storage_form = new QFormLayout(storage);
    storage_form->addRow(
        note(tr("An empty PostgreSQL URI uses the private embedded database. With Kafka brokers "
                "set, generated events are also published there. Options given on the command "
                "line (--db, PG* variables, Kafka options) take precedence."),
             storage));
    database_uri_ = new QLineEdit(s.database_uri, storage);
    database_uri_->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/globalmart"));
    kafka_brokers_ = new QLineEdit(s.kafka_brokers, storage);
    kafka_brokers_->setPlaceholderText(QStringLiteral("localhost:9092"));
    kafka_prefix_ = new QLineEdit(s.kafka_topic_prefix, storage);
    kafka_prefix_->setPlaceholderText(tr("(none)"));
    storage_form->addRow(tr("PostgreSQL URI"), database_uri_);
    storage_form->addRow(tr("Kafka brokers"), kafka_brokers_);
    storage_form->addRow(tr("Kafka topic prefix"), kafka_prefix_);
    layout->addWidget(storage);

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
    layout->addWidget(rules);

    auto* look = new QGroupBox(tr("Appearance"), this);
    auto* look_form = new QFormLayout(look);
    theme_ = new QComboBox(look);
    theme_->addItem(tr("Follow the system"), themeName(ThemeChoice::System));
    theme_->addItem(tr("Light"), themeName(ThemeChoice::Light));
    theme_->addItem(tr("Dark"), themeName(ThemeChoice::Dark));
    theme_->setCurrentIndex(theme_->findData(themeName(s.theme)));
    look_form->addRow(tr("Theme"), theme_);
    layout->addWidget(look);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

AppSettings SettingsDialog::settings() const {
    AppSettings s = base_;
    s.database_uri = database_uri_->text().trimmed();
    s.kafka_brokers = kafka_brokers_->text().trimmed();
    s.kafka_topic_prefix = kafka_prefix_->text().trimmed();
    s.theme = parseTheme(theme_->currentData().toString());
    s.high_value_threshold = high_value_->value();
    s.high_quantity_threshold = high_quantity_->value();
    s.low_stock_threshold = low_stock_->value();
    s.sales_window_seconds = sales_window_->value() / 60 * 60;
    s.suspicious_window_minutes = suspicious_window_->value();
    s.lateness_seconds = lateness_->value();
    s.abandonment_timeout_minutes = abandonment_->value();
    return s;
}

} // namespace gm
