// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/process_figures.h"

#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace gm {
namespace {

double bootTimeSeconds() {
    std::ifstream stat("/proc/stat");
    std::string key;
    while (stat >> key) {
        if (key == "btime") {
            double value = 0;
            stat >> value;
            return value;
        }
    }
    return 0;
}

double openFileDescriptors() {
    DIR* directory = opendir("/proc/self/fd");
    if (directory == nullptr) {
        return 0;
    }
    double count = 0;
    while (const dirent* entry = readdir(directory)) {
        count += entry->d_name[0] == '.' ? 0 : 1;
    }
    closedir(directory);
    return count - 1; // the descriptor opendir itself holds
}

} // namespace

std::optional<ProcessFigures> readProcessFigures() {
    std::ifstream stat_file("/proc/self/stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    // The command name (field 2) may hold spaces: fields are counted after its closing ')'.
    const auto close = stat.rfind(')');
    std::ifstream statm("/proc/self/statm");
    double size_pages = 0;
    double resident_pages = 0;
    if (close == std::string::npos || !(statm >> size_pages >> resident_pages)) {
        return std::nullopt;
    }
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    double start_ticks = 0;
    // After ')': field 3 (state) is index 0; utime is field 14, stime 15, starttime 22.
    for (int index = 0; fields >> field; ++index) {
        if (index == 11) {
            utime = std::stod(field);
        } else if (index == 12) {
            stime = std::stod(field);
        } else if (index == 19) {
            start_ticks = std::stod(field);
            break;
        }
    }
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    ProcessFigures figures;
    figures.resident_bytes = resident_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
    figures.cpu_seconds = (utime + stime) / ticks;
    figures.start_time_seconds = bootTimeSeconds() + start_ticks / ticks;
    figures.open_fds = openFileDescriptors();
    return figures;
}

} // namespace gm
