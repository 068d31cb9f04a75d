// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace gm::test {

// One check of a scenario file and what the run produced for it.
struct ScenarioCheck {
    int line = 0;      // of the expect directive
    std::string title; // "expect sales_per_minute", "expect counter carts.late 1", ...
    std::vector<std::string> expected;
    std::vector<std::string> actual;
    std::string error; // a problem with the file itself (then the check fails)
};

// Runs a scenario file (format: scenarios/README.md) through the pipeline with the given worker
// count and returns its checks in file order. Parse errors come back as a failing check.
std::vector<ScenarioCheck> runScenario(const std::string& path, int workers);

} // namespace gm::test
