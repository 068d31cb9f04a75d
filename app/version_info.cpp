// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/version_info.h"

#include "gm_build_info.h" // generated into the build tree: GM_BUILD_VERSION, GM_BUILD_COMMIT

#include <QtGlobal>
#include <libpq-fe.h>
#include <librdkafka/rdkafka.h>
#include <pqxx/version>
#include <string>
#include <string_view>

namespace gm {
namespace {

// PQlibVersion(): major * 10000 + minor since PostgreSQL 10 (150010 -> "15.10"); before 10,
// major * 10000 + minor * 100 + patch (90624 -> "9.6.24").
std::string libpqVersion(int number) {
    if (number <= 0) {
        return "unknown";
    }
    const int major = number / 10000;
    if (major >= 10) {
        return std::to_string(major) + "." + std::to_string(number % 10000);
    }
    return std::to_string(major) + "." + std::to_string(number / 100 % 100) + "." +
           std::to_string(number % 100);
}

// RD_KAFKA_VERSION is 0xMMmmrrxx (xx = 0xff for a final release).
std::string rdkafkaVersion(int number) {
    return std::to_string((number >> 24) & 0xff) + "." + std::to_string((number >> 16) & 0xff) +
           "." + std::to_string((number >> 8) & 0xff);
}

// "  name        value (built with x)": names padded to one column.
void addLine(std::string& out, std::string_view name, const std::string& running,
             const std::string& built_with = {}) {
    constexpr std::size_t kColumn = 12;
    out += "  ";
    out += name;
    out.append(name.size() < kColumn ? kColumn - name.size() : 1, ' ');
    out += running;
    if (!built_with.empty() && built_with != running) {
        out += " (built with " + built_with + ")";
    }
    out += '\n';
}

} // namespace

const char* buildVersion() {
    return GM_BUILD_VERSION;
}

const char* buildCommit() {
    return GM_BUILD_COMMIT;
}

std::string versionReport() {
    std::string out = std::string("globalmart ") + GM_BUILD_VERSION + "\n";
    addLine(out, "commit", GM_BUILD_COMMIT);
    addLine(out, "Qt", qVersion(), QT_VERSION_STR);
    addLine(out, "librdkafka", rd_kafka_version_str(), rdkafkaVersion(RD_KAFKA_VERSION));
    addLine(out, "libpqxx", PQXX_VERSION);
    addLine(out, "libpq", libpqVersion(PQlibVersion()));
    return out;
}

} // namespace gm
