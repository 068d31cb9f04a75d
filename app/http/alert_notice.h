// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/rows.h"

#include <string>

namespace gm {

// The webhook body of one alert: a Slack-compatible "text" line and the alert's fields.
// {"text":"[critical] High-value transaction: ...","alert":{"alert_id":"12","kind":"high_value",
//  "severity":"critical","subject":"...","title":"...","message":"...",
//  "first_seen":"...Z","last_seen":"...Z","occurrences":1}}
// alert_id is a JSON string: ids are 63-bit hashes, and JavaScript numbers keep 53 bits.
std::string alertWebhookJson(const AlertRow& alert);

} // namespace gm
