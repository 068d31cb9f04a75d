// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/chart_panel.h"

#include <QColor>
#include <vector>

namespace gm {

// A grid of coloured cells (a heat map, a cohort triangle) drawn inside the panel's chart, so
// it exports like every other chart. Colour runs from the background (0) to the accent colour
// (the largest value); a click on a filled cell reports its column and row.
class HeatGridChart : public ChartPanel {
    Q_OBJECT
public:
    struct Cell {
        int column = 0;
        int row = 0;
        double value = 0; // sets the colour
        QString text;     // drawn in the cell
        QString tooltip;
    };

    HeatGridChart(const QString& title, const QString& empty_text, QWidget* parent = nullptr);

    // Rows top to bottom, columns left to right; max_value maps to the full accent colour.
    void setGrid(const QStringList& column_labels, const QStringList& row_labels,
                 std::vector<Cell> cells, double max_value, const QString& column_title,
                 const QString& row_title);
    // The cell's text, empty when the cell is not filled (tests, accessibility).
    QString cellText(int column, int row) const;
    QColor cellColor(int column, int row) const;
    // The centre of a cell in the chart view's viewport (where a click opens it).
    QPoint cellCenter(int column, int row) const;
    // The cell under a point of the chart view's viewport, or (-1, -1).
    QPoint cellAt(const QPoint& viewport_position) const;

signals:
    void cellActivated(int column, int row);

protected:
    void restyle(bool dark) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    class GridItem;
    friend class GridItem;
    const Cell* find(int column, int row) const;
    QRectF gridArea() const; // in chart coordinates

    GridItem* item_;
    QStringList columns_;
    QStringList rows_;
    std::vector<Cell> cells_;
    double max_value_ = 1;
    QString column_title_;
    QString row_title_;
    bool dark_ = false;
};

} // namespace gm
