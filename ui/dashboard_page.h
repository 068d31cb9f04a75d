// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/generator_pace.h"
#include "models/history_view.h"
#include "models/snapshot_history.h"
#include "ui/desktop_session.h"

#include <QWidget>
#include <optional>

namespace gm {

class ChartPanel;
class TablePanel;

// What a page may read when it redraws: all of it immutable or owned by the UI thread.
struct PageContext {
    const SnapshotHistory& history;
    SnapshotPtr snapshot; // may be null before the first start
    std::optional<GeneratorStatus> generator;
    const ProductTable* products = nullptr;
    RunState state = RunState::Idle;
    PipelineConfig config;
    RunOptions options;
    std::pair<std::size_t, std::size_t> queue{0, 0};
    double events_per_second = 0;    // pipeline input, measured over the last second
    double generated_per_second = 0; // generator output
    double rows_per_second = 0;
    bool refresh_tables = true;        // tables redraw less often than charts
    DesktopSession::Services services; // filled for the System page only
    GeneratorPace::Verdict pace = GeneratorPace::Verdict::OnTime;
    // The time range of the time-series pages and the history loaded for it; null: Live.
    const HistoryView* range = nullptr;
};

// One subject of the window (Overview, Anomalies, ...). Pages redraw only while visible.
class DashboardPage : public QWidget {
    Q_OBJECT
public:
    DashboardPage(const QString& title, QWidget* parent = nullptr)
        : QWidget(parent), title_(title) {}
    QString title() const { return title_; }
    virtual void showData(const PageContext& context) = 0;
    QList<ChartPanel*> charts() const;
    QList<TablePanel*> tables() const;

private:
    QString title_;
};

} // namespace gm
