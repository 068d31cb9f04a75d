// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/http_endpoint.h"

#include <QHostAddress>
#include <QString>
#include <algorithm>
#include <charconv>

namespace gm {
namespace {

std::variant<std::uint16_t, std::string> parsePort(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > 65535) {
        return "'" + std::string(text) + "' is not a port number (0 to 65535; 0: any free port)";
    }
    return static_cast<std::uint16_t>(value);
}

} // namespace

std::variant<HttpEndpoint, std::string> parseHttpEndpoint(std::string_view text) {
    HttpEndpoint endpoint;
    std::string_view port_text = text;
    const auto colon = text.rfind(':');
    if (colon != std::string_view::npos) {
        std::string_view address = text.substr(0, colon);
        port_text = text.substr(colon + 1);
        if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
            address = address.substr(1, address.size() - 2);
        } else if (address.find(':') != std::string_view::npos) {
            return "'" + std::string(text) +
                   "': write an IPv6 address in brackets, e.g. [::1]:8080";
        }
        const QHostAddress parsed(QString::fromUtf8(address.data(), std::ssize(address)));
        // QHostAddress also takes inet_aton's short forms ("1.2.3" is 1.2.0.3): too surprising.
        const bool short_ipv4 = parsed.protocol() == QAbstractSocket::IPv4Protocol &&
                                std::count(address.begin(), address.end(), '.') != 3;
        if (parsed.isNull() || short_ipv4) {
            return "'" + std::string(address) +
                   "' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or [::1])";
        }
        endpoint.address = std::string(address);
    }
    auto port = parsePort(port_text);
    if (auto* problem = std::get_if<std::string>(&port)) {
        return *problem;
    }
    endpoint.port = std::get<std::uint16_t>(port);
    return endpoint;
}

} // namespace gm
