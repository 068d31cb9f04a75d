// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/etl_steps.h"

#include <pqxx/pqxx>

namespace gm::warehouse {

std::string rangePredicate(const std::string& prefix) {
    const std::string xid = prefix + "ingest_xid";
    const std::string xid8 = xid + "::text::xid8";
    return "(" + xid + " >= $1 AND " + xid + " < $5 AND (" + xid +
           " >= $2 OR NOT pg_visible_in_snapshot(" + xid8 + ", $3::pg_snapshot)) AND (" + xid +
           " < $4 OR pg_visible_in_snapshot(" + xid8 + ", $6::pg_snapshot)))";
}

std::string currentPredicate(const std::string& prefix) {
    const std::string xid = prefix + "ingest_xid";
    return "(" + xid + " < $5 AND (" + xid + " < $4 OR pg_visible_in_snapshot(" + xid +
           "::text::xid8, $6::pg_snapshot)))";
}

pqxx::result execInRange(pqxx::transaction_base& txn, const std::string& sql,
                         const LoadRange& range) {
    return txn.exec_params(sql, range.previous_xmin, range.previous_xmax, range.previous_snapshot,
                           range.current_xmin, range.current_xmax, range.current_snapshot);
}

} // namespace gm::warehouse
