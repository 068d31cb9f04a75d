// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/runtime/backfill_run.h"

#include <QDialog>
#include <QFutureWatcher>
#include <memory>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace gm {

class DesktopSession;

// Run ▸ Backfill history…: generates days of history ending now for a shop of the chosen size
// into the window's database, at full speed on a worker thread, with progress (simulated time
// reached, events) and Cancel; then says what was stored and offers to run the warehouse batch.
// Only while the live run is stopped: both would write the same timeline.
class BackfillDialog : public QDialog {
    Q_OBJECT
public:
    BackfillDialog(DesktopSession& session, QWidget* parent = nullptr);
    ~BackfillDialog() override; // cancels a running backfill and waits for it to be written

    bool running() const { return running_; }
    // The form (tests fill it and press the buttons).
    QSpinBox* days() const { return days_; }
    QSpinBox* users() const { return users_; }
    QSpinBox* products() const { return products_; }
    QCheckBox* overwrite() const { return overwrite_; }
    QPushButton* startButton() const { return start_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* runBatchButton() const { return run_batch_; }
    QProgressBar* progressBar() const { return bar_; }
    QString statusText() const;
    // The last backfill's outcome (empty before the first one ends).
    const std::optional<BackfillResult>& result() const { return result_; }

signals:
    // "Run warehouse batch": the user wants the batch over the new history.
    void runBatchRequested();
    // A backfill ended (also cancelled or refused): the result() is set.
    void backfillFinished();

protected:
    void reject() override; // Esc / Close while running cancels first

private:
    void start();
    void cancel();
    void showProgress(const BackfillProgress& progress);
    void onFinished();
    void updateAvailability();
    void updateEstimate();

    DesktopSession& session_;
    QSpinBox* days_;
    QSpinBox* users_;
    QSpinBox* products_;
    QCheckBox* overwrite_;
    QLabel* estimate_;
    QProgressBar* bar_;
    QLabel* status_;
    QPushButton* start_;
    QPushButton* cancel_;
    QPushButton* run_batch_;
    QPushButton* close_;
    std::shared_ptr<BackfillControl> control_;
    QFutureWatcher<BackfillResult> watcher_;
    bool running_ = false;
    bool writing_ = false;
    std::optional<BackfillResult> result_;
};

} // namespace gm
