// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSize>
#include <QString>

class QWidget;

namespace gm {

class ChartPanel;

// Chart and page files. Sizes default to the chart's size on screen.
// Export buttons (PNG, SVG, CSV) belong on screen, not in the page's PDF.
void markAsExportButton(QWidget& button);
bool isExportButton(const QWidget& widget);

bool saveChartPng(ChartPanel& panel, const QString& path, QSize size = {});
bool saveChartSvg(ChartPanel& panel, const QString& path, QSize size = {});
// The whole page on an A4 landscape PDF page, with a title line and the time of export (UTC).
// Widgets marked as export buttons are left out.
bool savePagePdf(QWidget& page, const QString& title, const QString& path);

} // namespace gm
