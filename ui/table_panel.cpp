// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/table_panel.h"

#include "generator/reference_data.h"
#include "models/human_format.h"
#include "ui/chart_export.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyleOptionHeader>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>
#include <set>

namespace gm {
namespace {

QComboBox* filterBox(const QString& any, QWidget* parent) {
    auto* box = new QComboBox(parent);
    box->addItem(any, QString());
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

// QHeaderView hands an ascending column to the style as SortDown and a descending one as SortUp,
// and Fusion draws those as a down and an up arrow: "newest first" showed an arrow pointing up,
// against the rows. Here the arrow points the way the values run down the rows: descending
// (largest first) points down, ascending points up.
class SortHeader : public QHeaderView {
public:
    using QHeaderView::QHeaderView;

protected:
    void initStyleOptionForIndex(QStyleOptionHeader* option, int logical_index) const override {
        QHeaderView::initStyleOptionForIndex(option, logical_index);
        if (option->sortIndicator != QStyleOptionHeader::None) {
            option->sortIndicator = sortIndicatorOrder() == Qt::DescendingOrder
                                        ? QStyleOptionHeader::SortDown
                                        : QStyleOptionHeader::SortUp;
        }
    }
};

int keyColumn(const TableData& table) {
    const int key = table.columnFor(FilterRole::Key);
    return key >= 0 ? key : 0;
}

} // namespace

TablePanel::TablePanel(const QString& title, const QString& empty_text, QWidget* parent)
    : QWidget(parent), title_(title), empty_text_(empty_text), model_(new RowTableModel(this)),
      proxy_(new RowFilterProxy(this)) {
    proxy_->setSourceModel(model_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this));
    count_ = new QLabel(this);
    bar->addWidget(count_);
    bar->addStretch(1);
    range_label_ = new QLabel(this);
    range_clear_ = new QToolButton(this);
    range_clear_->setText(tr("Show all times"));
    range_label_->hide();
    range_clear_->hide();
    // The drill-down range gets a line of its own (shown only while set), so the filter line
    // fits a 1024-pixel window.
    auto* range_bar = new QHBoxLayout;
    range_bar->addWidget(range_label_);
    range_bar->addWidget(range_clear_);
    // The time range's note ("in the time range · the newest N of M stored rows loaded") shares
    // that line and takes what width is left (the tooltip holds all of it).
    count_note_label_ = new QLabel(this);
    count_note_label_->setObjectName(QStringLiteral("tableCountNote"));
    count_note_label_->setStyleSheet(QStringLiteral("color: palette(mid);"));
    count_note_label_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    count_note_label_->hide();
    range_bar->addWidget(count_note_label_, 1);
    severity_ = filterBox(tr("All severities"), this);
    for (const char* name : {"critical", "high", "medium", "low"}) {
        severity_->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
    }
    country_ = filterBox(tr("All countries"), this);
    updateCountryChoices();
    type_ = filterBox(tr("All types"), this);
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search…"));
    search_->setClearButtonEnabled(true);
    search_->setMinimumWidth(120);
    auto* export_button = new QToolButton(this);
    export_button->setText(tr("CSV"));
    export_button->setToolTip(tr("Export the rows shown (filtered and sorted) as CSV"));
    markAsExportButton(*export_button);
    for (QWidget* w : {static_cast<QWidget*>(severity_), static_cast<QWidget*>(country_),
                       static_cast<QWidget*>(type_), static_cast<QWidget*>(search_),
                       static_cast<QWidget*>(export_button)}) {
        bar->addWidget(w);
    }
    layout->addLayout(bar);
    layout->addLayout(range_bar);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* stack = new QStackedWidget(splitter);
    view_ = new QTableView(stack);
    auto* header = new SortHeader(Qt::Horizontal, view_);
    header->setSectionsClickable(true);
    header->setHighlightSections(true);
    view_->setHorizontalHeader(header);
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setAlternatingRowColors(true);
    // Ids and subjects keep both ends readable when a column is narrower than its text.
    view_->setTextElideMode(Qt::ElideMiddle);
    view_->setWordWrap(false);
    view_->verticalHeader()->hide();
    view_->verticalHeader()->setDefaultSectionSize(22);
    view_->horizontalHeader()->setStretchLastSection(true);
    // Sizing columns to every row of a 2,000-row table takes long; a sample is enough.
    view_->horizontalHeader()->setResizeContentsPrecision(50);
    empty_ = new QLabel(empty_text, stack);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color: palette(mid); font-style: italic;"));
    stack->addWidget(empty_);
    stack->addWidget(view_);
    detail_ = new QTextBrowser(splitter);
    detail_->setPlaceholderText(tr("Select a row to see its details."));
    detail_->setMinimumWidth(220);
    splitter->addWidget(stack);
    splitter->addWidget(detail_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    auto set_filter = [this](QComboBox* box, void (RowFilterProxy::*setter)(const QString&)) {
        connect(box, &QComboBox::currentIndexChanged, this, [this, box, setter] {
            (proxy_->*setter)(box->currentData().toString());
            updateCount();
        });
    };
    set_filter(severity_, &RowFilterProxy::setSeverity);
    set_filter(country_, &RowFilterProxy::setCountry);
    set_filter(type_, &RowFilterProxy::setType);
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        proxy_->setSearchText(text);
        updateCount();
    });
    connect(export_button, &QToolButton::clicked, this, &TablePanel::exportRequested);
    connect(range_clear_, &QToolButton::clicked, this, &TablePanel::clearTimeRange);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TablePanel::updateDetail);
    connect(view_, &QTableView::doubleClicked, this, [this] { emit rowActivated(selectedRow()); });
    connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, &TablePanel::rememberSelection);
    connect(model_, &QAbstractItemModel::modelReset, this, [this, stack] {
        restoreSelection();
        updateDetail(); // the selected row may have scrolled out of the kept rows
        stack->setCurrentWidget(model_->rowCount() > 0 ? static_cast<QWidget*>(view_) : empty_);
        updateCount();
    });
    updateCount();
}

void TablePanel::setEmptyText(const QString& text) {
    empty_text_ = text;
    empty_->setText(text);
}

void TablePanel::setTable(TableData table) {
    const bool first = model_->columnCount() == 0;
    model_->setTable(std::move(table));
    if (first) {
        // Newest first unless the page chose another order.
        const int time = model_->table().columnFor(FilterRole::Time);
        if (default_sort_column_ >= 0) {
            view_->sortByColumn(default_sort_column_, default_sort_order_);
        } else {
            view_->sortByColumn(time >= 0 ? time : 0, Qt::DescendingOrder);
        }
    }
    if (first || !columns_sized_) {
        const TableData& t = model_->table();
        severity_->setVisible(t.columnFor(FilterRole::Severity) >= 0);
        country_->setVisible(t.columnFor(FilterRole::Country) >= 0);
        type_->setVisible(t.columnFor(FilterRole::Type) >= 0);
        if (model_->rowCount() > 0) {
            view_->resizeColumnsToContents();
            for (int c = 0; c < model_->columnCount(); ++c) {
                view_->setColumnWidth(c, std::min(view_->columnWidth(c), 220));
            }
            columns_sized_ = true;
        }
    }
    updateCountryChoices();
    updateFilterChoices();
}

void TablePanel::updateCountryChoices() {
    // The active list (reference data: built-in and added countries). Lists only grow while the
    // program runs, so new countries are appended and the current choice stays.
    for (int i = country_->count() - 1; i < countryCount(); ++i) {
        const auto name = countryName(static_cast<Country>(i));
        const QString text = QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()));
        country_->addItem(text, text);
    }
}

void TablePanel::updateFilterChoices() {
    const TableData& table = model_->table();
    const int column = table.columnFor(FilterRole::Type);
    if (column < 0) {
        return;
    }
    std::set<QString> values;
    for (const QVariantList& row : table.rows) {
        values.insert(row[column].toString());
    }
    std::set<QString> present;
    for (int i = 1; i < type_->count(); ++i) {
        present.insert(type_->itemData(i).toString());
    }
    for (const QString& value : values) {
        if (present.count(value) == 0) {
            type_->addItem(value, value);
        }
    }
}

void TablePanel::setCountNote(const QString& note) {
    if (note != count_note_) {
        count_note_ = note;
        updateCount();
    }
}

void TablePanel::updateCount() {
    const int shown = proxy_->rowCount();
    const int total = model_->rowCount();
    const QString text = shown == total
                             ? tr("%1 rows").arg(groupedInt(total))
                             : tr("%1 of %2 rows").arg(groupedInt(shown), groupedInt(total));
    count_->setText(text);
    count_note_label_->setText(count_note_);
    count_note_label_->setToolTip(count_note_);
    count_note_label_->setVisible(!count_note_.isEmpty());
    const QString full = count_note_.isEmpty() ? text : text + QStringLiteral(" · ") + count_note_;
    count_->setToolTip(full);
}

void TablePanel::showTimeRange(TimestampUs from, TimestampUs to, const QString& what) {
    proxy_->setTimeRange(from, to);
    range_label_->setText(tr("%1: %2 – %3").arg(what, utcClock(from), utcClock(to)));
    range_label_->show();
    range_clear_->show();
    updateCount();
}

bool TablePanel::resetFilters() {
    const bool any = proxy_->hasTimeRange() || severity_->currentIndex() > 0 ||
                     country_->currentIndex() > 0 || type_->currentIndex() > 0 ||
                     !search_->text().isEmpty();
    clearTimeRange();
    severity_->setCurrentIndex(0);
    country_->setCurrentIndex(0);
    type_->setCurrentIndex(0);
    search_->clear();
    return any;
}

void TablePanel::clearTimeRange() {
    proxy_->setTimeRange(0, 0);
    range_label_->hide();
    range_clear_->hide();
    updateCount();
}

QVariantList TablePanel::selectedRow() const {
    const QModelIndexList rows = view_->selectionModel()->selectedRows();
    if (rows.isEmpty()) {
        return {};
    }
    const QModelIndex source = proxy_->mapToSource(rows.first());
    return model_->table().rows[static_cast<std::size_t>(source.row())];
}

void TablePanel::rememberSelection() {
    const QVariantList row = selectedRow();
    selected_key_ = row.isEmpty() ? QVariant() : row[keyColumn(model_->table())];
}

void TablePanel::restoreSelection() {
    if (!selected_key_.isValid()) {
        return;
    }
    const TableData& table = model_->table();
    const int key = keyColumn(table);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        if (table.rows[i][key] == selected_key_) {
            const QModelIndex index = proxy_->mapFromSource(model_->index(static_cast<int>(i), 0));
            if (index.isValid()) {
                view_->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
            }
            return;
        }
    }
}

void TablePanel::updateDetail() {
    const QVariantList row = selectedRow();
    if (row.isEmpty()) {
        detail_->clear();
        return;
    }
    const TableData& table = model_->table();
    QString html = QStringLiteral("<h3>%1</h3><table cellspacing='0' cellpadding='3'>")
                       .arg(title_.toHtmlEscaped());
    for (int c = 0; c < table.columns.size(); ++c) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(table.columns[c].title.toHtmlEscaped(),
                         RowTableModel::displayText(row[c], table.columns[c].kind).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    if (related_) {
        html += related_(table, row);
    }
    detail_->setHtml(html);
}

} // namespace gm
