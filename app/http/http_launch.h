// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/http/http_service.h"
#include "pipeline/runtime/run_options.h"

#include <memory>
#include <string>
#include <variant>

namespace gm {

// The --http server of a run (headless or window), listening, its keys read from
// --api-key-file; null without --http; one line when the keys cannot be read or the address
// cannot be used (the caller exits with 2).
std::variant<std::unique_ptr<HttpService>, std::string> startHttp(const RunOptions& options,
                                                                  const RunSlot& slot);

} // namespace gm
