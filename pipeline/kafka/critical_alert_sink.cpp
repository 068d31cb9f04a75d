// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/critical_alert_sink.h"

#include "generator/json_writer.h"

namespace gm {

std::string CriticalAlertSink::toJson(const AlertRow& alert) {
    using namespace json;
    std::string json;
    json.reserve(256 + alert.title.size() + alert.message.size());
    appendRaw(json, "{\"alert_id\":");
    appendUnsigned(json, alert.alert_id);
    appendRaw(json, ",\"kind\":\"");
    appendRaw(json, alertKindName(alert.kind));
    appendRaw(json, "\",\"severity\":\"");
    appendRaw(json, severityName(alert.severity));
    appendRaw(json, "\",\"subject\":");
    appendString(json, alert.subject);
    appendRaw(json, ",\"title\":");
    appendString(json, alert.title);
    appendRaw(json, ",\"message\":");
    appendString(json, alert.message);
    appendRaw(json, ",\"first_seen\":");
    appendTimestamp(json, alert.first_seen);
    appendRaw(json, ",\"last_seen\":");
    appendTimestamp(json, alert.last_seen);
    appendRaw(json, ",\"occurrences\":");
    appendUnsigned(json, alert.occurrences);
    json.push_back('}');
    return json;
}

void CriticalAlertSink::consume(const RowBatch& rows) {
    for (const AlertRow& alert : rows.alerts) {
        if (alert.severity != Severity::Critical || published_ids_.count(alert.alert_id) > 0) {
            continue;
        }
        if (publisher_.publish(toJson(alert), alert.subject)) {
            ++published_;
        }
        published_ids_.insert(alert.alert_id);
        published_order_.push_back(alert.alert_id);
        if (published_order_.size() > kRemembered) {
            published_ids_.erase(published_order_.front());
            published_order_.pop_front();
        }
    }
}

} // namespace gm
