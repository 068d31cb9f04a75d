// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/app_settings.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace gm {

// Edits AppSettings. Database and Kafka fields are stored for the stages that will use them and
// say so; thresholds and windows apply to the next run; the theme applies at once.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, QWidget* parent = nullptr);
    AppSettings settings() const;

private:
    AppSettings base_;
    QLineEdit* database_uri_;
    QLineEdit* kafka_brokers_;
    QLineEdit* kafka_prefix_;
    QComboBox* theme_;
    QDoubleSpinBox* high_value_;
    QSpinBox* high_quantity_;
    QSpinBox* low_stock_;
    QSpinBox* sales_window_;
    QSpinBox* suspicious_window_;
    QSpinBox* lateness_;
    QSpinBox* abandonment_;
};

} // namespace gm
