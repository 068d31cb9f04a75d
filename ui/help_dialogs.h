// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace gm {

// Help ▸ About: version, commit, licences and the library versions this process runs with (the
// report of `globalmart --version`).
QString aboutText();
void showAboutDialog(QWidget* parent);

// Help ▸ Usage (F1): the README's "Run and test" and "Configuration" sections, bundled as a Qt
// resource (":/help/README.md"), shown without a network. Empty when the resource is missing.
QString usageMarkdown();
void showUsageDialog(QWidget* parent);

} // namespace gm
