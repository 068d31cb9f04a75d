// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/palette_colors.h"

#include <array>

namespace gm {

QColor seriesColor(int index) {
    // Twelve before they repeat: the Carts page draws the total and one line per country, and
    // a reference-data file can add countries to the five built-in ones.
    static const std::array<QColor, 12> colors{
        QColor(0x1e, 0x88, 0xe5), QColor(0x43, 0xa0, 0x47), QColor(0x8e, 0x24, 0xaa),
        QColor(0xfb, 0x8c, 0x00), QColor(0x00, 0xac, 0xc1), QColor(0xd8, 0x1b, 0x60),
        QColor(0x6d, 0x4c, 0x41), QColor(0x7c, 0xb3, 0x42), QColor(0x39, 0x49, 0xab),
        QColor(0x54, 0x6e, 0x7a), QColor(0xff, 0xb3, 0x00), QColor(0x00, 0x89, 0x7b)};
    return colors[static_cast<std::size_t>(index) % colors.size()];
}

QColor severityColor(int severity_index) {
    static const std::array<QColor, 4> colors{QColor(0xe5, 0x39, 0x35), QColor(0xfb, 0x8c, 0x00),
                                              QColor(0xfd, 0xd8, 0x35), QColor(0x7c, 0xb3, 0x42)};
    return colors[static_cast<std::size_t>(severity_index) % colors.size()];
}

} // namespace gm
