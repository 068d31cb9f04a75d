// SPDX-License-Identifier: GPL-3.0-or-later
// Scale-out step 2.1 (issue 18): the partial codec. A shop's events split into four partitions
// run through per-partition shards twice: once as they are, and once renamed into another
// process's dictionaries (every user, product, product name, search query, category and country
// under another index). The renamed run's closed windows, encoded with that process's texts and
// decoded into this process, must emit exactly the rows of the run as it is, in every windowed
// table. Hostile payloads (truncated at every byte, bit flips, forged checksums, wrong magic or
// version, absurd counts) are rejected with an error and change nothing.
#include "generator/catalog.h"
#include "generator/id_dictionary.h"
#include "generator/search_queries.h"
#include "generator/simulator.h"
#include "pipeline/partial_codec.h"
#include "pipeline/partial_merge.h"
#include "pipeline/partition_shards.h"
#include "pipeline/product_table.h"
#include "pipeline/session_emitter.h"
#include "pipeline/table_schema.h"
#include "table_compare.h"

#include <QTest>
#include <map>
#include <random>
#include <set>
#include <unordered_map>

using namespace gm;

namespace {

constexpr TimestampUs kStart = 1'767'225'600'000'000; // 2026-01-01T00:00:00Z
constexpr int kPartitions = 4;
constexpr std::uint32_t kUsers = 3'000;
constexpr std::uint32_t kProducts = 300;

std::int32_t partitionOf(UserId user) {
    return static_cast<std::int32_t>((static_cast<std::uint64_t>(user) * 0x9E3779B97F4A7C15ULL) >>
                                     61) %
           kPartitions;
}

// A bijection on some indexes; identity elsewhere.
struct Renaming {
    std::unordered_map<std::uint32_t, std::uint32_t> forward;
    std::unordered_map<std::uint32_t, std::uint32_t> backward;
    void add(std::uint32_t from, std::uint32_t to) {
        forward[from] = to;
        backward[to] = from;
    }
    // Reverses the order of `indexes`.
    static Renaming reversing(const std::vector<std::uint32_t>& indexes) {
        Renaming renaming;
        for (std::size_t i = 0; i < indexes.size(); ++i) {
            renaming.add(indexes[i], indexes[indexes.size() - 1 - i]);
        }
        return renaming;
    }
    std::uint32_t to(std::uint32_t index) const {
        const auto it = forward.find(index);
        return it == forward.end() ? index : it->second;
    }
    std::uint32_t from(std::uint32_t index) const {
        const auto it = backward.find(index);
        return it == backward.end() ? index : it->second;
    }
};

std::vector<std::uint32_t> range(std::uint32_t count) {
    std::vector<std::uint32_t> indexes(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        indexes[i] = i;
    }
    return indexes;
}

// Another process: the same texts as this one's dictionaries, each under another index.
class OtherProcessDictionaries final : public PartialDictionaries {
public:
    std::array<Renaming, kInternedKindCount> renamings;

    void appendText(InternedKind kind, std::uint32_t index, std::string& out) const override {
        process_.appendText(kind, of(kind).from(index), out);
    }
    std::optional<std::uint32_t> intern(InternedKind kind, std::string_view text) override {
        const auto index = process_.intern(kind, text);
        if (!index) {
            return index;
        }
        return of(kind).to(*index);
    }
    const Renaming& of(InternedKind kind) const {
        return renamings[static_cast<std::size_t>(kind)];
    }

private:
    mutable ProcessDictionaries process_;
};

struct Renamer {
    const OtherProcessDictionaries& other;
    std::uint32_t map(InternedKind kind, std::uint32_t index) const {
        return other.of(kind).to(index);
    }
    UserId user(UserId id) const { return map(InternedKind::User, id); }
    ProductId product(ProductId id) const { return map(InternedKind::Product, id); }
    NameId name(NameId id) const { return id == kNoName ? id : map(InternedKind::Name, id); }
    CategoryId category(CategoryId id) const {
        return id == kNoCategory || id == kMixedCategory
                   ? id
                   : static_cast<CategoryId>(map(InternedKind::Category, id));
    }
    Country country(Country value) const {
        return static_cast<Country>(map(InternedKind::Country, static_cast<std::uint32_t>(value)));
    }
    QueryId query(QueryId id) const { return id == kNoQuery ? id : map(InternedKind::Query, id); }
    void line(OrderLine& line) const {
        line.product = product(line.product);
        line.category = category(line.category);
        line.name = name(line.name);
    }
    void apply(EventBatch& batch) const {
        for (ProductViewEvent& e : batch.views) {
            e.user = user(e.user);
            e.country = country(e.country);
            e.product = product(e.product);
            e.product_name = name(e.product_name);
            e.category = category(e.category);
            e.search_query = query(e.search_query);
            e.filter_category = category(e.filter_category);
            for (ProductId& p : e.compare_products) {
                p = product(p);
            }
            for (NameId& n : e.compare_names) {
                n = name(n);
            }
        }
        for (CartEvent& e : batch.carts) {
            e.user = user(e.user);
            e.country = country(e.country);
            e.product = product(e.product);
            e.product_name = name(e.product_name);
            e.category = category(e.category);
            for (OrderLine& l : e.items) {
                line(l);
            }
        }
        for (Transaction& t : batch.transactions) {
            t.user = user(t.user);
            t.country = country(t.country);
            for (OrderLine& l : t.products) {
                line(l);
            }
        }
    }
};

// The shop's events, per partition (all three topics in one batch each), with some ids spelled
// outside our numbering (interned), some product names and some search queries of another
// producer, so that every kind of text travels.
std::vector<EventBatch> shopLogs(const Catalog& catalog) {
    ShopSimulator simulator(catalog, SimulatorConfig{.seed = 18}, kStart);
    simulator.setShopRate(30);
    EventBatch all;
    simulator.generate(24'000, all);
    std::vector<NameId> names;
    for (int i = 0; i < 5; ++i) {
        names.push_back(*productNames().intern("Codec test product " + std::to_string(i)));
    }
    std::vector<QueryId> queries;
    for (int i = 0; i < 3; ++i) {
        queries.push_back(QueryTable::global().intern("codec test query " + std::to_string(i)));
    }
    auto foreignUser = [](UserId user) {
        return user % 17 == 0 ? *parseUserId("USER_" + std::to_string(user + 1)) : user;
    };
    auto foreignProduct = [](ProductId product) {
        return product % 23 == 0 ? *parseProductId("PROD_" + std::to_string(product + 1)) : product;
    };
    std::size_t n = 0;
    for (ProductViewEvent& e : all.views) {
        e.user = foreignUser(e.user);
        e.product = foreignProduct(e.product);
        if (e.event_type == ViewEventType::View && ++n % 40 == 0) {
            e.product_name = names[(n / 40) % names.size()];
        }
        if (e.event_type == ViewEventType::Search && n++ % 7 == 0) {
            e.search_query = queries[n % queries.size()];
        }
    }
    for (CartEvent& e : all.carts) {
        e.user = foreignUser(e.user);
        e.product = foreignProduct(e.product);
        for (OrderLine& line : e.items) {
            line.product = foreignProduct(line.product);
        }
    }
    for (Transaction& t : all.transactions) {
        t.user = foreignUser(t.user);
        for (OrderLine& line : t.products) {
            line.product = foreignProduct(line.product);
        }
    }
    std::vector<EventBatch> logs(kPartitions);
    for (const auto& e : all.views) {
        logs[static_cast<std::size_t>(partitionOf(e.user))].views.push_back(e);
    }
    for (const auto& e : all.carts) {
        logs[static_cast<std::size_t>(partitionOf(e.user))].carts.push_back(e);
    }
    for (const auto& t : all.transactions) {
        logs[static_cast<std::size_t>(partitionOf(t.user))].transactions.push_back(t);
    }
    return logs;
}

// The windows each partition's shard closes, as exact mode holds them.
std::vector<ShardOutput> closedWindows(const std::vector<EventBatch>& logs,
                                       const PipelineConfig& config) {
    std::vector<ShardOutput> outputs(logs.size());
    for (std::size_t p = 0; p < logs.size(); ++p) {
        PartitionShards shards(config);
        const auto partition = static_cast<std::int32_t>(p);
        constexpr std::size_t kChunk = 500;
        auto feed = [&](const auto& events, auto add) {
            for (std::size_t from = 0; from < events.size(); from += kChunk) {
                add(std::span(events).subspan(from, std::min(kChunk, events.size() - from)));
            }
        };
        feed(logs[p].views, [&](auto part) { shards.add(partition, part, {}, {}); });
        feed(logs[p].carts, [&](auto part) { shards.add(partition, {}, part, {}); });
        feed(logs[p].transactions, [&](auto part) { shards.add(partition, {}, {}, part); });
        shards.flush(outputs[p]);
    }
    return outputs;
}

// What the engine does with the shards' outputs: the emit* merge and the session tables.
RowBatch emitAll(std::vector<ShardOutput>& outputs, const EmitContext& context) {
    RowBatch rows;
    emitMergedParts(outputs, context, rows);
    return rows;
}

// Per-event rows are not windowed state: the codec leaves them out.
bool isPerEventTable(TableId table) {
    return table == TableId::HighValueAnomalies || table == TableId::HighQuantityAnomalies ||
           table == TableId::AbandonedCarts;
}

// What decoding may change in an output: how many windows and cells each table holds.
std::vector<std::size_t> shapeOf(const ShardOutput& output) {
    std::vector<std::size_t> shape;
    auto add = [&](const auto& windows) {
        shape.push_back(windows.size());
        std::size_t cells = 0;
        for (const auto& window : windows) {
            cells += window.cells.size();
        }
        shape.push_back(cells);
    };
    add(output.sales.by_country);
    add(output.carts.metrics);
    add(output.carts.sessions);
    add(output.views.trending);
    add(output.views.categories);
    add(output.views.searches);
    add(output.views.browsing);
    add(output.anomalies.suspicious);
    add(output.anomalies.stats);
    add(output.inventory.by_country);
    add(output.inventory.demand);
    add(output.inventory.metrics);
    return shape;
}

void putVarint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<char>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::string withChecksum(std::string bytes) {
    const std::uint32_t crc = partialChecksum(bytes);
    for (int i = 0; i < 4; ++i) {
        bytes.push_back(static_cast<char>(crc >> (8 * i)));
    }
    return bytes;
}

// A payload's head as version 1 writes it, up to (not including) the text tables.
std::string forgedHead(std::string_view table_id, std::uint8_t version = kPartialCodecVersion) {
    std::string bytes = "GMPC";
    bytes.push_back(static_cast<char>(version));
    bytes.push_back(static_cast<char>(table_id.size()));
    bytes.append(table_id);
    putVarint(bytes, 2 * static_cast<std::uint64_t>(kStart)); // zigzag of a positive start
    putVarint(bytes, static_cast<std::uint64_t>(kMicrosPerMinute));
    return bytes;
}

} // namespace

class PartialCodecTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        config_.exact_partitions = true;
        catalog_ = std::make_unique<Catalog>(CatalogConfig{.users = kUsers, .products = kProducts});
        products_ = productTableFrom(*catalog_);
        logs_ = shopLogs(*catalog_);

        // The other process: users and products numbered backwards (those outside our
        // numbering too), names, queries, categories and countries in reverse order.
        std::vector<std::uint32_t> users = range(kUsers);
        std::vector<std::uint32_t> products = range(kProducts);
        std::set<std::uint32_t> names;
        for (const EventBatch& log : logs_) {
            for (const auto& e : log.views) {
                users.push_back(e.user);
                products.push_back(e.product);
                if (e.product_name != kNoName) {
                    names.insert(e.product_name);
                }
            }
            for (const auto& e : log.carts) {
                users.push_back(e.user);
            }
            for (const auto& t : log.transactions) {
                users.push_back(t.user);
                for (const OrderLine& line : t.products) {
                    products.push_back(line.product);
                }
            }
        }
        auto unique = [](std::vector<std::uint32_t> indexes) {
            std::sort(indexes.begin(), indexes.end());
            indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
            return indexes;
        };
        auto& renamings = other_.renamings;
        renamings[static_cast<int>(InternedKind::User)] = Renaming::reversing(unique(users));
        renamings[static_cast<int>(InternedKind::Product)] = Renaming::reversing(unique(products));
        renamings[static_cast<int>(InternedKind::Name)] =
            Renaming::reversing({names.begin(), names.end()});
        renamings[static_cast<int>(InternedKind::Query)] =
            Renaming::reversing(range(static_cast<std::uint32_t>(QueryTable::global().size())));
        renamings[static_cast<int>(InternedKind::Category)] =
            Renaming::reversing(range(static_cast<std::uint32_t>(categoryCount())));
        renamings[static_cast<int>(InternedKind::Country)] =
            Renaming::reversing(range(static_cast<std::uint32_t>(countryCount())));
        qInfo("views %zu carts %zu transactions %zu names %zu", logs_[0].views.size(),
              logs_[0].carts.size(), logs_[0].transactions.size(), names.size());
        QVERIFY(names.size() >= 2);

        std::vector<EventBatch> renamed = logs_;
        for (EventBatch& log : renamed) {
            Renamer{other_}.apply(log);
        }
        std::vector<ShardOutput> other_outputs = closedWindows(renamed, config_);
        for (std::size_t p = 0; p < other_outputs.size(); ++p) {
            std::vector<EncodedPartial> encoded;
            encodePartials(other_outputs[p], other_, encoded);
            for (EncodedPartial& partial : encoded) {
                payloads_.push_back({p, std::move(partial)});
            }
        }
    }

    // Every table of the renamed run, through its payloads, emits this run's rows.
    void roundTripEmitsTheSameRows() {
        std::vector<ShardOutput> expected_outputs = closedWindows(logs_, config_);
        const EmitContext context{config_, products_, kStart};
        const RowBatch expected = emitAll(expected_outputs, context);

        ProcessDictionaries process;
        std::vector<ShardOutput> decoded(kPartitions);
        std::map<std::string, std::pair<std::size_t, std::size_t>> per_table; // cells, bytes
        for (const auto& [partition, partial] : payloads_) {
            const PartialDecodeResult result =
                decodePartial(partial.payload, process, decoded[partition]);
            QVERIFY2(result.ok(), result.error.c_str());
            QCOMPARE(result.table_id, partial.table_id);
            QCOMPARE(result.window_start, partial.window_start);
            QCOMPARE(result.window_end, partial.window_end);
            QCOMPARE(result.cells, partial.cells);
            per_table[partial.table_id].first += partial.cells;
            per_table[partial.table_id].second += partial.payload.size();
        }
        for (const std::string_view id : partialTableIds()) {
            const auto it = per_table.find(std::string(id));
            QVERIFY2(it != per_table.end() && it->second.first > 0, std::string(id).c_str());
            qInfo("%-22s %7zu cells %9zu bytes", std::string(id).c_str(), it->second.first,
                  it->second.second);
        }
        const RowBatch actual = emitAll(decoded, context);
        std::size_t compared = 0;
        for (int t = 0; t < kTableCount; ++t) {
            const auto table = static_cast<TableId>(t);
            if (isPerEventTable(table)) {
                continue;
            }
            const auto want = test::canonicalLines(expected, table, false);
            const auto got = test::canonicalLines(actual, table, false);
            const std::string diff = test::diffLines(want, got);
            QVERIFY2(diff.empty(), (std::string(tableName(table)) + ": " + diff).c_str());
            compared += want.size();
            qInfo("%-26s %6zu rows", std::string(tableName(table)).c_str(), want.size());
        }
        QVERIFY(compared > 10'000);
        // Tables whose rows come out of thresholds must still have some, or the test says little.
        QVERIFY(!expected.trending_products.empty());
        QVERIFY(!expected.search_behavior.empty());
        QVERIFY(!expected.browsing_sessions.empty());
        QVERIFY(!expected.cart_sessions.empty());
        QVERIFY(!expected.inventory_metrics.empty());
    }

    // Cut anywhere, a payload is refused, with its checksum and with one forged to match.
    void truncationAtEveryByteIsRejected() {
        // Quadratic in the length (every cut is checksummed): a payload of about 2 KB.
        const std::string& payload = payloadNear("views.categories", 2'000);
        QVERIFY(payload.size() > 200);
        ProcessDictionaries process;
        ShardOutput into;
        QVERIFY(decodePartial(payloads_.front().second.payload, process, into).ok());
        const auto shape = shapeOf(into);
        for (std::size_t length = 0; length < payload.size(); ++length) {
            const std::string cut = payload.substr(0, length);
            PartialDecodeResult result = decodePartial(cut, process, into);
            QVERIFY2(!result.ok(), std::to_string(length).c_str());
            if (length >= 4) {
                // The checksum made right again: the structure alone must notice.
                result = decodePartial(withChecksum(cut.substr(0, length - 4)), process, into);
                QVERIFY2(!result.ok(), std::to_string(length).c_str());
            }
        }
        QVERIFY(shapeOf(into) == shape);
    }

    void bitFlipsAreRejected() {
        const std::string& payload = payloadNear("views.browsing", 4'000);
        ProcessDictionaries process;
        std::mt19937 random(1818);
        std::size_t forged_refused = 0;
        for (int i = 0; i < 3'000; ++i) {
            std::string damaged = payload;
            const std::size_t bit = random() % (damaged.size() * 8);
            damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
            ShardOutput into;
            PartialDecodeResult result = decodePartial(damaged, process, into);
            QVERIFY(!result.ok());
            QVERIFY(shapeOf(into) == shapeOf(ShardOutput{}));
            // Forged: the flip passes the checksum and reaches the parser. It may still be a
            // valid payload (a count changed); if refused, nothing changed.
            if (bit / 8 < damaged.size() - 4) {
                const std::string forged = withChecksum(damaged.substr(0, damaged.size() - 4));
                result = decodePartial(forged, process, into);
                if (!result.ok()) {
                    ++forged_refused;
                    QVERIFY(shapeOf(into) == shapeOf(ShardOutput{}));
                }
            }
        }
        qInfo("forged bit flips refused by the parser: %zu of 3000", forged_refused);
        QVERIFY(forged_refused > 100);
    }

    void wrongMagicVersionAndTableAreNamed() {
        ProcessDictionaries process;
        ShardOutput into;
        std::string payload = payloads_.front().second.payload;
        std::string bad = payload;
        bad[0] = 'X';
        QVERIFY(decodePartial(bad, process, into).error.find("magic") != std::string::npos);
        QVERIFY(decodePartial("", process, into).error.find("magic") != std::string::npos);
        QVERIFY(decodePartial("GMPC", process, into).error.find("magic") != std::string::npos);
        bad = payload;
        bad[4] = 2;
        QVERIFY(decodePartial(bad, process, into).error.find("version 2") != std::string::npos);
        bad = withChecksum(bad.substr(0, bad.size() - 4));
        QVERIFY(decodePartial(bad, process, into).error.find("version 2") != std::string::npos);
        bad = payload;
        bad[bad.size() - 1] = static_cast<char>(bad.back() ^ 0x40);
        QVERIFY(decodePartial(bad, process, into).error.find("checksum") != std::string::npos);
        std::string forged = forgedHead("sales.nothing");
        forged.append(6, '\0');
        forged.push_back('\0');
        QVERIFY(decodePartial(withChecksum(forged), process, into).error.find("unknown table") !=
                std::string::npos);
        // A well-formed empty window decodes (and is the only change).
        forged = forgedHead("sales.by_country");
        forged.append(6, '\0');
        forged.push_back('\0');
        const PartialDecodeResult empty = decodePartial(withChecksum(forged), process, into);
        QVERIFY2(empty.ok(), empty.error.c_str());
        QCOMPARE(into.sales.by_country.size(), std::size_t{1});
        QCOMPARE(into.sales.by_country[0].end - into.sales.by_country[0].start, kMicrosPerMinute);
    }

    void absurdCountsAreRejected() {
        ProcessDictionaries process;
        ShardOutput into;
        auto errorOf = [&](const std::string& body) {
            return decodePartial(withChecksum(body), process, into).error;
        };
        std::string forged = forgedHead("views.searches");
        putVarint(forged, std::uint64_t{1} << 40); // users in the text table
        QVERIFY(errorOf(forged).find("exceeds") != std::string::npos);

        forged = forgedHead("views.searches");
        forged.append(6, '\0');
        putVarint(forged, std::uint64_t{1} << 62); // cells
        QVERIFY(errorOf(forged).find("exceeds") != std::string::npos);

        forged = forgedHead("views.searches");
        forged.append(std::string(11, '\xFF')); // a varint longer than 64 bits
        QVERIFY(errorOf(forged).find("too large") != std::string::npos);

        // One search cell whose user set claims 2^50 members.
        forged = forgedHead("views.searches");
        putVarint(forged, 1); // one user
        forged += std::string("\0\x0DUSER_00000001", 15);
        forged.append("\0\0", 2); // no products, no names
        putVarint(forged, 1);     // one query
        forged += std::string("\0\x04shoe", 6);
        forged.push_back('\0'); // no categories
        putVarint(forged, 1);   // one country
        forged += std::string("\0\x03USA", 5);
        putVarint(forged, 1);             // one cell
        forged.append("\0\0\x05\x07", 4); // query 0, country 0, 5 searches, 7 results
        std::string valid = forged;
        putVarint(valid, 1);
        valid.push_back('\0'); // user 0
        putVarint(forged, std::uint64_t{1} << 50);
        QVERIFY(errorOf(forged).find("exceeds") != std::string::npos);
        // A position beyond the text table.
        std::string beyond = valid.substr(0, valid.size() - 1) + '\x03';
        QVERIFY(errorOf(beyond).find("beyond its table") != std::string::npos);
        QVERIFY(shapeOf(into) == shapeOf(ShardOutput{}));
        // The same bytes with a proper set decode.
        const PartialDecodeResult ok = decodePartial(withChecksum(valid), process, into);
        QVERIFY2(ok.ok(), ok.error.c_str());
        QCOMPARE(into.views.searches.size(), std::size_t{1});
        QCOMPARE(into.views.searches[0].cells[0].second.users.count(), std::size_t{1});
        QCOMPARE(into.views.searches[0].cells[0].second.searches, std::uint64_t{5});
        // Trailing bytes after the last cell.
        QVERIFY(errorOf(valid + '\0').find("after the last cell") != std::string::npos);
        // A text the dictionaries refuse.
        std::string country = valid;
        country.replace(country.find("USA"), 3, "XYZ");
        QVERIFY(errorOf(country).find("country 'XYZ' not accepted") != std::string::npos);
        // A dictionary handing out a country index a cell cannot hold.
        struct WideCountries final : PartialDictionaries {
            ProcessDictionaries process;
            void appendText(InternedKind kind, std::uint32_t index,
                            std::string& out) const override {
                process.appendText(kind, index, out);
            }
            std::optional<std::uint32_t> intern(InternedKind kind, std::string_view text) override {
                return kind == InternedKind::Country ? 300 : process.intern(kind, text);
            }
        } wide;
        const PartialDecodeResult refused = decodePartial(withChecksum(valid), wide, into);
        QVERIFY(refused.error.find("beyond what a cell holds") != std::string::npos);
        QCOMPARE(into.views.searches.size(), std::size_t{1});
    }

    void windowsOfOneStartShareAPayload() {
        ShardOutput output;
        for (int i = 0; i < 2; ++i) {
            auto& window = output.sales.by_country.emplace_back();
            window.start = kStart;
            window.end = kStart + kMicrosPerMinute;
            window.cells.push_back({std::uint8_t{1}, SalesAcc{2, 300}});
        }
        auto& later = output.sales.by_country.emplace_back();
        later.start = kStart + kMicrosPerMinute;
        later.end = kStart + 2 * kMicrosPerMinute;
        later.cells.push_back({std::uint8_t{0}, SalesAcc{1, 100}});
        std::vector<EncodedPartial> encoded;
        ProcessDictionaries process;
        encodePartials(output, process, encoded);
        QCOMPARE(encoded.size(), std::size_t{2});
        QCOMPARE(encoded[0].cells, std::size_t{2});
        QCOMPARE(encoded[0].table_id, std::string("sales.by_country"));
        encoded.clear();
        encodePartials(ShardOutput{}, process, encoded);
        QVERIFY(encoded.empty());
    }

private:
    // The payload of `table` whose size is nearest `bytes`.
    const std::string& payloadNear(std::string_view table, std::size_t bytes) const {
        const std::string* best = nullptr;
        auto distance = [&](const std::string& payload) {
            return payload.size() > bytes ? payload.size() - bytes : bytes - payload.size();
        };
        for (const auto& [partition, partial] : payloads_) {
            if (partial.table_id == table &&
                (!best || distance(partial.payload) < distance(*best))) {
                best = &partial.payload;
            }
        }
        return *best;
    }

    PipelineConfig config_;
    std::unique_ptr<Catalog> catalog_;
    ProductTable products_;
    std::vector<EventBatch> logs_;
    OtherProcessDictionaries other_;
    std::vector<std::pair<std::size_t, EncodedPartial>> payloads_;
};

QTEST_GUILESS_MAIN(PartialCodecTest)
#include "tst_partial_codec.moc"
