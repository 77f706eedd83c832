#pragma once
// Turning a CSV column into numbers, with missing values detected and optionally filled.
//
// A cell is missing when it is empty (or only spaces) or reads NA, N/A or null (any case).
// A number is what std::from_chars reads as a decimal double, after trimming spaces and one
// leading '+'. NaN and Inf written in a cell ("nan", "inf", "-Infinity") are rejected: write an
// empty cell or NA for a value that is missing and choose a fill policy. A value beyond the
// range of a double ("1e999") is rejected too.
#include <string_view>
#include <vector>

#include "dense/io/csv.hpp"

namespace dense::io {

// What to put in place of a missing value: nothing (missing values are an error), the mean or
// the median of the column's numbers, or zero.
enum class FillPolicy { none, mean, median, zero };

// "mean", "median", "zero" or "none"; throws UsageError for anything else.
FillPolicy fill_policy_from_name(std::string_view name);

// What a cell holds, by the rules above: the one place that decides it.
enum class CellKind { number, missing, text, not_finite, out_of_range };
struct ParsedCell {
    CellKind kind;
    double value = 0;  // for a number
};
ParsedCell parse_cell(std::string_view cell) noexcept;

bool is_missing(std::string_view cell) noexcept;
// True for "?": how UCI's data sets mark a missing value, which is text to parse_cell, as it is
// not among pandas' default na_values either; messages about it say how to mark it missing.
bool is_question_mark(std::string_view cell) noexcept;
// True when the cell holds a finite number by the rules above.
bool is_number(std::string_view cell) noexcept;
// The cell without leading and trailing spaces and tabs.
std::string_view trim_spaces(std::string_view text) noexcept;
// True for "-1,5" or "1,234": a number written with a decimal comma or a thousands separator,
// which is text to parse_cell.
bool is_number_with_a_comma(std::string_view cell);
// The message for such a cell at `where` ("file:line:column") of column `name`.
std::string number_with_a_comma_message(const std::string& where, const std::string& name, std::string_view cell);

// True when every cell that is not missing is a finite number or one beyond a double's range
// (and at least one is a number): a column of numbers with one "1e999999" is numbers with an
// error that numeric_column reports, not text.
bool is_numeric(const CsvColumn& column) noexcept;

// The column's numbers, row by row. Throws DataError naming source:line:column and the column
// for text where a number is expected, NaN/Inf, out-of-range values, and missing values when
// `fill` is FillPolicy::none (or when the column has no number to compute a fill from).
std::vector<double> numeric_column(const CsvTable& table, std::string_view name, FillPolicy fill = FillPolicy::none);

// The numbers of the first `rows` rows of `column` (of `table`), missing cells filled by `fill`
// (not none) computed from those rows, and that fill value: numeric_column of those rows and one
// more, missing cell, without a copy of the column. Throws as numeric_column does.
struct FilledNumbers {
    std::vector<double> values;
    double fill = 0;
};
FilledNumbers filled_numbers(const CsvTable& table, const CsvColumn& column, std::size_t rows, FillPolicy fill);

// is_missing of the cell of `row`, without reading the text of a cell whose number is known.
bool is_missing_cell(const CsvColumn& column, std::size_t row) noexcept;

}  // namespace dense::io
