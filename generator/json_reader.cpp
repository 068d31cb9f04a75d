// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/json_reader.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gm::json {
namespace {

bool isSpace(char c) {
    // One comparison for the usual case, a byte that is not space at all.
    return static_cast<unsigned char>(c) <= ' ' &&
           (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Four hex digits at pos, or -1.
int readHex4(std::string_view text, std::size_t pos) {
    if (pos + 4 > text.size()) {
        return -1;
    }
    int value = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const int digit = hexValue(text[pos + i]);
        if (digit < 0) {
            return -1;
        }
        value = value * 16 + digit;
    }
    return value;
}

void appendUtf8(std::string& out, std::uint32_t code_point) {
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
    }
}

// from_chars reports a magnitude beyond double without a value. Range checks downstream only need
// to know whether it was enormous (infinity) or vanishingly small (zero), which the position of
// the first significant digit and the exponent tell.
double outOfRangeValue(std::string_view number) {
    const bool negative = !number.empty() && number.front() == '-';
    std::size_t pos = negative ? 1 : 0;
    std::int64_t magnitude = 0;
    bool seen_significant = false;
    bool after_point = false;
    for (; pos < number.size() && number[pos] != 'e' && number[pos] != 'E'; ++pos) {
        const char c = number[pos];
        if (c == '.') {
            after_point = true;
        } else if (!seen_significant && c == '0') {
            if (after_point) {
                --magnitude;
            }
        } else if (!seen_significant) {
            seen_significant = true;
            if (after_point) {
                --magnitude;
            }
        } else if (!after_point) {
            ++magnitude;
        }
    }
    std::int64_t exponent = 0;
    if (pos < number.size()) {
        ++pos;
        const bool negative_exponent = pos < number.size() && number[pos] == '-';
        if (pos < number.size() && (number[pos] == '-' || number[pos] == '+')) {
            ++pos;
        }
        for (; pos < number.size(); ++pos) {
            if (exponent < 1'000'000'000) { // saturate: only the sign of the sum matters
                exponent = exponent * 10 + (number[pos] - '0');
            }
        }
        if (negative_exponent) {
            exponent = -exponent;
        }
    }
    const double value = magnitude + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    return negative ? -value : value;
}

// Bytes of a word that end plain string content ('"', '\\' or a control character), each
// marked by its high bit. Only the lowest marked byte is exact: a borrow can mark bytes above
// it. Bytes >= 0x80 are masked out of the control-character test.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
std::uint64_t specialBytes(std::uint64_t word) {
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t backslash = word ^ (kOnes * '\\');
    // A byte is zero in x exactly when (x - 1) & ~x has its high bit.
    return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
            ((word - kOnes * 0x20) & ~word)) &
           kHighs;
}

// The position of the first '"', '\\' or control character at or after pos, or text.size().
// Sixteen bytes at a time where SSE2 is there (every x86-64), then eight, landing on the byte
// itself: most of an event's bytes are inside strings, and most strings are ids, UUIDs and names
// of 8 to 40 bytes.
inline std::size_t findStringEnd(std::string_view text, std::size_t pos) {
    const std::size_t size = text.size();
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i last_control = _mm_set1_epi8(0x1F);
    while (pos + 16 <= size) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos));
        // max(byte, 0x1F) == 0x1F exactly for the bytes 0x00-0x1F (unsigned).
        const __m128i special = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
            _mm_cmpeq_epi8(_mm_max_epu8(bytes, last_control), last_control));
        if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special)); mask != 0) {
            return pos + static_cast<std::size_t>(std::countr_zero(mask));
        }
        pos += 16;
    }
#endif
    while (pos + 8 <= size) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + pos, 8);
        if (const std::uint64_t special = specialBytes(word); special != 0) {
            return pos + static_cast<std::size_t>(std::countr_zero(special) >> 3);
        }
        pos += 8;
    }
    while (pos < size) {
        const char c = text[pos];
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
            return pos;
        }
        ++pos;
    }
    return pos;
}

} // namespace

std::string_view typeName(Type type) {
    switch (type) {
    case Type::Null:
        return "null";
    case Type::False:
    case Type::True:
        return "boolean";
    case Type::Number:
        return "number";
    case Type::String:
        return "string";
    case Type::Array:
        return "array";
    case Type::Object:
        return "object";
    }
    return "?";
}

bool isValidUtf8(std::string_view text, std::size_t* error_offset) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        // Events are almost all ASCII: skip it 32 bytes at a time, then eight.
        while (i + 32 <= size) {
#if defined(__SSE2__)
            const __m128i first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i));
            const __m128i second =
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i + 16));
            if (_mm_movemask_epi8(_mm_or_si128(first, second)) != 0) {
                break;
            }
#else
            std::uint64_t words[4];
            std::memcpy(words, bytes + i, 32);
            if (((words[0] | words[1] | words[2] | words[3]) & kHighs) != 0) {
                break;
            }
#endif
            i += 32;
        }
        while (i + 8 <= size) {
            std::uint64_t word;
            std::memcpy(&word, bytes + i, 8);
            if ((word & kHighs) != 0) {
                break;
            }
            i += 8;
        }
        if (i >= size) {
            break;
        }
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char min_second = 0x80;
        unsigned char max_second = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min_second = 0xA0; // overlong
            } else if (lead == 0xED) {
                max_second = 0x9F; // UTF-16 surrogates
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min_second = 0x90; // overlong
            } else if (lead == 0xF4) {
                max_second = 0x8F; // above U+10FFFF
            }
        } else {
            if (error_offset) {
                *error_offset = i;
            }
            return false;
        }
        if (i + length > size || bytes[i + 1] < min_second || bytes[i + 1] > max_second) {
            if (error_offset) {
                *error_offset = i;
            }
            return false;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                if (error_offset) {
                    *error_offset = i;
                }
                return false;
            }
        }
        i += length;
    }
    return true;
}

bool Document::fail(ParseError error, std::size_t offset, std::string_view message) {
    error_ = error;
    error_offset_ = offset;
    error_message_ = message;
    return false;
}

// Inlined into parse(): a string without escapes is the common case, two per member.
[[gnu::always_inline]] inline bool Document::parseString(std::size_t& pos) {
    ++pos; // opening quote
    const std::size_t start = pos;
    pos = findStringEnd(text_, pos);
    if (pos < text_.size() && text_[pos] == '"') [[likely]] {
        Node& node = nodes_.emplace_back();
        node.type = Type::String;
        node.offset = start;
        node.count = static_cast<std::uint32_t>(pos - start);
        ++pos;
        return true;
    }
    return parseStringAfterPlain(pos, start);
}

bool Document::parse(std::string_view text, const ParseLimits& limits) {
    text_ = text;
    nodes_.clear();
    open_.clear();
    scratch_.clear();
    error_ = ParseError::None;
    error_offset_ = 0;
    error_message_ = {};

    // Node offsets and lengths are 32 bits; a payload anywhere near that is refused anyway.
    const std::size_t max_bytes = std::min<std::size_t>(limits.max_bytes, 0x7FFFFFFF);
    if (text.size() > max_bytes) {
        return fail(ParseError::TooLarge, max_bytes, "payload larger than the limit");
    }
    std::size_t bad = 0;
    if (!isValidUtf8(text, &bad)) {
        return fail(ParseError::InvalidUtf8, bad, "invalid UTF-8");
    }

    std::size_t pos = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        pos = 3; // a byte-order mark is not JSON, but harmless
    }
    while (pos < text.size() && isSpace(text[pos])) {
        ++pos;
    }
    if (pos == text.size()) {
        return fail(ParseError::Empty, pos, "no JSON value");
    }

    const auto skipSpace = [&] {
        while (pos < text.size() && isSpace(text[pos])) {
            ++pos;
        }
    };
    const auto depthLimit = static_cast<std::size_t>(limits.max_depth < 1 ? 1 : limits.max_depth);
    // After '{' or ',' in an object: a key, a colon, then the value follows.
    const auto parseKey = [&]() -> bool {
        skipSpace();
        if (pos >= text.size() || text[pos] != '"') {
            return fail(ParseError::Malformed, pos, "expected a member name");
        }
        if (!parseString(pos)) {
            return false;
        }
        skipSpace();
        if (pos >= text.size() || text[pos] != ':') {
            return fail(ParseError::Malformed, pos, "expected ':'");
        }
        ++pos;
        return true;
    };

    for (;;) {
        // A value starts here.
        skipSpace();
        if (pos >= text.size()) {
            return fail(ParseError::Malformed, pos, "unexpected end of input");
        }
        const char c = text[pos];
        bool value_done = true;
        if (c == '{' || c == '[') {
            if (open_.size() >= depthLimit) {
                return fail(ParseError::TooDeep, pos, "nesting deeper than the limit");
            }
            const auto index = static_cast<Index>(nodes_.size());
            Node node;
            node.type = c == '{' ? Type::Object : Type::Array;
            nodes_.push_back(node);
            ++pos;
            skipSpace();
            if (pos < text.size() && text[pos] == (c == '{' ? '}' : ']')) {
                ++pos;
                nodes_[index].end = nodes_.size();
            } else {
                open_.push_back(index);
                value_done = false;
                if (c == '{' && !parseKey()) {
                    return false;
                }
            }
        } else if (c == '"') {
            if (!parseString(pos)) {
                return false;
            }
        } else if (c == '-' || isDigit(c)) {
            if (!parseNumber(pos)) {
                return false;
            }
        } else if (c == 't') {
            if (!parseLiteral(pos, "true", Type::True)) {
                return false;
            }
        } else if (c == 'f') {
            if (!parseLiteral(pos, "false", Type::False)) {
                return false;
            }
        } else if (c == 'n') {
            if (!parseLiteral(pos, "null", Type::Null)) {
                return false;
            }
        } else {
            return fail(ParseError::Malformed, pos, "expected a value");
        }
        if (!value_done) {
            continue;
        }

        // A value ended: close containers until one expects another value.
        for (;;) {
            skipSpace();
            if (open_.empty()) {
                if (pos != text.size()) {
                    return fail(ParseError::Malformed, pos, "characters after the JSON value");
                }
                return true;
            }
            const Index container = open_.back();
            Node& parent = nodes_[container];
            ++parent.count;
            const bool is_object = parent.type == Type::Object;
            if (pos >= text.size()) {
                return fail(ParseError::Malformed, pos, "unexpected end of input");
            }
            if (text[pos] == ',') {
                ++pos;
                if (is_object && !parseKey()) {
                    return false;
                }
                break;
            }
            if (text[pos] == (is_object ? '}' : ']')) {
                ++pos;
                parent.end = nodes_.size();
                open_.pop_back();
                continue;
            }
            return fail(ParseError::Malformed, pos,
                        is_object ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

bool Document::parseLiteral(std::size_t& pos, std::string_view literal, Type type) {
    if (text_.substr(pos, literal.size()) != literal) {
        return fail(ParseError::Malformed, pos, "invalid literal");
    }
    pos += literal.size();
    Node node;
    node.type = type;
    nodes_.push_back(node);
    return true;
}

bool Document::parseNumber(std::size_t& pos) {
    const std::string_view text = text_;
    const std::size_t start = pos;
    if (text[pos] == '-') {
        ++pos;
    }
    if (pos >= text.size() || !isDigit(text[pos])) {
        return fail(ParseError::Malformed, pos, "invalid number");
    }
    if (text[pos] == '0') {
        ++pos;
    } else {
        while (pos < text.size() && isDigit(text[pos])) {
            ++pos;
        }
    }
    const std::size_t integer_end = pos;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        if (pos >= text.size() || !isDigit(text[pos])) {
            return fail(ParseError::Malformed, pos, "invalid number");
        }
        while (pos < text.size() && isDigit(text[pos])) {
            ++pos;
        }
    }
    const std::size_t fraction_end = pos;
    const bool has_exponent = pos < text.size() && (text[pos] == 'e' || text[pos] == 'E');
    if (has_exponent) {
        ++pos;
        if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
            ++pos;
        }
        if (pos >= text.size() || !isDigit(text[pos])) {
            return fail(ParseError::Malformed, pos, "invalid number");
        }
        while (pos < text.size() && isDigit(text[pos])) {
            ++pos;
        }
    }

    Node node;
    node.type = Type::Number;
    const bool negative = text[start] == '-';
    const std::size_t first_digit = start + (negative ? 1 : 0);
    const std::size_t integer_digits = integer_end - first_digit;
    const std::size_t fraction_digits =
        fraction_end == integer_end ? 0 : fraction_end - integer_end - 1;
    if (!has_exponent && integer_digits + fraction_digits <= 15) {
        // Up to 15 significant digits are exact in a double below 2^53, and so is 10^k for k up
        // to 22: one division then rounds correctly, giving the same double as from_chars
        // (Clinger's fast path). Prices and amounts all take it.
        std::int64_t mantissa = 0;
        for (std::size_t i = first_digit; i < integer_end; ++i) {
            mantissa = mantissa * 10 + (text[i] - '0');
        }
        for (std::size_t i = integer_end + 1; i < fraction_end; ++i) {
            mantissa = mantissa * 10 + (text[i] - '0');
        }
        static constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
        if (fraction_digits == 0) {
            // Negated as an integer: "-0" reads as 0, as it always has.
            node.number = static_cast<double>(negative ? -mantissa : mantissa);
        } else {
            const double value = static_cast<double>(mantissa) / kPowersOfTen[fraction_digits];
            node.number = negative ? -value : value;
        }
    } else {
        double value = 0;
        const auto result = std::from_chars(text.data() + start, text.data() + pos, value);
        if (result.ec == std::errc::result_out_of_range) {
            value = outOfRangeValue(text.substr(start, pos - start));
        } else if (result.ec != std::errc{} || result.ptr != text.data() + pos) {
            return fail(ParseError::Malformed, start, "invalid number");
        }
        node.number = value;
    }
    nodes_.push_back(node);
    return true;
}

bool Document::parseStringAfterPlain(std::size_t& pos, std::size_t start) {
    if (pos >= text_.size()) {
        return fail(ParseError::Malformed, pos, "unterminated string");
    }
    if (text_[pos] == '\\') {
        Node node;
        node.type = Type::String;
        node.in_scratch = true;
        node.offset = scratch_.size();
        if (!parseEscapedString(pos, start, node)) {
            return false;
        }
        nodes_.push_back(node);
        return true;
    }
    return fail(ParseError::Malformed, pos, "control character in string");
}

bool Document::parseEscapedString(std::size_t& pos, std::size_t start, Node& node) {
    const std::string_view text = text_;
    scratch_.append(text.data() + start, pos - start);
    while (pos < text.size()) {
        const char c = text[pos];
        if (c == '"') {
            ++pos;
            node.count = static_cast<std::uint32_t>(scratch_.size() - node.offset);
            return true;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            return fail(ParseError::Malformed, pos, "control character in string");
        }
        if (c != '\\') {
            scratch_.push_back(c);
            ++pos;
            continue;
        }
        if (pos + 1 >= text.size()) {
            return fail(ParseError::Malformed, pos, "unterminated string");
        }
        const char escape = text[pos + 1];
        const std::size_t escape_start = pos;
        pos += 2;
        switch (escape) {
        case '"':
        case '\\':
        case '/':
            scratch_.push_back(escape);
            break;
        case 'b':
            scratch_.push_back('\b');
            break;
        case 'f':
            scratch_.push_back('\f');
            break;
        case 'n':
            scratch_.push_back('\n');
            break;
        case 'r':
            scratch_.push_back('\r');
            break;
        case 't':
            scratch_.push_back('\t');
            break;
        case 'u': {
            const int unit = readHex4(text, pos);
            if (unit < 0) {
                return fail(ParseError::Malformed, escape_start, "invalid \\u escape");
            }
            pos += 4;
            auto code_point = static_cast<std::uint32_t>(unit);
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                return fail(ParseError::InvalidUtf8, escape_start, "unpaired low surrogate");
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                const int low = text.substr(pos, 2) == "\\u" ? readHex4(text, pos + 2) : -1;
                if (low < 0xDC00 || low > 0xDFFF) {
                    return fail(ParseError::InvalidUtf8, escape_start, "unpaired high surrogate");
                }
                pos += 6;
                code_point = 0x10000 + ((code_point - 0xD800) << 10) +
                             (static_cast<std::uint32_t>(low) - 0xDC00);
            }
            appendUtf8(scratch_, code_point);
            break;
        }
        default:
            return fail(ParseError::Malformed, escape_start, "invalid escape");
        }
    }
    return fail(ParseError::Malformed, pos, "unterminated string");
}

} // namespace gm::json
