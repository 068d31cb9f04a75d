// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/dead_letter_rows.h"

namespace gm {

RejectedEvent toRejectedEvent(DeadLetter&& letter) {
    RejectedEvent row;
    row.received_at = letter.received_at;
    row.source = "kafka";
    row.topic = std::move(letter.topic);
    row.partition = letter.partition;
    row.offset = letter.offset;
    row.reason = std::string(reasonName(letter.reason));
    row.detail = std::move(letter.detail);
    row.payload = std::move(letter.payload);
    return row;
}

} // namespace gm
