// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/ids.h"
#include "generator/timestamp.h"
#include "pipeline/postgres/table_batch.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace gm {

// Appends typed fields to COPY text (PostgreSQL's text format): fields separated by tabs, rows
// by newlines, NULL as \N, and backslash, tab, newline and carriage return escaped inside values.
// Values go to the server only this way or as statement parameters, never spliced into SQL.
//
//   CopyTextBuilder row(batch);
//   row.uuid(id).text(name).cents(price).timestamp(at).null();
//   row.endRow();
class CopyTextBuilder {
public:
    explicit CopyTextBuilder(TableBatch& batch) : out_(batch.copy_text), rows_(&batch.rows) {}
    // For building into a bare buffer (no row counting).
    explicit CopyTextBuilder(std::string& out) : out_(out) {}

    CopyTextBuilder& null();
    CopyTextBuilder& nulls(std::size_t count); // count NULL fields in one append
    CopyTextBuilder& text(std::string_view value);
    // A value already in COPY form (escaped, no separators): product names escaped once, say.
    CopyTextBuilder& preEscaped(std::string_view value);
    CopyTextBuilder& int64(std::int64_t value);
    CopyTextBuilder& uint64(std::uint64_t value);
    CopyTextBuilder& real(double value);        // shortest text that reads back to the same double
    CopyTextBuilder& cents(std::int64_t cents); // 1234 -> "12.34", -5 -> "-0.05"
    CopyTextBuilder& timestamp(TimestampUs time); // ISO 8601 UTC with microseconds and Z
    CopyTextBuilder& boolean(bool value);
    CopyTextBuilder& uuid(const Uuid& id);
    CopyTextBuilder& userId(UserId user);
    CopyTextBuilder& productId(ProductId product);
    CopyTextBuilder& bytea(std::string_view bytes); // any bytes, as \x hex
    // SQL array literals: {"a","b"} for text[], {1.00,2.50} for numeric[].
    CopyTextBuilder& textArray(std::span<const std::string_view> values);
    CopyTextBuilder& centsArray(std::span<const std::int64_t> values);

    void endRow();

    // Escapes value for a COPY text field (no separator) onto out.
    static void appendEscaped(std::string& out, std::string_view value);
    static void appendCents(std::string& out, std::int64_t cents);

private:
    void separator();

    std::string& out_;
    std::size_t* rows_ = nullptr;
    bool first_ = true;
};

} // namespace gm
