// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/api_keys.h"

#include "pipeline/runtime/run_options.h"

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
        if (const auto problem = apiKeyProblem(key)) {
            return path + " line " + std::to_string(number) + ": " + *problem;
        }
        keys.insert(key);
    }
    if (keys.empty()) {
        return path + " holds no key (one per line; # starts a comment)";
    }
    return keys;
}

bool isOneOfTheKeys(const std::set<std::string>& keys, std::string_view candidate) {
    // Every key is compared, each over the candidate's whole length, without an early exit: the
    // time taken does not tell how much of a guess was right (nor which key it was close to).
    unsigned mismatch_all = 1;
    for (const std::string& key : keys) {
        unsigned difference = key.size() == candidate.size() ? 0U : 1U;
        for (std::size_t i = 0; i < candidate.size(); ++i) {
            const char expected = i < key.size() ? key[i] : '\0';
            difference |= static_cast<unsigned char>(expected ^ candidate[i]);
        }
        // 0 when this key matched; the AND stays 0 once any key matched.
        mismatch_all &= static_cast<unsigned>(difference != 0);
    }
    return mismatch_all == 0;
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
