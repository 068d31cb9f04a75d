// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/history_view.h"
#include "ui/history_loader.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QProgressBar;
class QPushButton;

namespace gm {

// The time-range control of the time-series pages: Live (what is in memory, following now),
// the last 15 min … 7 days (history from PostgreSQL, following now), or a custom from–to; and
// the previous period to compare with. Loads run on the loader's worker thread; a busy bar and
// the status text show them. Without a database every range is what memory holds, and the
// status says so.
class TimeRangeBar : public QWidget {
    Q_OBJECT
public:
    explicit TimeRangeBar(QWidget* parent = nullptr);

    // Nothing: the window runs without a database; `why_none` then replaces the status text's
    // "No database" explanation. Reloads the current range.
    void setDatabase(HistoryLoader::Conninfo conninfo, const QString& why_none = {});
    void setRange(const TimeRange& range);
    void setCompare(ComparePeriod period);
    // The stored tables the visible page draws (StoredTables); a change reloads.
    void setTables(unsigned tables);
    TimeRange range() const { return range_; }
    ComparePeriod compare() const { return view_.compare(); }
    // Called on every redraw with the newest event time in memory (0: none yet). Moves a
    // following range along and keeps a comparison's history loaded up to the right edge.
    void follow(TimestampUs newest_event_time);
    const HistoryView& view() const { return view_; }
    HistoryLoader& loader() { return loader_; }
    QString statusText() const;
    bool loading() const { return loader_.busy(); }

signals:
    void changed(); // the range, the comparison or the loaded history changed: redraw

private:
    void reload();
    void onLoaded();
    void updateSpan();
    TimestampUs followedEnd() const;
    void updateStatus();
    void showCustomEditors(bool show);

    HistoryLoader loader_;
    HistoryView view_;
    TimeRange range_;
    unsigned tables_ = kStoredAll;
    TimestampUs anchor_ = 0;             // the newest event time seen (or the stored history's end)
    TimestampUs previous_loaded_to_ = 0; // how far the comparison's history is loaded
    qint64 last_reload_ms_ = -1'000'000;
    QString why_no_database_; // empty: the default text
    QElapsedTimer clock_;
    QString loaded_text_;
    QComboBox* preset_;
    QDateTimeEdit* from_;
    QDateTimeEdit* to_;
    QPushButton* apply_;
    QComboBox* compare_;
    QProgressBar* busy_;
    QLabel* status_;
};

} // namespace gm
