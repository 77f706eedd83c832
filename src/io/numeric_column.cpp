// Numbers from CSV text: parsing, missing values and the fill policies.
#include "dense/io/numeric_column.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "dense/error.hpp"

#include "decimal.hpp"
#include "statistics.hpp"

namespace dense::io {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return std::ranges::equal(a, b, [&](char x, char y) { return lower(x) == lower(y); });
}

// from_chars calls a number too small for a double out of range, as it does one too large; the
// small one is read as strtod, Python and pandas read it: 0, or the nearest subnormal.
ParsedCell out_of_range_cell(std::string_view number) noexcept {
    char text[128];
    if (number.size() >= sizeof text) return {CellKind::out_of_range};
    std::memcpy(text, number.data(), number.size());
    text[number.size()] = '\0';
    const double value = std::strtod(text, nullptr);
    return std::abs(value) < 1 ? ParsedCell{CellKind::number, value} : ParsedCell{CellKind::out_of_range};
}

}  // namespace

// A number is tried first: it is what most cells of a data file hold.
ParsedCell parse_cell(std::string_view cell) noexcept {
    std::string_view text = trim_spaces(cell);
    // from_chars reads a leading '-' but not '+': skip one '+' that a sign does not follow.
    if (text.starts_with('+') && !text.substr(1).starts_with('-')) text.remove_prefix(1);
    double value = 0;
    const auto [end, error] = read_double(text.data(), text.data() + text.size(), value);
    const bool whole = !text.empty() && end == text.data() + text.size();
    if (whole && error == std::errc{}) return std::isfinite(value) ? ParsedCell{CellKind::number, value} : ParsedCell{CellKind::not_finite};
    if (is_missing(cell)) return {CellKind::missing};
    if (whole && error == std::errc::result_out_of_range) return out_of_range_cell(text);
    return {CellKind::text};
}

namespace {

// What becomes of a missing value, for messages that ask for one.
constexpr const char* how_missing_values_go =
    "a feature's are filled by a fill policy (--fill mean|median|zero), a target's never (drop those rows)";

[[noreturn]] void throw_bad_cell(const CsvTable& table, const CsvColumn& column, std::size_t row, CellKind kind) {
    const std::string where = table.where(column, row) + ": column '" + column.name() + "'";
    const std::string text(column.cell(row));
    switch (kind) {
        case CellKind::missing:
            throw DataError(where + " has a missing value; fill the cell, drop the row, or choose a fill policy "
                                    "(--fill mean|median|zero)");
        case CellKind::not_finite:
            throw DataError(where + " has '" + text + "', which is not a finite number; if it marks a missing value, "
                                    "write the cell empty or as NA: " + how_missing_values_go);
        case CellKind::out_of_range:
            throw DataError(where + " has '" + text + "', which is beyond the range of a double; rescale the column");
        default:
            if (is_question_mark(text))
                throw DataError(where + " has '?' where a number is expected; if '?' marks a missing value (as in UCI's "
                                        "data sets), write those cells empty or as NA, which are missing values: " +
                                        how_missing_values_go);
            throw DataError(where + " has text '" + text + "' where a number is expected; fix the cell or drop the column");
    }
}

double fill_value(FillPolicy fill, const std::vector<double>& present, const CsvTable& table, const CsvColumn& column) {
    if (fill == FillPolicy::zero) return 0;
    if (present.empty())
        throw DataError(table.source + ": column '" + column.name() + "' has no numbers to compute a fill value from; "
                                                                      "leave it out with --drop " + column.name() +
                                                                      " or fill it with zero");
    return fill == FillPolicy::mean ? statistics::running_mean(present) : statistics::fill_median(present);
}

}  // namespace

std::string_view trim_spaces(std::string_view text) noexcept {
    const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
    if (text.empty() || (!is_space(text.front()) && !is_space(text.back()))) return text;
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool is_number_with_a_comma(std::string_view cell) {
    const std::string_view trimmed = trim_spaces(cell);
    const auto comma = trimmed.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == trimmed.size()) return false;
    std::string with_a_point(trimmed);
    with_a_point[comma] = '.';
    return is_number(with_a_point);
}

std::string number_with_a_comma_message(const std::string& where, const std::string& name, std::string_view cell) {
    return where + ": column '" + name + "' has '" + std::string(trim_spaces(cell)) +
           "', a number written with a decimal comma or a thousands separator, which would be read as text; "
           "write its numbers with a decimal point and no separators (1234.5)";
}

FillPolicy fill_policy_from_name(std::string_view name) {
    if (name == "none") return FillPolicy::none;
    if (name == "mean") return FillPolicy::mean;
    if (name == "median") return FillPolicy::median;
    if (name == "zero") return FillPolicy::zero;
    throw UsageError("unknown fill policy '" + std::string(name) + "'; use mean, median, zero or none");
}

bool is_missing(std::string_view cell) noexcept {
    const std::string_view text = trim_spaces(cell);
    return text.empty() || equals_ignoring_case(text, "NA") || equals_ignoring_case(text, "N/A") ||
           equals_ignoring_case(text, "null");
}

bool is_question_mark(std::string_view cell) noexcept { return trim_spaces(cell) == "?"; }

bool is_number(std::string_view cell) noexcept { return parse_cell(cell).kind == CellKind::number; }

namespace {

// parse_cell of the cell of `row`, the number the reader found there if it did.
ParsedCell parsed_cell(const CsvColumn& column, std::size_t row) noexcept {
    const double known = column.known_number(row);
    return std::isnan(known) ? parse_cell(column.cell(row)) : ParsedCell{CellKind::number, known};
}

}  // namespace

bool is_numeric(const CsvColumn& column) noexcept {
    bool any_number = false;
    for (std::size_t row = 0; row < column.size(); ++row) {
        const CellKind kind = parsed_cell(column, row).kind;
        // A number beyond a double's range keeps the column numeric: numeric_column names the cell.
        if (kind == CellKind::text || kind == CellKind::not_finite) return false;
        any_number = any_number || kind != CellKind::missing;
    }
    return any_number;
}

namespace {

// The numbers of the first `rows` rows; the rows of missing cells, left 0, in `missing_rows`
// when `fill` is not none, and every number in `present`.
std::vector<double> numbers_of_rows(const CsvTable& table, const CsvColumn& column, std::size_t rows, FillPolicy fill,
                                    std::vector<std::size_t>& missing_rows, std::vector<double>& present) {
    std::vector<double> values(rows);
    present.reserve(rows);
    for (std::size_t row = 0; row < rows; ++row) {
        const ParsedCell parsed = parsed_cell(column, row);
        if (parsed.kind == CellKind::missing && fill != FillPolicy::none) {
            missing_rows.push_back(row);
            continue;
        }
        if (parsed.kind != CellKind::number) throw_bad_cell(table, column, row, parsed.kind);
        values[row] = parsed.value;
        present.push_back(parsed.value);
    }
    return values;
}

}  // namespace

std::vector<double> numeric_column(const CsvTable& table, std::string_view name, FillPolicy fill) {
    const CsvColumn& column = table.column(name);
    std::vector<std::size_t> missing_rows;
    std::vector<double> present;
    auto values = numbers_of_rows(table, column, column.size(), fill, missing_rows, present);
    if (missing_rows.empty()) return values;
    const double filler = fill_value(fill, present, table, column);
    for (std::size_t row : missing_rows) values[row] = filler;
    return values;
}

FilledNumbers filled_numbers(const CsvTable& table, const CsvColumn& column, std::size_t rows, FillPolicy fill) {
    std::vector<std::size_t> missing_rows;
    std::vector<double> present;
    FilledNumbers result{numbers_of_rows(table, column, rows, fill, missing_rows, present), 0.0};
    result.fill = fill_value(fill, present, table, column);
    for (std::size_t row : missing_rows) result.values[row] = result.fill;
    return result;
}

bool is_missing_cell(const CsvColumn& column, std::size_t row) noexcept {
    return std::isnan(column.known_number(row)) && is_missing(column.cell(row));
}

}  // namespace dense::io
