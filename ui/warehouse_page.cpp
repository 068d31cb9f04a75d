// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/warehouse_page.h"

#include "models/human_format.h"
#include "ui/batch_scheduler.h"
#include "ui/heat_grid_chart.h"
#include "ui/period_chart.h"
#include "ui/ranked_bar_chart.h"
#include "ui/stat_tile.h"
#include "ui/table_panel.h"
#include "ui/warehouse_tables.h"

#include <QComboBox>
#include <QDateEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <set>

namespace gm {
namespace {

// Periods shown in the trend chart (the table has them all).
int periodsShown(const QString& type) {
    if (type == QLatin1String("daily")) {
        return 31;
    }
    if (type == QLatin1String("weekly")) {
        return 26;
    }
    return type == QLatin1String("monthly") ? 24 : 12;
}

QString change(const warehouse::KpiValue& kpi, const QString& previous_date) {
    const auto pct = kpi.changePct();
    if (!kpi.previous) {
        return QObject::tr("nothing on %1 to compare").arg(previous_date);
    }
    if (!pct) {
        return QObject::tr("was 0 on %1").arg(previous_date);
    }
    return QObject::tr("%1 %2 vs %3")
        .arg(*pct >= 0 ? QStringLiteral("▲") : QStringLiteral("▼"), percentText(std::abs(*pct)),
             previous_date);
}

QString str(const std::string& text) {
    return QString::fromStdString(text);
}

} // namespace

WarehousePage::WarehousePage(WarehouseBatchRun::ConninfoSource events,
                             WarehouseBatchRun::ConninfoSource warehouse, QString command_line,
                             QWidget* parent)
    : DashboardPage(tr("Warehouse"), parent), warehouse_conninfo_(warehouse),
      command_line_(std::move(command_line)) {
    batch_ = new WarehouseBatchRun(std::move(events), std::move(warehouse), this);
    scheduler_ = new BatchScheduler(*batch_, this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // Date, refresh, run, progress.
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Analysis date:"), this));
    date_ = new QDateEdit(this);
    date_->setCalendarPopup(true);
    date_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    date_->setDate(QDate::currentDate());
    date_->setToolTip(tr("The UTC day the batch jobs analysed; a date without an analysis can be "
                         "run with Run now."));
    bar->addWidget(date_);
    refresh_ = new QPushButton(tr("Refresh"), this);
    run_ = new QPushButton(tr("Run now"), this);
    setCommandLine(command_line_);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->hide();
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(160);
    progress_->hide();
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bar->addWidget(refresh_);
    bar->addWidget(run_);
    bar->addWidget(progress_);
    bar->addWidget(cancel_);
    bar->addWidget(status_, 1);
    layout->addLayout(bar);
    schedule_label_ = new QLabel(this);
    schedule_label_->hide();
    layout->addWidget(schedule_label_);
    connect(scheduler_, &BatchScheduler::nextRunChanged, this, [this](const QString& text) {
        schedule_label_->setText(text);
        schedule_label_->setVisible(!text.isEmpty());
    });
    connect(scheduler_, &BatchScheduler::skippedRun, this, [this](const QDateTime& due) {
        status_->setText(tr("Scheduled batch of %1 UTC skipped: a batch was still running.")
                             .arg(due.toString(QStringLiteral("HH:mm"))));
    });

    stack_ = new QStackedWidget(this);
    layout->addWidget(stack_, 1);

    // Empty warehouse: what to do instead of empty charts.
    auto* empty = new QWidget(stack_);
    auto* empty_layout = new QVBoxLayout(empty);
    empty_layout->addStretch(1);
    empty_text_ = new QLabel(empty);
    empty_text_->setWordWrap(true);
    empty_text_->setAlignment(Qt::AlignCenter);
    empty_text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    empty_layout->addWidget(empty_text_);
    empty_run_ = new QPushButton(tr("Run now"), empty);
    empty_backfill_ = new QPushButton(tr("Backfill history…"), empty);
    auto* empty_buttons = new QHBoxLayout;
    empty_buttons->addStretch(1);
    empty_buttons->addWidget(empty_backfill_);
    empty_buttons->addWidget(empty_run_);
    empty_buttons->addStretch(1);
    empty_layout->addLayout(empty_buttons);
    empty_layout->addStretch(2);
    stack_->addWidget(empty);

    tabs_ = new QTabWidget(stack_);
    stack_->addWidget(tabs_);

    // Summary: KPI tiles and sales trends.
    auto* summary = new QWidget(tabs_);
    auto* summary_layout = new QVBoxLayout(summary);
    auto* tile_grid = new QGridLayout;
    const QStringList captions{tr("Revenue"),   tr("Orders"), tr("Average order value"),
                               tr("Customers"), tr("Units"),  tr("Conversion (orders / views)")};
    for (int i = 0; i < captions.size(); ++i) {
        auto* tile = new StatTile(captions[i], summary);
        tiles_ << tile;
        tile_grid->addWidget(tile, 0, i);
    }
    summary_layout->addLayout(tile_grid);
    auto* trend_bar = new QHBoxLayout;
    period_ = new QComboBox(summary);
    for (const auto& [label, type] :
         {std::pair{tr("Daily"), "daily"}, std::pair{tr("Weekly"), "weekly"},
          std::pair{tr("Monthly"), "monthly"}, std::pair{tr("Quarterly"), "quarterly"}}) {
        period_->addItem(label, QString::fromLatin1(type));
    }
    period_->setCurrentIndex(2);
    trend_category_ = new QComboBox(summary);
    trend_category_->addItem(tr("All categories"), QString());
    trend_bar->addWidget(new QLabel(tr("Sales trends per"), summary));
    trend_bar->addWidget(period_);
    trend_bar->addWidget(trend_category_);
    trend_bar->addStretch(1);
    summary_layout->addLayout(trend_bar);
    auto* trend_split = new QSplitter(Qt::Vertical, summary);
    trend_chart_ = new PeriodChart(tr("Revenue per period and growth"),
                                   tr("No sales up to the analysis date."), trend_split);
    trends_ =
        new TablePanel(tr("Sales trends"), tr("No sales up to the analysis date."), trend_split);
    trends_->setDefaultSort(1, Qt::DescendingOrder);
    trend_split->setSizes({300, 160});
    summary_layout->addWidget(trend_split, 1);
    tabs_->addTab(summary, tr("Summary"));

    // Customers: segments, the R x F heat map and its customers, top customers.
    auto* customers = new QSplitter(Qt::Vertical, tabs_);
    auto* charts = new QSplitter(Qt::Horizontal, customers);
    segment_chart_ =
        new RankedBarChart(tr("RFM segments: customers (share)"), tr("Customers"),
                           ValueFormat::Count, tr("No RFM analysis for this date."), charts);
    heat_map_ = new HeatGridChart(tr("Recency x frequency: customers (click a cell)"),
                                  tr("No RFM analysis for this date."), charts);
    auto* customer_tabs = new QTabWidget(customers);
    segments_ =
        new TablePanel(tr("RFM segments"), tr("No RFM analysis for this date."), customer_tabs);
    segments_->setDefaultSort(1, Qt::DescendingOrder);
    cell_customers_ =
        new TablePanel(tr("Customers of the R x F cell"),
                       tr("Click a cell of the heat map to list its customers."), customer_tabs);
    cell_customers_->setDefaultSort(3, Qt::DescendingOrder);
    top_customers_ = new TablePanel(tr("Top customers by lifetime value"),
                                    tr("No customer has ordered yet."), customer_tabs);
    top_customers_->setDefaultSort(2, Qt::DescendingOrder);
    customer_tabs->addTab(segments_, tr("Segments"));
    customer_tabs->addTab(cell_customers_, tr("Cell customers"));
    const int top_tab = customer_tabs->addTab(top_customers_, tr("Top customers"));
    // v_customer_lifetime_value holds the customers as loaded now, whatever the analysis date.
    customer_tabs->setTabToolTip(top_tab, tr("Lifetime value as of the last load, not as of the "
                                             "analysis date"));
    charts->setSizes({480, 400});
    customers->setSizes({300, 260});
    tabs_->addTab(customers, tr("Customers"));
    connect(heat_map_, &HeatGridChart::cellActivated, this,
            [this, customer_tabs](int column, int row) {
                customer_tabs->setCurrentWidget(cell_customers_);
                showCellCustomers(5 - row, column + 1);
            });

    // Cohorts.
    auto* cohorts = new QSplitter(Qt::Vertical, tabs_);
    cohort_chart_ = new HeatGridChart(
        tr("Cohort retention: % of each first-order month's customers ordering again"),
        tr("No cohort analysis for this date."), cohorts);
    cohorts_ =
        new TablePanel(tr("Cohort retention"), tr("No cohort analysis for this date."), cohorts);
    cohorts_->setDefaultSort(0, Qt::AscendingOrder);
    cohorts->setSizes({340, 220});
    tabs_->addTab(cohorts, tr("Cohorts"));

    // Products.
    auto* products = new QWidget(tabs_);
    auto* products_layout = new QVBoxLayout(products);
    auto* product_bar = new QHBoxLayout;
    product_category_ = new QComboBox(products);
    product_tier_ = new QComboBox(products);
    product_bar->addWidget(new QLabel(tr("Category:"), products));
    product_bar->addWidget(product_category_);
    product_bar->addWidget(new QLabel(tr("Tier:"), products));
    product_bar->addWidget(product_tier_);
    product_bar->addStretch(1);
    products_layout->addLayout(product_bar);
    products_ = new TablePanel(tr("Product performance"),
                               tr("No product performance for this date."), products);
    products_->setDefaultSort(0, Qt::AscendingOrder);
    products_layout->addWidget(products_, 1);
    tabs_->addTab(products, tr("Products"));
    connect(product_category_, &QComboBox::currentIndexChanged, this, [this] { showProducts(); });
    connect(product_tier_, &QComboBox::currentIndexChanged, this, [this] { showProducts(); });

    // Regions.
    auto* regions = new QSplitter(Qt::Vertical, tabs_);
    region_chart_ =
        new RankedBarChart(tr("Revenue by country up to the analysis date"), tr("Revenue"),
                           ValueFormat::Money, tr("No sales up to the analysis date."), regions);
    regions_ =
        new TablePanel(tr("Sales by region"), tr("No sales up to the analysis date."), regions);
    regions_->setDefaultSort(3, Qt::DescendingOrder);
    tabs_->addTab(regions, tr("Regions"));

    // Data quality and the batch history.
    auto* quality = new QWidget(tabs_);
    auto* quality_layout = new QVBoxLayout(quality);
    quality_summary_ = new QLabel(quality);
    quality_summary_->setWordWrap(true);
    quality_layout->addWidget(quality_summary_);
    auto* quality_split = new QSplitter(Qt::Vertical, quality);
    quality_ = new TablePanel(tr("Data-quality checks of the last load"),
                              tr("No load has run its data-quality checks yet."), quality_split);
    quality_->setDefaultSort(4, Qt::AscendingOrder); // failed checks first
    batch_runs_ = new TablePanel(tr("Batch runs"), tr("No batch has run yet."), quality_split);
    batch_runs_->setDefaultSort(0, Qt::DescendingOrder);
    quality_layout->addWidget(quality_split, 1);
    tabs_->addTab(quality, tr("Data quality"));

    connect(period_, &QComboBox::currentIndexChanged, this, [this] { showTrends(); });
    connect(trend_category_, &QComboBox::currentIndexChanged, this, [this] { showTrends(); });
    connect(refresh_, &QPushButton::clicked, this, &WarehousePage::refresh);
    connect(date_, &QDateEdit::dateChanged, this, [this] {
        if (!date_from_view_) {
            refresh();
        }
    });
    connect(&load_watcher_, &QFutureWatcher<Loaded>::finished, this, &WarehousePage::onLoaded);
    connect(&cell_watcher_, &QFutureWatcher<CellCustomers>::finished, this, [this] {
        const CellCustomers cell = cell_watcher_.future().result();
        cell_customers_->setTable(rfmCustomersTable(cell.customers));
        std::int64_t in_cell = 0;
        for (const auto& c : view_.rfm_cells) {
            if (c.recency_score == cell.recency_score &&
                c.frequency_score == cell.frequency_score) {
                in_cell = c.customers;
            }
        }
        if (!cell.error.isEmpty()) {
            status_->setText(tr("Cannot read the customers of R%1 F%2: %3")
                                 .arg(cell.recency_score)
                                 .arg(cell.frequency_score)
                                 .arg(cell.error));
        } else {
            status_->setText(tr("R%1 F%2: %3 of %4 customers listed, highest spending first")
                                 .arg(cell.recency_score)
                                 .arg(cell.frequency_score)
                                 .arg(groupedInt(static_cast<long long>(cell.customers.size())),
                                      groupedInt(in_cell)));
        }
        emit cellCustomersLoaded();
    });

    connect(run_, &QPushButton::clicked, this, &WarehousePage::runNow);
    connect(empty_run_, &QPushButton::clicked, this, &WarehousePage::runNow);
    connect(empty_backfill_, &QPushButton::clicked, this, &WarehousePage::backfillRequested);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        batch_->cancel();
        cancel_->setEnabled(false);
        status_->setText(tr("Cancelling after the current step…"));
    });
    connect(batch_, &WarehouseBatchRun::started, this, [this](int steps) {
        progress_->setRange(0, steps);
        progress_->setValue(0);
        progress_->show();
        cancel_->setEnabled(true);
        cancel_->show();
        run_->setEnabled(false);
        empty_run_->setEnabled(false);
        status_->setStyleSheet(QString());
        status_->setText(tr("Connecting…"));
    });
    connect(batch_, &WarehouseBatchRun::stepFinished, this,
            [this](int done, int steps, const QString& step, bool ok, qint64 rows, double seconds,
                   const QString& error) {
                progress_->setValue(done);
                progress_->setFormat(QStringLiteral("%1 / %2").arg(done).arg(steps));
                if (cancel_->isEnabled()) {
                    status_->setText(ok ? tr("%1: %2 rows in %3 s")
                                              .arg(step, groupedInt(rows))
                                              .arg(seconds, 0, 'f', 1)
                                        : tr("%1 failed: %2").arg(step, error));
                }
            });
    connect(batch_, &WarehouseBatchRun::finished, this,
            [this](bool ok, bool, const QString& message) {
                progress_->hide();
                cancel_->hide();
                run_->setEnabled(true);
                empty_run_->setEnabled(true);
                status_->setStyleSheet(ok ? QString() : QStringLiteral("color: #d32f2f;"));
                status_->setText(message);
                refresh();
            });
    stack_->setCurrentIndex(0);
    empty_text_->setText(tr("Reading the warehouse…"));
}

WarehousePage::~WarehousePage() {
    load_watcher_.waitForFinished();
    cell_watcher_.waitForFinished();
}

void WarehousePage::showData(const PageContext&) {
    if (!shown_once_) {
        shown_once_ = true;
        refresh();
    }
}

QString WarehousePage::chosenDate() const {
    // Before the first load the newest analysed date is not known yet: ask for it.
    return loads_completed_ == 0 ? QString() : date_->date().toString(Qt::ISODate);
}

void WarehousePage::refresh() {
    shown_once_ = true;
    if (loading_) {
        reload_ = true;
        return;
    }
    loading_ = true;
    const std::string date = chosenDate().toStdString();
    load_watcher_.setFuture(QtConcurrent::run([source = warehouse_conninfo_, date]() {
        Loaded loaded;
        try {
            warehouse::WarehouseReader reader(source());
            loaded.view = reader.view(date);
        } catch (const std::exception& error) {
            loaded.error = QString::fromUtf8(error.what());
        }
        return loaded;
    }));
}

void WarehousePage::onLoaded() {
    loading_ = false;
    Loaded result = load_watcher_.future().result();
    ++loads_completed_;
    load_error_ = result.error;
    if (result.error.isEmpty()) {
        view_ = std::move(result.view);
        showView();
    } else {
        status_->setStyleSheet(QStringLiteral("color: #d32f2f;"));
        status_->setText(tr("Cannot read the warehouse: %1").arg(result.error));
        if (view_.empty()) {
            empty_text_->setText(tr("Cannot read the warehouse: %1").arg(result.error));
        }
    }
    emit loaded();
    if (reload_) {
        reload_ = false;
        refresh();
    }
}

void WarehousePage::setCommandLine(const QString& command_line) {
    command_line_ = command_line;
    run_->setToolTip(tr("Load the warehouse from the raw events and run every batch job for "
                        "the analysis date (like %1)")
                         .arg(command_line_));
}

bool WarehousePage::showsEmptyState() const {
    return stack_->currentIndex() == 0;
}

void WarehousePage::showView() {
    if (view_.empty()) {
        stack_->setCurrentIndex(0);
        empty_text_->setText(
            tr("<h3>The warehouse has no analysis yet</h3>"
               "<p>Run now loads the warehouse from the raw events in the database and runs the "
               "batch jobs (RFM, cohorts, product performance, sales trends) for the analysis "
               "date. The same from a shell:</p><p><code>%1 --analysis-date %2</code></p>"
               "<p>No raw events yet? Start the shop (Run ▸ Start) with the database on, or "
               "backfill days of history (Backfill history…, or from a shell: "
               "<code>globalmart --headless --backfill-days 30</code>).</p>")
                .arg(command_line_.toHtmlEscaped(), date_->date().toString(Qt::ISODate)));
        return;
    }
    stack_->setCurrentIndex(1);
    const QString date = str(view_.analysis_date);
    date_from_view_ = true;
    date_->setDate(QDate::fromString(date, Qt::ISODate));
    date_from_view_ = false;
    const bool analysed = std::find(view_.analysis_dates.begin(), view_.analysis_dates.end(),
                                    view_.analysis_date) != view_.analysis_dates.end();
    if (!analysed && !batch_->running()) {
        status_->setStyleSheet(QString());
        status_->setText(tr("No analysis for %1 yet (newest: %2): Run now analyses it.")
                             .arg(date, str(view_.analysis_dates.front())));
    } else if (!batch_->running() && load_error_.isEmpty() && status_->text().isEmpty()) {
        status_->setText(tr("%1 analysed dates, newest %2")
                             .arg(view_.analysis_dates.size())
                             .arg(str(view_.analysis_dates.front())));
    }
    showKpis();
    showCustomers();
    showCohorts();
    showProducts();
    showTrends();
    QStringList labels;
    QList<double> values;
    for (const auto& region : view_.regions) {
        labels << str(region.country);
        values << region.revenue;
    }
    region_chart_->setBars(labels, values);
    regions_->setTable(regionTable(view_.regions));
    int failed = 0;
    for (const auto& check : view_.quality) {
        failed += check.passed ? 0 : 1;
    }
    quality_summary_->setText(
        view_.quality.empty() ? tr("No load has run its data-quality checks yet.")
        : failed == 0         ? tr("Load %1: all %2 data-quality checks passed.")
                            .arg(view_.quality_run_id)
                            .arg(view_.quality.size())
                      : tr("<b style='color:#d32f2f'>Load %1: %2 of %3 data-quality checks "
                           "failed.</b>")
                            .arg(view_.quality_run_id)
                            .arg(failed)
                            .arg(view_.quality.size()));
    quality_->setTable(qualityTable(view_.quality));
    batch_runs_->setTable(batchRunsTable(view_.batch_runs));
}

void WarehousePage::showKpis() {
    const warehouse::WarehouseKpis& k = view_.kpis;
    const QString previous = str(k.previous_date);
    tiles_[0]->setValue(dollars(k.revenue.current), change(k.revenue, previous));
    tiles_[1]->setValue(groupedInt(static_cast<long long>(k.orders.current)),
                        change(k.orders, previous));
    tiles_[2]->setValue(dollars(k.average_order_value.current),
                        change(k.average_order_value, previous));
    tiles_[3]->setValue(groupedInt(static_cast<long long>(k.customers.current)),
                        change(k.customers, previous));
    tiles_[4]->setValue(groupedInt(static_cast<long long>(k.units.current)),
                        change(k.units, previous));
    tiles_[5]->setValue(percentText(k.conversion.current, 2), change(k.conversion, previous));
}

void WarehousePage::showCustomers() {
    QStringList labels;
    QList<double> values;
    for (const auto& segment : view_.segments) {
        labels << tr("%1 (%2)").arg(str(segment.segment), percentText(segment.customer_share_pct));
        values << static_cast<double>(segment.customers);
    }
    segment_chart_->setBars(labels, values);
    segments_->setTable(segmentsTable(view_.segments));

    std::vector<HeatGridChart::Cell> cells;
    double most = 0;
    for (const auto& cell : view_.rfm_cells) {
        most = std::max(most, static_cast<double>(cell.customers));
        cells.push_back({cell.frequency_score - 1, 5 - cell.recency_score,
                         static_cast<double>(cell.customers), groupedInt(cell.customers),
                         tr("R%1 F%2: %3 customers, %4 spent")
                             .arg(cell.recency_score)
                             .arg(cell.frequency_score)
                             .arg(groupedInt(cell.customers), dollars(cell.monetary))});
    }
    heat_map_->setGrid({"F1", "F2", "F3", "F4", "F5"}, {"R5", "R4", "R3", "R2", "R1"},
                       std::move(cells), most, tr("Frequency score (5 = most orders)"),
                       tr("Recency score"));
    top_customers_->setTable(topCustomersTable(view_.top_customers));
    cell_customers_->setTable(rfmCustomersTable({}));
}

void WarehousePage::showCellCustomers(int recency_score, int frequency_score) {
    if (view_.empty() || cell_watcher_.isRunning()) {
        return;
    }
    cell_customers_->setEmptyText(
        tr("No customers in R%1 F%2.").arg(recency_score).arg(frequency_score));
    cell_watcher_.setFuture(QtConcurrent::run(
        [source = warehouse_conninfo_, date = view_.analysis_date, recency_score, frequency_score] {
            CellCustomers cell{recency_score, frequency_score, {}, {}};
            try {
                warehouse::WarehouseReader reader(source());
                cell.customers =
                    reader.cellCustomers(date, recency_score, frequency_score, kCellCustomerLimit);
            } catch (const std::exception& error) {
                cell.error = QString::fromUtf8(error.what());
            }
            return cell;
        }));
}

void WarehousePage::showCohorts() {
    std::vector<QString> months;
    int offsets = 0;
    for (const auto& cell : view_.cohorts) {
        if (months.empty() || months.back() != str(cell.cohort_month)) {
            months.push_back(str(cell.cohort_month));
        }
        offsets = std::max(offsets, cell.month_offset + 1);
    }
    std::vector<HeatGridChart::Cell> cells;
    for (const auto& cell : view_.cohorts) {
        const auto row =
            std::find(months.begin(), months.end(), str(cell.cohort_month)) - months.begin();
        cells.push_back({cell.month_offset, static_cast<int>(row), cell.retention_pct,
                         QString::number(cell.retention_pct, 'f', 0) + QLatin1Char('%'),
                         tr("%1, month %2: %3 of %4 customers, %5")
                             .arg(str(cell.cohort_month))
                             .arg(cell.month_offset)
                             .arg(groupedInt(cell.active_customers), groupedInt(cell.cohort_size),
                                  dollars(cell.revenue))});
    }
    QStringList columns;
    for (int i = 0; i < offsets; ++i) {
        columns << QString::number(i);
    }
    QStringList rows;
    for (const QString& month : months) {
        rows << month;
    }
    cohort_chart_->setGrid(columns, rows, std::move(cells), 100, tr("Months since the first order"),
                           tr("First order"));
    cohorts_->setTable(cohortTable(view_.cohorts));
}

void WarehousePage::showProducts() {
    // Keep the choices while the new rows may lack them (another date).
    const QString category = product_category_->currentData().toString();
    const QString tier = product_tier_->currentData().toString();
    std::set<QString> categories;
    std::set<QString> tiers;
    for (const auto& product : view_.products) {
        categories.insert(str(product.category));
        tiers.insert(str(product.tier));
    }
    const QSignalBlocker block_category(product_category_);
    const QSignalBlocker block_tier(product_tier_);
    product_category_->clear();
    product_category_->addItem(tr("All categories"), QString());
    for (const QString& c : categories) {
        product_category_->addItem(c.isEmpty() ? tr("(unknown)") : c, c.isEmpty() ? "\x01" : c);
    }
    product_tier_->clear();
    product_tier_->addItem(tr("All tiers"), QString());
    for (const QString& t : tiers) {
        product_tier_->addItem(t, t);
    }
    product_category_->setCurrentIndex(std::max(0, product_category_->findData(category)));
    product_tier_->setCurrentIndex(std::max(0, product_tier_->findData(tier)));
    const QString chosen_category = product_category_->currentData().toString();
    const QString chosen_tier = product_tier_->currentData().toString();
    std::vector<warehouse::ProductPerformanceRow> shown;
    for (const auto& product : view_.products) {
        const QString c = str(product.category);
        if (!chosen_category.isEmpty() &&
            (chosen_category == QLatin1String("\x01") ? !c.isEmpty() : c != chosen_category)) {
            continue;
        }
        if (!chosen_tier.isEmpty() && str(product.tier) != chosen_tier) {
            continue;
        }
        shown.push_back(product);
    }
    products_->setTable(productPerformanceTable(shown));
}

void WarehousePage::showTrends() {
    const QString category = trend_category_->currentData().toString();
    std::set<QString> categories;
    for (const auto& point : view_.trends) {
        if (!point.category.empty()) {
            categories.insert(str(point.category));
        }
    }
    {
        const QSignalBlocker block(trend_category_);
        trend_category_->clear();
        trend_category_->addItem(tr("All categories"), QString());
        for (const QString& c : categories) {
            trend_category_->addItem(c, c);
        }
        trend_category_->setCurrentIndex(std::max(0, trend_category_->findData(category)));
    }
    const std::string type = period_->currentData().toString().toStdString();
    const std::string chosen = trend_category_->currentData().toString().toStdString();
    std::vector<warehouse::TrendPoint> points;
    for (const auto& point : view_.trends) {
        if (point.period_type == type && point.category == chosen) {
            points.push_back(point);
        }
    }
    trends_->setTable(trendTable(points));
    const auto shown =
        std::min<std::size_t>(points.size(), static_cast<std::size_t>(periodsShown(str(type))));
    std::vector<PeriodChart::Period> periods;
    for (auto it = points.end() - static_cast<std::ptrdiff_t>(shown); it != points.end(); ++it) {
        periods.push_back(
            {str(it->period_value), it->revenue, static_cast<qint64>(it->orders), it->growth_pct});
    }
    trend_chart_->setPeriods(periods);
}

void WarehousePage::runNow() {
    const QString date = date_->date().toString(Qt::ISODate);
    if (!batch_->start(date)) {
        status_->setText(tr("A batch is already running."));
    }
}

} // namespace gm
