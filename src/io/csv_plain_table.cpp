// A table of plain numbers read with its numbers: the cells and lines parse_csv's record reader
// gives, each cell's number read once, as parse_cell reads it.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "dense/threads.hpp"

#include "csv_records.hpp"
#include "plain_records.hpp"

namespace dense::io {
namespace {

// The records of one part: cell text, line (one record a line) and number, column by column.
struct PlainCells {
    std::vector<CsvColumn>& columns;
    std::size_t first_line;
    const char* end;

    template <bool short_decimals>
    [[gnu::always_inline]] const char* read_field(std::size_t r, std::size_t f, const char* at) const {
        double value = 0;
        const char* stop = read_number<short_decimals>(at, end, value);
        if (stop == nullptr || !std::isfinite(value)) return nullptr;
        columns[f].append_number({at, static_cast<std::size_t>(stop - at)}, first_line + r, value);
        return stop;
    }
};

std::vector<CsvColumn> columns_like(const std::vector<CsvColumn>& header, std::size_t rows, std::size_t bytes) {
    std::vector<CsvColumn> columns;
    for (const auto& column : header) {
        columns.emplace_back(column.name(), column.number());
        columns.back().reserve(rows, bytes / header.size() + bytes / 8);
    }
    return columns;
}

}  // namespace

bool append_plain_records(std::string_view text, CsvPosition from, const CsvLayout& layout, std::vector<CsvColumn>& columns,
                          std::size_t part_bytes) {
    const std::string_view body = text.substr(from.offset);
    if (body.empty() || columns.empty() || body.find('"') != std::string_view::npos) return false;
    const RecordParts parts(body, std::clamp<std::size_t>(body.size() / std::max<std::size_t>(part_bytes, 1), 1, num_threads()));
    const std::size_t count = parts.count();
    std::vector<std::vector<CsvColumn>> read(count);
    std::vector<char> plain(count, 0);
    kernels::parallel_for(count, [&](std::size_t k) {
        const std::size_t bytes = parts.cuts[k + 1] - parts.cuts[k];
        read[k] = columns_like(columns, parts.rows(k), bytes);
        const char* part_end = body.data() + parts.cuts[k + 1];
        const PlainCells cells{read[k], from.line + parts.first_row[k], part_end};
        plain[k] = read_plain_records(cells, body.data() + parts.cuts[k], part_end, layout.delimiter, parts.rows(k),
                                      columns.size()) ? 1 : 0;
    });
    if (std::find(plain.begin(), plain.end(), 0) != plain.end()) return false;
    for (std::size_t k = 0; k < count; ++k)
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (k == 0 && columns[c].size() == 0) {
                columns[c] = std::move(read[k][c]);
            } else {
                columns[c].append_rows(read[k][c], 0);
            }
        }
    return true;
}

}  // namespace dense::io
