// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline/postgres/row_table_batches.h"

#include "pipeline/postgres/copy_text.h"
#include "pipeline/table_schema.h"

#include <string>
#include <vector>

namespace gm {

void forEachTableBatch(const RowBatch& rows, std::size_t max_rows,
                       const std::function<void(TableBatch&&)>& hand) {
    std::vector<std::string> fields;
    rows.forEachTable([&](const auto& table_rows) {
        using Row = typename std::decay_t<decltype(table_rows)>::value_type;
        if (table_rows.empty()) {
            return;
        }
        const TableId table = Row::kTable;
        const auto fresh = [&] {
            TableBatch batch;
            batch.table = std::string(tableName(table));
            batch.columns = columns(table);
            batch.key_columns = primaryKey(table);
            batch.on_conflict = ConflictAction::Update;
            if (table == TableId::Alerts) {
                batch.keep_on_conflict = {"acknowledged"}; // set by the analyst, not the pipeline
            }
            return batch;
        };
        TableBatch batch = fresh();
        for (const auto& row : table_rows) {
            fields.clear();
            appendFields(row, fields);
            CopyTextBuilder builder(batch);
            for (const std::string& field : fields) {
                if (field.empty()) {
                    builder.null(); // table_schema: an empty text is SQL NULL
                } else {
                    builder.text(field);
                }
            }
            builder.endRow();
            if (batch.rows >= max_rows) {
                hand(std::move(batch));
                batch = fresh();
            }
        }
        if (batch.rows > 0) {
            hand(std::move(batch));
        }
    });
}

} // namespace gm
