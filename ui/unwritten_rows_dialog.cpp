// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/unwritten_rows_dialog.h"

#include "ui/desktop_session.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gm {
namespace {

// A stop that writes its last rows within this time needs no dialog.
constexpr int kGraceMs = 700;

} // namespace

void UnwrittenRowsDialog::watch(DesktopSession& session, QWidget* parent) {
    QObject::connect(&session, &DesktopSession::stateChanged, parent,
                     [&session, parent](RunState state) {
                         if (state != RunState::Stopping) {
                             return;
                         }
                         QTimer::singleShot(kGraceMs, parent, [&session, parent] {
                             const auto writer = session.unwrittenRows();
                             if (session.state() != RunState::Stopping || !writer ||
                                 writer->buffered_rows == 0) {
                                 return;
                             }
                             auto* dialog = new UnwrittenRowsDialog(session, parent);
                             dialog->setAttribute(Qt::WA_DeleteOnClose);
                             dialog->open(); // window-modal; the event loop keeps running
                         });
                     });
}

UnwrittenRowsDialog::UnwrittenRowsDialog(DesktopSession& session, QWidget* parent)
    : QDialog(parent), session_(session), text_(new QLabel(this)), bar_(new QProgressBar(this)),
      leave_(new QPushButton(tr("Leave them spilled"), this)), timer_(new QTimer(this)) {
    setWindowTitle(tr("Writing the last rows"));
    setModal(true);
    text_->setWordWrap(true);
    text_->setMinimumWidth(420);
    auto* buttons = new QDialogButtonBox(this);
    buttons->addButton(leave_, QDialogButtonBox::DestructiveRole);
    auto* wait = buttons->addButton(tr("Wait"), QDialogButtonBox::AcceptRole);
    wait->setDefault(true);
    wait->setEnabled(false); // waiting is what happens anyway; the button says so
    connect(leave_, &QPushButton::clicked, this, [this] {
        session_.leaveUnwrittenRowsSpilled();
        leave_->setEnabled(false);
        leave_->setText(tr("Leaving them spilled…"));
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text_);
    layout->addWidget(bar_);
    layout->addWidget(buttons);
    connect(timer_, &QTimer::timeout, this, &UnwrittenRowsDialog::refresh);
    timer_->start(250);
    refresh();
}

void UnwrittenRowsDialog::refresh() {
    const auto writer = session_.unwrittenRows();
    if (session_.state() != RunState::Stopping || !writer) {
        accept();
        return;
    }
    const std::size_t remaining = writer->buffered_rows;
    first_count_ = std::max(first_count_, remaining);
    const QLocale locale;
    QString text = tr("%1 rows are not in PostgreSQL yet (%2 rows/s, database %3).")
                       .arg(locale.toString(static_cast<qulonglong>(remaining)))
                       .arg(locale.toString(static_cast<qulonglong>(writer->rows_per_second)))
                       .arg(QString::fromStdString(std::string(writerStateName(writer->state))));
    if (!writer->last_error.empty() && writer->state != WriterState::Connected) {
        text += "\n" + QString::fromStdString(writer->last_error);
    }
    text += "\n\n";
    text += writer->spill_path.empty()
                ? tr("Wait until they are written. There is no spill file: rows left now are "
                     "lost.")
                : tr("Wait until they are written, or leave them in %1: the next start writes "
                     "them first.")
                      .arg(QString::fromStdString(writer->spill_path));
    text_->setText(text);
    bar_->setRange(0, 1000);
    bar_->setValue(first_count_ == 0
                       ? 1000
                       : static_cast<int>(1000 * (first_count_ - remaining) / first_count_));
}

} // namespace gm
