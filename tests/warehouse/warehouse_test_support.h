// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Hand-built raw events for the warehouse tests: rows go straight into the raw tables of a
// scratch database migrated like the app's, so every expected figure can be worked out by hand.
#include "../db/db_test_support.h"
#include "pipeline/postgres/migration_runner.h"
#include "pipeline/warehouse/warehouse_runner.h"

#include <cstdio>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace gm::test {

inline std::string uuidFor(const char* kind, int n) {
    char text[40];
    std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012d", static_cast<unsigned>(kind[0]),
                  n);
    return text;
}

struct Line {
    std::string product_id;
    int quantity;
    std::string unit_price;
};

class RawEvents {
public:
    explicit RawEvents(const std::string& conninfo) : connection_(conninfo) {}

    // An order; its total is the sum of its lines (what the shop charges).
    void order(int n, const std::string& user, const std::string& timestamp,
               const std::string& country, const std::vector<Line>& lines) {
        pqxx::work txn(connection_);
        const std::string id = uuidFor("t", n);
        txn.exec_params("INSERT INTO transactions (transaction_id, user_id, \"timestamp\", "
                        "total_amount, payment_method, country) VALUES ($1, $2, $3, 0, "
                        "'Credit Card', $4)",
                        id, user, timestamp, country);
        for (const Line& line : lines) {
            txn.exec_params("INSERT INTO transaction_items (transaction_id, product_id, quantity, "
                            "unit_price) VALUES ($1, $2, $3, $4::numeric)",
                            id, line.product_id, line.quantity, line.unit_price);
        }
        txn.exec_params("UPDATE transactions SET total_amount = (SELECT sum(quantity * "
                        "unit_price) FROM transaction_items WHERE transaction_id = $1) WHERE "
                        "transaction_id = $1",
                        id);
        txn.commit();
    }

    // A one-line order with a given total (quantity 1 at that price).
    void simpleOrder(int n, const std::string& user, const std::string& timestamp,
                     const std::string& total, const std::string& country = "USA") {
        order(n, user, timestamp, country, {{"PROD_00000900", 1, total}});
    }

    void view(int n, const std::string& user, const std::string& timestamp,
              const std::string& product, const std::string& name, const std::string& category,
              const std::string& price, const std::string& country = "USA") {
        pqxx::work txn(connection_);
        txn.exec_params("INSERT INTO product_view_events (event_id, event_type, \"timestamp\", "
                        "user_id, session_id, country, product_id, product_name, category, "
                        "price, view_duration, from_search) VALUES ($1, 'view', $2, $3, $4, $5, "
                        "$6, $7, $8, $9::numeric, 30, false)",
                        uuidFor("v", n), timestamp, user, uuidFor("s", n), country, product, name,
                        category, price);
        txn.commit();
    }

    void cartAdd(int n, const std::string& user, const std::string& timestamp,
                 const std::string& product, const std::string& name, const std::string& category,
                 const std::string& price, const std::string& country = "USA") {
        pqxx::work txn(connection_);
        txn.exec_params("INSERT INTO cart_events (event_id, event_type, \"timestamp\", user_id, "
                        "session_id, country, product_id, product_name, category, price, "
                        "quantity, cart_size, cart_value) VALUES ($1, 'add_to_cart', $2, $3, $4, "
                        "$5, $6, $7, $8, $9::numeric, 1, 1, $9::numeric)",
                        uuidFor("c", n), timestamp, user, uuidFor("s", n), country, product, name,
                        category, price);
        txn.commit();
    }

    pqxx::connection& connection() { return connection_; }

private:
    pqxx::connection connection_;
};

// A scratch database with the real-time schema (raw event tables) migrated.
inline void migrateRealtime(const std::string& conninfo) {
    pqxx::connection connection(conninfo);
    MigrationRunner::embedded().migrate(connection);
}

inline warehouse::BatchReport runWarehouse(const std::string& conninfo, const std::string& date,
                                           bool full_reload = false) {
    warehouse::BatchOptions options;
    options.conninfo = conninfo;
    options.analysis_date = date;
    options.full_reload = full_reload;
    return warehouse::runBatch(options);
}

inline std::string failureText(const warehouse::BatchReport& report) {
    std::string text = "failed step: " + report.failed_step;
    for (const auto& step : report.steps) {
        if (!step.ok) {
            text += "; " + step.step + ": " + step.error;
        }
    }
    for (const auto& check : report.quality) {
        if (!check.passed) {
            text += "; " + check.check + " " + check.table + " expected " + check.expected +
                    " got " + check.actual;
        }
    }
    return text;
}

// Rows of a query as text, one string per row with fields joined by '|' (NULL as "~").
inline std::vector<std::string> rowsOf(pqxx::connection& connection, const std::string& sql) {
    pqxx::read_transaction txn(connection);
    txn.exec("SET search_path TO warehouse, public");
    txn.exec("SET TimeZone TO 'UTC'");
    std::vector<std::string> rows;
    for (const auto& row : txn.exec(sql)) {
        std::string text;
        for (const auto& field : row) {
            if (!text.empty() || field.num() > 0) {
                text += "|";
            }
            text += field.is_null() ? "~" : field.c_str();
        }
        rows.push_back(text);
    }
    return rows;
}

inline std::string valueOf(pqxx::connection& connection, const std::string& sql) {
    const auto rows = rowsOf(connection, sql);
    return rows.empty() ? std::string("<no row>") : rows.front();
}

} // namespace gm::test

namespace gm::test {
inline QStringList toQt(const std::vector<std::string>& rows) {
    QStringList list;
    for (const auto& row : rows) {
        list << QString::fromStdString(row);
    }
    return list;
}
} // namespace gm::test

// QCOMPARE that prints both texts when they differ.
#define GM_COMPARE_TEXT(actual, expected)                                                          \
    QCOMPARE(QString::fromStdString(actual), QString::fromStdString(expected))
#define GM_COMPARE_ROWS(actual, expected) QCOMPARE(gm::test::toQt(actual), gm::test::toQt(expected))
