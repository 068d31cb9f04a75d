// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <map>
#include <utility>

// A blocking HTTP client for tests: QNetworkAccessManager driven by a local event loop (the
// server answers on a thread of its own).
namespace gm::test {

struct Answer {
    int status = 0;
    QByteArray body;
    std::map<QByteArray, QByteArray> headers; // names in lower case
    QByteArray header(const QByteArray& name) const {
        const auto it = headers.find(name.toLower());
        return it == headers.end() ? QByteArray() : it->second;
    }
};

inline Answer request(QNetworkAccessManager& manager, const QByteArray& method, const QUrl& url,
                      const std::map<QByteArray, QByteArray>& headers = {}) {
    QNetworkRequest request(url);
    for (const auto& [name, value] : headers) {
        request.setRawHeader(name, value);
    }
    QNetworkReply* reply = manager.sendCustomRequest(request, method);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20'000, &loop, &QEventLoop::quit);
    loop.exec();
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    for (const auto& [name, value] : reply->rawHeaderPairs()) {
        answer.headers[name.toLower()] = value;
    }
    reply->deleteLater();
    return answer;
}

// Writes `bytes` on a fresh connection and reads until the server closes it or `timeout_ms`
// passes; returns everything read.
inline QByteArray rawExchange(quint16 port, const QByteArray& bytes, int timeout_ms = 5'000,
                              int expected_responses = 0) {
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", port);
    if (!socket.waitForConnected(5'000)) {
        return {};
    }
    socket.write(bytes);
    socket.waitForBytesWritten(5'000);
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeout_ms && socket.state() == QAbstractSocket::ConnectedState) {
        if (socket.waitForReadyRead(100)) {
            received += socket.readAll();
        }
        if (expected_responses > 0 && received.count("HTTP/1.1 ") >= expected_responses) {
            // Wait until the last body is complete: its Content-Length says how long it is.
            const auto last = received.lastIndexOf("HTTP/1.1 ");
            const auto header_end = received.indexOf("\r\n\r\n", last);
            const auto length_at = received.toLower().indexOf("content-length:", last);
            if (header_end > 0 && length_at > 0 && length_at < header_end) {
                const auto line_end = received.indexOf("\r\n", length_at);
                const int length =
                    received.mid(length_at + 15, line_end - length_at - 15).trimmed().toInt();
                if (received.size() >= header_end + 4 + length) {
                    break;
                }
            }
        }
    }
    received += socket.readAll();
    return received;
}

} // namespace gm::test
