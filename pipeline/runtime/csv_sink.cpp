// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/csv_sink.h"

#include "pipeline/csv_text.h"
#include "pipeline/table_schema.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace gm {
namespace {

std::string reason(int error_number) {
    return error_number == 0 ? std::string("unknown error") : std::strerror(error_number);
}

} // namespace

CsvSink::CsvSink(const std::string& directory) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error || !std::filesystem::is_directory(directory, error)) {
        const std::string why =
            error ? error.message() : std::string("it exists and is not a directory");
        throw std::runtime_error("--out-dir: cannot use " + directory +
                                 " as the directory for "
                                 "the CSV tables: " +
                                 why);
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(kTableCount); ++i) {
        const auto table = static_cast<TableId>(i);
        paths_[i] = std::filesystem::path(directory) / (std::string(tableName(table)) + ".csv");
        errno = 0;
        files_[i].reset(std::fopen(paths_[i].c_str(), "wb"));
        if (!files_[i]) {
            throw std::runtime_error("--out-dir: cannot create " + paths_[i].string() + ": " +
                                     reason(errno));
        }
        line_ = csvLine(columns(table));
        write(i, line_);
    }
}

CsvSink::~CsvSink() = default;

void CsvSink::fail(std::size_t table, const char* what, int error_number) {
    std::lock_guard lock(failure_mutex_);
    if (failure_.empty()) {
        failure_ = std::string("cannot ") + what + " " + paths_[table].string() + ": " +
                   reason(error_number) + " (the CSV tables stop here)";
    }
    failed_ = true;
}

void CsvSink::write(std::size_t table, const std::string& line) {
    if (failed_) {
        return;
    }
    errno = 0;
    if (std::fwrite(line.data(), 1, line.size(), files_[table].get()) != line.size()) {
        fail(table, "write", errno);
    }
}

std::optional<std::string> CsvSink::failure() const {
    if (!failed_) {
        return std::nullopt;
    }
    std::lock_guard lock(failure_mutex_);
    return failure_;
}

void CsvSink::consume(const RowBatch& rows) {
    if (failed_) {
        return;
    }
    std::vector<std::string> fields;
    rows.forEachTable([&](const auto& table_rows) {
        using Row = typename std::decay_t<decltype(table_rows)>::value_type;
        const auto table = static_cast<std::size_t>(Row::kTable);
        for (const auto& row : table_rows) {
            fields.clear();
            appendFields(row, fields);
            line_ = csvLine(fields);
            write(table, line_);
        }
    });
}

void CsvSink::finish() {
    for (std::size_t i = 0; i < static_cast<std::size_t>(kTableCount); ++i) {
        if (!files_[i]) {
            continue;
        }
        errno = 0;
        if (!failed_ && std::fflush(files_[i].get()) != 0) {
            fail(i, "write", errno);
        }
        errno = 0;
        // fclose flushes what is left and reports deferred write errors (e.g. NFS quotas).
        const bool closed = std::fclose(files_[i].release()) == 0;
        if (!closed && !failed_) {
            fail(i, "close", errno);
        }
    }
}

} // namespace gm
