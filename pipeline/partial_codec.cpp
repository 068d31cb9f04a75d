// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/partial_codec.h"

#include "generator/id_dictionary.h"
#include "generator/search_queries.h"
#include "pipeline/paged_slots.h"

#include <algorithm>
#include <array>
#include <limits>

// Payload, version 1 (docs/scale-out.md, "Step 2.1 as built"):
//   "GMPC", version byte, table id (length byte + ASCII), window start (signed varint),
//   window length (varint), six text tables (users, products, names, queries, categories,
//   countries: count, then per text the length it shares with the previous text of the table,
//   the length of the rest and the rest), cell count, cells, CRC-32 of all that (4 bytes LE).
// A cell refers to a text by its position in its table. Times inside a cell are relative to the
// window start; signed numbers are zigzag varints; sets are ascending positions, delta-coded.

namespace gm {
namespace {

constexpr std::string_view kMagic = "GMPC";
constexpr std::size_t kChecksumBytes = 4;

constexpr std::string_view kSalesByCountry = "sales.by_country";
constexpr std::string_view kCartMetrics = "carts.metrics";
constexpr std::string_view kCartSessions = "carts.sessions";
constexpr std::string_view kTrending = "views.trending";
constexpr std::string_view kCategories = "views.categories";
constexpr std::string_view kSearches = "views.searches";
constexpr std::string_view kBrowsing = "views.browsing";
constexpr std::string_view kSuspicious = "anomalies.suspicious";
constexpr std::string_view kAnomalyStats = "anomalies.stats";
constexpr std::string_view kInventoryByCountry = "inventory.by_country";
constexpr std::string_view kDemand = "inventory.demand";
constexpr std::string_view kInventoryMetrics = "inventory.metrics";

constexpr std::array<std::string_view, 12> kTableIds = {
    kSalesByCountry, kCartMetrics,        kCartSessions, kTrending,
    kCategories,     kSearches,           kBrowsing,     kSuspicious,
    kAnomalyStats,   kInventoryByCountry, kDemand,       kInventoryMetrics};

// Every closed table of a ShardOutput (const or not) with its id: f(id, windows).
template <typename Output, typename F> void forEachTable(Output& out, F&& f) {
    f(kSalesByCountry, out.sales.by_country);
    f(kCartMetrics, out.carts.metrics);
    f(kCartSessions, out.carts.sessions);
    f(kTrending, out.views.trending);
    f(kCategories, out.views.categories);
    f(kSearches, out.views.searches);
    f(kBrowsing, out.views.browsing);
    f(kSuspicious, out.anomalies.suspicious);
    f(kAnomalyStats, out.anomalies.stats);
    f(kInventoryByCountry, out.inventory.by_country);
    f(kDemand, out.inventory.demand);
    f(kInventoryMetrics, out.inventory.metrics);
}

void putVarint(std::string& out, std::uint64_t value) {
    if (value < 0x80) {
        out.push_back(static_cast<char>(value));
        return;
    }
    // One append instead of a push_back (and its capacity check) per byte.
    char bytes[10];
    std::size_t n = 0;
    while (value >= 0x80) {
        bytes[n++] = static_cast<char>(value | 0x80);
        value >>= 7;
    }
    bytes[n++] = static_cast<char>(value);
    out.append(bytes, n);
}

std::uint64_t zigzag(std::int64_t value) {
    return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t unzigzag(std::uint64_t value) {
    return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

void putFixed(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>(value >> (8 * i)));
    }
}

// Category and name references keep room for the values that are no text.
constexpr std::uint64_t kNoCategoryCode = 0;
constexpr std::uint64_t kMixedCategoryCode = 1;
constexpr std::uint64_t kFirstCategoryCode = 2;
constexpr std::uint64_t kNoNameCode = 0;
constexpr std::uint64_t kFirstNameCode = 1;

class CellWriter {
public:
    explicit CellWriter(const PartialDictionaries& dictionaries) : dictionaries_(dictionaries) {}

    void begin(TimestampUs start) {
        start_ = start;
        body_.clear();
        for (Texts& texts : texts_) {
            for (const std::uint32_t index : texts.indexes) {
                texts.slot_of[index] = 0; // the pages stay: cheaper than clearing them all
            }
            texts.indexes.clear();
        }
    }

    void count(std::uint64_t value) { putVarint(body_, value); }
    void number(std::int64_t value) { putVarint(body_, zigzag(value)); }
    void time(TimestampUs value) { number(value - start_); }
    void flag(bool value) { body_.push_back(value ? '\1' : '\0'); }
    void uuid(const Uuid& id) {
        putFixed(body_, id.high, 8);
        putFixed(body_, id.low, 8);
    }
    void ref(InternedKind kind, std::uint32_t index) { putVarint(body_, slot(kind, index)); }
    void country(Country value) { ref(InternedKind::Country, static_cast<std::uint32_t>(value)); }
    void category(CategoryId value) {
        if (value == kNoCategory) {
            count(kNoCategoryCode);
        } else if (value == kMixedCategory) {
            count(kMixedCategoryCode);
        } else {
            count(kFirstCategoryCode + slot(InternedKind::Category, value));
        }
    }
    void name(NameId value) {
        count(value == kNoName ? kNoNameCode : kFirstNameCode + slot(InternedKind::Name, value));
    }
    void set(InternedKind kind, std::span<const std::uint32_t> ids) {
        scratch_.clear();
        for (const std::uint32_t id : ids) {
            scratch_.push_back(slot(kind, id));
        }
        std::sort(scratch_.begin(), scratch_.end());
        scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
        count(scratch_.size());
        std::uint32_t previous = 0;
        for (const std::uint32_t at : scratch_) {
            count(at - previous);
            previous = at;
        }
    }
    void amounts(InternedKind kind,
                 const std::vector<std::pair<std::uint32_t, std::int64_t>>& per_id) {
        amounts_.clear();
        for (const auto& [id, amount] : per_id) {
            amounts_.emplace_back(slot(kind, id), amount);
        }
        std::sort(amounts_.begin(), amounts_.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        std::size_t kept = 0;
        for (std::size_t i = 0; i < amounts_.size(); ++i) {
            if (kept > 0 && amounts_[kept - 1].first == amounts_[i].first) {
                amounts_[kept - 1].second += amounts_[i].second;
            } else {
                amounts_[kept++] = amounts_[i];
            }
        }
        amounts_.resize(kept);
        count(amounts_.size());
        std::uint32_t previous = 0;
        for (const auto& [at, amount] : amounts_) {
            count(at - previous);
            number(amount);
            previous = at;
        }
    }

    // The whole payload: header, text tables, the cells written since begin(), checksum.
    void finish(std::string_view table_id, TimestampUs start, TimestampUs end, std::size_t cells,
                std::string& out) {
        out.clear();
        out.reserve(body_.size() + 64);
        out.append(kMagic);
        out.push_back(static_cast<char>(kPartialCodecVersion));
        out.push_back(static_cast<char>(table_id.size()));
        out.append(table_id);
        putVarint(out, zigzag(start));
        putVarint(out, static_cast<std::uint64_t>(end - start));
        for (int kind = 0; kind < kInternedKindCount; ++kind) {
            const Texts& texts = texts_[static_cast<std::size_t>(kind)];
            putVarint(out, texts.indexes.size());
            previous_.clear();
            for (const std::uint32_t index : texts.indexes) {
                text_.clear();
                dictionaries_.appendText(static_cast<InternedKind>(kind), index, text_);
                const std::size_t limit = std::min(previous_.size(), text_.size());
                std::size_t shared = 0;
                while (shared < limit && previous_[shared] == text_[shared]) {
                    ++shared;
                }
                putVarint(out, shared);
                putVarint(out, text_.size() - shared);
                out.append(text_, shared);
                previous_.swap(text_);
            }
        }
        putVarint(out, cells);
        out.append(body_);
        putFixed(out, partialChecksum(out), 4);
    }

private:
    struct Texts {
        PagedSlots slot_of;                 // index -> position + 1, 0: not in the payload yet
        std::vector<std::uint32_t> indexes; // by position
    };

    std::uint32_t slot(InternedKind kind, std::uint32_t index) {
        Texts& texts = texts_[static_cast<std::size_t>(kind)];
        std::uint32_t& slot = texts.slot_of[index];
        if (slot == 0) {
            texts.indexes.push_back(index);
            slot = static_cast<std::uint32_t>(texts.indexes.size());
        }
        return slot - 1;
    }

    const PartialDictionaries& dictionaries_;
    TimestampUs start_ = 0;
    std::string body_;
    std::array<Texts, kInternedKindCount> texts_;
    std::vector<std::uint32_t> scratch_;
    std::vector<std::pair<std::uint32_t, std::int64_t>> amounts_;
    std::string text_;
    std::string previous_;
};

// Reads what CellWriter wrote. Every read checks what is left; the first failure is kept.
class CellReader {
public:
    explicit CellReader(std::string_view bytes) : bytes_(bytes) {}

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    bool fail(std::string what) {
        if (error_.empty()) {
            error_ = std::move(what);
        }
        return false;
    }
    // Says where the failure already recorded happened.
    bool failedIn(const std::string& where) {
        error_ = where + ": " + error_;
        return false;
    }
    std::size_t left() const { return bytes_.size() - at_; }
    bool atEnd() const { return at_ == bytes_.size(); }

    bool byte(std::uint8_t& out) {
        if (at_ >= bytes_.size()) {
            return fail("payload ends early");
        }
        out = static_cast<std::uint8_t>(bytes_[at_++]);
        return true;
    }
    bool raw(std::size_t count, std::string_view& out) {
        if (count > left()) {
            return fail("payload ends early");
        }
        out = bytes_.substr(at_, count);
        at_ += count;
        return true;
    }
    bool varint(std::uint64_t& out) {
        if (at_ < bytes_.size() && static_cast<std::uint8_t>(bytes_[at_]) < 0x80) {
            out = static_cast<std::uint8_t>(bytes_[at_++]); // most numbers are one byte
            return true;
        }
        out = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            std::uint8_t b = 0;
            if (!byte(b)) {
                return false;
            }
            if (shift == 63 && b > 1) {
                return fail("number too large");
            }
            out |= static_cast<std::uint64_t>(b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return true;
            }
        }
        return fail("number too large");
    }
    // A count of things each taking at least one byte: never more than the bytes left.
    bool length(std::uint64_t& out) {
        if (!varint(out)) {
            return false;
        }
        return out <= left() || fail("count " + std::to_string(out) + " exceeds the payload");
    }

    // Cell fields.
    void setWindow(TimestampUs start) { start_ = start; }
    void setSlots(std::array<std::vector<std::uint32_t>, kInternedKindCount> slots) {
        slots_ = std::move(slots);
    }
    template <typename T> bool count(T& out) {
        std::uint64_t value = 0;
        if (!varint(value)) {
            return false;
        }
        if (value > std::numeric_limits<T>::max()) {
            return fail("number out of range");
        }
        out = static_cast<T>(value);
        return true;
    }
    bool number(std::int64_t& out) {
        std::uint64_t value = 0;
        if (!varint(value)) {
            return false;
        }
        out = unzigzag(value);
        return true;
    }
    bool time(TimestampUs& out) {
        std::int64_t offset = 0;
        if (!number(offset)) {
            return false;
        }
        return !__builtin_add_overflow(start_, offset, &out) || fail("time out of range");
    }
    bool flag(bool& out) {
        std::uint8_t b = 0;
        if (!byte(b)) {
            return false;
        }
        if (b > 1) {
            return fail("flag neither 0 nor 1");
        }
        out = b == 1;
        return true;
    }
    bool uuid(Uuid& out) {
        std::string_view bytes;
        if (!raw(16, bytes)) {
            return false;
        }
        out.high = fixed(bytes.substr(0, 8));
        out.low = fixed(bytes.substr(8, 8));
        return true;
    }
    bool ref(InternedKind kind, std::uint32_t& out) {
        std::uint64_t at = 0;
        return varint(at) && resolve(kind, at, out);
    }
    bool country(Country& out) {
        std::uint32_t index = 0;
        if (!ref(InternedKind::Country, index)) {
            return false;
        }
        out = static_cast<Country>(index);
        return true;
    }
    bool category(CategoryId& out) {
        std::uint64_t code = 0;
        if (!varint(code)) {
            return false;
        }
        if (code == kNoCategoryCode) {
            out = kNoCategory;
            return true;
        }
        if (code == kMixedCategoryCode) {
            out = kMixedCategory;
            return true;
        }
        std::uint32_t index = 0;
        if (!resolve(InternedKind::Category, code - kFirstCategoryCode, index)) {
            return false;
        }
        out = static_cast<CategoryId>(index);
        return true;
    }
    bool name(NameId& out) {
        std::uint64_t code = 0;
        if (!varint(code)) {
            return false;
        }
        if (code == kNoNameCode) {
            out = kNoName;
            return true;
        }
        return resolve(InternedKind::Name, code - kFirstNameCode, out);
    }
    bool set(InternedKind kind, DistinctSet& out) {
        std::uint64_t size = 0;
        if (!length(size)) {
            return false;
        }
        std::uint64_t at = 0;
        for (std::uint64_t i = 0; i < size; ++i) {
            std::uint64_t delta = 0;
            std::uint32_t index = 0;
            if (!varint(delta) || !step(at, delta, i) || !resolve(kind, at, index)) {
                return false;
            }
            out.insert(index);
        }
        return true;
    }
    bool amounts(InternedKind kind, CountPerId& out) {
        std::uint64_t size = 0;
        if (!length(size)) {
            return false;
        }
        std::uint64_t at = 0;
        for (std::uint64_t i = 0; i < size; ++i) {
            std::uint64_t delta = 0;
            std::uint32_t index = 0;
            std::int64_t amount = 0;
            if (!varint(delta) || !step(at, delta, i) || !resolve(kind, at, index) ||
                !number(amount)) {
                return false;
            }
            out.add(index, amount);
        }
        return true;
    }

private:
    static std::uint64_t fixed(std::string_view bytes) {
        std::uint64_t value = 0;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[i])) << (8 * i);
        }
        return value;
    }
    // Positions of a set ascend strictly (the first may be 0).
    bool step(std::uint64_t& at, std::uint64_t delta, std::uint64_t i) {
        if (i > 0 && delta == 0) {
            return fail("set positions not ascending");
        }
        if (delta > std::numeric_limits<std::uint32_t>::max()) {
            return fail("text position out of range");
        }
        at += delta;
        return true;
    }
    bool resolve(InternedKind kind, std::uint64_t at, std::uint32_t& out) {
        const auto& slots = slots_[static_cast<std::size_t>(kind)];
        if (at >= slots.size()) {
            return fail("text position " + std::to_string(at) + " beyond its table of " +
                        std::to_string(slots.size()));
        }
        out = slots[at];
        return true;
    }

    std::string_view bytes_;
    std::size_t at_ = 0;
    std::string error_;
    TimestampUs start_ = 0;
    std::array<std::vector<std::uint32_t>, kInternedKindCount> slots_;
};

// One cell per (key, accumulator) type; the types of the twelve tables all differ.
void writeCell(CellWriter& w, std::uint8_t country, const SalesAcc& acc) {
    w.country(static_cast<Country>(country));
    w.count(acc.transactions);
    w.number(acc.revenue);
}
bool readCell(CellReader& r, std::uint8_t& country, SalesAcc& acc) {
    Country c{};
    const bool ok = r.country(c) && r.count(acc.transactions) && r.number(acc.revenue);
    country = static_cast<std::uint8_t>(c);
    return ok;
}

void writeCell(CellWriter& w, std::uint8_t country, const CartMetricsAcc& acc) {
    w.country(static_cast<Country>(country));
    w.count(acc.events);
    w.count(acc.adds);
    w.count(acc.removes);
    w.count(acc.updates);
    w.count(acc.checkouts);
    w.number(acc.value_sum);
    w.number(acc.max_value);
}
bool readCell(CellReader& r, std::uint8_t& country, CartMetricsAcc& acc) {
    Country c{};
    const bool ok = r.country(c) && r.count(acc.events) && r.count(acc.adds) &&
                    r.count(acc.removes) && r.count(acc.updates) && r.count(acc.checkouts) &&
                    r.number(acc.value_sum) && r.number(acc.max_value);
    country = static_cast<std::uint8_t>(c);
    return ok;
}

void writeCell(CellWriter& w, const SessionKey& key, const CartSessionAcc& acc) {
    w.ref(InternedKind::User, key.user);
    w.uuid(key.session);
    w.flag(acc.seen);
    w.country(acc.country);
    w.count(acc.adds);
    w.count(acc.removes);
    w.count(acc.updates);
    w.count(acc.checkouts);
    w.number(acc.max_value);
    w.time(acc.last);
    w.count(acc.events);
}
bool readCell(CellReader& r, SessionKey& key, CartSessionAcc& acc) {
    return r.ref(InternedKind::User, key.user) && r.uuid(key.session) && r.flag(acc.seen) &&
           r.country(acc.country) && r.count(acc.adds) && r.count(acc.removes) &&
           r.count(acc.updates) && r.count(acc.checkouts) && r.number(acc.max_value) &&
           r.time(acc.last) && r.count(acc.events);
}

void writeCell(CellWriter& w, ProductId product, const TrendAcc& acc) {
    w.ref(InternedKind::Product, product);
    w.count(acc.views);
    w.count(acc.duration_sum);
    w.count(acc.viewers);
    w.flag(acc.label.set);
    w.time(acc.label.time);
    w.name(acc.label.name);
    w.category(acc.label.category);
    w.number(acc.label.price);
}
bool readCell(CellReader& r, ProductId& product, TrendAcc& acc) {
    return r.ref(InternedKind::Product, product) && r.count(acc.views) &&
           r.count(acc.duration_sum) && r.count(acc.viewers) && r.flag(acc.label.set) &&
           r.time(acc.label.time) && r.name(acc.label.name) && r.category(acc.label.category) &&
           r.number(acc.label.price);
}

void writeCell(CellWriter& w, std::uint32_t key, const CategoryAcc& acc) {
    w.category(static_cast<CategoryId>(key >> 8));
    w.country(static_cast<Country>(key & 0xFF));
    w.count(acc.views);
    w.count(acc.duration_sum);
    w.number(acc.price_sum);
    w.set(InternedKind::User, acc.users.held());
    w.set(InternedKind::Product, acc.products.held());
}
bool readCell(CellReader& r, std::uint32_t& key, CategoryAcc& acc) {
    CategoryId category = 0;
    Country country{};
    const bool ok = r.category(category) && r.country(country) && r.count(acc.views) &&
                    r.count(acc.duration_sum) && r.number(acc.price_sum) &&
                    r.set(InternedKind::User, acc.users) &&
                    r.set(InternedKind::Product, acc.products);
    key = static_cast<std::uint32_t>(category) << 8 | static_cast<std::uint32_t>(country);
    return ok;
}

void writeCell(CellWriter& w, std::uint64_t key, const SearchAcc& acc) {
    w.ref(InternedKind::Query, static_cast<QueryId>(key >> 8));
    w.country(static_cast<Country>(key & 0xFF));
    w.count(acc.searches);
    w.count(acc.results_sum);
    w.set(InternedKind::User, acc.users.held());
}
bool readCell(CellReader& r, std::uint64_t& key, SearchAcc& acc) {
    QueryId query = 0;
    Country country{};
    const bool ok = r.ref(InternedKind::Query, query) && r.country(country) &&
                    r.count(acc.searches) && r.count(acc.results_sum) &&
                    r.set(InternedKind::User, acc.users);
    key = static_cast<std::uint64_t>(query) << 8 | static_cast<std::uint64_t>(country);
    return ok;
}

void writeCell(CellWriter& w, const SessionKey& key, const BrowsingAcc& acc) {
    w.ref(InternedKind::User, key.user);
    w.uuid(key.session);
    w.flag(acc.seen);
    w.country(acc.country);
    w.count(acc.views);
    w.count(acc.searches);
    w.count(acc.filters);
    w.count(acc.compares);
    w.set(InternedKind::Product, acc.products.held());
    w.count(acc.duration_sum);
    w.time(acc.first);
    w.time(acc.last);
    w.count(acc.events);
}
bool readCell(CellReader& r, SessionKey& key, BrowsingAcc& acc) {
    return r.ref(InternedKind::User, key.user) && r.uuid(key.session) && r.flag(acc.seen) &&
           r.country(acc.country) && r.count(acc.views) && r.count(acc.searches) &&
           r.count(acc.filters) && r.count(acc.compares) &&
           r.set(InternedKind::Product, acc.products) && r.count(acc.duration_sum) &&
           r.time(acc.first) && r.time(acc.last) && r.count(acc.events);
}

void writeCell(CellWriter& w, UserId user, const SuspiciousAcc& acc) {
    w.ref(InternedKind::User, user);
    w.flag(acc.seen);
    w.country(acc.country);
    w.count(acc.transactions);
    w.number(acc.spent);
    w.number(acc.max_amount);
    w.time(acc.first);
    w.time(acc.last);
}
bool readCell(CellReader& r, UserId& user, SuspiciousAcc& acc) {
    return r.ref(InternedKind::User, user) && r.flag(acc.seen) && r.country(acc.country) &&
           r.count(acc.transactions) && r.number(acc.spent) && r.number(acc.max_amount) &&
           r.time(acc.first) && r.time(acc.last);
}

void writeCell(CellWriter& w, std::uint8_t country, const AnomalyStatsAcc& acc) {
    w.country(static_cast<Country>(country));
    w.count(acc.high_value);
    w.count(acc.high_quantity);
    w.count(acc.critical);
    w.count(acc.high);
    w.count(acc.medium);
}
bool readCell(CellReader& r, std::uint8_t& country, AnomalyStatsAcc& acc) {
    Country c{};
    const bool ok = r.country(c) && r.count(acc.high_value) && r.count(acc.high_quantity) &&
                    r.count(acc.critical) && r.count(acc.high) && r.count(acc.medium);
    country = static_cast<std::uint8_t>(c);
    return ok;
}

void writeCell(CellWriter& w, std::uint64_t key, const UnitsAcc& acc) {
    w.ref(InternedKind::Product, static_cast<ProductId>(key >> 8));
    w.country(static_cast<Country>(key & 0xFF));
    w.number(acc.units);
    w.number(acc.revenue);
}
bool readCell(CellReader& r, std::uint64_t& key, UnitsAcc& acc) {
    ProductId product = 0;
    Country country{};
    const bool ok = r.ref(InternedKind::Product, product) && r.country(country) &&
                    r.number(acc.units) && r.number(acc.revenue);
    key = static_cast<std::uint64_t>(product) << 8 | static_cast<std::uint64_t>(country);
    return ok;
}

void writeCell(CellWriter& w, ProductId product, const UnitsAcc& acc) {
    w.ref(InternedKind::Product, product);
    w.number(acc.units);
    w.number(acc.revenue);
}
bool readCell(CellReader& r, ProductId& product, UnitsAcc& acc) {
    return r.ref(InternedKind::Product, product) && r.number(acc.units) && r.number(acc.revenue);
}

void writeCell(CellWriter& w, std::uint8_t country, const InventoryMetricsAcc& acc) {
    w.country(static_cast<Country>(country));
    w.number(acc.units);
    w.number(acc.revenue);
    w.amounts(InternedKind::Product, acc.per_product.held());
}
bool readCell(CellReader& r, std::uint8_t& country, InventoryMetricsAcc& acc) {
    Country c{};
    const bool ok = r.country(c) && r.number(acc.units) && r.number(acc.revenue) &&
                    r.amounts(InternedKind::Product, acc.per_product);
    country = static_cast<std::uint8_t>(c);
    return ok;
}

std::string_view kindName(InternedKind kind) {
    switch (kind) {
    case InternedKind::User:
        return "user";
    case InternedKind::Product:
        return "product";
    case InternedKind::Name:
        return "product name";
    case InternedKind::Query:
        return "search query";
    case InternedKind::Category:
        return "category";
    case InternedKind::Country:
        return "country";
    }
    return "text";
}

// The text tables: positions in the payload -> this process's indexes.
bool readTexts(CellReader& r, PartialDictionaries& dictionaries,
               std::array<std::vector<std::uint32_t>, kInternedKindCount>& slots) {
    std::string text;
    for (int k = 0; k < kInternedKindCount; ++k) {
        const auto kind = static_cast<InternedKind>(k);
        std::uint64_t count = 0;
        if (!r.length(count)) {
            return false;
        }
        auto& indexes = slots[static_cast<std::size_t>(k)];
        indexes.reserve(std::min<std::uint64_t>(count, 4096));
        text.clear();
        for (std::uint64_t i = 0; i < count; ++i) {
            std::uint64_t shared = 0;
            std::uint64_t rest = 0;
            std::string_view suffix;
            if (!r.varint(shared) || !r.length(rest) || !r.raw(rest, suffix)) {
                return false;
            }
            if (shared > text.size()) {
                return r.fail("text shares more than the previous one has");
            }
            text.resize(shared);
            text.append(suffix);
            const auto index = dictionaries.intern(kind, text);
            if (!index) {
                return r.fail(std::string(kindName(kind)) + " '" + text + "' not accepted");
            }
            // Cells hold categories and countries in a byte, categories below the two codes.
            if ((kind == InternedKind::Category && *index >= kMixedCategory) ||
                (kind == InternedKind::Country && *index > 0xFF)) {
                return r.fail(std::string(kindName(kind)) + " '" + text + "' has index " +
                              std::to_string(*index) + ", beyond what a cell holds");
            }
            indexes.push_back(*index);
        }
    }
    return true;
}

template <typename Key, typename Acc>
bool readWindow(CellReader& r, std::uint64_t cells, ClosedWindow<Key, Acc>& window) {
    // A count within the payload's bytes can still ask for a hundred times their size in
    // cells: let the vector grow with what is actually read.
    window.cells.reserve(std::min<std::uint64_t>(cells, 4096));
    for (std::uint64_t i = 0; i < cells; ++i) {
        auto& [key, acc] = window.cells.emplace_back();
        if (!readCell(r, key, acc)) {
            return r.failedIn("cell " + std::to_string(i));
        }
    }
    return true;
}

} // namespace

std::span<const std::string_view> partialTableIds() {
    return kTableIds;
}

std::uint32_t partialChecksum(std::string_view bytes) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : bytes) {
        crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
    }
    return ~crc;
}

void ProcessDictionaries::appendText(InternedKind kind, std::uint32_t index,
                                     std::string& out) const {
    char buffer[kMaxIdTextLength];
    switch (kind) {
    case InternedKind::User:
        out.append(buffer, formatUserId(index, buffer));
        return;
    case InternedKind::Product:
        out.append(buffer, formatProductId(index, buffer));
        return;
    case InternedKind::Name:
        out.append(productNames().text(index));
        return;
    case InternedKind::Query:
        out.append(QueryTable::global().text(index));
        return;
    case InternedKind::Category:
        out.append(categoryName(static_cast<CategoryId>(index)));
        return;
    case InternedKind::Country:
        out.append(countryName(static_cast<Country>(index)));
        return;
    }
}

std::optional<std::uint32_t> ProcessDictionaries::intern(InternedKind kind, std::string_view text) {
    switch (kind) {
    case InternedKind::User:
        return parseUserId(text);
    case InternedKind::Product:
        return parseProductId(text);
    case InternedKind::Name:
        return productNames().intern(text);
    case InternedKind::Query:
        return QueryTable::global().intern(text);
    case InternedKind::Category:
        if (const auto category = parseCategory(text)) {
            return *category;
        }
        return std::nullopt;
    case InternedKind::Country:
        if (const auto country = parseCountry(text)) {
            return static_cast<std::uint32_t>(*country);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

struct PartialEncoder::Scratch {
    explicit Scratch(const PartialDictionaries& dictionaries) : writer(dictionaries) {}
    CellWriter writer;
    std::vector<std::size_t> order;
};

PartialEncoder::PartialEncoder(const PartialDictionaries& dictionaries)
    : scratch_(std::make_unique<Scratch>(dictionaries)) {}

PartialEncoder::~PartialEncoder() = default;

void encodePartials(const ShardOutput& closed, const PartialDictionaries& dictionaries,
                    std::vector<EncodedPartial>& out) {
    PartialEncoder(dictionaries).encode(closed, out);
}

void PartialEncoder::encode(const ShardOutput& closed, std::vector<EncodedPartial>& out) {
    CellWriter& writer = scratch_->writer;
    std::vector<std::size_t>& order = scratch_->order;
    forEachTable(closed, [&](std::string_view id, const auto& windows) {
        // Windows of one start together, oldest first, without reordering the input.
        order.resize(windows.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return windows[a].start < windows[b].start;
        });
        for (std::size_t i = 0; i < order.size();) {
            const auto& first = windows[order[i]];
            writer.begin(first.start);
            std::size_t cells = 0;
            std::size_t j = i;
            for (; j < order.size() && windows[order[j]].start == first.start; ++j) {
                for (const auto& [key, acc] : windows[order[j]].cells) {
                    writeCell(writer, key, acc);
                }
                cells += windows[order[j]].cells.size();
            }
            EncodedPartial& partial = out.emplace_back();
            partial.table_id = std::string(id);
            partial.window_start = first.start;
            partial.window_end = first.end;
            partial.cells = cells;
            writer.finish(id, first.start, first.end, cells, partial.payload);
            i = j;
        }
    });
}

PartialDecodeResult decodePartial(std::string_view payload, PartialDictionaries& dictionaries,
                                  ShardOutput& into) {
    PartialDecodeResult result;
    constexpr std::size_t kSmallest = kMagic.size() + 1 + 1 + kChecksumBytes;
    if (payload.size() < kSmallest || payload.substr(0, kMagic.size()) != kMagic) {
        result.error = "not a partial payload (no GMPC magic)";
        return result;
    }
    const auto version = static_cast<std::uint8_t>(payload[kMagic.size()]);
    if (version != kPartialCodecVersion) {
        result.error = "payload version " + std::to_string(version) + ", this build reads " +
                       std::to_string(kPartialCodecVersion);
        return result;
    }
    const std::string_view checked = payload.substr(0, payload.size() - kChecksumBytes);
    std::uint32_t stored = 0;
    for (std::size_t i = 0; i < kChecksumBytes; ++i) {
        stored |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(payload[checked.size() + i]))
                  << (8 * i);
    }
    if (partialChecksum(checked) != stored) {
        result.error = "checksum mismatch (payload damaged or truncated)";
        return result;
    }

    CellReader r(checked.substr(kMagic.size() + 1));
    std::uint8_t id_length = 0;
    std::string_view id;
    std::uint64_t start_code = 0;
    std::uint64_t length = 0;
    if (!r.byte(id_length) || !r.raw(id_length, id) || !r.varint(start_code) || !r.varint(length)) {
        result.error = "header: " + r.error();
        return result;
    }
    result.table_id = std::string(id);
    if (std::find(kTableIds.begin(), kTableIds.end(), id) == kTableIds.end()) {
        result.error = "unknown table id '" + result.table_id + "'";
        return result;
    }
    result.window_start = unzigzag(start_code);
    if (length > static_cast<std::uint64_t>(std::numeric_limits<TimestampUs>::max()) ||
        __builtin_add_overflow(result.window_start, static_cast<TimestampUs>(length),
                               &result.window_end)) {
        result.error = "window end out of range";
        return result;
    }

    std::array<std::vector<std::uint32_t>, kInternedKindCount> slots;
    if (!readTexts(r, dictionaries, slots)) {
        result.error = "texts: " + r.error();
        return result;
    }
    r.setSlots(std::move(slots));
    r.setWindow(result.window_start);
    std::uint64_t cells = 0;
    if (!r.length(cells)) {
        result.error = "cell count: " + r.error();
        return result;
    }
    result.cells = cells;

    bool decoded = false;
    forEachTable(into, [&](std::string_view table, auto& windows) {
        if (table != id) {
            return;
        }
        typename std::remove_reference_t<decltype(windows)>::value_type window;
        window.start = result.window_start;
        window.end = result.window_end;
        if (!readWindow(r, cells, window)) {
            return;
        }
        if (!r.atEnd()) {
            r.fail(std::to_string(r.left()) + " bytes after the last cell");
            return;
        }
        windows.push_back(std::move(window));
        decoded = true;
    });
    if (!decoded) {
        result.error = result.table_id + ": " + r.error();
    }
    return result;
}

} // namespace gm
