// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/copy_text.h"

#include "generator/number_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gm {

void CopyTextBuilder::separator() {
    if (!first_) {
        out_.push_back('\t');
    }
    first_ = false;
}

void CopyTextBuilder::appendEscaped(std::string& out, std::string_view value) {
    std::size_t clean = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        const char* escape = nullptr;
        switch (c) {
        case '\\':
            escape = "\\\\";
            break;
        case '\t':
            escape = "\\t";
            break;
        case '\n':
            escape = "\\n";
            break;
        case '\r':
            escape = "\\r";
            break;
        // PostgreSQL text cannot hold NUL at all (not even escaped); U+FFFD keeps the row and
        // shows where the byte was instead of failing the whole flush.
        case '\0':
            escape = "\xEF\xBF\xBD";
            break;
        default:
            break;
        }
        if (escape != nullptr) {
            out.append(value.substr(clean, i - clean));
            out.append(escape);
            clean = i + 1;
        }
    }
    out.append(value.substr(clean));
}

void CopyTextBuilder::appendCents(std::string& out, std::int64_t cents) {
    char buffer[kMaxCentsTextLength];
    out.append(buffer, formatCents(cents, buffer));
}

CopyTextBuilder& CopyTextBuilder::null() {
    separator();
    out_.append("\\N");
    return *this;
}

CopyTextBuilder& CopyTextBuilder::nulls(std::size_t count) {
    static constexpr std::string_view kNulls = "\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N"
                                               "\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N";
    if (count == 0) {
        return *this;
    }
    if (first_) {
        out_.append("\\N");
        first_ = false;
        --count;
    }
    while (count > 0) {
        const std::size_t now = std::min(count, kNulls.size() / 3);
        out_.append(kNulls.substr(0, now * 3));
        count -= now;
    }
    return *this;
}

CopyTextBuilder& CopyTextBuilder::text(std::string_view value) {
    separator();
    appendEscaped(out_, value);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::preEscaped(std::string_view value) {
    separator();
    out_.append(value);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::int64(std::int64_t value) {
    separator();
    char buffer[24];
    out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::uint64(std::uint64_t value) {
    separator();
    char buffer[24];
    out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::real(double value) {
    separator();
    if (std::isnan(value)) {
        out_.append("NaN");
    } else if (std::isinf(value)) {
        out_.append(value > 0 ? "Infinity" : "-Infinity");
    } else {
        char buffer[32];
        out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
    }
    return *this;
}

CopyTextBuilder& CopyTextBuilder::cents(std::int64_t cents) {
    separator();
    appendCents(out_, cents);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::timestamp(TimestampUs time) {
    separator();
    char buffer[kIsoTimestampLength];
    formatIsoTimestamp(time, buffer);
    out_.append(buffer, kIsoTimestampLength);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::boolean(bool value) {
    separator();
    out_.push_back(value ? 't' : 'f');
    return *this;
}

CopyTextBuilder& CopyTextBuilder::uuid(const Uuid& id) {
    separator();
    char buffer[36];
    formatUuid(id, buffer);
    out_.append(buffer, sizeof buffer);
    return *this;
}

CopyTextBuilder& CopyTextBuilder::userId(UserId user) {
    separator();
    char buffer[kMaxIdTextLength];
    out_.append(buffer, formatUserId(user, buffer));
    return *this;
}

CopyTextBuilder& CopyTextBuilder::productId(ProductId product) {
    separator();
    char buffer[kMaxIdTextLength];
    out_.append(buffer, formatProductId(product, buffer));
    return *this;
}

CopyTextBuilder& CopyTextBuilder::bytea(std::string_view bytes) {
    separator();
    static constexpr char hex[] = "0123456789abcdef";
    // bytea's input form is \x<hex>; in COPY text the backslash itself must be doubled.
    out_.append("\\\\x");
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out_.push_back(hex[byte >> 4]);
        out_.push_back(hex[byte & 0x0F]);
    }
    return *this;
}

CopyTextBuilder& CopyTextBuilder::textArray(std::span<const std::string_view> values) {
    // Array literal first ({"a","b"} with " and \ backslash-escaped), then COPY escaping of the
    // whole literal: two layers, so a backslash in a value ends up as four.
    std::string literal = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            literal.push_back(',');
        }
        literal.push_back('"');
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') {
                literal.push_back('\\');
            }
            literal.push_back(c);
        }
        literal.push_back('"');
    }
    literal.push_back('}');
    return text(literal);
}

CopyTextBuilder& CopyTextBuilder::centsArray(std::span<const std::int64_t> values) {
    separator();
    out_.push_back('{');
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) {
            out_.push_back(',');
        }
        appendCents(out_, values[i]);
    }
    out_.push_back('}');
    return *this;
}

void CopyTextBuilder::endRow() {
    out_.push_back('\n');
    first_ = true;
    if (rows_ != nullptr) {
        ++*rows_;
    }
}

} // namespace gm
