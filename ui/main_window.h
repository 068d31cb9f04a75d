// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/app_settings.h"
#include "models/generator_pace.h"
#include "models/off_thread_release.h"
#include "models/snapshot_history.h"
#include "pipeline/new_alert_filter.h"
#include "ui/desktop_session.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <array>
#include <memory>

class QLabel;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;
class QTimer;

namespace gm {

class AlertsPage;
class ControlBar;
class DatabaseBanner;
class NoticeBanner;
class DashboardPage;
class ExportService;
class SystemPage;
class TimeRangeBar;
class WarehouseConnection;
class WarehousePage;

// The desktop window: a page per subject, the run controls always on top, a status line. A
// 10 Hz timer reads the pipeline's latest immutable snapshot (an atomic pointer load) and
// redraws only the visible page, so a flood of events never floods the UI thread.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page {
        Overview,
        Carts,
        Products,
        Anomalies,
        Inventory,
        Alerts,
        System,
        Warehouse,
        PageCount
    };

    explicit MainWindow(DesktopSession& session, QWidget* parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    int currentPage() const;
    DashboardPage* page(int page) const;
    ControlBar* controls() const { return controls_; }
    const SnapshotHistory& history() const { return history_; }
    DatabaseBanner* databaseBanner() const { return banner_; }
    // The time-range control over the time-series pages (hidden on the others).
    TimeRangeBar* timeRangeBar() const { return range_bar_; }
    // The status bar's run state and simulated time (what the tests compare with the pages).
    QString statusStateText() const;
    QString statusTimeText() const;
    // Run ▸ Backfill history… (also the empty Warehouse page's button); one dialog at a time.
    void openBackfillDialog();
    // The control bar's and the Run menu's Warehouse batch: Run now on the Warehouse page.
    void runWarehouseBatch();
    // Stores Settings and applies them (File ▸ Settings… once accepted): theme, schedule,
    // pipeline settings and connections for the next start, and the Warehouse page's database.
    void applySettings(const AppSettings& settings);
    // Applies and stores a theme choice (also used by the screenshot tool).
    void setTheme(ThemeChoice theme);
    // Reads the newest snapshot and redraws now (the timer does this ten times a second).
    void refreshNow();
    // Longest time spent reading a snapshot, and redrawing each page, since start (ms): what the
    // stall probe prints to tell where UI time goes.
    double longestAbsorbMs() const { return longest_absorb_ms_; }
    double longestDrawMs(int page) const { return longest_draw_ms_[page]; }

signals:
    // A desktop notification for new critical alerts (shown by the system tray icon when
    // there is a tray; muted kinds never get one).
    void desktopNotice(const QString& title, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void openSettings();
    // defer_tables: the tables wait for the next tick (a page just shown: see the page switch).
    void tick(bool force_tables, bool defer_tables = false);
    void updateStatus();
    void updateClock(const SnapshotPtr& snapshot, const std::optional<GeneratorStatus>& generator);
    // Drill-down filters belong to the run they were set in: a new run starts unfiltered, and
    // the status bar says which tables were reset.
    void clearFiltersForNewRun();
    void applyChartTheme(bool dark);
    // Points the time-range control at the database the next (or current) run writes to.
    void updateHistoryDatabase();
    // Shows the time-range control on the time-series pages and loads the page's tables.
    void updateRangeForPage(int page);
    static bool showsRangeBar(int page);
    // The page chosen in the navigation list, a turn after it got its data (see the switch).
    void showChosenPage();

    void announceNewAlerts(const SnapshotPtr& snapshot);

    DesktopSession& session_;
    AppSettings settings_;
    NewAlertFilter desktop_alerts_;
    QSystemTrayIcon* tray_ = nullptr; // null without a system tray
    SnapshotHistory history_;
    OffThreadReleaser snapshot_releaser_; // the snapshot history_ lets go of is freed there
    ControlBar* controls_;
    QListWidget* nav_;
    QStackedWidget* pages_; // the pages, then between_pages_
    QWidget* between_pages_ = nullptr;
    SystemPage* system_page_ = nullptr;
    AlertsPage* alerts_page_ = nullptr;
    WarehousePage* warehouse_page_ = nullptr;
    std::shared_ptr<WarehouseConnection> warehouse_connection_; // null without a database
    // The latest run keeps its rows in memory only (--no-db, or its database could not be used).
    bool run_in_memory_ = false;
    DatabaseBanner* banner_;
    NoticeBanner* notices_ = nullptr;
    TimeRangeBar* range_bar_;
    DesktopSession::Services services_; // refreshed once a second
    GeneratorPace pace_;
    ExportService* export_;
    QTimer* timer_;
    QLabel* status_state_;
    QLabel* status_rate_;
    QLabel* status_time_;
    QLabel* status_database_;
    std::uint64_t last_snapshot_ = 0;
    int ticks_ = 0;
    bool tables_due_ = false; // the next tick refreshes the tables (a page was just shown)
    // Per page: its tables show this run and this range (from an earlier visit), so that when
    // it is shown again they may follow a tick later without showing anything misleading.
    std::array<bool, PageCount> tables_current_{};
    double longest_absorb_ms_ = 0;
    double longest_draw_ms_[PageCount] = {};
    // Per-second rates from counter deltas.
    QElapsedTimer rate_clock_;
    std::uint64_t last_events_ = 0;
    std::uint64_t last_rows_ = 0;
    std::uint64_t last_generated_ = 0;
    double events_per_second_ = 0;
    double rows_per_second_ = 0;
    double generated_per_second_ = 0;
};

} // namespace gm
