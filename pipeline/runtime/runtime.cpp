// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/runtime/runtime.h"

#include "pipeline/runtime/runtime_impl.h"

namespace gm {

Runtime::Runtime(RuntimeOptions options)
    : impl_(std::make_unique<RuntimeImpl>(std::move(options))) {}

Runtime::~Runtime() = default;

std::optional<std::string> Runtime::prepare() {
    return impl_->prepare();
}
const std::vector<std::string>& Runtime::notes() const {
    return impl_->notes();
}
void Runtime::start() {
    impl_->start();
}
void Runtime::stop() {
    impl_->stop();
}
bool Runtime::finished() const {
    return impl_->finished();
}
void Runtime::stop(const StopOptions& options) {
    impl_->stop(options);
}
void Runtime::pause() {
    impl_->pause();
}
void Runtime::resume() {
    impl_->resume();
}
bool Runtime::paused() const {
    return impl_->paused();
}

std::uint64_t Runtime::rowsRefusedByWriter() const {
    return impl_->rowsRefusedByWriter();
}

std::optional<std::string> Runtime::outputFailure() const {
    return impl_->outputFailure();
}

const RuntimeOptions& Runtime::options() const {
    return impl_->options();
}
const Catalog& Runtime::catalog() const {
    return impl_->catalog();
}
std::shared_ptr<const ProductTable> Runtime::products() const {
    return impl_->products();
}
SimulationClock& Runtime::clock() {
    return impl_->clock();
}
GeneratorRunner* Runtime::generator() {
    return impl_->generator();
}
Pipeline& Runtime::pipeline() {
    return impl_->pipeline();
}
bool Runtime::persists() const {
    return impl_->persistence() != nullptr;
}
bool Runtime::consumesKafka() const {
    return impl_->kafkaSource() != nullptr;
}
bool Runtime::publishesKafka() const {
    return impl_->kafkaProducer() != nullptr;
}
std::size_t Runtime::queuedBatches() const {
    return impl_->queuedBatches();
}
std::size_t Runtime::queueCapacity() const {
    return impl_->queueCapacity();
}
std::uint64_t Runtime::deadLetters() const {
    return impl_->deadLetters();
}

std::optional<AlertAcknowledger> Runtime::alertAcknowledger() const {
    if (Persistence* persistence = impl_->persistence()) {
        return persistence->alertAcknowledger();
    }
    return std::nullopt;
}

std::optional<RelationPageReader> Runtime::relationReader() const {
    if (Persistence* persistence = impl_->persistence()) {
        return persistence->relationReader();
    }
    return std::nullopt;
}

std::optional<RelationPageReader> Runtime::warehouseReader() const {
    if (const auto& url = impl_->options().warehouse_database_url) {
        return RelationPageReader(*url);
    }
    return relationReader();
}

RuntimeServices Runtime::services() const {
    RuntimeServices services;
    if (Persistence* persistence = impl_->persistence()) {
        services.database =
            RuntimeServices::Database{persistence->description(), persistence->writer().status()};
    }
    if (KafkaEventSource* source = impl_->kafkaSource()) {
        services.kafka_in = source->status();
        services.kafka_lag = source->lag();
    }
    if (const GroupMember* member = impl_->groupMember()) {
        services.group_member = member->status();
    }
    if (KafkaProducer* producer = impl_->kafkaProducer()) {
        services.kafka_out = producer->status();
    }
    if (CriticalAlertSink* alerts = impl_->criticalAlerts()) {
        services.critical_alerts_published = alerts->published();
    }
    if (EmbeddedKafka* broker = impl_->embeddedKafka()) {
        services.kafka_brokers = broker->bootstrapServers();
    } else {
        services.kafka_brokers = impl_->options().kafka.brokers;
    }
    return services;
}

} // namespace gm
