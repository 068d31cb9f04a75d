// SPDX-License-Identifier: GPL-3.0-or-later
// Our JSON reader (generator/json_reader.h) against simdjson 3 (Debian's libsimdjson-dev), on
// the payloads of bench_json: 100,000 simulator events in the stream's mix. Parsing only, each
// way made to do what the decoder needs (every value reached, UTF-8 checked), plus the full
// decode for scale. Results and the decision are in BENCHMARKS.md.
//
//   build/rel/tests/bench/bench_json_simdjson                     # Google Benchmark timings
//   BENCH_JSON_PASS=ours|dom|ondemand|decode bench_json_simdjson  # one pass, for callgrind
//   bench_json_simdjson --errors FILE...                          # how each reader refuses FILEs
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/json_reader.h"
#include "generator/random.h"
#include "generator/simulator.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <simdjson.h>
#include <string>
#include <string_view>
#include <vector>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'795'000'000'000'000;
constexpr std::size_t kEvents = 100'000;

const Catalog& catalog() {
    static const Catalog instance(CatalogConfig{});
    return instance;
}

struct Payload {
    EventKind kind;
    std::string json;
};

// The same workload as bench_json: the simulator's mix, shuffled.
const std::vector<Payload>& payloads() {
    static const std::vector<Payload> instance = [] {
        EventBatch batch;
        ShopSimulator simulator(catalog(), SimulatorConfig{}, kStart);
        simulator.setShopRate(1'000);
        simulator.generate(kEvents, batch);
        const EventEncoder encoder(catalog());
        std::vector<Payload> all;
        for (const auto& e : batch.views) {
            all.push_back({EventKind::ProductView, encoder.encode(e)});
        }
        for (const auto& e : batch.carts) {
            all.push_back({EventKind::Cart, encoder.encode(e)});
        }
        for (const auto& e : batch.transactions) {
            all.push_back({EventKind::Transaction, encoder.encode(e)});
        }
        Rng rng(1);
        for (std::size_t i = all.size(); i > 1; --i) {
            std::swap(all[i - 1], all[rng.below(i)]);
        }
        return all;
    }();
    return instance;
}

// Kafka hands out unpadded buffers: simdjson needs SIMDJSON_PADDING readable bytes after the
// text, so each payload is copied into a padded buffer first (part of its cost).
class PaddedCopy {
public:
    simdjson::padded_string_view of(std::string_view text) {
        if (buffer_.size() < text.size() + simdjson::SIMDJSON_PADDING) {
            buffer_.resize(2 * text.size() + simdjson::SIMDJSON_PADDING);
        }
        std::memcpy(buffer_.data(), text.data(), text.size());
        return simdjson::padded_string_view(buffer_.data(), text.size(), buffer_.size());
    }

private:
    std::string buffer_;
};

// Every value of a DOM element, as the decoder reads every field.
std::size_t touch(simdjson::dom::element element) {
    using simdjson::dom::element_type;
    switch (element.type()) {
    case element_type::OBJECT: {
        std::size_t n = 0;
        for (auto field : element.get_object()) {
            n += field.key.size() + touch(field.value);
        }
        return n;
    }
    case element_type::ARRAY: {
        std::size_t n = 0;
        for (auto child : element.get_array()) {
            n += touch(child);
        }
        return n;
    }
    case element_type::STRING:
        return std::string_view(element.get_string().value_unsafe()).size();
    case element_type::DOUBLE:
    case element_type::INT64:
    case element_type::UINT64:
        return static_cast<std::size_t>(element.get_double().value_unsafe() != 0);
    default:
        return 1;
    }
}

// The same over On Demand, which parses lazily: reaching every value is the fair comparison.
simdjson::error_code touch(simdjson::ondemand::value value, std::size_t& n) {
    using simdjson::ondemand::json_type;
    json_type type;
    if (auto error = value.type().get(type)) {
        return error;
    }
    switch (type) {
    case json_type::object: {
        simdjson::ondemand::object object;
        if (auto error = value.get_object().get(object)) {
            return error;
        }
        for (auto field : object) {
            std::string_view key;
            if (auto error = field.unescaped_key().get(key)) {
                return error;
            }
            n += key.size();
            if (auto error = touch(field.value(), n)) {
                return error;
            }
        }
        return simdjson::SUCCESS;
    }
    case json_type::array: {
        simdjson::ondemand::array array;
        if (auto error = value.get_array().get(array)) {
            return error;
        }
        for (auto child : array) {
            if (auto error = touch(child.value(), n)) {
                return error;
            }
        }
        return simdjson::SUCCESS;
    }
    case json_type::string: {
        std::string_view text;
        auto error = value.get_string().get(text);
        n += text.size();
        return error;
    }
    case json_type::number: {
        double number = 0;
        auto error = value.get_double().get(number);
        n += number != 0;
        return error;
    }
    case json_type::boolean: {
        bool flag = false;
        return value.get_bool().get(flag);
    }
    case json_type::null:
        return value.is_null() ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
    return simdjson::SUCCESS;
}

struct Pass {
    std::size_t ok = 0;
    std::size_t bytes = 0;
    std::size_t checksum = 0;
};

[[gnu::noinline]] Pass passOurs() {
    static json::Document document;
    Pass pass;
    for (const Payload& p : payloads()) {
        pass.ok += document.parse(p.json);
        pass.checksum += document.size(document.root());
        pass.bytes += p.json.size();
    }
    return pass;
}

[[gnu::noinline]] Pass passDom() {
    static simdjson::dom::parser parser;
    static PaddedCopy copy;
    Pass pass;
    for (const Payload& p : payloads()) {
        simdjson::dom::element root;
        if (!parser.parse(copy.of(p.json)).get(root)) {
            ++pass.ok;
            pass.checksum += touch(root);
        }
        pass.bytes += p.json.size();
    }
    return pass;
}

[[gnu::noinline]] Pass passOnDemand() {
    static simdjson::ondemand::parser parser;
    static PaddedCopy copy;
    Pass pass;
    for (const Payload& p : payloads()) {
        simdjson::ondemand::document document;
        simdjson::ondemand::value root;
        std::size_t n = 0;
        if (!parser.iterate(copy.of(p.json)).get(document) && !document.get_value().get(root) &&
            !touch(root, n)) {
            ++pass.ok;
        }
        pass.checksum += n;
        pass.bytes += p.json.size();
    }
    return pass;
}

[[gnu::noinline]] Pass passDecode() {
    static EventDecoder decoder(catalog());
    static ProductViewEvent view;
    static CartEvent cart;
    static Transaction transaction;
    Pass pass;
    for (const Payload& p : payloads()) {
        bool ok = false;
        switch (p.kind) {
        case EventKind::ProductView:
            ok = !decoder.decode(p.json, view);
            break;
        case EventKind::Cart:
            ok = !decoder.decode(p.json, cart);
            break;
        case EventKind::Transaction:
            ok = !decoder.decode(p.json, transaction);
            break;
        }
        pass.ok += ok;
        pass.bytes += p.json.size();
    }
    return pass;
}

template <Pass (*run)()> void BM_Pass(benchmark::State& state) {
    Pass pass;
    std::size_t events = 0;
    for (auto _ : state) {
        pass = run();
        benchmark::DoNotOptimize(pass.checksum);
        events += payloads().size();
    }
    if (pass.ok != payloads().size()) {
        state.SkipWithError("a payload was refused");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
    state.SetBytesProcessed(
        static_cast<std::int64_t>(pass.bytes * static_cast<std::size_t>(state.iterations())));
}

// How each reader refuses a payload: ours gives a class, an offset and a message; simdjson an
// error code.
int compareErrors(int argc, char** argv) {
    json::Document document;
    simdjson::dom::parser dom;
    PaddedCopy copy;
    for (int i = 0; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), {});
        std::string ours = "ok";
        if (!document.parse(text)) {
            ours = "offset " + std::to_string(document.errorOffset()) + ": " +
                   std::string(document.errorMessage());
        }
        simdjson::dom::element root;
        const auto error = dom.parse(copy.of(text)).get(root);
        std::printf("%s\n  ours:     %s\n  simdjson: %s\n", argv[i], ours.c_str(),
                    error ? simdjson::error_message(error) : "ok");
    }
    return 0;
}

} // namespace

BENCHMARK(BM_Pass<passOurs>)->Name("parse/ours")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pass<passDom>)->Name("parse/simdjson_dom")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pass<passOnDemand>)->Name("parse/simdjson_ondemand")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Pass<passDecode>)->Name("decode/ours")->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--errors") == 0) {
        return compareErrors(argc - 2, argv + 2);
    }
    if (const char* which = std::getenv("BENCH_JSON_PASS")) {
        payloads(); // build the workload outside the measured function
        const std::string_view name(which);
        const Pass pass = name == "ours"       ? passOurs()
                          : name == "dom"      ? passDom()
                          : name == "ondemand" ? passOnDemand()
                                               : passDecode();
        std::printf("%s: %zu of %zu accepted, %zu bytes, implementation %s\n", which, pass.ok,
                    payloads().size(), pass.bytes,
                    simdjson::get_active_implementation()->name().c_str());
        return pass.ok == payloads().size() ? 0 : 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
