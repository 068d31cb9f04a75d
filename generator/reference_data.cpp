// SPDX-License-Identifier: GPL-3.0-or-later
#include "generator/reference_data.h"

#include "generator/name_index.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace gm {
namespace {

constexpr std::array<std::string_view, kCategoryGroupCount> kGroupNames = {
    "Electronics",       "Clothing & Fashion",     "Home & Kitchen", "Books & Media",
    "Sports & Outdoors", "Beauty & Personal Care", "Toys & Games"};

constexpr std::array<PriceRangeCents, kCategoryGroupCount> kGroupPrices = {{{5000, 200000},
                                                                            {1000, 20000},
                                                                            {2000, 100000},
                                                                            {500, 5000},
                                                                            {1500, 50000},
                                                                            {500, 15000},
                                                                            {1000, 20000}}};

constexpr std::size_t kMaxNameBytes = 100;
constexpr std::uint8_t kNoGroup = 0xFF;

// The active lists. Never changed once published: an addition publishes a new copy, and old
// copies are kept (not freed) so that names handed out stay valid.
struct Vocabulary {
    std::vector<std::string> countries;
    std::vector<std::string> payment_methods;
    std::vector<std::string> categories;
    std::vector<std::uint8_t> category_groups; // per category; kNoGroup outside the groups
    // Lookups by name, built once the lists are complete (indexed()): events are checked
    // against the lists one field at a time.
    NameIndex country_index;
    NameIndex payment_method_index;
    NameIndex category_index;
};

// Builds the lookups over the vocabulary's own lists (a copy's still point at the original's).
void indexed(Vocabulary& vocab) {
    vocab.country_index = NameIndex(vocab.countries);
    vocab.payment_method_index = NameIndex(vocab.payment_methods);
    vocab.category_index = NameIndex(vocab.categories);
}

enum class Section { None, Countries, PaymentMethods, Categories };

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

template <typename T> bool contains(const std::vector<T>& items, std::string_view name) {
    for (const auto& item : items) {
        if (item == name) {
            return true;
        }
    }
    return false;
}

std::string lineError(std::size_t line, const std::string& problem) {
    return "line " + std::to_string(line) + ": " + problem;
}

std::optional<std::string> parseInto(std::string_view text, Vocabulary& vocab) {
    Section section = Section::None;
    std::uint8_t group = kNoGroup;
    std::vector<std::string> seen[3]; // names of this text per list, to refuse repeats
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const auto end = text.find('\n');
        const std::string_view line = trimmed(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']') {
                return lineError(line_number, "a section header must end with ']'");
            }
            const std::string_view name = trimmed(line.substr(1, line.size() - 2));
            group = kNoGroup;
            if (name == "countries") {
                section = Section::Countries;
            } else if (name == "payment methods") {
                section = Section::PaymentMethods;
            } else if (name == "categories") {
                section = Section::Categories;
            } else if (name.starts_with("categories:")) {
                section = Section::Categories;
                const std::string_view group_name = trimmed(name.substr(11));
                for (std::size_t g = 0; g < kGroupNames.size(); ++g) {
                    if (kGroupNames[g] == group_name) {
                        group = static_cast<std::uint8_t>(g);
                    }
                }
                if (group == kNoGroup) {
                    return lineError(line_number,
                                     "unknown category group '" + std::string(group_name) + "'");
                }
            } else {
                return lineError(line_number,
                                 "unknown section [" + std::string(name) +
                                     "] (expected [countries], [payment methods], [categories] "
                                     "or [categories: <group>])");
            }
            continue;
        }
        if (section == Section::None) {
            return lineError(line_number, "a name before the first section header");
        }
        if (line.size() > kMaxNameBytes) {
            return lineError(line_number,
                             "a name longer than " + std::to_string(kMaxNameBytes) + " bytes");
        }
        for (const char c : line) {
            // Names are written unescaped into JSON and COPY text (they are vocabulary).
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == '"' || c == '\\') {
                return lineError(line_number, "a name with a control character, '\"' or '\\'");
            }
        }
        auto& repeats = seen[static_cast<int>(section) - 1];
        if (contains(repeats, line)) {
            return lineError(line_number, "'" + std::string(line) + "' is listed twice");
        }
        repeats.emplace_back(line);
        switch (section) {
        case Section::Countries:
            if (!contains(vocab.countries, line)) {
                if (vocab.countries.size() >= kMaxCountries) {
                    return lineError(line_number,
                                     "more than " + std::to_string(kMaxCountries) + " countries");
                }
                vocab.countries.emplace_back(line);
            }
            break;
        case Section::PaymentMethods:
            if (!contains(vocab.payment_methods, line)) {
                if (vocab.payment_methods.size() >= kMaxPaymentMethods) {
                    return lineError(line_number, "more than " +
                                                      std::to_string(kMaxPaymentMethods) +
                                                      " payment methods");
                }
                vocab.payment_methods.emplace_back(line);
            }
            break;
        case Section::Categories:
            if (line == "mixed") {
                return lineError(line_number, "'mixed' is reserved (a compare across categories)");
            }
            if (!contains(vocab.categories, line)) {
                if (vocab.categories.size() >= kMaxCategories) {
                    return lineError(line_number,
                                     "more than " + std::to_string(kMaxCategories) + " categories");
                }
                vocab.categories.emplace_back(line);
                vocab.category_groups.push_back(group);
            }
            break;
        case Section::None:
            break;
        }
    }
    return std::nullopt;
}

const Vocabulary& builtin() {
    static const Vocabulary vocab = [] {
        Vocabulary parsed;
        // The shipped file must hold the enums' entries in their order; tst_reference_data
        // checks it, and a broken build stops here rather than mislabel events.
        if (parseInto(builtinReferenceDataText(), parsed) ||
            parsed.countries.size() != kCountryCount ||
            parsed.payment_methods.size() != kPaymentMethodCount ||
            parsed.categories.size() != kCategoryCount) {
            std::abort();
        }
        indexed(parsed);
        return parsed;
    }();
    return vocab;
}

std::atomic<const Vocabulary*> g_active{nullptr};
std::mutex g_publish_mutex;
std::vector<std::unique_ptr<const Vocabulary>> g_published; // kept: names stay valid

const Vocabulary& active() {
    const Vocabulary* vocab = g_active.load(std::memory_order_acquire);
    return vocab != nullptr ? *vocab : builtin();
}

struct GroupMembers {
    std::array<std::vector<CategoryId>, kCategoryGroupCount> members;
    GroupMembers() {
        const Vocabulary& vocab = builtin();
        for (std::size_t c = 0; c < vocab.categories.size(); ++c) {
            if (vocab.category_groups[c] != kNoGroup) {
                members[vocab.category_groups[c]].push_back(static_cast<CategoryId>(c));
            }
        }
    }
};

} // namespace

std::optional<std::string> addReferenceData(std::string_view text) {
    std::lock_guard lock(g_publish_mutex);
    auto next = std::make_unique<Vocabulary>(active());
    if (auto problem = parseInto(text, *next)) {
        return problem;
    }
    indexed(*next);
    g_active.store(next.get(), std::memory_order_release);
    g_published.push_back(std::move(next));
    return std::nullopt;
}

namespace {

std::optional<std::string> readReferenceDataFile(const std::string& path, std::string& text) {
    // A directory opens as a stream that reads nothing: it would pass as an empty file.
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        return "cannot read " + path + ": it is a directory";
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return "cannot read " + path;
    }
    std::ostringstream read;
    read << file.rdbuf();
    if (file.bad()) {
        return "cannot read " + path;
    }
    text = std::move(read).str();
    return std::nullopt;
}

} // namespace

std::optional<std::string> addReferenceDataFile(const std::string& path) {
    std::string text;
    if (auto problem = readReferenceDataFile(path, text)) {
        return problem;
    }
    if (auto problem = addReferenceData(text)) {
        return path + ": " + *problem;
    }
    return std::nullopt;
}

std::optional<std::string> checkReferenceDataFile(const std::string& path) {
    std::string text;
    if (auto problem = readReferenceDataFile(path, text)) {
        return problem;
    }
    Vocabulary scratch = active();
    if (auto problem = parseInto(text, scratch)) {
        return path + ": " + *problem;
    }
    return std::nullopt;
}

void resetReferenceData() {
    std::lock_guard lock(g_publish_mutex);
    g_active.store(nullptr, std::memory_order_release);
}

int countryCount() {
    return static_cast<int>(active().countries.size());
}

int paymentMethodCount() {
    return static_cast<int>(active().payment_methods.size());
}

int categoryCount() {
    return static_cast<int>(active().categories.size());
}

std::string_view countryName(Country country) {
    const auto& names = active().countries;
    const auto index = static_cast<std::size_t>(country);
    return index < names.size() ? std::string_view(names[index]) : std::string_view();
}

std::optional<Country> parseCountry(std::string_view name) {
    if (auto index = active().country_index.find(name)) {
        return static_cast<Country>(*index);
    }
    return std::nullopt;
}

std::string_view paymentMethodName(PaymentMethod method) {
    const auto& names = active().payment_methods;
    const auto index = static_cast<std::size_t>(method);
    return index < names.size() ? std::string_view(names[index]) : std::string_view();
}

std::optional<PaymentMethod> parsePaymentMethod(std::string_view name) {
    if (auto index = active().payment_method_index.find(name)) {
        return static_cast<PaymentMethod>(*index);
    }
    return std::nullopt;
}

std::string_view categoryName(CategoryId category) {
    const auto& names = active().categories;
    return category < names.size() ? std::string_view(names[category]) : std::string_view();
}

std::optional<CategoryId> parseCategory(std::string_view name) {
    return active().category_index.find(name);
}

CategoryGroup categoryGroup(CategoryId category) {
    const auto& groups = active().category_groups;
    if (category < groups.size() && groups[category] != kNoGroup) {
        return static_cast<CategoryGroup>(groups[category]);
    }
    return CategoryGroup::Toys;
}

std::string_view categoryGroupName(CategoryGroup group) {
    return kGroupNames[static_cast<std::size_t>(group)];
}

PriceRangeCents priceRange(CategoryGroup group) {
    return kGroupPrices[static_cast<std::size_t>(group)];
}

std::span<const CategoryId> categoriesOf(CategoryGroup group) {
    static const GroupMembers groups;
    return groups.members[static_cast<std::size_t>(group)];
}

} // namespace gm
