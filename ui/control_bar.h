// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/desktop_session.h"

#include <QWidget>

class QBoxLayout;
class QDoubleSpinBox;
class QLineEdit;
class QSlider;
class QSpinBox;
class QToolButton;

namespace gm {

// The always-visible run controls: start / pause-resume / stop, events per second (a
// logarithmic slider and an editable number that follow each other), anomaly rate, event mix,
// time acceleration and seed. It only emits requests; connectControls() wires them to a session.
class ControlBar : public QWidget {
    Q_OBJECT
public:
    explicit ControlBar(const RunOptions& options, QWidget* parent = nullptr);

    QSlider* rateSlider() const { return rate_slider_; }
    QDoubleSpinBox* rateBox() const { return rate_box_; }
    QToolButton* startButton() const { return start_; }
    QToolButton* pauseButton() const { return pause_; }
    QToolButton* stopButton() const { return stop_; }
    QToolButton* warehouseBatchButton() const { return batch_; }
    double rate() const;
    // The controls in two rows (a narrow window) instead of one.
    bool twoRows() const;
    QSize minimumSizeHint() const override;

public slots:
    void showState(gm::RunState state);
    void setRate(double events_per_second); // moves slider and number, emits rateChanged
    // Off while events come from Kafka: rate, mix, anomalies, speed and seed are the generator's.
    void setGeneratorControlsEnabled(bool enabled);

signals:
    void startRequested();
    void pauseToggled(); // pause when running, resume when paused
    void stopRequested();
    void rateChanged(double events_per_second);
    void anomalyRateChanged(double fraction);
    void viewShareChanged(double fraction);
    void accelerationChanged(double factor);
    void seedChanged(quint64 seed);
    void warehouseBatchRequested(); // Run now on the Warehouse page

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrange(int width);
    void onSliderMoved(int position);
    void onRateEdited();

    QBoxLayout* rows_;
    QWidget* run_group_;
    QWidget* mix_group_;
    QToolButton* start_;
    QToolButton* pause_;
    QToolButton* stop_;
    QSlider* rate_slider_;
    QDoubleSpinBox* rate_box_;
    QDoubleSpinBox* anomaly_box_;
    QSpinBox* view_share_box_;
    QDoubleSpinBox* acceleration_box_;
    QLineEdit* seed_edit_;
    QToolButton* batch_;
    RunState state_ = RunState::Idle;
};

// Sends every control request to the session and the session's state back to the controls.
void connectControls(ControlBar& controls, DesktopSession& session);

} // namespace gm
