// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main_window.h"

#include "models/alert_notifications.h"
#include "models/human_format.h"
#include "pipeline/warehouse/warehouse_database.h"
#include "ui/alerts_page.h"
#include "ui/anomalies_page.h"
#include "ui/backfill_dialog.h"
#include "ui/batch_scheduler.h"
#include "ui/carts_page.h"
#include "ui/chart_panel.h"
#include "ui/control_bar.h"
#include "ui/database_banner.h"
#include "ui/export_service.h"
#include "ui/help_dialogs.h"
#include "ui/inventory_page.h"
#include "ui/notice_banner.h"
#include "ui/overview_page.h"
#include "ui/products_page.h"
#include "ui/settings_dialog.h"
#include "ui/status_texts.h"
#include "ui/system_page.h"
#include "ui/table_panel.h"
#include "ui/theme.h"
#include "ui/time_chart.h"
#include "ui/time_range_bar.h"
#include "ui/unwritten_rows_dialog.h"
#include "ui/warehouse_page.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVBoxLayout>
#include <mutex>
#include <stdexcept>

namespace gm {

// The warehouse lives in the database the shop writes to (the same choice as --run-batch), and
// follows it when Settings change it. A load or batch under way keeps the database it started
// with (it holds a reference).
class WarehouseConnection {
public:
    WarehouseConnection(std::optional<std::string> url, std::optional<std::string> warehouse_url) {
        use(std::move(url), std::move(warehouse_url));
    }
    void use(std::optional<std::string> url, std::optional<std::string> warehouse_url) {
        std::lock_guard lock(mutex_);
        if (database_ && url == url_ && warehouse_url == warehouse_url_) {
            return;
        }
        url_ = std::move(url);
        warehouse_url_ = std::move(warehouse_url);
        database_ = std::make_shared<warehouse::WarehouseDatabase>(url_, warehouse_url_);
    }
    std::shared_ptr<warehouse::WarehouseDatabase> database() const {
        std::lock_guard lock(mutex_);
        return database_;
    }

private:
    mutable std::mutex mutex_;
    std::optional<std::string> url_;
    std::optional<std::string> warehouse_url_;
    std::shared_ptr<warehouse::WarehouseDatabase> database_;
};

namespace {

constexpr int kTickMs = 100;        // redraw at most 10 times a second
constexpr int kTableEveryTicks = 5; // tables: twice a second

WarehousePage* makeWarehousePage(const std::shared_ptr<WarehouseConnection>& connection,
                                 QWidget* parent) {
    if (!connection) {
        const auto none = []() -> std::string {
            throw std::runtime_error("the window runs without a database (--no-db)");
        };
        return new WarehousePage(none, none, QStringLiteral("globalmart --run-batch"), parent);
    }
    return new WarehousePage([connection] { return connection->database()->conninfo(); },
                             [connection] { return connection->database()->warehouseConninfo(); },
                             QString::fromStdString(connection->database()->batchCommandLine()),
                             parent);
}

} // namespace

MainWindow::MainWindow(DesktopSession& session, QWidget* parent)
    : QMainWindow(parent), session_(session) {
    setWindowTitle(tr("GlobalMart Monitor"));
    {
        QSettings settings;
        settings_ = AppSettings::load(settings);
    }
    session_.setPipelineConfig(settings_.applyTo(session_.pipelineConfig()));
    if (const std::optional<QString> problem = session_.setConnections(settings_)) {
        statusBar()->showMessage(tr("Kafka settings not used: %1").arg(*problem), 20000);
    }

    // The controls sit in the central widget, not in a toolbar: they take a second row when the
    // window is narrow, and a layout (unlike a toolbar) gives them the height that needs.
    auto* central = new QWidget(this);
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(4, 0, 4, 4);
    column->setSpacing(4);
    controls_ = new ControlBar(session_.options(), central);
    connectControls(*controls_, session_);
    banner_ = new DatabaseBanner(central);
    notices_ = new NoticeBanner(central);
    range_bar_ = new TimeRangeBar(central);
    range_bar_->setObjectName(QStringLiteral("timeRangeBar"));
    column->addWidget(controls_);
    column->addWidget(banner_);
    column->addWidget(notices_);
    column->addWidget(range_bar_);
    auto* layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    nav_ = new QListWidget(central);
    nav_->setFixedWidth(120);
    nav_->setIconSize(QSize(20, 20));
    pages_ = new QStackedWidget(central);
    layout->addWidget(nav_);
    layout->addWidget(pages_, 1);
    column->addLayout(layout, 1);
    setCentralWidget(central);

    if (session_.options().persist) {
        warehouse_connection_ = std::make_shared<WarehouseConnection>(
            session_.options().database_url, session_.options().warehouse_database_url);
    }
    auto* overview = new OverviewPage(pages_);
    auto* anomalies = new AnomaliesPage(pages_);
    system_page_ = new SystemPage(pages_);
    const QList<QPair<DashboardPage*, QStyle::StandardPixmap>> pages{
        {overview, QStyle::SP_ComputerIcon},
        {new CartsPage(pages_), QStyle::SP_DialogSaveButton},
        {new ProductsPage(pages_), QStyle::SP_FileDialogDetailedView},
        {anomalies, QStyle::SP_MessageBoxWarning},
        {new InventoryPage(pages_), QStyle::SP_DriveHDIcon},
        {alerts_page_ = new AlertsPage(history_, pages_), QStyle::SP_MessageBoxCritical},
        {system_page_, QStyle::SP_BrowserReload},
        {warehouse_page_ = makeWarehousePage(warehouse_connection_, pages_),
         QStyle::SP_FileDialogContentsView}};
    for (const auto& [page, icon] : pages) {
        pages_->addWidget(page);
        nav_->addItem(new QListWidgetItem(style()->standardIcon(icon), page->title()));
    }
    // Empty: current for a moment while the stack changes height in a page switch.
    between_pages_ = new QWidget(pages_);
    pages_->addWidget(between_pages_);
    connect(nav_, &QListWidget::currentRowChanged, this, [this](int row) {
        // The chosen page gets its data while still hidden and is shown in the next event-loop
        // turn (showChosenPage), its tables (when they already show this run and range) at the
        // next tick: its redraw, its first layout and paint, and its tables then take turns of
        // their own. All at once made the longest UI stalls at 200K events/s (issue 17).
        tick(true, tables_current_[static_cast<std::size_t>(row)]);
        QTimer::singleShot(0, this, &MainWindow::showChosenPage);
    });
    connect(range_bar_, &TimeRangeBar::changed, this, [this] {
        tables_current_.fill(false); // the hidden pages' tables show the previous range
        tick(true);
    });
    connect(anomalies, &AnomaliesPage::tabChanged, this, [this] { tick(true); });
    connect(warehouse_page_, &WarehousePage::backfillRequested, this,
            &MainWindow::openBackfillDialog);
    connect(controls_, &ControlBar::warehouseBatchRequested, this, &MainWindow::runWarehouseBatch);
    // A minute double-clicked on the Overview opens its anomalies.
    connect(overview, &OverviewPage::minuteActivated, this, [this, anomalies](qint64 start) {
        showPage(Anomalies);
        anomalies->drillInto(start, QString());
    });

    // Start-up warnings (e.g. "running in memory") and start failures stay readable for a while.
    connect(&session_, &DesktopSession::notice, notices_, &NoticeBanner::showNotice);

    connect(&session_, &DesktopSession::alertAcknowledgedRemotely, alerts_page_,
            &AlertsPage::showAcknowledged);
    connect(alerts_page_, &AlertsPage::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });

    export_ = new ExportService(this);
    connect(export_, &ExportService::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    for (int i = 0; i < PageCount; ++i) {
        auto* page = static_cast<DashboardPage*>(pages_->widget(i));
        for (ChartPanel* chart : page->charts()) {
            connect(chart, &ChartPanel::exportRequested, this,
                    [this, chart](const QString& format) { export_->exportChart(*chart, format); });
        }
        for (TablePanel* table : page->tables()) {
            connect(table, &TablePanel::exportRequested, this,
                    [this, table] { export_->exportTable(*table); });
        }
        for (ChartPanel* chart : page->charts()) {
            if (auto* time_chart = qobject_cast<TimeChart*>(chart)) {
                connect(time_chart, &TimeChart::rangeChosen, this, [this](const TimeSpan& span) {
                    range_bar_->setRange({RangePreset::Custom, span});
                });
            }
        }
    }

    status_state_ = new QLabel(this);
    status_rate_ = new QLabel(this);
    status_time_ = new QLabel(this);
    status_database_ = new QLabel(this);
    statusBar()->addPermanentWidget(status_database_);
    statusBar()->addPermanentWidget(status_rate_);
    statusBar()->addPermanentWidget(status_time_);
    statusBar()->addPermanentWidget(status_state_);

    buildMenus();
    connect(&session_, &DesktopSession::runStarted, this, [this] {
        history_.clear();
        history_.setRecentRowsPerTable(session_.pipelineConfig().recent_rows_per_table);
        last_snapshot_ = 0;
        last_events_ = last_rows_ = last_generated_ = 0;
        pace_.clear();
        rate_clock_.restart();
        alerts_page_->setAcknowledger(session_.alertAcknowledger());
        desktop_alerts_.clear(); // a new run numbers its alerts afresh
        clearFiltersForNewRun();
        tables_current_.fill(false); // the hidden pages' tables show the previous run
        // What the run uses, not what was configured: a database that could not be used at
        // start leaves the run in memory (until the next start).
        const std::optional<bool> persists = session_.runPersists();
        run_in_memory_ = persists.has_value() && !*persists;
        updateHistoryDatabase();
    });
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        tray_ = new QSystemTrayIcon(windowIcon(), this);
        tray_->setToolTip(tr("GlobalMart Monitor"));
        tray_->show();
        connect(this, &MainWindow::desktopNotice, tray_,
                [this](const QString& title, const QString& message) {
                    tray_->showMessage(title, message, QSystemTrayIcon::Critical, 10'000);
                });
        connect(tray_, &QSystemTrayIcon::messageClicked, this, [this] {
            showPage(Alerts);
            showNormal();
            raise();
            activateWindow();
        });
    }
    connect(&session_, &DesktopSession::stateChanged, this, [this] { updateStatus(); });

    timer_ = new QTimer(this);
    connect(timer_, &QTimer::timeout, this, [this] { tick(false); });
    timer_->start(kTickMs);
    rate_clock_.start();

    QSettings settings;
    resize(1280, 820);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    // A size saved on a bigger screen (or the default) must not hang off a smaller one: the
    // layout is made for 1024x700 and up.
    if (const QScreen* current = screen()) {
        const QRect available = current->availableGeometry();
        if (width() > available.width() || height() > available.height()) {
            resize(size().boundedTo(available.size()));
        }
        if (!available.contains(frameGeometry())) {
            move(std::clamp(x(), available.left(), available.right() + 1 - width()),
                 std::clamp(y(), available.top(), available.bottom() + 1 - height()));
        }
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    showPage(settings.value(QStringLiteral("window/page"), Overview).toInt());
    setTheme(settings_.theme);
    warehouse_page_->scheduler().setSchedule(settings_.batch_schedule);
    updateRangeForPage(currentPage());
    updateHistoryDatabase();
    updateStatus();
}

void MainWindow::showChosenPage() {
    const int chosen = currentPage();
    if (pages_->currentIndex() == chosen) {
        updateRangeForPage(chosen);
        return;
    }
    // The stack paints nothing in this turn: the page's charts first bring their scenes up to
    // date (Qt Charts' posted scene updates, next turn), and the page is painted a turn after
    // that. Show, scene update and first paint in one stretch were the longest UI stalls after a
    // switch at 200K events/s (issue 17). Until then the stack keeps what it last painted.
    const bool hold_paint = isVisible() && pages_->updatesEnabled();
    if (hold_paint) {
        pages_->setUpdatesEnabled(false);
    }
    // The range bar showing or hiding changes the stack's height, and the stack gives its
    // current page the new size at once. Changed while the previous page was current, the bar
    // made that page lay itself out (and its charts their scenes) again just before it was
    // hidden; changed after the chosen page was shown, the page was laid out at the old height
    // and then at the new one. The empty page stands in while the stack changes, so the chosen
    // page is laid out once, at the height it had when last shown with the same bar.
    if (showsRangeBar(chosen) != range_bar_->isVisibleTo(centralWidget())) {
        pages_->setCurrentWidget(between_pages_);
        updateRangeForPage(chosen);
        centralWidget()->layout()->activate();
    } else {
        updateRangeForPage(chosen);
    }
    pages_->setCurrentIndex(chosen);
    if (hold_paint) {
        QTimer::singleShot(0, this, [this] { pages_->setUpdatesEnabled(true); });
    }
}

bool MainWindow::showsRangeBar(int page) {
    return page == Overview || page == Carts || page == Anomalies || page == Inventory ||
           page == Alerts;
}

void MainWindow::updateRangeForPage(int row) {
    // The range applies to the pages with time series and to the Alerts feed; the System
    // page's per-second chart lives in memory only.
    range_bar_->setVisible(showsRangeBar(row));
    // Only the visible page's tables are loaded: a week of one is quick, of all four not.
    static constexpr unsigned kTables[PageCount] = {kStoredSales,
                                                    unsigned{kStoredCarts} | kStoredAbandonedCarts,
                                                    0,
                                                    unsigned{kStoredAnomalies} | kStoredAnomalyRows,
                                                    unsigned{kStoredInventory} |
                                                        kStoredInventoryRows,
                                                    kStoredAlertRows,
                                                    0,
                                                    0};
    if (row >= 0 && row < PageCount && kTables[row] != 0) {
        range_bar_->setTables(kTables[row]);
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* export_action = file->addAction(
        tr("&Export…"), this, [this] { export_->exportFromPage(*page(currentPage())); });
    export_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* pdf = file->addAction(tr("Export page as &PDF…"), this,
                                   [this] { export_->exportPagePdf(*page(currentPage())); });
    pdf->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    file->addSeparator();
    QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    QAction* start = run->addAction(tr("&Start"), &session_, &DesktopSession::start);
    start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    QAction* pause = run->addAction(tr("&Pause / resume"), this, [this] {
        if (session_.state() == RunState::Paused) {
            session_.resume();
        } else {
            session_.pause();
        }
    });
    pause->setShortcut(QKeySequence(Qt::Key_Space));
    QAction* stop = run->addAction(tr("S&top"), &session_, &DesktopSession::stop);
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    run->addSeparator();
    QAction* batch =
        run->addAction(tr("Run &warehouse batch now"), this, &MainWindow::runWarehouseBatch);
    batch->setObjectName(QStringLiteral("runWarehouseBatch"));
    QAction* backfill =
        run->addAction(tr("&Backfill history…"), this, &MainWindow::openBackfillDialog);
    backfill->setObjectName(QStringLiteral("backfillHistory"));
    // Any stop (this action, the control bar) that leaves rows unwritten asks wait or spill.
    UnwrittenRowsDialog::watch(session_, this);

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    for (int i = 0; i < PageCount; ++i) {
        QAction* action = go->addAction(page(i)->title(), this, [this, i] { showPage(i); });
        action->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* usage = help->addAction(tr("&Usage"), this, [this] { showUsageDialog(this); });
    usage->setShortcut(QKeySequence::HelpContents); // F1
    usage->setObjectName(QStringLiteral("helpUsage"));
    QAction* about =
        help->addAction(tr("&About GlobalMart Monitor"), this, [this] { showAboutDialog(this); });
    about->setMenuRole(QAction::AboutRole);
    about->setObjectName(QStringLiteral("helpAbout"));
}

void MainWindow::runWarehouseBatch() {
    showPage(Warehouse);
    warehouse_page_->runNow();
}

void MainWindow::openBackfillDialog() {
    if (auto* open = findChild<BackfillDialog*>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new BackfillDialog(session_, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Window-modal: the live run cannot start while a backfill writes the same timeline.
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &BackfillDialog::runBatchRequested, this, &MainWindow::runWarehouseBatch);
    connect(dialog, &BackfillDialog::backfillFinished, warehouse_page_, &WarehousePage::refresh);
    dialog->show();
}

void MainWindow::clearFiltersForNewRun() {
    QStringList cleared;
    for (int i = 0; i < PageCount; ++i) {
        for (TablePanel* table : page(i)->tables()) {
            if (table->resetFilters()) {
                cleared << table->title();
            }
        }
    }
    if (!cleared.isEmpty()) {
        statusBar()->showMessage(
            tr("New run: filters cleared on %1").arg(cleared.join(QStringLiteral(", "))), 15000);
    }
}

void MainWindow::showPage(int index) {
    nav_->setCurrentRow(std::clamp(index, 0, PageCount - 1));
}

int MainWindow::currentPage() const {
    // The chosen page: the stack shows it from the next event-loop turn on (see the switch).
    const int chosen = nav_->currentRow();
    return chosen >= 0 ? chosen : pages_->currentIndex();
}

DashboardPage* MainWindow::page(int index) const {
    return static_cast<DashboardPage*>(pages_->widget(index));
}

void MainWindow::setTheme(ThemeChoice theme) {
    settings_.theme = theme;
    const bool dark = applyTheme(*qApp, theme);
    applyChartTheme(dark);
}

void MainWindow::applyChartTheme(bool dark) {
    for (int i = 0; i < PageCount; ++i) {
        for (ChartPanel* chart : page(i)->charts()) {
            chart->applyTheme(dark);
        }
    }
}

void MainWindow::updateHistoryDatabase() {
    if (!warehouse_connection_) {
        range_bar_->setDatabase({});
        return;
    }
    // The database the run writes to (--db, Settings, the environment or the embedded
    // cluster), shared with the Warehouse page: one object starts an embedded cluster once.
    warehouse_connection_->use(session_.options().database_url,
                               session_.options().warehouse_database_url);
    if (run_in_memory_) {
        // The run fell back to memory: its minutes are nowhere but here, so every range is
        // what memory holds, as with --no-db (a configured database may hold other runs).
        range_bar_->setDatabase({}, tr("This run keeps its data in memory only (its database "
                                       "could not be used at start): only what is in memory "
                                       "(the last few hours of this run)"));
        return;
    }
    range_bar_->setDatabase(
        [connection = warehouse_connection_] { return connection->database()->conninfo(); });
}

void MainWindow::openSettings() {
    SettingsDialog dialog(settings_, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    applySettings(dialog.settings());
}

void MainWindow::applySettings(const AppSettings& chosen) {
    settings_ = chosen;
    QSettings settings;
    settings_.save(settings);
    setTheme(settings_.theme);
    warehouse_page_->scheduler().setSchedule(settings_.batch_schedule);
    session_.setPipelineConfig(settings_.applyTo(session_.pipelineConfig()));
    const std::optional<QString> problem = session_.setConnections(settings_);
    updateHistoryDatabase();
    if (warehouse_connection_) {
        warehouse_page_->setCommandLine(
            QString::fromStdString(warehouse_connection_->database()->batchCommandLine()));
        warehouse_page_->refresh();
    }
    if (problem) {
        statusBar()->showMessage(
            tr("Settings saved, but the Kafka settings are not used: %1").arg(*problem), 20000);
        return;
    }
    statusBar()->showMessage(tr("Settings saved. They apply on the next Start."), 8000);
    updateStatus();
}

void MainWindow::announceNewAlerts(const SnapshotPtr& snapshot) {
    // The snapshot's newest alert rows: new ids are alerts raised since the last snapshot.
    const std::vector<const AlertRow*> fresh = desktop_alerts_.newAlerts(snapshot->recent.alerts);
    for (const DesktopNotice& notice : desktopNotices(fresh, settings_.muted_alert_kinds)) {
        emit desktopNotice(notice.title, notice.message);
    }
}

void MainWindow::refreshNow() {
    tick(true);
}

void MainWindow::tick(bool force_tables, bool defer_tables) {
    const SnapshotPtr snapshot = session_.snapshot();
    QElapsedTimer took;
    took.start();
    if (snapshot && snapshot->number != last_snapshot_) {
        last_snapshot_ = snapshot->number;
        SnapshotPtr previous = history_.latest;
        history_.absorb(snapshot);
        snapshot_releaser_.release(std::move(previous));
        longest_absorb_ms_ = std::max(longest_absorb_ms_, took.nsecsElapsed() / 1e6);
        announceNewAlerts(snapshot);
    }
    const std::optional<GeneratorStatus> generator = session_.generatorStatus();
    const qint64 elapsed_ms = rate_clock_.elapsed();
    if (elapsed_ms >= 1000) {
        const double seconds = static_cast<double>(elapsed_ms) / 1000.0;
        // The pipeline's live counter: a snapshot can lag while a long queue is worked through.
        const std::uint64_t events =
            session_.eventsProcessed().value_or(snapshot ? snapshot->figures.events : 0);
        const std::uint64_t rows = snapshot ? snapshot->figures.rows : 0;
        // The source's own rate: what the generator made, or what the consumer read.
        const std::uint64_t generated =
            generator ? generator->stats.events
                      : session_.kafkaMessagesRead().value_or(last_generated_);
        events_per_second_ = events >= last_events_ ? (events - last_events_) / seconds : 0;
        rows_per_second_ = rows >= last_rows_ ? (rows - last_rows_) / seconds : 0;
        generated_per_second_ =
            generated >= last_generated_ ? (generated - last_generated_) / seconds : 0;
        last_events_ = events;
        last_rows_ = rows;
        last_generated_ = generated;
        rate_clock_.restart();
        if (session_.state() != RunState::Idle) {
            system_page_->addThroughputSample(wallClockNow(), generated_per_second_,
                                              events_per_second_);
        }
        if (generator) {
            pace_.add(static_cast<double>(wallClockNow()) / 1e6, generator->behind_seconds,
                      generator->missed_events);
        }
        services_ = session_.services();
        // Before the database banner shows: the two together must not make the window grow.
        notices_->setCompact(databaseProblem(services_).has_value());
        banner_->showServices(services_);
        updateStatus();
    }
    updateClock(snapshot, generator);
    if (snapshot && snapshot->figures.max_event_time != kNoWatermark) {
        range_bar_->follow(snapshot->figures.max_event_time);
    }
    ++ticks_;
    bool refresh_tables = force_tables || tables_due_ || ticks_ % kTableEveryTicks == 0;
    tables_due_ = defer_tables;
    if (defer_tables) {
        refresh_tables = false;
    }
    if (refresh_tables) {
        tables_current_[static_cast<std::size_t>(currentPage())] = true;
    }
    PageContext context{history_,
                        snapshot,
                        generator,
                        session_.products().get(),
                        session_.state(),
                        session_.pipelineConfig(),
                        session_.options(),
                        session_.queueDepth(),
                        events_per_second_,
                        generated_per_second_,
                        rows_per_second_,
                        refresh_tables,
                        currentPage() == System ? session_.services() : DesktopSession::Services{},
                        pace_.verdict(),
                        &range_bar_->view()};
    took.restart();
    page(currentPage())->showData(context);
    double& longest = longest_draw_ms_[currentPage()];
    longest = std::max(longest, took.nsecsElapsed() / 1e6);
}

void MainWindow::updateStatus() {
    status_state_->setText(
        processingStateText(session_.state(), session_.queueDepth(), events_per_second_));
    status_rate_->setText(tr("%1 processed").arg(rateText(events_per_second_)));
    if (session_.state() == RunState::Idle) {
        services_ = {};
        // Before the database banner shows: the two together must not make the window grow.
        notices_->setCompact(databaseProblem(services_).has_value());
        banner_->showServices(services_);
    }
    status_database_->setText(databaseIndicator(services_, session_.state()));
    status_database_->setToolTip(databaseProblem(services_).value_or(QString()));
    controls_->setGeneratorControlsEnabled(!session_.consumesKafka());
    updateClock(session_.snapshot(), session_.generatorStatus());
}

void MainWindow::updateClock(const SnapshotPtr& snapshot,
                             const std::optional<GeneratorStatus>& generator) {
    if (session_.consumesKafka()) {
        // Consumed events carry their producer's time, not this program's simulation clock.
        const TimestampUs newest = snapshot ? snapshot->figures.max_event_time : kNoWatermark;
        status_time_->setText(newest != kNoWatermark
                                  ? tr("Newest event time %1").arg(utcDateTime(newest))
                                  : tr("Waiting for events from Kafka"));
    } else {
        // The generator's clock, as the System page shows it (same reading, same tick); the
        // last snapshot's once the run has stopped.
        const TimestampUs now =
            generator ? generator->sim_time : (snapshot ? snapshot->produced_at : TimestampUs{0});
        status_time_->setText(now > 0 ? tr("Simulated time %1").arg(utcDateTime(now)) : QString());
    }
}

QString MainWindow::statusStateText() const {
    return status_state_->text();
}

QString MainWindow::statusTimeText() const {
    return status_time_->text();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), currentPage());
    QMainWindow::closeEvent(event);
}

} // namespace gm
