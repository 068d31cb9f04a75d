// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/alert_notice.h"

#include "app/http/json_text.h"
#include "generator/timestamp.h"

namespace gm {

std::string alertWebhookJson(const AlertRow& alert) {
    const std::string text =
        "[" + std::string(severityName(alert.severity)) + "] " + alert.title + ": " + alert.message;
    return "{\"text\":" + jsonString(text) +
           ",\"alert\":{\"alert_id\":" + jsonString(std::to_string(alert.alert_id)) +
           ",\"kind\":" + jsonString(alertKindName(alert.kind)) +
           ",\"severity\":" + jsonString(severityName(alert.severity)) +
           ",\"subject\":" + jsonString(alert.subject) + ",\"title\":" + jsonString(alert.title) +
           ",\"message\":" + jsonString(alert.message) +
           ",\"first_seen\":" + jsonString(formatIsoTimestamp(alert.first_seen)) +
           ",\"last_seen\":" + jsonString(formatIsoTimestamp(alert.last_seen)) +
           ",\"occurrences\":" + std::to_string(alert.occurrences) + "}}";
}

} // namespace gm
