// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace gm {

// What `globalmart --version` prints: the first line is "globalmart <version>" (help2man and
// scripts read only that line), then the git commit the build was configured from and the
// versions of the libraries the process actually runs with (Qt, librdkafka and libpq report
// their run-time versions; libpqxx its compile-time PQXX_VERSION, which is exact because its
// soname carries the full version). Ends with a newline.
std::string versionReport();

// The bare version ("0.1.0") and commit ("7aa0e4b-dirty", or "unknown" outside a git checkout).
const char* buildVersion();
const char* buildCommit();

} // namespace gm
