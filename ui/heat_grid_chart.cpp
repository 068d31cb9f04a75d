// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/heat_grid_chart.h"

#include <QGraphicsItem>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace gm {
namespace {

constexpr double kLeftMargin = 90;   // row labels and the row title
constexpr double kBottomMargin = 40; // column labels and the column title
constexpr double kPadding = 6;

QColor blend(const QColor& from, const QColor& to, double share) {
    share = std::clamp(share, 0.0, 1.0);
    return QColor::fromRgbF(
        static_cast<float>(from.redF() + (to.redF() - from.redF()) * share),
        static_cast<float>(from.greenF() + (to.greenF() - from.greenF()) * share),
        static_cast<float>(from.blueF() + (to.blueF() - from.blueF()) * share));
}

} // namespace

// Draws the grid from the chart's current size at paint time, so an export at another size is
// laid out for that size.
class HeatGridChart::GridItem : public QGraphicsItem {
public:
    GridItem(HeatGridChart& owner, QGraphicsItem* parent) : QGraphicsItem(parent), owner_(owner) {}
    QRectF boundingRect() const override { return owner_.chart()->rect(); }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
        const auto& o = owner_;
        if (o.columns_.isEmpty() || o.rows_.isEmpty()) {
            return;
        }
        const QRectF area = o.gridArea();
        const double w = area.width() / o.columns_.size();
        const double h = area.height() / o.rows_.size();
        const QColor text = o.dark_ ? QColor(0xe0, 0xe0, 0xe0) : QColor(0x21, 0x21, 0x21);
        const QColor grid = o.dark_ ? QColor(0x55, 0x55, 0x55) : QColor(0xdd, 0xdd, 0xdd);
        painter->setRenderHint(QPainter::Antialiasing, false);
        QFont font = painter->font();
        font.setPointSizeF(std::max(7.0, std::min(10.0, h / 3.2)));
        painter->setFont(font);
        for (int r = 0; r < o.rows_.size(); ++r) {
            const QRectF label(area.left() - kLeftMargin + 18, area.top() + r * h, kLeftMargin - 22,
                               h);
            painter->setPen(text);
            painter->drawText(label, Qt::AlignRight | Qt::AlignVCenter, o.rows_[r]);
            for (int c = 0; c < o.columns_.size(); ++c) {
                const QRectF cell(area.left() + c * w, area.top() + r * h, w, h);
                painter->setPen(grid);
                if (const Cell* filled = o.find(c, r)) {
                    const QColor fill = o.cellColor(c, r);
                    painter->setBrush(fill);
                    painter->drawRect(cell);
                    painter->setPen(fill.lightnessF() > 0.55 ? QColor(0x21, 0x21, 0x21)
                                                             : QColor(Qt::white));
                    painter->drawText(cell, Qt::AlignCenter, filled->text);
                } else {
                    painter->setBrush(Qt::NoBrush);
                    painter->drawRect(cell);
                }
            }
        }
        painter->setPen(text);
        for (int c = 0; c < o.columns_.size(); ++c) {
            painter->drawText(QRectF(area.left() + c * w, area.bottom() + 2, w, 18),
                              Qt::AlignHCenter | Qt::AlignTop, o.columns_[c]);
        }
        QFont bold = font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->drawText(QRectF(area.left(), area.bottom() + 20, area.width(), 18),
                          Qt::AlignHCenter | Qt::AlignTop, o.column_title_);
        painter->save();
        painter->translate(area.left() - kLeftMargin + 2, area.center().y());
        painter->rotate(-90);
        painter->drawText(QRectF(-area.height() / 2, 0, area.height(), 16), Qt::AlignCenter,
                          o.row_title_);
        painter->restore();
    }

private:
    HeatGridChart& owner_;
};

HeatGridChart::HeatGridChart(const QString& title, const QString& empty_text, QWidget* parent)
    : ChartPanel(title, empty_text, parent) {
    chart()->legend()->setVisible(false);
    item_ = new GridItem(*this, chart());
    chartView()->viewport()->installEventFilter(this);
    chartView()->viewport()->setMouseTracking(true);
    showChart(false);
}

void HeatGridChart::setGrid(const QStringList& column_labels, const QStringList& row_labels,
                            std::vector<Cell> cells, double max_value, const QString& column_title,
                            const QString& row_title) {
    columns_ = column_labels;
    rows_ = row_labels;
    cells_ = std::move(cells);
    max_value_ = max_value > 0 ? max_value : 1;
    column_title_ = column_title;
    row_title_ = row_title;
    showChart(!cells_.empty());
    item_->update();
    chart()->update();
}

const HeatGridChart::Cell* HeatGridChart::find(int column, int row) const {
    for (const Cell& cell : cells_) {
        if (cell.column == column && cell.row == row) {
            return &cell;
        }
    }
    return nullptr;
}

QString HeatGridChart::cellText(int column, int row) const {
    const Cell* cell = find(column, row);
    return cell != nullptr ? cell->text : QString();
}

QColor HeatGridChart::cellColor(int column, int row) const {
    const Cell* cell = find(column, row);
    const QColor low = dark_ ? QColor(0x3a, 0x3a, 0x3a) : QColor(0xf2, 0xf6, 0xfc);
    const QColor high = dark_ ? QColor(0x4f, 0xc3, 0xf7) : QColor(0x15, 0x65, 0xc0);
    return cell == nullptr ? QColor() : blend(low, high, cell->value / max_value_);
}

QRectF HeatGridChart::gridArea() const {
    const QRectF all = chart()->rect();
    return QRectF(all.left() + kLeftMargin, all.top() + kPadding,
                  std::max(10.0, all.width() - kLeftMargin - kPadding),
                  std::max(10.0, all.height() - kBottomMargin - kPadding));
}

QPoint HeatGridChart::cellCenter(int column, int row) const {
    if (columns_.isEmpty() || rows_.isEmpty()) {
        return {};
    }
    const QRectF area = gridArea();
    const QPointF center(area.left() + (column + 0.5) * area.width() / columns_.size(),
                         area.top() + (row + 0.5) * area.height() / rows_.size());
    return chartView()->mapFromScene(chart()->mapToScene(center));
}

QPoint HeatGridChart::cellAt(const QPoint& viewport_position) const {
    if (columns_.isEmpty() || rows_.isEmpty()) {
        return {-1, -1};
    }
    const QPointF at = chart()->mapFromScene(chartView()->mapToScene(viewport_position));
    const QRectF area = gridArea();
    if (!area.contains(at)) {
        return {-1, -1};
    }
    const int column = static_cast<int>((at.x() - area.left()) / (area.width() / columns_.size()));
    const int row = static_cast<int>((at.y() - area.top()) / (area.height() / rows_.size()));
    if (find(column, row) == nullptr) {
        return {-1, -1};
    }
    return {column, row};
}

bool HeatGridChart::eventFilter(QObject* watched, QEvent* event) {
    if (watched == chartView()->viewport()) {
        if (event->type() == QEvent::MouseButtonRelease) {
            const auto* mouse = static_cast<QMouseEvent*>(event);
            const QPoint cell = cellAt(mouse->position().toPoint());
            if (mouse->button() == Qt::LeftButton && cell.x() >= 0) {
                emit cellActivated(cell.x(), cell.y());
            }
        } else if (event->type() == QEvent::ToolTip) {
            const auto* help = static_cast<QHelpEvent*>(event);
            const QPoint cell = cellAt(help->pos());
            if (const Cell* filled = cell.x() >= 0 ? find(cell.x(), cell.y()) : nullptr) {
                QToolTip::showText(help->globalPos(), filled->tooltip, chartView());
            } else {
                QToolTip::hideText();
            }
            return true;
        }
    }
    return ChartPanel::eventFilter(watched, event);
}

void HeatGridChart::restyle(bool dark) {
    dark_ = dark;
    item_->update();
}

} // namespace gm
