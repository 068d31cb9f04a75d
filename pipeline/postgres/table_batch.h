// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/timestamp.h"

#include <cstddef>
#include <string>
#include <vector>

namespace gm {

// What an upsert does with a row whose key is already in the table. Windowed rows are re-emitted
// with newer values on replay, so the last version wins; raw events are immutable facts, so the
// stored copy is kept (and skipping is cheaper than rewriting).
enum class ConflictAction { Update, Ignore };

// A job's "emitted up to" watermark, committed in the same transaction as the rows it covers.
struct ProgressMark {
    std::string job;
    TimestampUs emitted_up_to = 0;
};

// Rows for one table in a neutral form the pipeline can produce without knowing about libpq:
// the column list plus the rows as PostgreSQL COPY text (tab-separated fields, \N for NULL,
// backslash escapes, one line per row). Build copy_text with CopyTextBuilder.
struct TableBatch {
    std::string table;
    std::vector<std::string> columns;
    std::vector<std::string> key_columns; // the table's primary key, a subset of columns
    ConflictAction on_conflict = ConflictAction::Update;
    // Written when the row is new, left as stored when the key exists: a mark someone else sets
    // (alerts.acknowledged, by the analyst) survives the pipeline re-emitting the row.
    std::vector<std::string> keep_on_conflict;
    std::string copy_text;
    std::size_t rows = 0;
    std::vector<ProgressMark> progress;

    // Bytes this batch holds in the writer's buffer (what the buffer limit counts).
    std::size_t bufferedBytes() const { return copy_text.size() + 256; }
    // Same table with the same column layout: their rows can go through one COPY.
    bool sameLayout(const TableBatch& other) const {
        return table == other.table && columns == other.columns &&
               key_columns == other.key_columns && on_conflict == other.on_conflict &&
               keep_on_conflict == other.keep_on_conflict;
    }
};

} // namespace gm
