// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario_runner.h"

#include "generator/search_queries.h"
#include "generator/simulator.h"
#include "pipeline/memory_sink.h"
#include "pipeline/stream_engine.h"
#include "pipeline/table_schema.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace gm::test {
namespace {

const TimestampUs kBaseDay = *parseIsoTimestamp("2026-01-01T00:00:00Z");
const std::string kBaseDate = "2026-01-01T";

struct ScenarioError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string word; in >> word;) {
        out.push_back(word);
    }
    return out;
}

// "HH:MM:SS[.ffffff]" after the base day (hours may exceed 23).
TimestampUs parseTime(const std::string& text) {
    int h = 0;
    int m = 0;
    double s = 0;
    if (std::sscanf(text.c_str(), "%d:%d:%lf", &h, &m, &s) != 3) {
        throw ScenarioError("bad time '" + text + "' (expected HH:MM:SS[.ffffff])");
    }
    return kBaseDay + (static_cast<TimestampUs>(h) * 3600 + m * 60) * kMicrosPerSecond +
           static_cast<TimestampUs>(s * 1e6 + 0.5);
}

// "30s", "5m", "1h", "250ms", "10us"
TimestampUs parseDuration(const std::string& text) {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    const std::string unit = text.substr(used);
    if (unit == "s") {
        return static_cast<TimestampUs>(value * 1e6);
    }
    if (unit == "m") {
        return static_cast<TimestampUs>(value * 60e6);
    }
    if (unit == "h") {
        return static_cast<TimestampUs>(value * 3600e6);
    }
    if (unit == "ms") {
        return static_cast<TimestampUs>(value * 1e3);
    }
    if (unit == "us") {
        return static_cast<TimestampUs>(value);
    }
    throw ScenarioError("bad duration '" + text + "' (use s, m, h, ms or us)");
}

Cents parseMoney(const std::string& text) {
    return static_cast<Cents>(std::llround(std::stod(text) * 100.0));
}

std::map<std::string, std::string> keyValues(const std::vector<std::string>& tokens,
                                             std::size_t from) {
    std::map<std::string, std::string> out;
    for (std::size_t i = from; i < tokens.size(); ++i) {
        const auto eq = tokens[i].find('=');
        if (eq == std::string::npos) {
            throw ScenarioError("expected key=value, got '" + tokens[i] + "'");
        }
        out[tokens[i].substr(0, eq)] = tokens[i].substr(eq + 1);
    }
    return out;
}

std::string take(std::map<std::string, std::string>& kv, const std::string& key,
                 const std::string& fallback = {}) {
    const auto found = kv.find(key);
    if (found == kv.end()) {
        if (fallback.empty()) {
            throw ScenarioError("missing " + key + "=");
        }
        return fallback;
    }
    std::string value = found->second;
    kv.erase(found);
    return value;
}

void noneLeft(const std::map<std::string, std::string>& kv) {
    if (!kv.empty()) {
        throw ScenarioError("unknown key '" + kv.begin()->first + "'");
    }
}

Country countryOf(const std::string& name) {
    const auto country = parseCountry(name);
    if (!country) {
        throw ScenarioError("unknown country '" + name + "'");
    }
    return *country;
}

void applySetting(PipelineConfig& c, const std::string& key, const std::string& value) {
    using Setter = std::function<void(const std::string&)>;
    auto duration = [](TimestampUs& field) {
        return Setter([&field](const std::string& v) { field = parseDuration(v); });
    };
    auto money = [](Cents& field) {
        return Setter([&field](const std::string& v) { field = parseMoney(v); });
    };
    auto count32 = [](std::uint32_t& field) {
        return Setter(
            [&field](const std::string& v) { field = static_cast<std::uint32_t>(std::stoul(v)); });
    };
    auto count64 = [](std::int64_t& field) {
        return Setter([&field](const std::string& v) { field = std::stoll(v); });
    };
    auto real = [](double& field) {
        return Setter([&field](const std::string& v) { field = std::stod(v); });
    };
    const std::map<std::string, Setter> setters{
        {"lateness", [&c](const std::string& v) { c.lateness.fill(parseDuration(v)); }},
        {"lateness.sales", duration(c.lateness[0])},
        {"lateness.carts", duration(c.lateness[1])},
        {"lateness.views", duration(c.lateness[2])},
        {"lateness.anomalies", duration(c.lateness[3])},
        {"lateness.inventory", duration(c.lateness[4])},
        {"sales_window", duration(c.sales_window)},
        {"cart_metrics_window", duration(c.cart_metrics_window)},
        {"cart_session_window", duration(c.cart_session_window)},
        {"abandonment_timeout", duration(c.abandonment_timeout)},
        {"trending_window", duration(c.trending_window)},
        {"trending_slide", duration(c.trending_slide)},
        {"trending_min_views", count32(c.trending_min_views)},
        {"category_window", duration(c.category_window)},
        {"search_window", duration(c.search_window)},
        {"search_min_count", count32(c.search_min_count)},
        {"browsing_window", duration(c.browsing_window)},
        {"high_value_threshold", money(c.high_value_threshold)},
        {"high_value_high", money(c.high_value_high)},
        {"high_value_critical", money(c.high_value_critical)},
        {"high_quantity_threshold", count32(c.high_quantity_threshold)},
        {"high_quantity_high", count32(c.high_quantity_high)},
        {"high_quantity_critical", count32(c.high_quantity_critical)},
        {"suspicious_window", duration(c.suspicious_window)},
        {"suspicious_min_transactions", count32(c.suspicious_min_transactions)},
        {"suspicious_spend", money(c.suspicious_spend)},
        {"anomaly_stats_window", duration(c.anomaly_stats_window)},
        {"velocity_window", duration(c.velocity_window)},
        {"high_demand_window", duration(c.high_demand_window)},
        {"high_demand_units", count64(c.high_demand_units)},
        {"high_demand_high", count64(c.high_demand_high)},
        {"high_demand_critical", count64(c.high_demand_critical)},
        {"restock_min_rate", real(c.restock_min_rate)},
        {"restock_medium_rate", real(c.restock_medium_rate)},
        {"restock_high_rate", real(c.restock_high_rate)},
        {"inventory_metrics_window", duration(c.inventory_metrics_window)},
        {"fast_moving_units", count64(c.fast_moving_units)},
        {"low_stock_threshold", count64(c.low_stock_threshold)},
        {"alert_dedup_window", duration(c.alert_dedup_window)},
    };
    const auto found = setters.find(key);
    if (found == setters.end()) {
        throw ScenarioError("unknown setting '" + key + "'");
    }
    found->second(value);
}

// Runs the directives of one file against one engine.
class Run {
public:
    explicit Run(int workers) { config_.workers = workers; }

    std::vector<ScenarioCheck> execute(const std::string& path) {
        std::ifstream in(path);
        if (!in) {
            return {{0, "open " + path, {}, {}, "cannot read the file"}};
        }
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        std::vector<ScenarioCheck> checks;
        std::size_t i = 0;
        try {
            for (; i < lines.size(); ++i) {
                const std::string line = trim(lines[i]);
                if (line.empty() || line[0] == '#') {
                    continue;
                }
                const auto tokens = words(line);
                if (tokens[0] == "expect") {
                    checks.push_back(expect(tokens, lines, i));
                } else {
                    step(tokens);
                }
            }
        } catch (const std::exception& error) {
            checks.push_back({static_cast<int>(i + 1),
                              "line " + std::to_string(i + 1),
                              {},
                              {},
                              std::string(error.what()) + " in: " + trim(lines[i])});
        }
        return checks;
    }

private:
    void step(const std::vector<std::string>& t) {
        const std::string& verb = t[0];
        if (verb == "set") {
            requireSetupPhase(verb);
            if (t.size() != 3) {
                throw ScenarioError("usage: set <name> <value>");
            }
            applySetting(config_, t[1], t[2]);
        } else if (verb == "product") {
            requireSetupPhase(verb);
            defineProduct(t);
        } else if (verb == "generate") {
            generate(t);
        } else if (verb == "batch") {
            in_batch_ = true;
        } else if (verb == "end") {
            in_batch_ = false;
            submit();
        } else if (verb == "tx" || verb == "cart" || verb == "view") {
            event(t);
            if (!in_batch_) {
                submit();
            }
        } else if (verb == "clock") {
            clock_ = parseTime(t.at(1));
        } else if (verb == "idle" || verb == "advance") {
            clock_ = parseTime(t.at(1));
            engine().advanceIdle();
        } else if (verb == "stop") {
            engine().flush();
        } else {
            throw ScenarioError("unknown directive '" + verb + "'");
        }
    }

    void requireSetupPhase(const std::string& verb) {
        if (engine_) {
            throw ScenarioError(verb + " must come before the first event");
        }
    }

    StreamEngine& engine() {
        if (!engine_) {
            if (products_.empty()) {
                for (int i = 1; i <= 20; ++i) {
                    products_.push_back({"Product " + std::to_string(i), 0, 1000, 1000});
                }
            }
            engine_ = std::make_unique<StreamEngine>(
                config_, std::make_shared<const ProductTable>(products_), [this] { return clock_; },
                sink_);
        }
        return *engine_;
    }

    void defineProduct(const std::vector<std::string>& t) {
        // product <n> name=... category=... price=... stock=...
        const std::size_t n = std::stoul(t.at(1));
        if (n == 0) {
            throw ScenarioError("products are numbered from 1");
        }
        while (products_.size() < n) {
            const std::size_t id = products_.size() + 1;
            products_.push_back({"Product " + std::to_string(id), 0, 1000, 1000});
        }
        auto kv = keyValues(t, 2);
        ProductInfo& p = products_[n - 1];
        p.name = take(kv, "name", p.name);
        std::replace(p.name.begin(), p.name.end(), '_', ' ');
        if (kv.count("category")) {
            std::string name = take(kv, "category");
            std::replace(name.begin(), name.end(), '_', ' ');
            const auto category = parseCategory(name);
            if (!category) {
                throw ScenarioError("unknown category '" + name + "'");
            }
            p.category = *category;
        }
        if (kv.count("price")) {
            p.price = parseMoney(take(kv, "price"));
        }
        if (kv.count("stock")) {
            p.inventory = std::stoll(take(kv, "stock"));
        }
        noneLeft(kv);
    }

    Uuid named(const std::string& name, std::uint64_t space) {
        auto found = names_.find(name);
        if (found == names_.end()) {
            const Uuid id = makeUuidV4(space, names_.size() + 1);
            found = names_.emplace(name, id).first;
            aliases_.emplace_back(toString(id), name);
        }
        return found->second;
    }

    Uuid nextEventId() { return makeUuidV4(0xE7E7, ++event_counter_); }

    UserId userOf(std::map<std::string, std::string>& kv) {
        const long n = std::stol(take(kv, "user"));
        if (n < 1) {
            throw ScenarioError("users are numbered from 1");
        }
        return static_cast<UserId>(n - 1);
    }

    ProductId productOf(const std::string& text) {
        const long n = std::stol(text);
        if (n < 1) {
            throw ScenarioError("products are numbered from 1");
        }
        return static_cast<ProductId>(n - 1);
    }

    const ProductInfo* infoOf(ProductId product) {
        engine();
        return product < products_.size() ? &products_[product] : nullptr;
    }

    void event(const std::vector<std::string>& t) {
        const std::string& kind = t[0];
        const TimestampUs time = parseTime(t.at(1));
        if (kind == "tx") {
            auto kv = keyValues(t, 2);
            Transaction tx;
            tx.timestamp = time;
            tx.user = userOf(kv);
            tx.country = countryOf(take(kv, "country", "USA"));
            tx.transaction_id =
                kv.count("id") ? named(take(kv, "id"), 0x7A7A) : makeUuidV4(0x7A7B, ++tx_counter_);
            const std::string pay = take(kv, "pay", "CreditCard");
            const std::map<std::string, PaymentMethod> methods{
                {"CreditCard", PaymentMethod::CreditCard},
                {"DebitCard", PaymentMethod::DebitCard},
                {"PayPal", PaymentMethod::PayPal},
                {"ApplePay", PaymentMethod::ApplePay},
                {"GooglePay", PaymentMethod::GooglePay}};
            if (!methods.count(pay)) {
                throw ScenarioError("unknown payment method '" + pay + "'");
            }
            tx.payment_method = methods.at(pay);
            // lines=<product>x<quantity>[@price],...
            std::stringstream lines(take(kv, "lines"));
            for (std::string item; std::getline(lines, item, ',');) {
                const auto x = item.find('x');
                const auto at = item.find('@');
                if (x == std::string::npos) {
                    throw ScenarioError("bad line '" + item + "' (expected <product>x<qty>)");
                }
                OrderLine line;
                line.product = productOf(item.substr(0, x));
                line.quantity = static_cast<std::uint16_t>(std::stoul(
                    item.substr(x + 1, at == std::string::npos ? item.npos : at - x - 1)));
                const ProductInfo* info = infoOf(line.product);
                line.price = at != std::string::npos ? parseMoney(item.substr(at + 1))
                             : info                  ? info->price
                                                     : 0;
                line.category = info ? info->category : 0;
                tx.total_amount += line.amount();
                tx.products.push_back(line);
            }
            if (kv.count("total")) {
                tx.total_amount = parseMoney(take(kv, "total"));
            }
            noneLeft(kv);
            pending_.transactions.push_back(std::move(tx));
        } else if (kind == "cart") {
            static const std::map<std::string, CartEventType> types{
                {"add", CartEventType::AddToCart},
                {"remove", CartEventType::RemoveFromCart},
                {"update", CartEventType::UpdateQuantity},
                {"checkout", CartEventType::Checkout}};
            const std::string type = t.at(2);
            if (!types.count(type)) {
                throw ScenarioError("unknown cart event '" + type + "'");
            }
            auto kv = keyValues(t, 3);
            CartEvent e;
            e.event_id = nextEventId();
            e.timestamp = time;
            e.event_type = types.at(type);
            e.user = userOf(kv);
            e.session_id = named(take(kv, "session"), 0x5E55);
            e.country = countryOf(take(kv, "country", "USA"));
            if (e.event_type != CartEventType::Checkout) {
                e.product = productOf(take(kv, "product", "1"));
                const ProductInfo* info = infoOf(e.product);
                e.category = info ? info->category : 0;
                e.price = kv.count("price") ? parseMoney(take(kv, "price"))
                          : info            ? info->price
                                            : 0;
                e.quantity = static_cast<std::uint16_t>(std::stoul(take(kv, "qty", "1")));
            }
            e.cart_size = static_cast<std::uint32_t>(std::stoul(take(kv, "size")));
            e.cart_value = parseMoney(take(kv, "value"));
            if (e.event_type == CartEventType::Checkout) {
                e.total_value = e.cart_value;
            }
            noneLeft(kv);
            pending_.carts.push_back(std::move(e));
        } else {
            static const std::map<std::string, ViewEventType> types{
                {"view", ViewEventType::View},
                {"search", ViewEventType::Search},
                {"filter", ViewEventType::Filter},
                {"compare", ViewEventType::Compare}};
            const std::string type = t.at(2);
            if (!types.count(type)) {
                throw ScenarioError("unknown view event '" + type + "'");
            }
            auto kv = keyValues(t, 3);
            ProductViewEvent e;
            e.event_id = nextEventId();
            e.timestamp = time;
            e.event_type = types.at(type);
            e.user = userOf(kv);
            e.session_id = named(take(kv, "session"), 0x5E55);
            e.country = countryOf(take(kv, "country", "USA"));
            if (e.event_type == ViewEventType::View) {
                e.product = productOf(take(kv, "product"));
                const ProductInfo* info = infoOf(e.product);
                e.category = info ? info->category : 0;
                e.price = kv.count("price") ? parseMoney(take(kv, "price"))
                          : info            ? info->price
                                            : 0;
                e.view_duration =
                    static_cast<std::uint16_t>(std::stoul(take(kv, "duration", "30")));
            } else if (e.event_type == ViewEventType::Search) {
                std::string query = take(kv, "query");
                std::replace(query.begin(), query.end(), '_', ' ');
                e.search_query = QueryTable::global().intern(query);
                e.results_count = static_cast<std::uint32_t>(std::stoul(take(kv, "results", "0")));
            }
            noneLeft(kv);
            pending_.views.push_back(std::move(e));
        }
    }

    void submit() {
        if (pending_.empty()) {
            return;
        }
        pending_.first_sequence = sequence_;
        sequence_ += pending_.size();
        engine().process(std::move(pending_));
        pending_ = EventBatch{};
    }

    void generate(const std::vector<std::string>& t) {
        auto kv = keyValues(t, 1);
        CatalogConfig catalog_config;
        catalog_config.seed = std::stoull(take(kv, "seed", "42"));
        catalog_config.users = static_cast<std::uint32_t>(std::stoul(take(kv, "users", "1000")));
        catalog_config.products =
            static_cast<std::uint32_t>(std::stoul(take(kv, "products", "100")));
        catalog_config.reference_time = kBaseDay;
        const std::size_t count = std::stoull(take(kv, "count"));
        const double rate = std::stod(take(kv, "rate", "20"));
        const std::size_t batch_size = std::stoull(take(kv, "batch", "1000"));
        noneLeft(kv);
        if (!catalog_) {
            requireSetupPhase("generate");
            catalog_ = std::make_unique<Catalog>(catalog_config);
            products_ = productTableFrom(*catalog_);
        }
        SimulatorConfig sim;
        sim.seed = catalog_config.seed;
        ShopSimulator simulator(*catalog_, sim, std::max(kBaseDay, clock_));
        simulator.setShopRate(rate);
        for (std::size_t done = 0; done < count;) {
            const std::size_t n = std::min(batch_size, count - done);
            EventBatch batch;
            simulator.generate(n, batch);
            done += n;
            pending_ = std::move(batch);
            submit();
        }
        clock_ = simulator.now();
    }

    std::string render(const std::string& field) const {
        std::string out = field;
        if (out.size() == kIsoTimestampLength && out.compare(0, kBaseDate.size(), kBaseDate) == 0 &&
            out.back() == 'Z') {
            out = out.substr(kBaseDate.size(), 8) +
                  (out.compare(19, 7, ".000000") == 0 ? "" : out.substr(19, 7));
        }
        for (const auto& [uuid, name] : aliases_) {
            for (auto at = out.find(uuid); at != std::string::npos; at = out.find(uuid)) {
                out.replace(at, uuid.size(), name);
            }
        }
        return out;
    }

    std::vector<std::string> tableLines(TableId table) {
        const RowBatch rows = sink_.rows();
        const auto& names = columns(table);
        std::vector<std::string> lines;
        // Alert ids are hashes (stable across runs, unreadable in a scenario): show each as its
        // order of first appearance, 1, 2, ...
        std::map<std::string, std::size_t> alert_numbers;
        for (const auto& fields : tableText(rows, table)) {
            std::string line;
            for (std::size_t i = 0; i < fields.size(); ++i) {
                if (isProcessingTimeColumn(names[i])) {
                    continue;
                }
                if (table == TableId::Alerts && names[i] == "alert_id") {
                    const auto [it, added] =
                        alert_numbers.try_emplace(fields[i], alert_numbers.size() + 1);
                    line += (line.empty() ? "" : " | ") + std::to_string(it->second);
                    continue;
                }
                line += (line.empty() ? "" : " | ") + render(fields[i]);
            }
            lines.push_back(line);
        }
        return lines;
    }

    std::uint64_t counterValue(const std::string& name) {
        const PipelineFigures f = engine().counters().figures();
        if (name == "open_sessions") {
            return f.open_sessions;
        }
        if (name == "alerts_raised") {
            return f.alerts_raised;
        }
        if (name == "events") {
            return f.events;
        }
        const auto dot = name.find('.');
        for (int j = 0; j < kJobCount && dot != std::string::npos; ++j) {
            if (jobName(static_cast<JobId>(j)) != name.substr(0, dot)) {
                continue;
            }
            const JobFigures& job = f.jobs[static_cast<std::size_t>(j)];
            const std::string field = name.substr(dot + 1);
            if (field == "received") {
                return job.received;
            }
            if (field == "rejected") {
                return job.rejected;
            }
            if (field == "late") {
                return job.late;
            }
            if (field == "emitted_rows") {
                return job.emitted_rows;
            }
            if (field == "open_windows") {
                return job.open_windows;
            }
        }
        throw ScenarioError("unknown counter '" + name + "'");
    }

    ScenarioCheck expect(const std::vector<std::string>& t, const std::vector<std::string>& lines,
                         std::size_t& i) {
        submit(); // an open batch ends at a check
        ScenarioCheck check;
        check.line = static_cast<int>(i + 1);
        check.title = trim(lines[i]);
        if ((t.size() == 4 || t.size() == 5) && (t[1] == "counter" || t[1] == "count")) {
            // expect counter <name> [<op>] <n> | expect count <table> <op> <n>
            std::uint64_t value = 0;
            if (t[1] == "counter") {
                value = counterValue(t[2]);
            } else {
                const auto table = parseTableName(t[2]);
                if (!table) {
                    throw ScenarioError("unknown table '" + t[2] + "'");
                }
                value = tableText(sink_.rows(), *table).size();
            }
            const std::string op = t.size() == 5 ? t[3] : "=";
            const std::uint64_t want = std::stoull(t.back());
            const bool ok = op == "="    ? value == want
                            : op == ">"  ? value > want
                            : op == ">=" ? value >= want
                            : op == "<"  ? value < want
                            : op == "<=" ? value <= want
                                         : throw ScenarioError("unknown comparison '" + op + "'");
            const std::string wanted = op == "=" ? t.back() : op + " " + t.back();
            check.expected = {wanted};
            check.actual = {ok ? wanted : std::to_string(value)};
            return check;
        }
        if (t.size() != 2) {
            throw ScenarioError("usage: expect <table> | expect counter <name> <value> | "
                                "expect count <table> <op> <n>");
        }
        const auto table = parseTableName(t[1]);
        if (!table) {
            throw ScenarioError("unknown table '" + t[1] + "'");
        }
        for (++i; i < lines.size() && !trim(lines[i]).empty(); ++i) {
            std::string normalized;
            std::stringstream fields(trim(lines[i]));
            for (std::string field; std::getline(fields, field, '|');) {
                normalized += (normalized.empty() ? "" : " | ") + trim(field);
            }
            check.expected.push_back(normalized);
        }
        check.actual = tableLines(*table);
        return check;
    }

    PipelineConfig config_;
    ProductTable products_;
    std::unique_ptr<Catalog> catalog_;
    MemorySink sink_;
    std::unique_ptr<StreamEngine> engine_;
    TimestampUs clock_ = kBaseDay;
    EventBatch pending_;
    bool in_batch_ = false;
    std::uint64_t sequence_ = 0;
    std::uint64_t event_counter_ = 0;
    std::uint64_t tx_counter_ = 0;
    std::map<std::string, Uuid> names_;
    std::vector<std::pair<std::string, std::string>> aliases_; // uuid text -> name
};

} // namespace

std::vector<ScenarioCheck> runScenario(const std::string& path, int workers) {
    Run run(workers);
    return run.execute(path);
}

} // namespace gm::test
