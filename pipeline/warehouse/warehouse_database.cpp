// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/warehouse/warehouse_database.h"

#include "pipeline/postgres/connection_errors.h"
#include "pipeline/postgres/database_locator.h"
#include "pipeline/postgres/embedded_postgres.h"

#include <mutex>
#include <stdexcept>

namespace gm::warehouse {

struct WarehouseDatabase::Impl {
    std::optional<std::string> database_url;
    std::optional<std::string> warehouse_url;
    DatabaseChoice choice;
    std::mutex mutex;
    std::unique_ptr<EmbeddedPostgres> embedded;
};

WarehouseDatabase::WarehouseDatabase(std::optional<std::string> database_url,
                                     std::optional<std::string> warehouse_url)
    : impl_(std::make_unique<Impl>()) {
    impl_->database_url = std::move(database_url);
    impl_->warehouse_url = std::move(warehouse_url);
    impl_->choice = chooseDatabase(impl_->database_url);
}

WarehouseDatabase::~WarehouseDatabase() = default;

std::string WarehouseDatabase::description() const {
    if (impl_->choice.error) {
        return *impl_->choice.error;
    }
    if (impl_->warehouse_url) {
        return impl_->choice.description + "; warehouse in --warehouse-db " +
               redactSecrets(*impl_->warehouse_url);
    }
    return impl_->choice.description;
}

std::string WarehouseDatabase::warehouseConninfo() {
    return impl_->warehouse_url ? *impl_->warehouse_url : conninfo();
}

const std::optional<std::string>& WarehouseDatabase::warehouseUrl() const {
    return impl_->warehouse_url;
}

std::string WarehouseDatabase::conninfo() {
    const DatabaseChoice& choice = impl_->choice;
    if (choice.error) {
        throw std::runtime_error(*choice.error);
    }
    if (choice.source != DatabaseSource::Embedded) {
        return choice.conninfo;
    }
    std::lock_guard lock(impl_->mutex);
    if (!impl_->embedded) {
        EmbeddedPostgresOptions options;
        options.root = choice.embedded_root;
        impl_->embedded = std::make_unique<EmbeddedPostgres>(options);
    }
    // Every time: a run of the window may have stopped the server it had started; start() is a
    // no-op for a running server.
    if (impl_->embedded->start() != EmbeddedPostgres::Outcome::Running) {
        throw std::runtime_error(impl_->embedded->error());
    }
    return impl_->embedded->conninfo();
}

std::string WarehouseDatabase::batchCommandLine() const {
    std::string line = "globalmart --run-batch";
    if (impl_->database_url) {
        line += " --db '<URL>'";
    }
    if (impl_->warehouse_url) {
        line += " --warehouse-db '<URL>'";
    }
    return line;
}

} // namespace gm::warehouse
