// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <vector>

// A loopback webhook receiver for tests: a QTcpServer that reads each HTTP request (headers and
// a Content-Length body), keeps the bodies of the requests it accepted, and answers the first
// `failures` requests with 500 and the others with 200. Lives on the test's thread: the test's
// event loop (QTRY_*) serves it.
namespace gm::test {

class WebhookReceiver : public QObject {
public:
    explicit WebhookReceiver(int failures = 0) : failures_(failures) {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        clock_.start();
    }
    bool listen() { return server_.listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QString("http://127.0.0.1:%1/hook").arg(server_.serverPort()); }
    void close() { server_.close(); }

    std::vector<QByteArray> accepted;  // bodies answered 200, in arrival order
    std::vector<qint64> request_times; // ms since construction, every request
    int requests = 0;
    QByteArray last_content_type;

private:
    void read(QTcpSocket* socket) {
        QByteArray& buffer = buffers_[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        qsizetype length = 0;
        for (const QByteArray& line : buffer.left(end).split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (trimmed.toLower().startsWith("content-length:")) {
                length = trimmed.mid(15).trimmed().toLongLong();
            } else if (trimmed.toLower().startsWith("content-type:")) {
                last_content_type = trimmed.mid(13).trimmed();
            }
        }
        if (buffer.size() < end + 4 + length) {
            return;
        }
        const QByteArray body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);
        ++requests;
        request_times.push_back(clock_.elapsed());
        const bool fail = requests <= failures_;
        if (!fail) {
            accepted.push_back(body);
        }
        socket->write(fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                           : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }

    QTcpServer server_;
    QHash<QTcpSocket*, QByteArray> buffers_;
    QElapsedTimer clock_;
    int failures_;
};

} // namespace gm::test
