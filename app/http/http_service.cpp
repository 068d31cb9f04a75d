// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/http_service.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QMetaObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrlQuery>

namespace gm {
namespace {

constexpr const char* kUnansweredBytes = "gm_unanswered_bytes";

std::string methodName(QHttpServerRequest::Method method) {
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    default:
        return "OTHER";
    }
}

HttpRequestView requestView(const QHttpServerRequest& request) {
    HttpRequestView view;
    view.method = methodName(request.method());
    view.path = request.url().path().toStdString();
    const QUrlQuery query(request.url());
    for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
        view.query.emplace_back(key.toStdString(), value.toStdString());
    }
    for (const auto& [name, value] : request.headers()) {
        if (name.compare("X-API-Key", Qt::CaseInsensitive) == 0) {
            view.api_key = value.trimmed().toStdString();
        } else if (name.compare("Accept", Qt::CaseInsensitive) == 0) {
            view.accept = value.toStdString();
        }
    }
    return view;
}

// Counts what arrives on each connection before the server parses it, so that a client
// cannot make it buffer an unbounded request: past the limit it answers 413 and closes.
class GuardedTcpServer : public QTcpServer {
public:
    GuardedTcpServer(std::size_t max_bytes, std::function<HttpReply()> refusal)
        : max_bytes_(max_bytes), refusal_(std::move(refusal)) {}

protected:
    void incomingConnection(qintptr descriptor) override {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        // Connected before the HTTP server's own handler, so this runs first on every read.
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { guard(socket); });
        addPendingConnection(socket);
    }

private:
    void guard(QTcpSocket* socket) {
        const auto total = socket->property(kUnansweredBytes).toULongLong() +
                           static_cast<qulonglong>(socket->bytesAvailable());
        socket->setProperty(kUnansweredBytes, total);
        if (total <= max_bytes_) {
            return;
        }
        const HttpReply reply = refusal_();
        socket->readAll(); // nothing left for the parser
        const QByteArray body = QByteArray::fromStdString(reply.body);
        socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\nContent-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    std::size_t max_bytes_;
    std::function<HttpReply()> refusal_;
};

} // namespace

struct HttpService::Server : QAbstractHttpServer {
    explicit Server(ApiHandler& handler) : handler_(handler) {}

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override {
        socket->setProperty(kUnansweredBytes, qulonglong{0});
        const HttpReply reply = handler_.handle(requestView(request));
        QHttpServerResponse response(QByteArray::fromStdString(reply.content_type),
                                     QByteArray::fromStdString(reply.body),
                                     static_cast<QHttpServerResponse::StatusCode>(reply.status));
        for (const auto& [name, value] : reply.headers) {
            response.addHeader(QByteArray::fromStdString(name), QByteArray::fromStdString(value));
        }
        response.write(makeResponder(request, socket));
        return true;
    }
    void missingHandler(const QHttpServerRequest&, QTcpSocket*) override {
        // handleRequest answers every request (unknown paths get a JSON 404 there).
    }

private:
    ApiHandler& handler_;
};

HttpService::HttpService(const RunSlot& slot, HttpServiceOptions options)
    : slot_(slot), options_(std::move(options)) {}

HttpService::~HttpService() {
    stop();
}

std::optional<std::string> HttpService::start() {
    if (thread_) {
        return std::nullopt;
    }
    handler_ = std::make_unique<ApiHandler>(slot_, options_.access, options_.webhook);
    thread_ = std::make_unique<QThread>();
    thread_->setObjectName("http");
    server_ = new Server(*handler_);
    server_->moveToThread(thread_.get());
    thread_->start();
    std::optional<std::string> problem;
    QMetaObject::invokeMethod(
        server_,
        [this, &problem] {
            ApiHandler* handler = handler_.get();
            auto* tcp = new GuardedTcpServer(options_.max_request_bytes, [handler] {
                return handler->refuse(413, "request too large (headers and body over the "
                                            "server's limit)");
            });
            tcp->setParent(server_);
            const QHostAddress address(QString::fromStdString(options_.endpoint.address));
            if (!tcp->listen(address, options_.endpoint.port)) {
                problem = "--http: cannot listen on " + options_.endpoint.address + ":" +
                          std::to_string(options_.endpoint.port) + ": " +
                          tcp->errorString().toStdString();
                return;
            }
            port_ = tcp->serverPort();
            server_->bind(tcp);
        },
        Qt::BlockingQueuedConnection);
    if (problem) {
        stop();
    }
    return problem;
}

void HttpService::stop() {
    if (!thread_) {
        return;
    }
    if (server_ != nullptr) {
        Server* server = server_;
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        server_ = nullptr;
    }
    thread_->quit();
    thread_->wait();
    thread_.reset();
}

std::string HttpService::url() const {
    const bool v6 = options_.endpoint.address.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + options_.endpoint.address + "]" : options_.endpoint.address) +
           ":" + std::to_string(port_);
}

HttpFigures HttpService::figures() const {
    return handler_ ? handler_->figures() : HttpFigures{};
}

} // namespace gm
