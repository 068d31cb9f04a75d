// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/json_writer.h"

#include <charconv>

namespace gm::json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Characters that cannot appear raw inside a JSON string.
constexpr bool needsEscape(unsigned char c) {
    return c < 0x20 || c == '"' || c == '\\';
}

// Grows the buffer by n bytes and returns where they start; callers fill all of them.
char* extend(std::string& out, std::size_t n) {
    const std::size_t old = out.size();
    out.resize(old + n);
    return out.data() + old;
}

void appendEscapedChar(std::string& out, unsigned char c) {
    switch (c) {
    case '"':
        out.append("\\\"");
        return;
    case '\\':
        out.append("\\\\");
        return;
    case '\n':
        out.append("\\n");
        return;
    case '\r':
        out.append("\\r");
        return;
    case '\t':
        out.append("\\t");
        return;
    case '\b':
        out.append("\\b");
        return;
    case '\f':
        out.append("\\f");
        return;
    default: {
        char* p = extend(out, 6);
        p[0] = '\\';
        p[1] = 'u';
        p[2] = '0';
        p[3] = '0';
        p[4] = kHex[c >> 4];
        p[5] = kHex[c & 0xF];
    }
    }
}

} // namespace

void appendString(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (needsEscape(c)) {
            out.append(text.data() + start, i - start);
            appendEscapedChar(out, c);
            start = i + 1;
        }
    }
    out.append(text.data() + start, text.size() - start);
    out.push_back('"');
}

void appendUnsigned(std::string& out, std::uint64_t value) {
    char buffer[20];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void appendCents(std::string& out, Cents cents) {
    // Unsigned arithmetic so that the most negative value does not overflow on negation.
    std::uint64_t magnitude = static_cast<std::uint64_t>(cents);
    if (cents < 0) {
        out.push_back('-');
        magnitude = 0 - magnitude;
    }
    appendUnsigned(out, magnitude / 100);
    const auto fraction = static_cast<unsigned>(magnitude % 100);
    char* p = extend(out, 3);
    p[0] = '.';
    p[1] = static_cast<char>('0' + fraction / 10);
    p[2] = static_cast<char>('0' + fraction % 10);
}

void appendBool(std::string& out, bool value) {
    out.append(value ? "true" : "false");
}

void appendNull(std::string& out) {
    out.append("null");
}

void appendTimestamp(std::string& out, TimestampUs time) {
    char* p = extend(out, kIsoTimestampLength + 2);
    p[0] = '"';
    formatIsoTimestamp(time, p + 1);
    p[kIsoTimestampLength + 1] = '"';
}

void appendUuid(std::string& out, const Uuid& id) {
    char* p = extend(out, 38);
    p[0] = '"';
    formatUuid(id, p + 1);
    p[37] = '"';
}

void appendUserId(std::string& out, UserId user) {
    char buffer[24];
    buffer[0] = '"';
    const std::size_t length = formatUserId(user, buffer + 1);
    buffer[length + 1] = '"';
    out.append(buffer, length + 2);
}

void appendProductId(std::string& out, ProductId product) {
    char buffer[24];
    buffer[0] = '"';
    const std::size_t length = formatProductId(product, buffer + 1);
    buffer[length + 1] = '"';
    out.append(buffer, length + 2);
}

} // namespace gm::json
