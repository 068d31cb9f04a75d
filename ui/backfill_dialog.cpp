// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/backfill_dialog.h"

#include "models/human_format.h"
#include "pipeline/runtime/backfill_plan.h"
#include "ui/desktop_session.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStringList>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace gm {
namespace {

constexpr int kProgressSteps = 1000;
constexpr double kEventsPerUserAndDay = 11.0; // the pace planBackfill() sets

QString minuteText(TimestampUs time) {
    return utcDateTime(time).left(16) + QStringLiteral(" UTC");
}

} // namespace

BackfillDialog::BackfillDialog(DesktopSession& session, QWidget* parent)
    : QDialog(parent), session_(session) {
    setWindowTitle(tr("Backfill history"));
    auto* column = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Generates a shop's history ending now, at full speed, through the five jobs into the "
           "database: the warehouse batch and the history views then have days to work on."),
        this);
    intro->setWordWrap(true);
    column->addWidget(intro);

    auto* form = new QFormLayout;
    days_ = new QSpinBox(this);
    days_->setObjectName(QStringLiteral("backfillDays"));
    days_->setRange(1, kMaxBackfillDays);
    days_->setValue(30);
    days_->setSuffix(tr(" days"));
    users_ = new QSpinBox(this);
    users_->setObjectName(QStringLiteral("backfillUsers"));
    users_->setRange(1, 100'000'000);
    users_->setGroupSeparatorShown(true);
    users_->setValue(static_cast<int>(
        std::clamp<std::uint32_t>(session_.options().catalog.users, 1, 100'000'000)));
    products_ = new QSpinBox(this);
    products_->setObjectName(QStringLiteral("backfillProducts"));
    products_->setRange(1, 10'000'000);
    products_->setGroupSeparatorShown(true);
    products_->setValue(static_cast<int>(
        std::clamp<std::uint32_t>(session_.options().catalog.products, 1, 10'000'000)));
    overwrite_ = new QCheckBox(tr("Write over the stored history"), this);
    overwrite_->setToolTip(tr("Windows the database already holds for these days are replaced. "
                              "Without it, a span before the end of the stored history is "
                              "refused."));
    form->addRow(tr("History:"), days_);
    form->addRow(tr("Users:"), users_);
    form->addRow(tr("Products:"), products_);
    form->addRow(QString(), overwrite_);
    column->addLayout(form);
    estimate_ = new QLabel(this);
    estimate_->setWordWrap(true);
    column->addWidget(estimate_);

    bar_ = new QProgressBar(this);
    bar_->setRange(0, kProgressSteps);
    bar_->setValue(0);
    column->addWidget(bar_);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("backfillStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(status_);

    auto* buttons = new QDialogButtonBox(this);
    start_ = buttons->addButton(tr("Start backfill"), QDialogButtonBox::AcceptRole);
    cancel_ = buttons->addButton(tr("Cancel backfill"), QDialogButtonBox::ActionRole);
    run_batch_ = buttons->addButton(tr("Run warehouse batch"), QDialogButtonBox::ActionRole);
    close_ = buttons->addButton(QDialogButtonBox::Close);
    // The dialog decides what Enter does: never a Close by accident while filling the form.
    start_->setDefault(true);
    column->addWidget(buttons);
    connect(start_, &QPushButton::clicked, this, &BackfillDialog::start);
    connect(cancel_, &QPushButton::clicked, this, &BackfillDialog::cancel);
    connect(run_batch_, &QPushButton::clicked, this, [this] {
        emit runBatchRequested();
        accept();
    });
    connect(close_, &QPushButton::clicked, this, &BackfillDialog::reject);
    connect(&watcher_, &QFutureWatcher<BackfillResult>::finished, this,
            &BackfillDialog::onFinished);
    connect(&session_, &DesktopSession::stateChanged, this, &BackfillDialog::updateAvailability);
    for (QSpinBox* box : {days_, users_}) {
        connect(box, &QSpinBox::valueChanged, this, &BackfillDialog::updateEstimate);
    }
    run_batch_->hide();
    cancel_->hide();
    updateEstimate();
    updateAvailability();
    setMinimumWidth(460);
}

BackfillDialog::~BackfillDialog() {
    if (running_) {
        // Nobody is left to watch the writing: what PostgreSQL has not taken yet stays in the
        // spill file, which the next start writes first.
        control_->cancel = true;
        control_->leave_spilled = true;
        watcher_.waitForFinished();
    }
}

QString BackfillDialog::statusText() const {
    return status_->text();
}

void BackfillDialog::updateEstimate() {
    const double events =
        kEventsPerUserAndDay * static_cast<double>(users_->value()) * days_->value();
    estimate_->setText(tr("About %1 events (11 per user and day), ending now.")
                           .arg(groupedInt(static_cast<long long>(events))));
}

void BackfillDialog::updateAvailability() {
    QString reason;
    if (!session_.options().persist) {
        reason = tr("The window runs without a database (--no-db): a backfill would be lost.");
    } else if (session_.consumesKafka()) {
        reason = tr("Events come from Kafka: a backfill simulates the shop, which this window "
                    "does not run.");
    } else if (session_.state() != RunState::Idle) {
        reason = tr("Stop the live run first: both would write the same minutes.");
    }
    const bool possible = reason.isEmpty() && !running_;
    start_->setEnabled(possible);
    for (QWidget* field : std::initializer_list<QWidget*>{days_, users_, products_, overwrite_}) {
        field->setEnabled(!running_);
    }
    if (!running_ && !reason.isEmpty()) {
        status_->setText(reason);
    } else if (!running_ && !result_ && reason.isEmpty()) {
        status_->clear();
    }
}

void BackfillDialog::start() {
    DesktopSession::BackfillRequest request;
    request.days = days_->value();
    request.users = static_cast<std::uint32_t>(users_->value());
    request.products = static_cast<std::uint32_t>(products_->value());
    request.overwrite_history = overwrite_->isChecked();
    const TimestampUs end = wallClockNow();
    const std::optional<RuntimeOptions> options = session_.backfillOptions(request, end);
    if (!options || running_ || session_.state() != RunState::Idle) {
        updateAvailability();
        return;
    }
    result_.reset();
    running_ = true;
    writing_ = false;
    control_ = std::make_shared<BackfillControl>();
    bar_->setValue(0);
    status_->setText(tr("Preparing the catalog and the database…"));
    run_batch_->hide();
    cancel_->setText(tr("Cancel backfill"));
    cancel_->show();
    cancel_->setEnabled(true);
    updateAvailability();
    const auto control = control_;
    watcher_.setFuture(QtConcurrent::run([this, options = *options, end, control] {
        return runBackfill(options, end, *control, [this](const BackfillProgress& progress) {
            // Delivered on the dialog's thread; dropped if the dialog is gone by then.
            QMetaObject::invokeMethod(
                this, [this, progress] { showProgress(progress); }, Qt::QueuedConnection);
        });
    }));
}

void BackfillDialog::cancel() {
    if (!running_) {
        return;
    }
    if (writing_) {
        control_->leave_spilled = true;
        cancel_->setEnabled(false);
        status_->setText(tr("Leaving the unwritten rows in the spill file…"));
        return;
    }
    control_->cancel = true;
    cancel_->setEnabled(false);
    status_->setText(tr("Cancelling: the history ends where it has come; writing what was made…"));
}

void BackfillDialog::showProgress(const BackfillProgress& progress) {
    if (!running_) {
        return;
    }
    bar_->setValue(static_cast<int>(progress.fraction() * kProgressSteps));
    if (progress.phase == BackfillProgress::Phase::Writing) {
        if (!writing_) {
            writing_ = true;
            cancel_->setText(tr("Leave the rest in the spill file"));
            cancel_->setEnabled(true);
        }
        status_->setText(tr("Writing to PostgreSQL: %1 rows to go…")
                             .arg(groupedInt(static_cast<long long>(progress.rows_to_write))));
        return;
    }
    if (control_->cancel) {
        return;
    }
    status_->setText(tr("Simulated %1 of %2 · %3 events")
                         .arg(minuteText(progress.simulated), minuteText(progress.to),
                              groupedInt(static_cast<long long>(progress.events))));
}

void BackfillDialog::onFinished() {
    if (!running_ || watcher_.future().resultCount() == 0) {
        return;
    }
    result_ = watcher_.result();
    running_ = false;
    writing_ = false;
    cancel_->hide();
    const BackfillResult& result = *result_;
    if (result.refused) {
        bar_->setValue(0);
        status_->setText(tr("Not started: %1").arg(QString::fromStdString(*result.refused)));
    } else {
        if (!result.cancelled) {
            bar_->setValue(kProgressSteps); // a cancelled run's bar stays where it stopped
        }
        QStringList lines;
        lines << tr("%1 %2 to %3: %4 events, %5 orders, %6 rows written in %7 s.")
                     .arg(result.cancelled ? tr("Cancelled; stored") : tr("Backfilled"),
                          minuteText(result.from), minuteText(result.reached),
                          groupedInt(static_cast<long long>(result.events)),
                          groupedInt(static_cast<long long>(result.orders)),
                          groupedInt(static_cast<long long>(result.rows_written)),
                          decimalText(result.seconds, 1));
        if (result.losses.empty()) {
            lines << tr("Everything generated is in the database.");
        } else {
            lines << tr("Not everything is in the database:");
            for (const std::string& loss : result.losses) {
                lines << QStringLiteral("• ") + QString::fromStdString(loss);
            }
        }
        status_->setText(lines.join(QLatin1Char('\n')));
        run_batch_->setVisible(result.persisted && result.events > 0);
    }
    updateAvailability();
    emit backfillFinished();
}

void BackfillDialog::reject() {
    if (running_) {
        cancel();
        return;
    }
    QDialog::reject();
}

} // namespace gm
