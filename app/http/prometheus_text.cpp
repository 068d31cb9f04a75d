// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/prometheus_text.h"

#include <cmath>
#include <cstdio>

namespace gm {
namespace {

void appendEscaped(std::string& out, std::string_view value, bool in_help) {
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && !in_help) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

} // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    appendEscaped(text_, help, true);
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
}

void PrometheusText::sample(std::string_view name, const MetricLabels& labels, double value) {
    text_ += name;
    if (!labels.empty()) {
        text_ += '{';
        bool first = true;
        for (const auto& [label, label_value] : labels) {
            text_ += first ? "" : ",";
            first = false;
            text_ += label;
            text_ += "=\"";
            appendEscaped(text_, label_value, false);
            text_ += '"';
        }
        text_ += '}';
    }
    char number[64];
    if (std::isnan(value)) {
        std::snprintf(number, sizeof number, "NaN");
    } else if (std::isinf(value)) {
        std::snprintf(number, sizeof number, value > 0 ? "+Inf" : "-Inf");
    } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
        std::snprintf(number, sizeof number, "%.0f", value);
    } else {
        std::snprintf(number, sizeof number, "%.17g", value);
    }
    text_ += ' ';
    text_ += number;
    text_ += '\n';
}

} // namespace gm
