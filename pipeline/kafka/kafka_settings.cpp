// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/kafka/kafka_conf.h"

#include <array>
#include <charconv>

namespace gm {

namespace {

std::optional<int> parsePositive(std::string_view text, int max) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string> splitCommas(std::string_view text) {
    std::vector<std::string> parts;
    while (true) {
        const auto comma = text.find(',');
        parts.emplace_back(text.substr(0, comma));
        if (comma == std::string_view::npos) {
            return parts;
        }
        text.remove_prefix(comma + 1);
    }
}

bool setProperty(rd_kafka_conf_t* conf, const std::string& key, const std::string& value,
                 std::string& error) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) !=
        RD_KAFKA_CONF_OK) {
        error = errstr;
        return false;
    }
    return true;
}

// Kafka's own rule (kafka.common.internals.Topic): 1 to 249 of [a-zA-Z0-9._-], not "." or "..".
std::optional<std::string> topicNameProblem(std::string_view name) {
    if (name.empty()) {
        return "a topic name is empty";
    }
    if (name.size() > 249) {
        return "topic name '" + std::string(name.substr(0, 40)) +
               "...' is longer than 249 characters";
    }
    if (name == "." || name == "..") {
        return "'" + std::string(name) + "' is not a valid topic name";
    }
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) {
            return "topic name '" + std::string(name) +
                   "' may only hold letters, digits, '.', '_' and '-'";
        }
    }
    return std::nullopt;
}

// host:port, [v6-address]:port, optionally after a protocol ("SSL://host:9093").
bool isHostPort(std::string_view broker) {
    if (const auto scheme = broker.find("://"); scheme != std::string_view::npos) {
        broker.remove_prefix(scheme + 3);
    }
    std::string_view host;
    std::string_view port;
    if (!broker.empty() && broker.front() == '[') {
        const auto close = broker.find(']');
        if (close == std::string_view::npos || close + 1 >= broker.size() ||
            broker[close + 1] != ':') {
            return false;
        }
        host = broker.substr(1, close - 1);
        port = broker.substr(close + 2);
    } else {
        const auto colon = broker.rfind(':');
        if (colon == std::string_view::npos) {
            return false;
        }
        host = broker.substr(0, colon);
        port = broker.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return false; // an IPv6 address needs brackets
        }
    }
    if (host.empty() || host.find_first_of(" \t/") != std::string_view::npos) {
        return false;
    }
    const auto number = parsePositive(port, 65535);
    return number && *number > 0;
}

constexpr std::array<std::string_view, 12> kOptionKeys = {
    "source",    "publish",          "brokers",        "X",
    "group",     "topics",           "embedded-kafka", "compression",
    "linger-ms", "topic-partitions", "exact-group",    "group-member"};

} // namespace

const std::string& KafkaTopics::forKind(EventKind kind) const {
    switch (kind) {
    case EventKind::Transaction:
        return transactions;
    case EventKind::Cart:
        return cart_events;
    case EventKind::ProductView:
        break;
    }
    return product_views;
}

std::optional<EventKind> KafkaTopics::kindOf(std::string_view topic) const {
    if (topic == transactions) {
        return EventKind::Transaction;
    }
    if (topic == cart_events) {
        return EventKind::Cart;
    }
    if (topic == product_views) {
        return EventKind::ProductView;
    }
    return std::nullopt;
}

KafkaTopics KafkaTopics::original() {
    return KafkaTopics{"transactions-topic", "cart-events-topic", "product-views-topic",
                       "alerts-topic"};
}

bool isKafkaOption(std::string_view key) {
    for (const auto known : kOptionKeys) {
        if (key == known) {
            return true;
        }
    }
    return false;
}

std::optional<std::string> applyKafkaOption(KafkaSettings& settings, std::string_view key,
                                            std::string_view value) {
    const auto fail = [&](std::string_view why) {
        return std::string(key.size() == 1 ? "-" : "--") + std::string(key) + ": " +
               std::string(why);
    };
    if (key == "source") {
        if (value != "generator" && value != "kafka") {
            return fail("expected generator or kafka, got '" + std::string(value) + "'");
        }
        settings.consume = value == "kafka";
    } else if (key == "publish") {
        settings.publish = true;
    } else if (key == "embedded-kafka") {
        settings.embedded = true;
    } else if (key == "exact-group") {
        settings.exact_group = true;
    } else if (key == "group-member") {
        settings.group_member = true;
        settings.exact_group = true;
        settings.dedup_horizon = 0;
    } else if (key == "brokers") {
        if (value.empty()) {
            return fail("expected host:port[,host:port...]");
        }
        for (const auto& broker : splitCommas(value)) {
            if (!isHostPort(broker)) {
                return fail("'" + broker +
                            "' is not host:port (expected host:port[,host:port...])");
            }
        }
        settings.brokers = value;
    } else if (key == "group") {
        if (value.empty()) {
            return fail("expected a consumer group id");
        }
        settings.group = value;
    } else if (key == "topics") {
        if (value == "original") {
            settings.topics = KafkaTopics::original();
            return std::nullopt;
        }
        const auto names = splitCommas(value);
        if (names.size() < 3 || names.size() > 4) {
            return fail("expected 'original' or transactions,cart-events,product-views[,alerts]");
        }
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (names[i].empty()) {
                return fail("empty topic name in '" + std::string(value) + "'");
            }
            if (auto problem = topicNameProblem(names[i])) {
                return fail(*problem);
            }
            for (std::size_t j = 0; j < i; ++j) {
                if (names[i] == names[j]) {
                    return fail("topic '" + names[i] +
                                "' is given twice (each stream needs a topic of its own)");
                }
            }
        }
        if (names.size() == 3) {
            for (const auto& name : names) {
                if (name == settings.topics.alerts) {
                    return fail("topic '" + name +
                                "' is also the alerts topic; give a fourth name");
                }
            }
        }
        settings.topics.transactions = names[0];
        settings.topics.cart_events = names[1];
        settings.topics.product_views = names[2];
        if (names.size() == 4) {
            settings.topics.alerts = names[3];
        }
    } else if (key == "compression") {
        if (value != "none" && value != "gzip" && value != "snappy" && value != "lz4" &&
            value != "zstd") {
            return fail("expected none, gzip, snappy, lz4 or zstd, got '" + std::string(value) +
                        "'");
        }
        settings.compression = value;
    } else if (key == "linger-ms") {
        const auto ms = parsePositive(value, 900'000);
        if (!ms) {
            return fail("expected milliseconds 0-900000, got '" + std::string(value) + "'");
        }
        settings.linger_ms = *ms;
    } else if (key == "topic-partitions") {
        const auto count = parsePositive(value, 10'000);
        if (!count || *count == 0) {
            return fail("expected a partition count 1-10000, got '" + std::string(value) + "'");
        }
        settings.embedded_partitions = *count;
    } else if (key == "X") {
        const auto equals = value.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            return fail("expected key=value, got '" + std::string(value) + "'");
        }
        std::string property(value.substr(0, equals));
        std::string property_value(value.substr(equals + 1));
        // A scratch configuration tells unknown keys and bad values apart the way librdkafka
        // will later, with its own wording.
        kafka::ConfPtr scratch(rd_kafka_conf_new());
        std::string error;
        if (!setProperty(scratch.get(), property, property_value, error)) {
            // librdkafka names the canonical property, which for an alias is not what was typed.
            return "-X " + property + ": " + error;
        }
        settings.properties.emplace_back(std::move(property), std::move(property_value));
    } else {
        return "unknown Kafka option '" + std::string(key) + "'";
    }
    return std::nullopt;
}

std::optional<std::string> validateKafkaSettings(const KafkaSettings& settings) {
    if (settings.group_member && !settings.consume) {
        return std::string("--group-member only applies to --source kafka (a member of the "
                           "consumer group's scale-out)");
    }
    if (settings.exact_group && !settings.consume) {
        return std::string("--exact-group only applies to --source kafka (windows per partition "
                           "of the consumer group's topics)");
    }
    if ((settings.consume || settings.publish) && settings.brokers.empty() && !settings.embedded) {
        bool has_bootstrap = false;
        for (const auto& [key, value] : settings.properties) {
            has_bootstrap =
                has_bootstrap || key == "bootstrap.servers" || key == "metadata.broker.list";
        }
        if (!has_bootstrap) {
            return std::string("--source kafka and --publish need --brokers or --embedded-kafka");
        }
    }
    return std::nullopt;
}

std::string kafkaOptionsHelp() {
    return "Kafka:\n"
           "  --source generator|kafka   where events come from (default generator)\n"
           "  --publish                  also publish generated events and critical alerts\n"
           "  --brokers HOST:PORT[,...]  bootstrap servers\n"
           "  -X key=value               librdkafka property, passed as is (repeatable)\n"
           "  --group ID                 consumer group (default globalmart-monitor)\n"
           "  --topics T,C,V[,A]|original  topic names: transactions, cart events, product\n"
           "                             views, alerts; 'original' adds the -topic suffix\n"
           "  --compression CODEC        none|gzip|snappy|lz4|zstd (default lz4)\n"
           "  --linger-ms MS             producer batching delay (default 20)\n"
           "  --embedded-kafka           start a local mock broker; prints its address\n"
           "  --topic-partitions N       partitions of the embedded broker's topics (32)\n"
           "  --exact-group              windows and watermarks per partition: rows depend on\n"
           "                             the topic data alone, not on read interleaving\n"
           "  --group-member             one of several processes in the consumer group: window\n"
           "                             state per partition in PostgreSQL, tables merged by\n"
           "                             the group (needs a database; docs/scale-out.md)\n";
}

kafka::ConfPtr makeKafkaConf(const KafkaSettings& settings, KafkaRole role, std::string& error) {
    kafka::ConfPtr conf(rd_kafka_conf_new());
    std::vector<std::pair<std::string, std::string>> defaults;
    if (!settings.brokers.empty()) {
        defaults.emplace_back("bootstrap.servers", settings.brokers);
    }
    if (role == KafkaRole::Producer) {
        defaults.emplace_back("compression.codec", settings.compression);
        defaults.emplace_back("linger.ms", std::to_string(settings.linger_ms));
        // Retries after a broker loss must not duplicate events on the topic.
        defaults.emplace_back("enable.idempotence", "true");
        defaults.emplace_back("batch.num.messages", "10000");
        defaults.emplace_back("queue.buffering.max.messages", "1000000");
    } else {
        defaults.emplace_back("group.id", settings.group);
        // Offsets are committed by commitThrough() once rows are durable, never by a timer.
        defaults.emplace_back("enable.auto.commit", "false");
        defaults.emplace_back("enable.auto.offset.store", "false");
        defaults.emplace_back("auto.offset.reset", "earliest");
        defaults.emplace_back("enable.partition.eof", "false");
        // Prefetch for catching up on a backlog. librdkafka 2.0 stops fetching once its queue
        // (one queue for all partitions of a group consumer) holds queued.min.messages or
        // queued.max.messages.kbytes, and sets no backoff then: its broker thread looks again
        // when something wakes it, i.e. at its fixed 1 s poll (rd_kafka_max_block_ms;
        // fetch.queue.backoff.ms comes with 2.2). So the queue must hold about a second of
        // consumption or the consumer idles: with librdkafka's defaults (100,000 / 64 MiB) we
        // read 135-240K events/s on the embedded broker, with these 381-549K (BENCHMARKS.md).
        // The price is memory, and only while behind: ~0.7 KiB per prefetched event (368-byte
        // values, op and message header, fetch buffers), i.e. ~350-400 MiB; at live rates the
        // queue stays near empty. The byte cap (256 MiB of values) bounds it for larger
        // messages. A 150,000 / 64 MiB queue with a 100 ms metadata refresh to wake the fetcher
        // sooner left consumers without messages for 30 s in 5 of 24 bench rows (BENCHMARKS.md,
        // session 10). -X overrides either, e.g. on a small machine.
        defaults.emplace_back("queued.min.messages", "500000");
        defaults.emplace_back("queued.max.messages.kbytes", "262144");
    }
    for (const auto& [key, value] : defaults) {
        if (!setProperty(conf.get(), key, value, error)) {
            return nullptr;
        }
    }
    for (const auto& [key, value] : settings.properties) {
        if (!setProperty(conf.get(), key, value, error)) {
            error = "-X " + key + ": " + error;
            return nullptr;
        }
    }
    return conf;
}

} // namespace gm
