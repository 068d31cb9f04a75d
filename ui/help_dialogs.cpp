// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/help_dialogs.h"

#include "app/version_info.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QTextBrowser>
#include <QVBoxLayout>

// The README travels in gm_ui, a static library: its resource registers on first use (the
// macro must stand outside any namespace).
static void registerHelpResource() {
    static const bool registered = [] {
        Q_INIT_RESOURCE(help);
        return true;
    }();
    (void)registered;
}

namespace gm {
namespace {

// The text of "## <title>" up to the next "## " heading (without it).
QString section(const QString& markdown, const QString& title) {
    const QString heading = QStringLiteral("## ") + title + QLatin1Char('\n');
    const qsizetype start = markdown.indexOf(heading);
    if (start < 0) {
        return {};
    }
    const qsizetype end = markdown.indexOf(QStringLiteral("\n## "), start + heading.size());
    return markdown.mid(start, end < 0 ? -1 : end - start + 1);
}

void showText(QWidget* parent, const QString& title, const QString& text, bool markdown) {
    QDialog dialog(parent);
    dialog.setWindowTitle(title);
    auto* layout = new QVBoxLayout(&dialog);
    auto* browser = new QTextBrowser(&dialog);
    browser->setOpenExternalLinks(false);
    browser->setOpenLinks(false);
    if (markdown) {
        browser->setMarkdown(text);
    } else {
        browser->setHtml(text);
    }
    layout->addWidget(browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(760, 560);
    dialog.exec();
}

} // namespace

QString aboutText() {
    const QString report = QString::fromStdString(versionReport()).toHtmlEscaped();
    return QObject::tr(
               "<h2>GlobalMart Monitor %1</h2>"
               "<p>Real-time e-commerce monitoring: a simulated shop, a stream pipeline on "
               "event-time windows, PostgreSQL persistence and Kafka.</p>"
               "<p><b>Licence:</b> GNU General Public License, version 3 or later "
               "(GPL-3.0-or-later). This program comes with ABSOLUTELY NO WARRANTY.</p>"
               "<p><b>Libraries and their licences:</b> Qt 6 (LGPL-3.0; Qt Charts GPL-3.0), "
               "librdkafka (BSD-2-Clause), libpqxx (BSD-3-Clause), libpq (PostgreSQL "
               "Licence).</p>"
               "<p><b>This build</b> (as <code>globalmart --version</code> reports it):</p>"
               "<pre>%2</pre>")
        .arg(QString::fromUtf8(buildVersion()), report);
}

void showAboutDialog(QWidget* parent) {
    showText(parent, QObject::tr("About GlobalMart Monitor"), aboutText(), false);
}

QString usageMarkdown() {
    registerHelpResource();
    QFile file(QStringLiteral(":/help/README.md"));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    const QString readme = QString::fromUtf8(file.readAll());
    return section(readme, QStringLiteral("Run and test")) +
           section(readme, QStringLiteral("Configuration"));
}

void showUsageDialog(QWidget* parent) {
    QString text = usageMarkdown();
    if (text.isEmpty()) {
        text = QObject::tr("The usage text is missing from this build; `globalmart --help` lists "
                           "every option.");
    }
    showText(parent, QObject::tr("GlobalMart Monitor — usage"), text, true);
}

} // namespace gm
