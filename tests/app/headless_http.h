// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the tests that start the real program headless with --http 0 and talk to it.
#include <QByteArray>
#include <QDeadlineTimer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace gm::test {

// The environment without PG* and GLOBALMART_*, so the program runs as a user's would and does
// not reach the test suite's database.
inline QProcessEnvironment cleanEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith("PG") || key.startsWith("GLOBALMART_")) {
            env.remove(key);
        }
    }
    return env;
}

// Starts `app` headless with `arguments` (which include --http 0) and waits for the line naming
// the port it chose. Returns "127.0.0.1:PORT", or nothing when the line did not come within 30 s;
// `out` receives what the program printed so far.
inline QString startServing(QProcess& app, const QStringList& arguments, QByteArray& out) {
    app.setProcessEnvironment(cleanEnvironment());
    app.start(QStringLiteral(GLOBALMART_EXECUTABLE), arguments);
    if (!app.waitForStarted()) {
        return {};
    }
    const QRegularExpression listening("HTTP server on http://(127\\.0\\.0\\.1:\\d+)");
    const QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        app.waitForReadyRead(200);
        out += app.readAllStandardOutput();
        const QString address = listening.match(QString::fromUtf8(out)).captured(1);
        if (!address.isEmpty()) {
            return address;
        }
    }
    return {};
}

} // namespace gm::test
