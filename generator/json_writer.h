// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Appends JSON tokens to a caller-owned buffer. The buffer is reused from event to event, so after
// the first few events encoding does not allocate at all.
namespace gm::json {

// A JSON string, quoted, with '"', '\\' and control characters escaped. Other bytes pass through
// unchanged: the text is expected to be UTF-8 already.
void appendString(std::string& out, std::string_view text);
// Appends text that is known to need no escaping (field names, vocabulary names).
inline void appendRaw(std::string& out, std::string_view text) {
    out.append(text);
}

void appendUnsigned(std::string& out, std::uint64_t value);
// Money as a number with exactly two decimals: 1999 -> 19.99, -50 -> -0.50.
void appendCents(std::string& out, Cents cents);
void appendBool(std::string& out, bool value);
void appendNull(std::string& out);

// Quoted edge forms of the process's compact types.
void appendTimestamp(std::string& out, TimestampUs time); // "2026-11-25T10:15:30.123456Z"
void appendUuid(std::string& out, const Uuid& id);
void appendUserId(std::string& out, UserId user);          // "USER_00000042"
void appendProductId(std::string& out, ProductId product); // "PROD_00000042"

// The member names of an object whose fields are described by Fields (an array of elements with
// a `key`, e.g. event_fields::kCartEventFields), rendered once at compile time, so that writing
// one costs what a string literal does:
//   using Cart = Members<event_fields::kCartEventFields>;
//   out.append(Cart::open("event_id"));   // {"event_id":
//   out.append(Cart::next("timestamp"));  // ,"timestamp":
// and for the objects of an array, nextOpen() (,{"key":) and first() ("key":).
// A key Fields lacks does not compile.
template <const auto& Fields> class Members {
public:
    static consteval std::string_view next(std::string_view key) { return fragment(key, 0); }
    static consteval std::string_view first(std::string_view key) { return next(key).substr(1); }
    static consteval std::string_view nextOpen(std::string_view key) { return fragment(key, 1); }
    static consteval std::string_view open(std::string_view key) { return nextOpen(key).substr(1); }

private:
    // Per field two fragments: ,"key": and ,{"key":
    static consteval std::string_view fragment(std::string_view key, std::size_t form) {
        for (std::size_t i = 0; i < Fields.size(); ++i) {
            if (Fields[i].key == key) {
                const std::size_t at = 2 * i + form;
                return std::string_view(kText.chars.data() + kText.offsets[at],
                                        kText.offsets[at + 1] - kText.offsets[at]);
            }
        }
        throw "no such member"; // not a constant expression: a compile error
    }
    static constexpr std::size_t kBytes = [] {
        std::size_t bytes = 0;
        for (const auto& field : Fields) {
            bytes += 2 * field.key.size() + 9; // ,"key": and ,{"key":
        }
        return bytes;
    }();
    struct Text {
        std::array<char, kBytes> chars{};
        std::array<std::size_t, 2 * Fields.size() + 1> offsets{};
    };
    static constexpr Text kText = [] {
        Text text;
        std::size_t at = 0;
        for (std::size_t i = 0; i < Fields.size(); ++i) {
            for (const bool opens : {false, true}) {
                text.offsets[2 * i + (opens ? 1 : 0)] = at;
                text.chars[at++] = ',';
                if (opens) {
                    text.chars[at++] = '{';
                }
                text.chars[at++] = '"';
                for (const char c : Fields[i].key) {
                    text.chars[at++] = c;
                }
                text.chars[at++] = '"';
                text.chars[at++] = ':';
            }
        }
        text.offsets[2 * Fields.size()] = at;
        return text;
    }();
};

} // namespace gm::json
