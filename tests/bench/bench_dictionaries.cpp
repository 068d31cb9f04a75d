// SPDX-License-Identifier: GPL-3.0-or-later
// The open dictionaries at the sizes of issue 16: 1,000,000 user ids, 250,000 product ids and
// 250,000 product names, all outside our catalog's numbering (so all interned). Prints the
// memory each holds (InternTable::bytes(): hash slots, text blocks, id directory) and the cost
// of a lookup: first sight (intern), then again (found), on one thread and on two at once.
// Usage: bench_dictionaries. Fresh dictionaries of the same caps as the process-wide ones.
#include "generator/id_dictionary.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace gm;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> ids(const char* prefix, std::size_t count, std::uint64_t base) {
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(prefix + std::to_string(base + i * 7919 % count));
    }
    return out;
}

double lookups(IdDictionary& dictionary, const std::vector<std::string>& texts, int threads) {
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::uint32_t index = 0;
            for (std::size_t i = static_cast<std::size_t>(t); i < texts.size();
                 i += static_cast<std::size_t>(threads)) {
                dictionary.lookup(texts[i], index);
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
           static_cast<double>(texts.size());
}

void report(const char* what, IdDictionary& dictionary, const std::vector<std::string>& texts) {
    const double intern = lookups(dictionary, texts, 1);
    const double found = lookups(dictionary, texts, 1);
    const double found_two = lookups(dictionary, texts, 2);
    const IdTable& table = dictionary.interned();
    std::printf("%-9s %9u ids %7.1f MiB %5.1f B/id | intern %5.0f ns, found %5.0f ns, found on 2 "
                "threads %5.0f ns per id (wall)\n",
                what, table.size(), static_cast<double>(table.bytes()) / (1 << 20),
                static_cast<double>(table.bytes()) / table.size(), intern, found, found_two);
}

} // namespace

int main() {
    IdDictionary users("USER_", 100'000'000, 16U << 20, std::size_t{512} << 20);
    IdDictionary products("PROD_", 10'000'000, 4U << 20, std::size_t{128} << 20);
    report("users", users, ids("USER_", 1'000'000, 900'000'000));
    report("products", products, ids("PROD_", 250'000, 900'000'000));
    InternTable names(16U << 20, std::size_t{1} << 30);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < 250'000; ++i) {
        texts.push_back("Other shop article " + std::to_string(i) + " with a longer name");
    }
    const auto start = Clock::now();
    for (const std::string& text : texts) {
        names.intern(text);
    }
    std::printf("names     %9u     %7.1f MiB %5.1f B/name (names of ~40 bytes) | intern %5.0f ns\n",
                names.size(), static_cast<double>(names.bytes()) / (1 << 20),
                static_cast<double>(names.bytes()) / names.size(),
                std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
                    static_cast<double>(texts.size()));
    return 0;
}
