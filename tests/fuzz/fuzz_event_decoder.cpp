// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the event decoder (see README.md here). Besides "no crash, no leak, no
// undefined behaviour", every event the decoder accepts must pass the struct rules, render a
// four-digit-year timestamp, and survive encode -> decode unchanged: whatever we let into the
// pipeline we can write back out and read again.
//
// Input: up to two payloads separated by the first newline, decoded in turn by one decoder (so
// the second is judged against the first's time: the too-far-ahead rule), each as all three
// event kinds.
#include "generator/catalog.h"
#include "generator/event_decoder.h"
#include "generator/event_encoder.h"
#include "generator/validation.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace gm;

// The same small catalog as the tests' (tests/generator/sample_events.h), so that seeds written
// for them decode here too.
const Catalog& catalog() {
    static const Catalog instance(CatalogConfig{
        .users = 1'000, .products = 200, .seed = 7, .reference_time = 1'795'000'000'000'000});
    return instance;
}

const EventEncoder& encoder() {
    static const EventEncoder instance(catalog());
    return instance;
}

[[noreturn]] void fail(const char* what, std::string_view payload, const std::string& detail) {
    std::fprintf(stderr, "fuzz_event_decoder: %s\n  detail: %s\n  payload: %.*s\n", what,
                 detail.c_str(), static_cast<int>(payload.size()), payload.data());
    std::abort();
}

template <typename Event> void checkAccepted(const Event& event, std::string_view payload) {
    if (const auto problem = validate(event)) {
        fail("decoder accepted what validate() refuses", payload, problem->detail);
    }
    const std::string time = formatIsoTimestamp(event.timestamp);
    if (parseIsoTimestamp(time) != event.timestamp) {
        fail("accepted timestamp does not render back", payload, time);
    }
    const std::string encoded = encoder().encode(event);
    DecodeOptions options;
    options.max_time_ahead = EventTimeHorizon::kUnlimited;
    EventDecoder again(catalog(), options);
    Event decoded;
    if (const auto rejection = again.decode(encoded, decoded)) {
        fail("re-encoded event is refused", payload,
             std::string(reasonName(rejection->reason)) + " " + rejection->detail + " in " +
                 encoded);
    }
    if (!(decoded == event)) {
        fail("re-encoded event decodes differently", payload, encoded);
    }
}

template <typename Event> void decodeAs(EventDecoder& decoder, std::string_view payload) {
    Event event;
    const auto rejection = decoder.decode(payload, event);
    if (!rejection) {
        checkAccepted(event, payload);
        return;
    }
    if (rejection->detail.empty() || rejection->detail.find('\n') != std::string::npos ||
        reasonName(rejection->reason) == "unknown") {
        fail("rejection without a one-line detail or a known reason", payload, rejection->detail);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view first = input.substr(0, newline);
    const std::string_view second =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

    DecodeOptions options;
    options.wall_clock = nullptr; // the same input, the same verdicts
    EventDecoder decoder(catalog(), options);
    for (const std::string_view payload : {first, second}) {
        decodeAs<Transaction>(decoder, payload);
        decodeAs<CartEvent>(decoder, payload);
        decodeAs<ProductViewEvent>(decoder, payload);
        if (newline == std::string_view::npos) {
            break;
        }
    }
    return 0;
}
