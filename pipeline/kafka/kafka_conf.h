// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/kafka/kafka_handles.h"
#include "pipeline/kafka/kafka_settings.h"

#include <string>

// The librdkafka side of KafkaSettings, apart from the settings themselves so that code which
// only carries settings (the window's settings dialog) never includes librdkafka.
namespace gm {

enum class KafkaRole { Producer, Consumer };

// A librdkafka configuration: bootstrap servers, our defaults for the role, then the -X pairs.
// On failure returns null and sets `error` to librdkafka's one-line message.
kafka::ConfPtr makeKafkaConf(const KafkaSettings& settings, KafkaRole role, std::string& error);

} // namespace gm
