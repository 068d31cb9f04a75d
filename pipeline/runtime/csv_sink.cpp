// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/csv_sink.h"

#include "pipeline/csv_text.h"
#include "pipeline/table_schema.h"

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace gm {
namespace {

void writeLine(std::FILE* file, const std::vector<std::string>& fields) {
    const std::string line = csvLine(fields);
    std::fwrite(line.data(), 1, line.size(), file);
}

} // namespace

CsvSink::CsvSink(const std::string& directory) {
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    for (int i = 0; i < kTableCount; ++i) {
        const auto table = static_cast<TableId>(i);
        const auto path =
            std::filesystem::path(directory) / (std::string(tableName(table)) + ".csv");
        files_[static_cast<std::size_t>(i)].reset(std::fopen(path.c_str(), "wb"));
        if (!files_[static_cast<std::size_t>(i)]) {
            throw std::runtime_error("cannot write " + path.string());
        }
        writeLine(files_[static_cast<std::size_t>(i)].get(), columns(table));
    }
}

CsvSink::~CsvSink() = default;

void CsvSink::consume(const RowBatch& rows) {
    std::vector<std::string> fields;
    rows.forEachTable([&](const auto& table_rows) {
        using Row = typename std::decay_t<decltype(table_rows)>::value_type;
        std::FILE* file = files_[static_cast<std::size_t>(Row::kTable)].get();
        for (const auto& row : table_rows) {
            fields.clear();
            appendFields(row, fields);
            writeLine(file, fields);
        }
    });
}

void CsvSink::finish() {
    for (auto& file : files_) {
        std::fflush(file.get());
    }
}

} // namespace gm
