// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/warehouse/warehouse_reader.h"
#include "ui/dashboard_page.h"
#include "ui/warehouse_batch_run.h"

#include <QFutureWatcher>

class QComboBox;
class QDateEdit;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;

namespace gm {

class BatchScheduler;
class HeatGridChart;
class PeriodChart;
class RankedBarChart;
class StatTile;
class TablePanel;

// The warehouse in the window: KPIs of an analysis date, RFM segments and the R x F heat map,
// top customers, the cohort triangle, product performance, sales trends and regions, the last
// load's data-quality checks and the batch_runs history. Reads on a pool thread (never the UI
// thread); Run now runs the batch on a pool thread with progress per step and cancel.
class WarehousePage : public DashboardPage {
    Q_OBJECT
public:
    // events, warehouse: blocking, called on pool threads (see WarehouseBatchRun); the page
    // reads the warehouse database, batches load it from the events database.
    WarehousePage(WarehouseBatchRun::ConninfoSource events,
                  WarehouseBatchRun::ConninfoSource warehouse, QString command_line,
                  QWidget* parent = nullptr);
    ~WarehousePage() override;

    // Loads the first time the page is shown; afterwards on Refresh, a date change or the end
    // of a batch run.
    void showData(const PageContext& context) override;

    // Reads the warehouse again for the chosen date (the newest analysed one before the first
    // load).
    void refresh();
    // The database changed (Settings): the command line the page shows for it. The conninfo
    // source given at construction must already answer with the new database.
    void setCommandLine(const QString& command_line);
    bool loading() const { return loading_; }
    int loadsCompleted() const { return loads_completed_; }
    const warehouse::WarehouseView& view() const { return view_; }
    QString loadError() const { return load_error_; }

    // Widgets, for the window's tests.
    StatTile* tile(int index) const { return tiles_.at(index); }
    HeatGridChart* heatMap() const { return heat_map_; }
    HeatGridChart* cohortChart() const { return cohort_chart_; }
    PeriodChart* trendChart() const { return trend_chart_; }
    QComboBox* periodBox() const { return period_; }
    QComboBox* categoryBox() const { return trend_category_; }
    QComboBox* productCategoryBox() const { return product_category_; }
    QComboBox* productTierBox() const { return product_tier_; }
    TablePanel* productTable() const { return products_; }
    TablePanel* cellCustomersTable() const { return cell_customers_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* emptyRunButton() const { return empty_run_; }
    QPushButton* emptyBackfillButton() const { return empty_backfill_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QDateEdit* dateEdit() const { return date_; }
    bool showsEmptyState() const;
    WarehouseBatchRun& batchRun() { return *batch_; }
    BatchScheduler& scheduler() { return *scheduler_; }
    QLabel* scheduleLabel() const { return schedule_label_; }

    // Runs the batch for the chosen analysis date (the Run now buttons, Run ▸ Warehouse batch).
    void runNow();
    // Opens the customers of an R x F cell (recency and frequency scores 1-5), the highest
    // spenders first, at most kCellCustomerLimit of them (the status line says when more).
    void showCellCustomers(int recency_score, int frequency_score);
    static constexpr int kCellCustomerLimit = 1000;

signals:
    void loaded();
    // The empty page's "Backfill history…": the window opens its Backfill dialog.
    void backfillRequested();
    void cellCustomersLoaded();

private:
    struct Loaded {
        warehouse::WarehouseView view;
        QString error;
    };
    void onLoaded();
    void showView();
    void showKpis();
    void showCustomers();
    void showCohorts();
    void showProducts();
    void showTrends();
    QString chosenDate() const;

    WarehouseBatchRun::ConninfoSource warehouse_conninfo_;
    QString command_line_;
    warehouse::WarehouseView view_;
    QString load_error_;
    bool loading_ = false;
    bool reload_ = false;
    bool shown_once_ = false;
    bool date_from_view_ = false; // the date edit is being set from a load, not by the user
    int loads_completed_ = 0;
    QFutureWatcher<Loaded> load_watcher_;
    struct CellCustomers {
        int recency_score = 0;
        int frequency_score = 0;
        std::vector<warehouse::RfmCustomer> customers;
        QString error;
    };
    QFutureWatcher<CellCustomers> cell_watcher_;
    WarehouseBatchRun* batch_;
    BatchScheduler* scheduler_;
    QLabel* schedule_label_;

    QDateEdit* date_;
    QPushButton* refresh_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QStackedWidget* stack_;
    QLabel* empty_text_;
    QPushButton* empty_run_;
    QPushButton* empty_backfill_;
    QTabWidget* tabs_;
    QList<StatTile*> tiles_;
    PeriodChart* trend_chart_;
    QComboBox* period_;
    QComboBox* trend_category_;
    TablePanel* trends_;
    RankedBarChart* segment_chart_;
    HeatGridChart* heat_map_;
    TablePanel* segments_;
    TablePanel* cell_customers_;
    TablePanel* top_customers_;
    HeatGridChart* cohort_chart_;
    TablePanel* cohorts_;
    QComboBox* product_category_;
    QComboBox* product_tier_;
    TablePanel* products_;
    RankedBarChart* region_chart_;
    TablePanel* regions_;
    QLabel* quality_summary_;
    TablePanel* quality_;
    TablePanel* batch_runs_;
};

} // namespace gm
