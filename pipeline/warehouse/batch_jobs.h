// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pqxx {
class transaction_base;
}

// The batch analytics jobs. Each one replaces the rows of one analysis date (a 'YYYY-MM-DD'
// parameter; facts up to the end of that UTC day count) and returns the rows it wrote. The
// runner runs each in its own transaction with the search path on the warehouse.
namespace gm::warehouse {

using BatchJobFunction = std::int64_t (*)(pqxx::transaction_base&, const std::string&);

struct BatchJob {
    std::string_view name;
    BatchJobFunction run;
};

// In dependency order (segments read the RFM rows of the same date).
const std::vector<BatchJob>& batchJobs();

std::int64_t runRfmAnalysis(pqxx::transaction_base& txn, const std::string& analysis_date);
std::int64_t runCustomerSegments(pqxx::transaction_base& txn, const std::string& analysis_date);
std::int64_t runCohortRetention(pqxx::transaction_base& txn, const std::string& analysis_date);
std::int64_t runProductPerformance(pqxx::transaction_base& txn, const std::string& analysis_date);
std::int64_t runSalesTrends(pqxx::transaction_base& txn, const std::string& analysis_date);
std::int64_t runSalesByRegion(pqxx::transaction_base& txn, const std::string& analysis_date);

} // namespace gm::warehouse
