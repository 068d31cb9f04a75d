// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/dashboard_page.h"

#include "ui/chart_panel.h"
#include "ui/table_panel.h"

namespace gm {

QList<ChartPanel*> DashboardPage::charts() const {
    return findChildren<ChartPanel*>();
}

QList<TablePanel*> DashboardPage::tables() const {
    return findChildren<TablePanel*>();
}

} // namespace gm
