// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/pipeline_config.h"

#include <algorithm>
#include <thread>

namespace gm {

std::string_view jobName(JobId job) {
    switch (job) {
    case JobId::Sales:
        return "sales";
    case JobId::Carts:
        return "carts";
    case JobId::Views:
        return "views";
    case JobId::Anomalies:
        return "anomalies";
    case JobId::Inventory:
        return "inventory";
    }
    return "?";
}

int defaultWorkerCount() {
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    return std::max(1, cores - 1);
}

} // namespace gm
