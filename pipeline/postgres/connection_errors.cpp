// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/connection_errors.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <libpq-fe.h>
#include <memory>

namespace gm {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// Case-insensitive search for "password" followed by optional blanks and '='.
std::size_t findPasswordKey(std::string_view text, std::size_t from, std::size_t& value_begin) {
    static constexpr std::string_view key = "password";
    for (std::size_t i = from; i + key.size() <= text.size(); ++i) {
        bool match = true;
        for (std::size_t k = 0; k < key.size() && match; ++k) {
            match = std::tolower(static_cast<unsigned char>(text[i + k])) == key[k];
        }
        if (!match) {
            continue;
        }
        std::size_t j = i + key.size();
        while (j < text.size() && text[j] == ' ') {
            ++j;
        }
        if (j < text.size() && text[j] == '=') {
            ++j;
            while (j < text.size() && text[j] == ' ') {
                ++j;
            }
            value_begin = j;
            return i;
        }
    }
    return std::string_view::npos;
}

std::string redactKeyValuePasswords(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    std::size_t value = 0;
    while (true) {
        const std::size_t key = findPasswordKey(text, pos, value);
        if (key == std::string_view::npos) {
            break;
        }
        out.append(text.substr(pos, value - pos));
        out.append("***");
        std::size_t end = value;
        if (end < text.size() && text[end] == '\'') {
            // Quoted value: runs to the next unescaped quote.
            ++end;
            while (end < text.size() && text[end] != '\'') {
                end += text[end] == '\\' ? 2 : 1;
            }
            end = std::min(end + 1, text.size());
        } else {
            // Unquoted: up to a blank, or to & in a URI query string.
            while (end < text.size() && text[end] != ' ' && text[end] != '&' && text[end] != '\n') {
                ++end;
            }
        }
        pos = end;
    }
    out.append(text.substr(pos));
    return out;
}

// postgres[ql]://user:secret@host -> postgres[ql]://user:***@host
std::string redactUriPasswords(std::string_view text) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const std::size_t scheme = text.find("://", pos);
        if (scheme == std::string_view::npos) {
            break;
        }
        const std::size_t authority = scheme + 3;
        std::size_t end = authority;
        while (end < text.size() && text[end] != '/' && text[end] != ' ' && text[end] != '?' &&
               text[end] != '\n') {
            ++end;
        }
        const std::string_view part = text.substr(authority, end - authority);
        const std::size_t at = part.rfind('@');
        const std::size_t colon = at == std::string_view::npos ? at : part.find(':');
        if (at != std::string_view::npos && colon != std::string_view::npos && colon < at) {
            out.append(text.substr(pos, authority + colon + 1 - pos));
            out.append("***");
            out.append(part.substr(at));
        } else {
            out.append(text.substr(pos, end - pos));
        }
        pos = end;
    }
    out.append(text.substr(pos));
    return out;
}

struct ConninfoOptionsDeleter {
    void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter>;

// A keyword whose value libpq checks only when connecting, and the variable it falls back to.
struct CheckedKeyword {
    const char* keyword;
    const char* variable;
    bool (*valid)(std::string_view value);
    const char* expected;
};

bool isOneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool isWholeNumber(std::string_view text, long min, long max) {
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() && value >= min && value <= max;
}

// A port list for several hosts: "5432,5433"; an empty entry means the default port.
bool isPortList(std::string_view value) {
    while (true) {
        const auto comma = value.find(',');
        const std::string_view port = value.substr(0, comma);
        if (!port.empty() && !isWholeNumber(port, 1, 65535)) {
            return false;
        }
        if (comma == std::string_view::npos) {
            return true;
        }
        value.remove_prefix(comma + 1);
    }
}

constexpr std::array<CheckedKeyword, 6> kCheckedKeywords = {{
    {"port", "PGPORT", [](std::string_view v) { return isPortList(v); }, "a port 1-65535"},
    {"sslmode", "PGSSLMODE",
     [](std::string_view v) {
         return isOneOf(v, {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"});
     },
     "disable, allow, prefer, require, verify-ca or verify-full"},
    {"gssencmode", "PGGSSENCMODE",
     [](std::string_view v) {
         return isOneOf(v, {"disable", "prefer", "require"});
     },
     "disable, prefer or require"},
    {"channel_binding", "PGCHANNELBINDING",
     [](std::string_view v) {
         return isOneOf(v, {"disable", "prefer", "require"});
     },
     "disable, prefer or require"},
    {"target_session_attrs", "PGTARGETSESSIONATTRS",
     [](std::string_view v) {
         return isOneOf(v,
                        {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"});
     },
     "any, read-write, read-only, primary, standby or prefer-standby"},
    {"connect_timeout", "PGCONNECT_TIMEOUT",
     [](std::string_view v) { return isWholeNumber(v, 0, 2'147'483'647); }, "whole seconds"},
}};

} // namespace

std::string redactSecrets(std::string_view text) {
    return redactUriPasswords(redactKeyValuePasswords(text));
}

std::string firstLine(std::string_view message) {
    std::size_t begin = 0;
    while (begin < message.size() && std::isspace(static_cast<unsigned char>(message[begin]))) {
        ++begin;
    }
    std::size_t end = message.find('\n', begin);
    if (end == std::string_view::npos) {
        end = message.size();
    }
    while (end > begin && std::isspace(static_cast<unsigned char>(message[end - 1]))) {
        --end;
    }
    return redactSecrets(message.substr(begin, end - begin));
}

std::optional<std::string> conninfoSyntaxError(const std::string& conninfo) {
    char* error = nullptr;
    ConninfoOptions options(PQconninfoParse(conninfo.c_str(), &error));
    if (options) {
        return std::nullopt;
    }
    std::string message = error != nullptr ? firstLine(error) : "out of memory";
    PQfreemem(error);
    return "bad database URL: " + message;
}

std::optional<std::string>
connectionValueError(const std::string& conninfo, std::string_view setting,
                     const std::function<std::optional<std::string>(const char*)>& environment) {
    char* error = nullptr;
    ConninfoOptions given(PQconninfoParse(conninfo.c_str(), &error));
    if (!given) {
        std::string message = error != nullptr ? firstLine(error) : "out of memory";
        PQfreemem(error);
        return std::string(setting) + ": bad database URL: " + message;
    }
    for (const CheckedKeyword& checked : kCheckedKeywords) {
        std::optional<std::string> value;
        std::string source;
        for (const PQconninfoOption* o = given.get(); o->keyword != nullptr; ++o) {
            if (std::string_view(o->keyword) == checked.keyword && o->val != nullptr) {
                value = o->val;
                source = std::string(setting) + ": " + checked.keyword;
            }
        }
        if (!value) {
            value = environment(checked.variable);
            source = checked.variable;
        }
        if (value && !checked.valid(*value)) {
            return source + " is '" + redactSecrets(*value) + "', expected " + checked.expected;
        }
    }
    return std::nullopt;
}

std::string connectionFailureState(std::string_view m) {
    if (contains(m, "password authentication failed") || contains(m, "no password supplied") ||
        contains(m, "fe_sendauth")) {
        return "28P01";
    }
    if (contains(m, "pg_hba.conf") || (contains(m, "role") && contains(m, "does not exist")) ||
        contains(m, "authentication failed") || contains(m, "permission denied") ||
        contains(m, "not permitted to log in")) {
        return "28000";
    }
    if (contains(m, "database") && contains(m, "does not exist")) {
        return "3D000";
    }
    return "08001";
}

bool isConfigurationFailure(std::string_view state) {
    return state == "28P01" || state == "28000" || state == "3D000";
}

std::string describeTarget(const std::string& conninfo) {
    char* error = nullptr;
    ConninfoOptions given(PQconninfoParse(conninfo.c_str(), &error));
    PQfreemem(error);
    ConninfoOptions defaults(PQconndefaults()); // compiled-in defaults overlaid with PG*
    auto value = [&](std::string_view keyword) -> std::string {
        for (const ConninfoOptions* list : {&given, &defaults}) {
            if (!*list) {
                continue;
            }
            for (const PQconninfoOption* o = list->get(); o->keyword != nullptr; ++o) {
                if (keyword == o->keyword && o->val != nullptr && *o->val != '\0') {
                    return o->val;
                }
            }
        }
        return {};
    };
    std::string host = value("host");
    if (host.empty()) {
        host = value("hostaddr");
    }
    std::string out = "host " + (host.empty() ? std::string("(default socket)") : host);
    if (const std::string port = value("port"); !port.empty()) {
        out += " port " + port;
    }
    if (const std::string db = value("dbname"); !db.empty()) {
        out += " database " + db;
    }
    if (const std::string user = value("user"); !user.empty()) {
        out += " user " + user;
    }
    return redactSecrets(out);
}

std::string describeConnectionFailure(std::string_view libpq_message, std::string_view conninfo) {
    const std::string detail = firstLine(libpq_message);
    const std::string target = describeTarget(std::string(conninfo));
    const std::string_view m = libpq_message;
    if (contains(m, "invalid URI") || contains(m, "invalid connection option") ||
        contains(m, "missing \"=\"") || contains(m, "unterminated quoted string") ||
        contains(m, "invalid integer value") || contains(m, "invalid port number") ||
        contains(m, "invalid sslmode") || contains(m, "invalid percent-encoded")) {
        return "bad database URL: " + detail;
    }
    if (contains(m, "password authentication failed")) {
        return "wrong password or user name for " + target + " (" + detail + ")";
    }
    if (contains(m, "no password supplied") || contains(m, "fe_sendauth")) {
        return "the server at " + target + " wants a password and none was given (" + detail + ")";
    }
    if (contains(m, "could not translate host name")) {
        return "unknown host: " + target + " (" + detail + ")";
    }
    if (contains(m, "Connection refused") || contains(m, "No such file or directory")) {
        return "no PostgreSQL server is listening at " + target + " (" + detail + ")";
    }
    if (contains(m, "timeout expired") || contains(m, "Network is unreachable") ||
        contains(m, "No route to host") || contains(m, "timed out")) {
        return "cannot reach " + target + " (" + detail + ")";
    }
    if (contains(m, "does not exist")) {
        // Drop libpq's "connection to server on socket ... failed: FATAL:" preamble.
        const std::size_t fatal = detail.find("FATAL:");
        std::string reason = fatal == std::string::npos ? detail : detail.substr(fatal + 6);
        reason.erase(0, reason.find_first_not_of(' '));
        return reason + " on the server at " + target;
    }
    if (contains(m, "pg_hba.conf")) {
        return "the server refused the connection by its pg_hba.conf rules (" + detail + ")";
    }
    if (contains(m, "the database system is starting up") ||
        contains(m, "the database system is shutting down")) {
        return "the server at " + target + " is not ready (" + detail + ")";
    }
    return "cannot connect to " + target + ": " + detail;
}

} // namespace gm
