// Options that name columns (see column_options.hpp).
#include "column_options.hpp"

#include <algorithm>
#include <optional>

#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/printable.hpp"

namespace dense::cli {
namespace {

// The column of `columns` that `name` stands for: the one called exactly that, else the only one
// whose name is the same once spaces around both are trimmed (the header "x, y" has a column
// " y"); else `name` itself, which the caller's look-up reports as missing.
std::string column_meant(std::string_view name, const std::vector<std::string>& columns) {
    if (std::ranges::find(columns, name) != columns.end()) return std::string(name);
    std::optional<std::string> trimmed_match;
    for (const auto& column : columns) {
        if (io::trim_spaces(column) != io::trim_spaces(name)) continue;
        if (trimmed_match) return std::string(name);
        trimmed_match = column;
    }
    return trimmed_match.value_or(std::string(name));
}

// "a,,b" → {"a", "b"}, each the column of `columns` it stands for.
void append_comma_separated(std::string_view list, const std::vector<std::string>& columns,
                            std::vector<std::string>& names) {
    while (!list.empty()) {
        const auto comma = std::min(list.find(','), list.size());
        if (comma > 0) names.push_back(column_meant(list.substr(0, comma), columns));
        list.remove_prefix(std::min(comma + 1, list.size()));
    }
}

}  // namespace

std::vector<std::string> named_columns(const std::vector<std::string>& values, const std::vector<std::string>& columns,
                                       std::string_view option) {
    std::vector<std::string> names;
    for (const auto& value : values) {
        if (std::ranges::find(columns, value) != columns.end()) {
            names.push_back(value);
            continue;
        }
        const std::size_t before = names.size();
        append_comma_separated(value, columns, names);
        if (names.size() == before)
            throw UsageError(std::string(option) + " " + in_quotes(value) +
                             " names no column; give a column's name, or several separated by commas");
    }
    return names;
}

}  // namespace dense::cli
