// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/control_bar.h"

#include "models/rate_scale.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QResizeEvent>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <initializer_list>

namespace gm {
namespace {

QToolButton* button(const QString& text, QStyle::StandardPixmap icon, const QString& tip,
                    QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setToolTip(tip);
    return b;
}

QLabel* label(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setContentsMargins(10, 0, 2, 0);
    return l;
}

} // namespace

ControlBar::ControlBar(const RunOptions& options, QWidget* parent) : QWidget(parent) {
    // Two groups: the run and its rate, then the simulation's mix. They share a row when the
    // window is wide enough and take two rows when it is not, so the controls never force the
    // window wider than a 1024-pixel screen and never spill over the pages.
    rows_ = new QBoxLayout(QBoxLayout::LeftToRight, this);
    rows_->setContentsMargins(6, 2, 6, 2);
    rows_->setSpacing(4);
    rows_->setSizeConstraint(QLayout::SetNoConstraint);
    run_group_ = new QWidget(this);
    mix_group_ = new QWidget(this);
    auto* layout = new QHBoxLayout(run_group_);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* mix = new QHBoxLayout(mix_group_);
    mix->setContentsMargins(0, 0, 0, 0);
    mix->setSpacing(4);
    rows_->addWidget(run_group_, 1);
    rows_->addWidget(mix_group_, 0);

    start_ = button(tr("Start"), QStyle::SP_MediaPlay, tr("Start a new simulated shop run"), this);
    pause_ = button(tr("Pause"), QStyle::SP_MediaPause, tr("Pause or resume events (Space)"), this);
    stop_ = button(tr("Stop"), QStyle::SP_MediaStop,
                   tr("Stop the run: open windows are flushed as final rows"), this);
    layout->addWidget(start_);
    layout->addWidget(pause_);
    layout->addWidget(stop_);

    layout->addWidget(label(tr("Events/s"), this));
    rate_slider_ = new QSlider(Qt::Horizontal, this);
    rate_slider_->setRange(0, kRateSliderSteps);
    rate_slider_->setPageStep(kRateSliderSteps / 14);
    rate_slider_->setMinimumWidth(120);
    rate_slider_->setToolTip(tr("Logarithmic: 1 to 10,000,000 events per second"));
    layout->addWidget(rate_slider_, 1);
    rate_box_ = new QDoubleSpinBox(this);
    rate_box_->setRange(kMinRate, kMaxRate);
    rate_box_->setDecimals(0);
    rate_box_->setGroupSeparatorShown(true);
    rate_box_->setKeyboardTracking(false);
    rate_box_->setMinimumWidth(100);
    rate_box_->setToolTip(tr("Events per second over the whole mix (type a number)"));
    layout->addWidget(rate_box_);

    mix->addWidget(label(tr("Anomalies"), this));
    anomaly_box_ = new QDoubleSpinBox(this);
    anomaly_box_->setRange(0, 100);
    anomaly_box_->setDecimals(1);
    anomaly_box_->setSingleStep(0.5);
    anomaly_box_->setSuffix(QStringLiteral(" %"));
    anomaly_box_->setKeyboardTracking(false);
    anomaly_box_->setToolTip(tr("Share of transactions planted as anomalies"));
    anomaly_box_->setValue(options.simulator.anomaly_rate * 100.0);
    mix->addWidget(anomaly_box_);

    mix->addWidget(label(tr("Browsing"), this));
    view_share_box_ = new QSpinBox(this);
    view_share_box_->setRange(0, 100);
    view_share_box_->setSuffix(QStringLiteral(" %"));
    view_share_box_->setKeyboardTracking(false);
    view_share_box_->setToolTip(
        tr("Event mix: share of product-view events; the rest is carts and orders"));
    view_share_box_->setValue(static_cast<int>(options.simulator.view_share * 100.0 + 0.5));
    mix->addWidget(view_share_box_);

    mix->addWidget(label(tr("Speed ×"), this));
    acceleration_box_ = new QDoubleSpinBox(this);
    acceleration_box_->setRange(0.1, 100000);
    acceleration_box_->setDecimals(1);
    acceleration_box_->setKeyboardTracking(false);
    acceleration_box_->setToolTip(
        tr("Time acceleration: simulated seconds per real second (60 = a minute per second)"));
    acceleration_box_->setValue(options.generator.acceleration);
    mix->addWidget(acceleration_box_);

    mix->addWidget(label(tr("Seed"), this));
    seed_edit_ = new QLineEdit(QString::number(options.simulator.seed), this);
    seed_edit_->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,19}")), this));
    seed_edit_->setMaximumWidth(90);
    seed_edit_->setToolTip(tr("Random seed: applies on the next Start"));
    mix->addWidget(seed_edit_);
    // The warehouse batch runs beside the live shop (it reads the stored raw events), so it is
    // never disabled with the generator's controls.
    batch_ = button(tr("Warehouse batch"), QStyle::SP_FileDialogContentsView,
                    tr("Run the warehouse ETL and batch jobs now (the Warehouse page shows the "
                       "progress)"),
                    this);
    batch_->setObjectName(QStringLiteral("controlBarWarehouseBatch"));
    mix->addWidget(batch_);
    mix->addStretch(1);

    {
        const QSignalBlocker block_slider(rate_slider_);
        const QSignalBlocker block_box(rate_box_);
        rate_slider_->setValue(sliderFromRate(options.generator.rate));
        rate_box_->setValue(clampRate(options.generator.rate));
    }

    connect(start_, &QToolButton::clicked, this, &ControlBar::startRequested);
    connect(pause_, &QToolButton::clicked, this, &ControlBar::pauseToggled);
    connect(stop_, &QToolButton::clicked, this, &ControlBar::stopRequested);
    connect(batch_, &QToolButton::clicked, this, &ControlBar::warehouseBatchRequested);
    connect(rate_slider_, &QSlider::valueChanged, this, &ControlBar::onSliderMoved);
    connect(rate_box_, &QDoubleSpinBox::valueChanged, this, &ControlBar::onRateEdited);
    connect(anomaly_box_, &QDoubleSpinBox::valueChanged, this,
            [this](double percent) { emit anomalyRateChanged(percent / 100.0); });
    connect(view_share_box_, &QSpinBox::valueChanged, this,
            [this](int percent) { emit viewShareChanged(percent / 100.0); });
    connect(acceleration_box_, &QDoubleSpinBox::valueChanged, this,
            &ControlBar::accelerationChanged);
    connect(seed_edit_, &QLineEdit::editingFinished, this,
            [this] { emit seedChanged(seed_edit_->text().toULongLong()); });
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    showState(RunState::Idle);
    arrange(width());
}

QSize ControlBar::minimumSizeHint() const {
    const QMargins m = rows_->contentsMargins();
    const int width =
        std::max(run_group_->minimumSizeHint().width(), mix_group_->minimumSizeHint().width());
    return {width + m.left() + m.right(), sizeHint().height()};
}

bool ControlBar::twoRows() const {
    return rows_->direction() == QBoxLayout::TopToBottom;
}

void ControlBar::arrange(int width) {
    const QMargins m = rows_->contentsMargins();
    const int one_row = run_group_->minimumSizeHint().width() + rows_->spacing() +
                        mix_group_->sizeHint().width() + m.left() + m.right();
    const auto direction = width >= one_row ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (rows_->direction() != direction) {
        rows_->setDirection(direction);
        updateGeometry(); // the height changes: the window lays out again
    }
}

void ControlBar::resizeEvent(QResizeEvent* event) {
    arrange(event->size().width());
    QWidget::resizeEvent(event);
}

double ControlBar::rate() const {
    return rate_box_->value();
}

void ControlBar::onSliderMoved(int position) {
    const double rate = rateFromSlider(position);
    {
        const QSignalBlocker block(rate_box_);
        rate_box_->setValue(rate);
    }
    emit rateChanged(rate);
}

void ControlBar::onRateEdited() {
    const double rate = clampRate(rate_box_->value());
    {
        const QSignalBlocker block(rate_slider_);
        rate_slider_->setValue(sliderFromRate(rate));
    }
    emit rateChanged(rate);
}

void ControlBar::setRate(double events_per_second) {
    rate_box_->setValue(clampRate(events_per_second)); // follows up through onRateEdited
}

void ControlBar::setGeneratorControlsEnabled(bool enabled) {
    const QString why = enabled ? QString()
                                : tr("Events come from Kafka topics: the generator's controls "
                                     "apply when the source is the built-in generator "
                                     "(Settings ▸ Kafka or --source)");
    for (QWidget* control :
         std::initializer_list<QWidget*>{rate_slider_, rate_box_, anomaly_box_, view_share_box_,
                                         acceleration_box_, seed_edit_}) {
        if (control->isEnabled() == enabled) {
            continue;
        }
        control->setEnabled(enabled);
        // Keep each control's own tooltip to put back.
        if (!enabled) {
            control->setProperty("generatorToolTip", control->toolTip());
            control->setToolTip(why);
        } else {
            control->setToolTip(control->property("generatorToolTip").toString());
        }
    }
}

void ControlBar::showState(RunState state) {
    state_ = state;
    start_->setEnabled(state == RunState::Idle);
    pause_->setEnabled(state == RunState::Running || state == RunState::Paused);
    stop_->setEnabled(state == RunState::Running || state == RunState::Paused ||
                      state == RunState::Starting);
    const bool paused = state == RunState::Paused;
    pause_->setText(paused ? tr("Resume") : tr("Pause"));
    pause_->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
}

void connectControls(ControlBar& controls, DesktopSession& session) {
    QObject::connect(&controls, &ControlBar::startRequested, &session, &DesktopSession::start);
    QObject::connect(&controls, &ControlBar::stopRequested, &session, &DesktopSession::stop);
    QObject::connect(&controls, &ControlBar::pauseToggled, &session, [&session] {
        if (session.state() == RunState::Paused) {
            session.resume();
        } else {
            session.pause();
        }
    });
    QObject::connect(&controls, &ControlBar::rateChanged, &session, &DesktopSession::setRate);
    QObject::connect(&controls, &ControlBar::anomalyRateChanged, &session,
                     &DesktopSession::setAnomalyRate);
    QObject::connect(&controls, &ControlBar::viewShareChanged, &session,
                     &DesktopSession::setViewShare);
    QObject::connect(&controls, &ControlBar::accelerationChanged, &session,
                     &DesktopSession::setAcceleration);
    QObject::connect(&controls, &ControlBar::seedChanged, &session, &DesktopSession::setSeed);
    QObject::connect(&session, &DesktopSession::stateChanged, &controls, &ControlBar::showState);
    QObject::connect(&session, &DesktopSession::rateSetRemotely, &controls, &ControlBar::setRate);
    controls.showState(session.state());
}

} // namespace gm
