// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A known small shop for the warehouse reader and the Warehouse page: five customers, three
// products, orders from January to 2027-03-10 and product views on the last two days. Tests
// work out their expected figures from these raw rows with SQL of their own.
#include "warehouse_test_support.h"

#include <array>
#include <map>

namespace gm::test {

inline constexpr const char* kKnownAnalysisDate = "2027-03-10";

inline void insertKnownShop(RawEvents& raw) {
    const auto view = [&](int n, const char* user, const char* time, const char* product) {
        static const std::map<std::string, std::array<const char*, 3>> kProducts{
            {"PROD_00000001", {"Alpha Phone", "Smartphones", "500.00"}},
            {"PROD_00000002", {"Beta Mug", "Cookware", "20.00"}},
            {"PROD_00000003", {"Gamma Novel", "Fiction Books", "10.00"}}};
        const auto& p = kProducts.at(product);
        raw.view(n, user, time, product, p[0], p[1], p[2]);
    };
    // Views first, so that every product is described before it sells.
    view(1, "USER_00000001", "2027-01-10T09:00:00Z", "PROD_00000001");
    view(2, "USER_00000002", "2027-01-10T09:00:00Z", "PROD_00000002");
    view(3, "USER_00000003", "2027-01-10T09:00:00Z", "PROD_00000003");
    view(4, "USER_00000002", "2027-03-09T08:00:00Z", "PROD_00000001");
    view(5, "USER_00000002", "2027-03-09T08:05:00Z", "PROD_00000003");
    view(6, "USER_00000005", "2027-03-09T09:00:00Z", "PROD_00000002");
    view(7, "USER_00000001", "2027-03-10T10:00:00Z", "PROD_00000003");
    view(8, "USER_00000003", "2027-03-10T11:00:00Z", "PROD_00000001");
    view(9, "USER_00000004", "2027-03-10T12:00:00Z", "PROD_00000002");
    view(10, "USER_00000004", "2027-03-10T12:01:00Z", "PROD_00000003");
    view(11, "USER_00000005", "2027-03-10T13:00:00Z", "PROD_00000001");
    raw.cartAdd(1, "USER_00000004", "2027-03-10T12:02:00Z", "PROD_00000002", "Beta Mug", "Cookware",
                "20.00");

    raw.order(1, "USER_00000001", "2027-01-15T10:00:00Z", "USA", {{"PROD_00000001", 1, "500.00"}});
    raw.order(2, "USER_00000002", "2027-01-20T10:00:00Z", "UK", {{"PROD_00000002", 1, "20.00"}});
    raw.order(3, "USER_00000003", "2027-02-05T10:00:00Z", "Germany",
              {{"PROD_00000003", 2, "10.00"}});
    raw.order(4, "USER_00000001", "2027-02-10T10:00:00Z", "USA", {{"PROD_00000002", 2, "20.00"}});
    raw.order(5, "USER_00000002", "2027-03-09T10:00:00Z", "UK",
              {{"PROD_00000001", 1, "500.00"}, {"PROD_00000003", 1, "10.00"}});
    raw.order(6, "USER_00000005", "2027-03-09T11:00:00Z", "Japan", {{"PROD_00000002", 3, "20.00"}});
    raw.order(7, "USER_00000001", "2027-03-10T10:30:00Z", "USA", {{"PROD_00000003", 3, "10.00"}});
    raw.order(8, "USER_00000003", "2027-03-10T11:30:00Z", "Germany",
              {{"PROD_00000001", 1, "500.00"}});
    raw.order(9, "USER_00000004", "2027-03-10T12:30:00Z", "France",
              {{"PROD_00000002", 1, "20.00"}, {"PROD_00000003", 1, "10.00"}});
}

} // namespace gm::test
