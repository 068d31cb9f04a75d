// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The Prometheus text exposition format (version 0.0.4): one # HELP and # TYPE per family,
// then its samples. Label values are escaped here; names are the caller's constants.
namespace gm {

using MetricLabels = std::vector<std::pair<std::string_view, std::string>>;

class PrometheusText {
public:
    // type: "counter", "gauge" or "histogram". A counter's name ends in _total.
    void family(std::string_view name, std::string_view type, std::string_view help);
    // A sample of the current family (name given again for histogram _bucket/_sum/_count).
    void sample(std::string_view name, const MetricLabels& labels, double value);
    void sample(std::string_view name, double value) { sample(name, {}, value); }
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

} // namespace gm
