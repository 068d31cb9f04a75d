// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pipeline/shard.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gm {

// Scale-out step 2.1 (issue 18, docs/scale-out.md "Step 2.1 as built"): the windows a partition's
// shard closed, as bytes another process can turn back into the same `*Closed` cells, so that
// the group's finalizer runs the unchanged emit* merge over them.
//
// One payload per table and window. Everything that is an index into a per-process dictionary
// (users, products, product names, search queries, categories, countries) travels as text, each
// distinct text once per payload; numbers as varints. Per-event rows (the two anomaly tables,
// abandoned carts) and late counts are not windowed state and are not encoded.

// The kinds of interned index a cell holds.
enum class InternedKind : std::uint8_t { User, Product, Name, Query, Category, Country };
inline constexpr int kInternedKindCount = 6;

// One process's dictionaries: an index as text, and a text as this process's index.
class PartialDictionaries {
public:
    virtual ~PartialDictionaries() = default;
    // Appends the text of `index` (valid in this process) to `out`.
    virtual void appendText(InternedKind kind, std::uint32_t index, std::string& out) const = 0;
    // This process's index of `text`, interned if need be; nullopt when the text is not
    // acceptable (not an id of the pattern, an unknown country or category, a full dictionary).
    // Categories are below kMixedCategory and countries below 256 (a cell holds them in a byte).
    virtual std::optional<std::uint32_t> intern(InternedKind kind, std::string_view text) = 0;
};

// The process-wide dictionaries (IdDictionary::users(), products(), productNames(),
// QueryTable::global(), the active reference data).
class ProcessDictionaries final : public PartialDictionaries {
public:
    void appendText(InternedKind kind, std::uint32_t index, std::string& out) const override;
    std::optional<std::uint32_t> intern(InternedKind kind, std::string_view text) override;
};

struct EncodedPartial {
    std::string table_id; // one of partialTableIds()
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    std::size_t cells = 0;
    std::string payload;
};

// The stable ids of the encoded tables: "sales.by_country", "views.trending", ...
std::span<const std::string_view> partialTableIds();

// Appends one payload per table and window start of `closed` (windows of one table with the
// same start, which the merge would combine anyway, share a payload). Per-event rows and late
// counts are left out. Keeps its scratch (which text of the payload an index is) between calls:
// a partition that commits every second should hold one.
class PartialEncoder {
public:
    explicit PartialEncoder(const PartialDictionaries& dictionaries);
    ~PartialEncoder();
    PartialEncoder(const PartialEncoder&) = delete;
    PartialEncoder& operator=(const PartialEncoder&) = delete;
    void encode(const ShardOutput& closed, std::vector<EncodedPartial>& out);

private:
    struct Scratch;
    std::unique_ptr<Scratch> scratch_;
};

// The same with a PartialEncoder of its own.
void encodePartials(const ShardOutput& closed, const PartialDictionaries& dictionaries,
                    std::vector<EncodedPartial>& out);

struct PartialDecodeResult {
    std::string error; // empty: decoded; else what is wrong, for logs
    std::string table_id;
    TimestampUs window_start = 0;
    TimestampUs window_end = 0;
    std::size_t cells = 0;
    bool ok() const { return error.empty(); }
};

// Appends the payload's window to the matching table of `into`, as the shard had it. Never
// throws on bad input: a payload that is truncated, damaged, of another version or asks for
// more than it holds leaves `into` unchanged and says why. Texts are interned only after the
// checksum matched.
PartialDecodeResult decodePartial(std::string_view payload, PartialDictionaries& dictionaries,
                                  ShardOutput& into);

// CRC-32 (IEEE) as the payload's last four bytes hold it, over everything before them.
std::uint32_t partialChecksum(std::string_view bytes);

inline constexpr std::uint8_t kPartialCodecVersion = 1;

} // namespace gm
