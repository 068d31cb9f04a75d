// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/app_settings.h"

#include <QDialog>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTimeEdit;

namespace gm {

// Edits AppSettings. Database, Kafka, thresholds and windows apply to the next run; the theme
// applies at once. The Kafka choices are the command line's; OK checks them the way the session
// will use them (kafkaSettingsFrom) and stays open, naming the problem, when they do not hold.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
    // What the fields say now, whether or not OK would accept it.
    AppSettings settings() const;

public slots:
    void accept() override;

private:
    void updateKafkaFields();
    void showKafkaProblem(const KafkaSettingsProblem& problem);

    AppSettings base_;
    QLineEdit* database_uri_;
    QLineEdit* warehouse_database_uri_;
    QLineEdit* reference_data_;
    QFormLayout* kafka_form_;
    QComboBox* kafka_source_;
    QCheckBox* kafka_publish_;
    QLineEdit* kafka_brokers_;
    QCheckBox* kafka_embedded_;
    QLineEdit* kafka_group_;
    QComboBox* kafka_topics_;
    QLineEdit* kafka_prefix_;
    QPlainTextEdit* kafka_properties_;
    QLabel* kafka_problem_;
    QComboBox* theme_;
    QDoubleSpinBox* high_value_;
    QSpinBox* high_quantity_;
    QSpinBox* low_stock_;
    QSpinBox* sales_window_;
    QSpinBox* suspicious_window_;
    QSpinBox* lateness_;
    QSpinBox* abandonment_;
    QComboBox* schedule_mode_;
    QSpinBox* schedule_minutes_;
    QTimeEdit* schedule_time_;
    QLabel* schedule_next_;
    QLineEdit* webhook_url_;
    std::vector<QCheckBox*> notify_kinds_; // checked: critical alerts of the kind notify
    QLineEdit* api_keys_;
};

} // namespace gm
