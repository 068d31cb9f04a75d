// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>

// The databases the window reads the warehouse from and runs batches on: the same choice the
// command line makes (--db, else GLOBALMART_DATABASE_URL, else PG*, else the embedded cluster;
// --warehouse-db when the warehouse has a database of its own), so the window sees what
// `globalmart --run-batch` wrote. Plain header: the window includes it.
namespace gm::warehouse {

class WarehouseDatabase {
public:
    // database_url: --db as given (nothing: the environment or the embedded cluster);
    // warehouse_url: --warehouse-db as given (nothing: schema "warehouse" of that database).
    explicit WarehouseDatabase(std::optional<std::string> database_url,
                               std::optional<std::string> warehouse_url = std::nullopt);
    ~WarehouseDatabase(); // stops an embedded server only if this object started it
    WarehouseDatabase(const WarehouseDatabase&) = delete;
    WarehouseDatabase& operator=(const WarehouseDatabase&) = delete;

    // One line for the page, password redacted ("embedded PostgreSQL in …", "--db …").
    std::string description() const;
    // The connection string, starting the embedded cluster first when that is the database (it
    // may take seconds: call it on a worker thread). Throws std::runtime_error with one line
    // when the configuration is wrong or the server cannot be started. Thread-safe.
    std::string conninfo();
    // Where the warehouse schema lives: --warehouse-db, else conninfo(). Same rules.
    std::string warehouseConninfo();
    // --warehouse-db, or nothing when the warehouse is in the raw events' database.
    const std::optional<std::string>& warehouseUrl() const;
    // The command line that does what the page's Run now does.
    std::string batchCommandLine() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gm::warehouse
