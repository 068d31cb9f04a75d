// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace gm {

// The keys --api-key-file lists: one per line, blank lines and lines starting with # ignored,
// surrounding spaces trimmed. A key has 16 to 256 printable ASCII characters without spaces.
// Keys are secrets: nothing here ever prints one (errors name the line number only).
std::variant<std::set<std::string>, std::string> readApiKeys(const std::string& path);

// Whether `candidate` is one of `keys`, in time that depends on the candidate's length and the
// number of keys only, not on how many characters of a guess are right.
bool isOneOfTheKeys(const std::set<std::string>& keys, std::string_view candidate);

// A token bucket per key: `per_second` requests on average, bursts of up to `burst`.
class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}
    // Takes one token for `key`; when there is none, how long until there is one.
    std::optional<std::chrono::milliseconds> take(const std::string& key,
                                                  Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    double per_second_;
    double burst_;
    std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

} // namespace gm
