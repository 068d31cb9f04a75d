// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the tests of the Settings dialog's Kafka choices (models and ui).
#include "models/app_settings.h"

#include <string>
#include <utility>
#include <vector>

namespace gm::test {

using Properties = std::vector<std::pair<std::string, std::string>>;

// The dialog's settings for "publish generated events to these brokers".
inline AppSettings publishingTo(const QString& brokers) {
    AppSettings settings;
    settings.kafka_publish = true;
    settings.kafka_brokers = brokers;
    return settings;
}

} // namespace gm::test
