// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/api_keys.h"

#include <algorithm>
#include <cmath>
#include <fstream>

namespace gm {

std::variant<std::set<std::string>, std::string> readApiKeys(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return "cannot read " + path;
    }
    std::set<std::string> keys;
    std::string line;
    for (int number = 1; std::getline(file, line); ++number) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') {
            continue;
        }
        const auto last = line.find_last_not_of(" \t\r");
        const std::string key = line.substr(first, last - first + 1);
        const bool printable =
            std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; });
        if (key.size() < 16 || key.size() > 256 || !printable) {
            return path + " line " + std::to_string(number) +
                   ": a key needs 16 to 256 printable ASCII characters without spaces";
        }
        keys.insert(key);
    }
    if (keys.empty()) {
        return path + " holds no key (one per line; # starts a comment)";
    }
    return keys;
}

std::optional<std::chrono::milliseconds> RateLimiter::take(const std::string& key,
                                                           Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto [it, added] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& bucket = it->second;
    if (!added) {
        const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
        bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
        bucket.updated = now;
    }
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return std::nullopt;
    }
    const double wait = (1 - bucket.tokens) / per_second_;
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(wait * 1000)));
}

} // namespace gm
