// The numbers of a text of plain numbers, read once, straight into one array per column.
#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "dense/threads.hpp"

#include "csv_records.hpp"
#include "plain_records.hpp"

namespace dense::io {
namespace {

// The records of one part: the number of field f of record r goes to columns[f][first_row + r],
// where the record starts to starts[first_row + r].
struct PlainCells {
    double* const* columns;
    std::size_t* starts;
    std::size_t first_row;
    const char* text;
    const char* end;

    template <bool short_decimals>
    [[gnu::always_inline]] const char* read_field(std::size_t r, std::size_t f, const char* at) const {
        if (f == 0) starts[first_row + r] = static_cast<std::size_t>(at - text);
        double value = 0;
        const char* stop = read_number<short_decimals>(at, end, value);
        if (stop == nullptr || !std::isfinite(value)) return nullptr;
        columns[f][first_row + r] = value;
        return stop;
    }
};

}  // namespace

std::optional<PlainNumbers> read_plain_numbers(std::string_view text, CsvPosition from, char delimiter, std::size_t fields,
                                               std::size_t part_bytes) {
    const std::string_view body = text.substr(from.offset);
    if (body.empty() || fields == 0 || body.find('"') != std::string_view::npos) return std::nullopt;
    const RecordParts parts(body, std::clamp<std::size_t>(body.size() / std::max<std::size_t>(part_bytes, 1), 1, num_threads()));
    const std::size_t count = parts.count();
    const std::size_t rows = parts.first_row[count];
    PlainNumbers numbers{std::vector<std::vector<double>>(fields, std::vector<double>(rows)), std::vector<std::size_t>(rows + 1)};
    numbers.starts[rows] = text.size();
    std::vector<double*> columns;
    for (auto& column : numbers.columns) columns.push_back(column.data());
    std::vector<char> plain(count, 0);
    kernels::parallel_for(count, [&](std::size_t k) {
        const char* part_end = body.data() + parts.cuts[k + 1];
        const PlainCells cells{columns.data(), numbers.starts.data(), parts.first_row[k], text.data(), part_end};
        plain[k] = read_plain_records(cells, body.data() + parts.cuts[k], part_end, delimiter, parts.rows(k), fields) ? 1 : 0;
    });
    if (std::find(plain.begin(), plain.end(), 0) != plain.end()) return std::nullopt;
    return numbers;
}

}  // namespace dense::io
