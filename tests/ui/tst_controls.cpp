// SPDX-License-Identifier: GPL-3.0-or-later
// The run controls drive a real GeneratorRunner and Pipeline through DesktopSession.
#include "models/rate_scale.h"
#include "ui/control_bar.h"
#include "ui/desktop_session.h"

#include <QDoubleSpinBox>
#include <QSlider>
#include <QToolButton>
#include <QtTest>

using namespace gm;

namespace {

RunOptions smallShop(double rate) {
    RunOptions options;
    options.catalog.users = 2'000;
    options.catalog.products = 200;
    options.generator.rate = rate;
    options.start_time = wallClockNow();
    options.catalog.reference_time = options.start_time;
    return options;
}

std::uint64_t generated(const DesktopSession& session) {
    const auto status = session.generatorStatus();
    return status ? status->stats.events : 0;
}

} // namespace

class ControlsTest : public QObject {
    Q_OBJECT
private slots:
    void sliderAndNumberFollowEachOther() {
        ControlBar controls(smallShop(1000));
        QCOMPARE(controls.rateSlider()->value(), sliderFromRate(1000));
        QSignalSpy changes(&controls, &ControlBar::rateChanged);
        controls.rateSlider()->setValue(kRateSliderSteps); // top of the scale
        QCOMPARE(controls.rateBox()->value(), 10'000'000.0);
        QCOMPARE(changes.takeLast().at(0).toDouble(), 10'000'000.0);
        controls.rateBox()->setValue(250'000);
        QCOMPARE(controls.rateSlider()->value(), sliderFromRate(250'000));
        QCOMPARE(changes.takeLast().at(0).toDouble(), 250'000.0);
    }

    void rateSliderChangesTheGeneratorRate() {
        DesktopSession session(smallShop(2000));
        ControlBar controls(session.options());
        connectControls(controls, session);
        QVERIFY(controls.startButton()->isEnabled());
        controls.startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(session.generatorStatus()->rate, 2000.0, 5000);

        const int position = sliderFromRate(50'000);
        controls.rateSlider()->setValue(position);
        const double expected = rateFromSlider(position);
        QCOMPARE(controls.rateBox()->value(), expected);
        QTRY_COMPARE_WITH_TIMEOUT(session.generatorStatus()->rate, expected, 5000);

        controls.rateBox()->setValue(12'345); // typed number moves the slider too
        QCOMPARE(controls.rateSlider()->value(), sliderFromRate(12'345));
        QTRY_COMPARE_WITH_TIMEOUT(session.generatorStatus()->rate, 12'345.0, 5000);

        controls.stopButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 20'000);
        QVERIFY(controls.startButton()->isEnabled());
    }

    void pauseStopsEventsAndResumeRestartsThem() {
        DesktopSession session(smallShop(20'000));
        ControlBar controls(session.options());
        connectControls(controls, session);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Running, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(generated(session) > 2'000, 10'000);

        controls.pauseButton()->click();
        QCOMPARE(session.state(), RunState::Paused);
        QCOMPARE(controls.pauseButton()->text(), QStringLiteral("Resume"));
        QTRY_VERIFY_WITH_TIMEOUT(session.generatorStatus()->paused, 5000);
        QTest::qWait(300); // a batch in flight may still land
        const std::uint64_t at_pause = generated(session);
        const std::uint64_t processed_at_pause = session.snapshot()->figures.events;
        // Simulated time stands still too (the snapshots are stamped with the simulation clock,
        // the status bar shows the generator's time).
        const TimestampUs clock_at_pause = session.snapshot()->produced_at;
        const TimestampUs sim_at_pause = session.generatorStatus()->sim_time;
        QTest::qWait(1000);
        QCOMPARE(generated(session), at_pause);
        QCOMPARE(session.snapshot()->figures.events, processed_at_pause);
        QCOMPARE(session.snapshot()->produced_at, clock_at_pause);
        QCOMPARE(session.generatorStatus()->sim_time, sim_at_pause);

        controls.pauseButton()->click();
        QCOMPARE(session.state(), RunState::Running);
        QTRY_VERIFY_WITH_TIMEOUT(generated(session) > at_pause + 2'000, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(session.snapshot()->figures.events > processed_at_pause, 10'000);
        session.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Idle, 20'000);
        // The final snapshot stays readable after the stop.
        QVERIFY(session.snapshot()->figures.events > processed_at_pause);
    }

    void seedAppliesOnTheNextStart() {
        DesktopSession session(smallShop(1000));
        ControlBar controls(session.options());
        connectControls(controls, session);
        emit controls.seedChanged(777);
        QCOMPARE(session.options().simulator.seed, quint64{777});
        emit controls.anomalyRateChanged(0.10);
        QCOMPARE(session.options().simulator.anomaly_rate, 0.10);
        emit controls.viewShareChanged(0.25);
        QCOMPARE(session.options().simulator.view_share, 0.25);
        emit controls.accelerationChanged(60);
        QCOMPARE(session.options().generator.acceleration, 60.0);
    }
};

QTEST_MAIN(ControlsTest)
#include "tst_controls.moc"
