// Options that name columns (see column_options.hpp).
#include "column_options.hpp"

#include <algorithm>

#include "dense/error.hpp"
#include "dense/printable.hpp"

namespace dense::cli {
namespace {

// "a,,b" → {"a", "b"}.
void append_comma_separated(std::string_view list, std::vector<std::string>& names) {
    while (!list.empty()) {
        const auto comma = std::min(list.find(','), list.size());
        if (comma > 0) names.emplace_back(list.substr(0, comma));
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
        append_comma_separated(value, names);
        if (names.size() == before)
            throw UsageError(std::string(option) + " " + in_quotes(value) +
                             " names no column; give a column's name, or several separated by commas");
    }
    return names;
}

}  // namespace dense::cli
