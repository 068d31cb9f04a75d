// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/table_schema.h"

#include "generator/number_text.h"
#include "generator/search_queries.h"

#include <array>
#include <charconv>
#include <cmath>

namespace gm {
namespace {

template <typename Row> TableInfo describe() {
    TableInfo info;
    info.name = TableColumns<Row>::kName;
    for (const auto& column : TableColumns<Row>::kColumns) {
        const bool key = column.key == Key::Yes;
        info.columns.push_back({column.name, column.type, key, column.nullable == Null::Yes});
        info.column_names.emplace_back(column.name);
        if (key) {
            info.key_columns.emplace_back(column.name);
        }
    }
    if constexpr (requires { TableColumns<Row>::kDatabaseOnly; }) {
        for (const std::string_view name : TableColumns<Row>::kDatabaseOnly) {
            info.database_only_columns.emplace_back(name);
        }
    }
    return info;
}

// In TableId order: RowBatch lists its tables in that order.
const std::vector<TableInfo>& tables() {
    static const std::vector<TableInfo> infos = [] {
        std::vector<TableInfo> all;
        RowBatch batch;
        batch.forEachTable([&](const auto& rows) {
            using Row = typename std::decay_t<decltype(rows)>::value_type;
            all.push_back(describe<Row>());
        });
        return all;
    }();
    return infos;
}

} // namespace

std::string_view severityName(Severity severity) {
    switch (severity) {
    case Severity::Low:
        return "low";
    case Severity::Medium:
        return "medium";
    case Severity::High:
        return "high";
    case Severity::Critical:
        return "critical";
    }
    return "?";
}

std::string_view alertKindName(AlertKind kind) {
    switch (kind) {
    case AlertKind::HighValue:
        return "high_value";
    case AlertKind::HighQuantity:
        return "high_quantity";
    case AlertKind::SuspiciousPattern:
        return "suspicious_pattern";
    case AlertKind::HighDemand:
        return "high_demand";
    case AlertKind::Restock:
        return "restock";
    case AlertKind::LowStock:
        return "low_stock";
    }
    return "?";
}

std::optional<Severity> parseSeverity(std::string_view name) {
    for (const Severity severity :
         {Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
        if (severityName(severity) == name) {
            return severity;
        }
    }
    return std::nullopt;
}

std::optional<AlertKind> parseAlertKind(std::string_view name) {
    for (const AlertKind kind :
         {AlertKind::HighValue, AlertKind::HighQuantity, AlertKind::SuspiciousPattern,
          AlertKind::HighDemand, AlertKind::Restock, AlertKind::LowStock}) {
        if (alertKindName(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

// The pipeline writes an alert id as the decimal text of its 64-bit number.
std::optional<std::uint64_t> parseAlertId(std::string_view text) {
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return id;
}

std::string_view tableName(TableId table) {
    return tables()[static_cast<std::size_t>(table)].name;
}

std::optional<TableId> parseTableName(std::string_view name) {
    for (int i = 0; i < kTableCount; ++i) {
        if (tables()[static_cast<std::size_t>(i)].name == name) {
            return static_cast<TableId>(i);
        }
    }
    return std::nullopt;
}

const TableInfo& tableInfo(TableId table) {
    return tables()[static_cast<std::size_t>(table)];
}

const std::vector<std::string>& columns(TableId table) {
    return tableInfo(table).column_names;
}

const std::vector<std::string>& primaryKey(TableId table) {
    return tableInfo(table).key_columns;
}

std::string_view sqlTypeName(SqlType type) {
    switch (type) {
    case SqlType::Timestamptz:
        return "timestamptz";
    case SqlType::BigInt:
        return "bigint";
    case SqlType::Integer:
        return "integer";
    case SqlType::Money:
        return "numeric(12,2)";
    case SqlType::Double:
        return "double precision";
    case SqlType::Text:
        return "text";
    case SqlType::Uuid:
        return "uuid";
    case SqlType::Boolean:
        return "boolean";
    }
    return "?";
}

std::string_view informationSchemaType(SqlType type) {
    switch (type) {
    case SqlType::Timestamptz:
        return "timestamp with time zone";
    case SqlType::Money:
        return "numeric";
    default:
        return sqlTypeName(type);
    }
}

bool isProcessingTimeColumn(std::string_view column) {
    return column == "created_at" || column == "detected_at" || column == "analyzed_at" ||
           column == "alert_generated_at" || column == "abandonment_detected_at" ||
           column == "updated_at";
}

std::string formatCents(Cents cents) {
    char buffer[kMaxCentsTextLength];
    return std::string(buffer, formatCents(cents, buffer));
}

std::string formatDecimal2(double value) {
    // Round explicitly so that ties go away from zero whatever the rounding mode is.
    const double scaled = std::round(value * 100.0);
    const auto hundredths = static_cast<std::int64_t>(scaled);
    return formatCents(hundredths);
}

namespace text {

std::string time(TimestampUs value) {
    return formatIsoTimestamp(value);
}
std::string boolean(bool value) {
    return value ? "true" : "false";
}
std::string money(Cents cents) {
    return formatCents(cents);
}
std::string decimal2(double value) {
    return formatDecimal2(value);
}
std::string decimal2(const std::optional<double>& value) {
    return value ? formatDecimal2(*value) : std::string();
}
std::string user(UserId id) {
    return formatUserId(id);
}
std::string product(ProductId id) {
    return formatProductId(id);
}
std::string country(Country value) {
    return std::string(countryName(value));
}
std::string category(CategoryId id) {
    return std::string(categoryName(id));
}
std::string paymentMethod(PaymentMethod value) {
    return std::string(paymentMethodName(value));
}
std::string uuid(const Uuid& id) {
    return toString(id);
}
std::string query(QueryId id) {
    return std::string(QueryTable::global().text(id));
}
std::string severity(Severity value) {
    return std::string(severityName(value));
}
std::string alertKind(AlertKind value) {
    return std::string(alertKindName(value));
}

} // namespace text

std::vector<std::vector<std::string>> tableText(const RowBatch& batch, TableId table) {
    std::vector<std::vector<std::string>> text;
    batch.forEachTable([&](const auto& rows) {
        using Row = typename std::decay_t<decltype(rows)>::value_type;
        if (Row::kTable != table) {
            return;
        }
        text.reserve(rows.size());
        for (const auto& row : rows) {
            text.push_back(rowFields(row));
        }
    });
    return text;
}

std::size_t RowBatch::rowCount() const {
    std::size_t count = 0;
    forEachTable([&](const auto& rows) { count += rows.size(); });
    return count;
}

void RowBatch::clear() {
    forEachTable([](auto& rows) { rows.clear(); });
}

void RowBatch::append(const RowBatch& other) {
    // Every table has its own row type, so the type pairs the two vectors up.
    forEachTable([&](auto& rows) {
        using Vector = std::decay_t<decltype(rows)>;
        other.forEachTable([&](const auto& other_rows) {
            if constexpr (std::is_same_v<std::decay_t<decltype(other_rows)>, Vector>) {
                rows.insert(rows.end(), other_rows.begin(), other_rows.end());
            }
        });
    });
}

} // namespace gm
