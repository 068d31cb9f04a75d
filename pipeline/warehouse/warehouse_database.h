// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>
#include <string>

// The database the window reads the warehouse from and runs batches on: the same choice the
// command line makes (--db, else GLOBALMART_DATABASE_URL, else PG*, else the embedded cluster),
// so the window sees what `globalmart --run-batch` wrote. Plain header: the window includes it.
namespace gm::warehouse {

class WarehouseDatabase {
public:
    // database_url: --db as given (nothing: the environment or the embedded cluster).
    explicit WarehouseDatabase(std::optional<std::string> database_url);
    ~WarehouseDatabase(); // stops an embedded server only if this object started it
    WarehouseDatabase(const WarehouseDatabase&) = delete;
    WarehouseDatabase& operator=(const WarehouseDatabase&) = delete;

    // One line for the page, password redacted ("embedded PostgreSQL in …", "--db …").
    std::string description() const;
    // The connection string, starting the embedded cluster first when that is the database (it
    // may take seconds: call it on a worker thread). Throws std::runtime_error with one line
    // when the configuration is wrong or the server cannot be started. Thread-safe.
    std::string conninfo();
    // The command line that does what the page's Run now does.
    std::string batchCommandLine() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace gm::warehouse
