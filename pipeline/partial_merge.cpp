// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/partial_merge.h"

#include "pipeline/session_emitter.h"

#include <cstdint>

namespace gm {

void emitMergedParts(std::vector<ShardOutput>& parts, const EmitContext& context, RowBatch& out) {
    SessionTablesEmitter sessions(16384); // rows and order do not depend on the run length
    sessions.take(parts);
    sessions.seal();
    while (!sessions.idle()) {
        sessions.step(SIZE_MAX, context, out);
    }
    std::vector<SalesClosed*> sales;
    std::vector<CartsClosed*> carts;
    std::vector<ViewsClosed*> views;
    std::vector<AnomaliesClosed*> anomalies;
    std::vector<InventoryClosed*> inventory;
    for (ShardOutput& part : parts) {
        sales.push_back(&part.sales);
        carts.push_back(&part.carts);
        views.push_back(&part.views);
        anomalies.push_back(&part.anomalies);
        inventory.push_back(&part.inventory);
    }
    emitSales(sales, context, out);
    emitCarts(carts, context, out);
    emitViews(views, context, out);
    emitAnomalies(anomalies, context, out);
    emitInventory(inventory, context, out);
    for (ShardOutput& part : parts) {
        part.clear();
    }
}

} // namespace gm
