// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the partial codec (pipeline/partial_codec.h, scale-out step 2.1), the code
// that reads what other members of a consumer group stored. Besides "no crash, no leak, no
// undefined behaviour": a refused payload leaves the output untouched and says why, and an
// accepted one encodes again into a payload that decodes to the same table, window and cells.
//
// Input: a payload without its checksum. The target decodes it as it is (the checksum then comes
// from its last bytes, so nearly always a refusal) and with the right CRC-32 appended, so that
// mutations reach the parser.
#include "pipeline/partial_codec.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

using namespace gm;

// Texts as indexes in order of first sight, per kind, forgotten after each input: the
// process-wide dictionaries would grow with every mutated text (search queries have no cap).
class FuzzDictionaries final : public PartialDictionaries {
public:
    void appendText(InternedKind kind, std::uint32_t index, std::string& out) const override {
        out.append(texts_[static_cast<std::size_t>(kind)].at(index));
    }
    std::optional<std::uint32_t> intern(InternedKind kind, std::string_view text) override {
        auto& ids = ids_[static_cast<std::size_t>(kind)];
        auto& texts = texts_[static_cast<std::size_t>(kind)];
        if (const auto it = ids.find(std::string(text)); it != ids.end()) {
            return it->second;
        }
        // Like the real lists: at most 250 categories and 64 countries; no empty text.
        const std::size_t cap = kind == InternedKind::Category  ? 250
                                : kind == InternedKind::Country ? 64
                                                                : 100'000;
        if (text.empty() || texts.size() >= cap) {
            return std::nullopt;
        }
        const auto id = static_cast<std::uint32_t>(texts.size());
        texts.emplace_back(text);
        ids.emplace(std::string(text), id);
        return id;
    }

private:
    std::array<std::unordered_map<std::string, std::uint32_t>, kInternedKindCount> ids_;
    std::array<std::vector<std::string>, kInternedKindCount> texts_;
};

std::size_t windowsIn(const ShardOutput& output) {
    return output.sales.by_country.size() + output.carts.metrics.size() +
           output.carts.sessions.size() + output.views.trending.size() +
           output.views.categories.size() + output.views.searches.size() +
           output.views.browsing.size() + output.anomalies.suspicious.size() +
           output.anomalies.stats.size() + output.inventory.by_country.size() +
           output.inventory.demand.size() + output.inventory.metrics.size();
}

[[noreturn]] void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz_partial_codec: %s\n  %s\n", what, detail.c_str());
    std::abort();
}

void checkRefusal(const PartialDecodeResult& result, const ShardOutput& into) {
    if (result.error.empty()) {
        fail("refused without a reason", result.table_id);
    }
    if (windowsIn(into) != 0) {
        fail("a refused payload changed the output", result.error);
    }
}

std::string withChecksum(std::string bytes) {
    const std::uint32_t crc = partialChecksum(bytes);
    for (int i = 0; i < 4; ++i) {
        bytes.push_back(static_cast<char>(crc >> (8 * i)));
    }
    return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    {
        FuzzDictionaries dictionaries;
        ShardOutput into;
        const PartialDecodeResult result = decodePartial(body, dictionaries, into);
        if (!result.ok()) {
            checkRefusal(result, into);
        }
    }
    FuzzDictionaries dictionaries;
    ShardOutput into;
    const PartialDecodeResult result = decodePartial(withChecksum(body), dictionaries, into);
    if (!result.ok()) {
        checkRefusal(result, into);
        return 0;
    }
    if (windowsIn(into) != 1) {
        fail("an accepted payload did not add exactly one window", result.table_id);
    }
    std::vector<EncodedPartial> encoded;
    encodePartials(into, dictionaries, encoded);
    if (encoded.size() != 1 || encoded[0].table_id != result.table_id ||
        encoded[0].window_start != result.window_start ||
        encoded[0].window_end != result.window_end || encoded[0].cells != result.cells) {
        fail("re-encoding changed the window", result.table_id);
    }
    FuzzDictionaries again_dictionaries;
    ShardOutput again;
    const PartialDecodeResult second = decodePartial(encoded[0].payload, again_dictionaries, again);
    if (!second.ok() || second.cells != result.cells || second.table_id != result.table_id) {
        fail("a re-encoded payload does not decode the same", second.error);
    }
    return 0;
}
