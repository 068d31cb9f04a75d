// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/http/webhook_notifier.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <algorithm>

namespace gm {

// The notifier's side on its thread: one post in flight at a time, the front of the queue.
class WebhookWorker : public QObject {
public:
    WebhookWorker(WebhookOptions options, std::shared_ptr<WebhookNotifier::Shared> shared)
        : options_(std::move(options)), shared_(std::move(shared)) {}

    // Posts the front of the queue unless a post or a backoff is under way.
    void pump() {
        if (busy_) {
            return;
        }
        std::string body;
        {
            std::lock_guard lock(shared_->mutex);
            if (shared_->queue.empty()) {
                return;
            }
            body = shared_->queue.front();
        }
        if (manager_ == nullptr) {
            manager_ = new QNetworkAccessManager(this);
        }
        busy_ = true;
        QNetworkRequest request{QUrl(QString::fromStdString(options_.url))};
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        request.setHeader(QNetworkRequest::UserAgentHeader, "globalmart-webhook");
        request.setTransferTimeout(static_cast<int>(options_.request_timeout.count()));
        QNetworkReply* reply = manager_->post(request, QByteArray::fromStdString(body));
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            finished(reply->error() == QNetworkReply::NoError && status >= 200 && status < 300);
        });
    }

private:
    void finished(bool delivered) {
        ++attempts_;
        std::chrono::milliseconds backoff{0};
        {
            std::lock_guard lock(shared_->mutex);
            if (delivered || attempts_ >= options_.max_attempts) {
                ++(delivered ? shared_->figures.sent : shared_->figures.failed);
                shared_->queue.pop_front();
                shared_->figures.queued = shared_->queue.size();
                attempts_ = 0;
            } else {
                ++shared_->figures.retries;
                // first_backoff, twice that, four times that, ... up to max_backoff.
                const std::chrono::milliseconds doubled =
                    options_.first_backoff * (std::int64_t{1} << std::min(attempts_ - 1, 20));
                backoff = std::min(options_.max_backoff, doubled);
            }
        }
        QTimer::singleShot(backoff, this, [this] {
            busy_ = false;
            pump();
        });
    }

    WebhookOptions options_;
    std::shared_ptr<WebhookNotifier::Shared> shared_;
    QNetworkAccessManager* manager_ = nullptr; // created on the worker's thread
    bool busy_ = false;
    int attempts_ = 0; // of the front alert
};

WebhookNotifier::WebhookNotifier(WebhookOptions options)
    : options_(std::move(options)), shared_(std::make_shared<Shared>()) {}

WebhookNotifier::~WebhookNotifier() {
    stop();
}

void WebhookNotifier::start() {
    if (thread_) {
        return;
    }
    thread_ = std::make_unique<QThread>();
    thread_->setObjectName("webhook");
    worker_ = new WebhookWorker(options_, shared_);
    worker_->moveToThread(thread_.get());
    QObject::connect(thread_.get(), &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
    QMetaObject::invokeMethod(worker_, [worker = worker_] { worker->pump(); });
}

void WebhookNotifier::offer(const std::vector<AlertRow>& rows) {
    if (rows.empty()) {
        return;
    }
    bool queued = false;
    {
        std::lock_guard lock(shared_->mutex);
        for (const AlertRow* alert : shared_->filter.newAlerts(rows)) {
            ++shared_->figures.offered;
            if (shared_->queue.size() >= options_.queue_capacity) {
                ++shared_->figures.dropped;
                continue;
            }
            shared_->queue.push_back(alertWebhookJson(*alert));
            queued = true;
        }
        shared_->figures.queued = shared_->queue.size();
    }
    if (queued && worker_ != nullptr) {
        // Posting an event: returns at once, the worker's thread does the rest.
        QMetaObject::invokeMethod(worker_, [worker = worker_] { worker->pump(); });
    }
}

void WebhookNotifier::stop(std::chrono::milliseconds drain) {
    if (!thread_) {
        return;
    }
    const auto until = std::chrono::steady_clock::now() + drain;
    while (std::chrono::steady_clock::now() < until) {
        {
            std::lock_guard lock(shared_->mutex);
            if (shared_->queue.empty()) {
                break;
            }
        }
        QThread::msleep(20);
    }
    thread_->quit();
    thread_->wait();
    thread_.reset();
    worker_ = nullptr;
    std::lock_guard lock(shared_->mutex);
    shared_->figures.abandoned += shared_->queue.size();
    shared_->queue.clear();
    shared_->figures.queued = 0;
}

WebhookFigures WebhookNotifier::figures() const {
    std::lock_guard lock(shared_->mutex);
    return shared_->figures;
}

} // namespace gm
