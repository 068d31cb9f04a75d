// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/row_filter_proxy.h"
#include "models/row_table_model.h"

#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;
class QToolButton;

namespace gm {

// A drill-down table: sortable view over a filtered proxy, filters for severity, country and type
// (shown when the table has such a column), a search box, CSV export of the filtered view, and a
// detail pane for the selected row. The selection survives live updates (kept by row key).
class TablePanel : public QWidget {
    Q_OBJECT
public:
    // Extra HTML for the detail pane: related rows the page knows about (e.g. the user's alerts).
    using RelatedFn = std::function<QString(const TableData& table, const QVariantList& row)>;

    TablePanel(const QString& title, const QString& empty_text, QWidget* parent = nullptr);

    void setTable(TableData table);
    void setRelated(RelatedFn related) { related_ = std::move(related); }
    void setEmptyText(const QString& text);
    // Shown on the line under the row count (e.g. what the page's time range holds); empty:
    // none.
    void setCountNote(const QString& note);
    // Initial sort (before the first rows arrive); default: time column, newest first.
    void setDefaultSort(int column, Qt::SortOrder order) {
        default_sort_column_ = column;
        default_sort_order_ = order;
    }

    QString title() const { return title_; }
    RowTableModel* model() const { return model_; }
    RowFilterProxy* proxy() const { return proxy_; }
    QTableView* view() const { return view_; }
    QLineEdit* searchBox() const { return search_; }
    QComboBox* severityBox() const { return severity_; }
    QComboBox* countryBox() const { return country_; }
    QComboBox* typeBox() const { return type_; }

    // Shows only rows whose time column lies in [from, to) (a chart point was double-clicked).
    void showTimeRange(TimestampUs from, TimestampUs to, const QString& what);
    void clearTimeRange();
    // Clears the time range, the severity, country and type choices and the search text; true
    // when any of them was set.
    bool resetFilters();
    // The selected row's cells (source model), empty when none.
    QVariantList selectedRow() const;

signals:
    void exportRequested();
    void rowActivated(const QVariantList& row);

private:
    void updateFilterChoices();
    void updateDetail();
    void updateCount();
    void updateCountryChoices();
    void rememberSelection();
    void restoreSelection();

    QString title_;
    QString empty_text_;
    QString count_note_;
    RowTableModel* model_;
    RowFilterProxy* proxy_;
    QTableView* view_;
    QTextBrowser* detail_;
    QLineEdit* search_;
    QComboBox* severity_;
    QComboBox* country_;
    QComboBox* type_;
    QLabel* count_;
    QLabel* count_note_label_; // on the second line: a long note must not widen the window
    QLabel* range_label_;
    QToolButton* range_clear_;
    QLabel* empty_;
    RelatedFn related_;
    QVariant selected_key_;
    bool columns_sized_ = false;
    int default_sort_column_ = -1;
    Qt::SortOrder default_sort_order_ = Qt::DescendingOrder;
};

} // namespace gm
