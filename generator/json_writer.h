// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "generator/events.h"

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

} // namespace gm::json
