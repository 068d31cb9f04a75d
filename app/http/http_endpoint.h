// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace gm {

// Where --http listens: an IPv4 or IPv6 address (loopback unless one is given) and a port
// (0: any free port, reported once listening).
struct HttpEndpoint {
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
};

// "8080", "0.0.0.0:8080", "[::1]:8080", "::1:8080" is refused (ambiguous: brackets needed).
// On failure: one line naming what is wrong, without the option name.
std::variant<HttpEndpoint, std::string> parseHttpEndpoint(std::string_view text);

} // namespace gm
