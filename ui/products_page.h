// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ui/dashboard_page.h"

namespace gm {

class RankedBarChart;
class TablePanel;

// What shoppers look at: trending products (ranked), category performance, top searches.
class ProductsPage : public DashboardPage {
    Q_OBJECT
public:
    explicit ProductsPage(QWidget* parent = nullptr);
    void showData(const PageContext& context) override;

private:
    RankedBarChart* trending_chart_;
    TablePanel* trending_;
    TablePanel* categories_;
    TablePanel* searches_;
};

} // namespace gm
