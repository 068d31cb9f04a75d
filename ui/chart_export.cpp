// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chart_export.h"

#include "generator/timestamp.h"
#include "models/human_format.h"
#include "ui/chart_panel.h"

#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>

namespace gm {
namespace {

QSize exportSize(ChartPanel& panel, QSize size) {
    if (size.isValid() && !size.isEmpty()) {
        return size;
    }
    const QSize shown = panel.chartView()->size();
    return shown.isEmpty() ? QSize(1000, 600) : shown;
}

// Renders the chart itself (not the widget), so the export has the requested size even when the
// panel currently shows its empty-state text or is on a hidden page.
void renderChart(ChartPanel& panel, QPainter& painter, QSize size) {
    QChart* chart = panel.chart();
    const QSizeF old_size = chart->size();
    const QPointF old_pos = chart->pos();
    chart->setPos(0, 0);
    chart->resize(size);
    QGraphicsScene* scene = chart->scene();
    scene->render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
    chart->resize(old_size);
    chart->setPos(old_pos);
}

} // namespace

void markAsExportButton(QWidget& button) {
    button.setProperty("gmExportButton", true);
}

bool isExportButton(const QWidget& widget) {
    return widget.property("gmExportButton").toBool();
}

bool saveChartPng(ChartPanel& panel, const QString& path, QSize size) {
    size = exportSize(panel, size);
    QImage image(size, QImage::Format_ARGB32);
    image.fill(panel.chart()->backgroundBrush().color());
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderChart(panel, painter, size);
    }
    return image.save(path, "PNG");
}

bool saveChartSvg(ChartPanel& panel, const QString& path, QSize size) {
    size = exportSize(panel, size);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(panel.title());
    svg.setDescription(
        QStringLiteral("GlobalMart Monitor chart, exported %1").arg(utcDateTime(wallClockNow())));
    QPainter painter;
    if (!painter.begin(&svg)) {
        return false;
    }
    renderChart(panel, painter, size);
    return painter.end();
}

bool savePagePdf(QWidget& page, const QString& title, const QString& path) {
    QPdfWriter pdf(path);
    pdf.setPageSize(QPageSize(QPageSize::A4));
    pdf.setPageOrientation(QPageLayout::Landscape);
    pdf.setTitle(title);
    pdf.setCreator(QStringLiteral("GlobalMart Monitor"));
    pdf.setResolution(150);
    QPainter painter;
    if (!painter.begin(&pdf)) {
        return false;
    }
    const QRect area = painter.viewport();
    QFont font = painter.font();
    font.setPointSize(12);
    painter.setFont(font);
    const QString heading =
        QStringLiteral("GlobalMart Monitor — %1 — %2").arg(title, utcDateTime(wallClockNow()));
    const int heading_height = painter.fontMetrics().height() * 2;
    painter.drawText(QRect(area.left(), area.top(), area.width(), heading_height),
                     Qt::AlignLeft | Qt::AlignVCenter, heading);
    const QSize widget_size = page.size().isEmpty() ? QSize(1400, 900) : page.size();
    const double scale =
        std::min(static_cast<double>(area.width()) / widget_size.width(),
                 static_cast<double>(area.height() - heading_height) / widget_size.height());
    painter.translate(area.left(), area.top() + heading_height);
    painter.scale(scale, scale);
    // The page on paper, not its controls: export buttons are hidden while it renders.
    QList<QWidget*> hidden;
    for (QWidget* child : page.findChildren<QWidget*>()) {
        if (isExportButton(*child) && child->isVisible()) {
            child->setVisible(false);
            hidden << child;
        }
    }
    page.render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
    for (QWidget* child : hidden) {
        child->setVisible(true);
    }
    return painter.end();
}

} // namespace gm
