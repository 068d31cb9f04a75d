// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

// Runs a program to its end (killed after `timeout_ms`) and keeps what it said: the tests that
// drive the real globalmart executable share this.
namespace gm::test {

struct ProgramRun {
    QProcess::ExitStatus status = QProcess::CrashExit;
    int exit_code = -1;
    QString out;
    QString err;
};

inline ProgramRun
runProgram(const QString& program, const QStringList& arguments, int timeout_ms,
           const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus(), process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace gm::test
