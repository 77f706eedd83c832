#include "dense/plot/history_csv.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "dense/error.hpp"
#include "dense/io/csv.hpp"
#include "dense/io/numeric_column.hpp"

namespace dense::plot {
namespace {

// Unlike data columns, a history may hold "nan" and "inf" (a diverged epoch) or an empty cell.
double cell_value(const io::CsvTable& table, const io::CsvColumn& column, std::size_t row) {
    const std::string_view text = io::trim_spaces(column.cell(row));
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    double value = 0;
    const auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || stop != text.data() + text.size())
        throw DataError(table.where(column, row) +
                        ": column '" + column.name() + "' has '" + std::string(text) +
                        "' where a number is expected; a history holds numbers, nan or inf");
    return value;
}

int epoch_value(const io::CsvTable& table, const io::CsvColumn& column, std::size_t row) {
    const double epoch = cell_value(table, column, row);
    if (!(epoch >= 0 && epoch < 1e9 && epoch == std::floor(epoch)))
        throw DataError(table.where(column, row) +
                        ": epoch '" + std::string(io::trim_spaces(column.cell(row))) + "' is not a whole number >= 0");
    return static_cast<int>(epoch);
}

}  // namespace

History read_history_csv(const std::filesystem::path& path) {
    const io::CsvTable table = io::read_csv(path);
    if (table.columns.empty() || table.columns.front().name() != "epoch")
        throw DataError(table.source + ":1:1: the first column is not 'epoch'; expected the file CSVLogger "
                        "writes, with the header epoch,<key>,<key>...");
    if (table.columns.size() == 1)
        throw DataError(table.source + ":1: the header names no quantity besides 'epoch'; expected "
                        "epoch,loss,... as CSVLogger writes it");
    History history;
    for (std::size_t row = 0; row < table.rows(); ++row)
        history.epoch.push_back(epoch_value(table, table.columns.front(), row));
    for (std::size_t c = 1; c < table.columns.size(); ++c) {
        std::vector<double>& values = history.history[table.columns[c].name()];
        for (std::size_t row = 0; row < table.rows(); ++row) values.push_back(cell_value(table, table.columns[c], row));
    }
    return history;
}

}  // namespace dense::plot
