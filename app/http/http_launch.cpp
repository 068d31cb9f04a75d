// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/http_launch.h"

#include "app/http/api_keys.h"

namespace gm {

std::variant<std::unique_ptr<HttpService>, std::string> startHttp(const RunOptions& options,
                                                                  const RunSlot& slot) {
    if (options.http_port < 0) {
        return std::unique_ptr<HttpService>();
    }
    HttpServiceOptions http;
    http.endpoint = {options.http_address, static_cast<std::uint16_t>(options.http_port)};
    http.access.requests_per_second = options.api_rate;
    http.access.burst = 2 * options.api_rate;
    if (!options.api_key_file.empty()) {
        auto keys = readApiKeys(options.api_key_file);
        if (const auto* problem = std::get_if<std::string>(&keys)) {
            return "--api-key-file: " + *problem;
        }
        http.access.keys = std::get<std::set<std::string>>(std::move(keys));
    }
    auto service = std::make_unique<HttpService>(slot, std::move(http));
    if (auto problem = service->start()) {
        return *problem;
    }
    return service;
}

} // namespace gm
