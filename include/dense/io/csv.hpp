#pragma once
// Reading CSV files (RFC 4180) into a table of named text columns, and turning a column into
// numbers. Every cell remembers where it came from, so a message can say
// "data.csv:14:3: column 'age' has text 'abc' where a number is expected".
//
// What the reader accepts:
// - a header row naming every column (names must be unique and not empty);
// - fields separated by ',', ';' or a tab: detected from the header line (outside quotes; the
//   most frequent wins, ties go to ',' then ';' then tab) or forced with CsvOptions::delimiter;
// - quoted fields holding delimiters, line breaks and quotes written twice ("say ""hi""");
// - LF, CRLF or CR line endings, a UTF-8 byte order mark, blank lines (skipped).
// Header names must be UTF-8. Large texts are read in parallel (see CsvOptions::part_bytes).
// Positions are 1-based: `line` is the line where the cell starts, `column` the field number.
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace dense::io {

// One column of a CSV file: its name, field number and the text of each cell, and the number of
// each cell the reader found to be a plain number (see known_number).
// The cells are stored end to end in one string, so a large file costs few allocations.
class CsvColumn {
public:
    CsvColumn(std::string name, std::size_t number) : name_(std::move(name)), number_(number) {}

    const std::string& name() const noexcept { return name_; }
    // 1-based position of the column in the header: the `column` in file:line:column.
    std::size_t number() const noexcept { return number_; }
    std::size_t size() const noexcept { return lines_.size(); }

    std::string_view cell(std::size_t row) const noexcept;
    // The 1-based line of the file where the cell of `row` starts.
    std::size_t line(std::size_t row) const noexcept { return lines_[row]; }

    // The number parse_cell reads from the cell of `row` when the reader already read it (a file
    // of plain numbers), else NaN: then the cell's text tells.
    double known_number(std::size_t row) const noexcept {
        return row < numbers_.size() ? numbers_[row] : std::numeric_limits<double>::quiet_NaN();
    }

    void append(std::string_view text, std::size_t line) {
        text_.append(text);
        ends_.push_back(text_.size());
        lines_.push_back(line);
    }
    // Appends a cell whose number is known: `value` is what parse_cell reads from `text`.
    void append_number(std::string_view text, std::size_t line, double value) {
        if (numbers_.size() < ends_.size()) numbers_.resize(ends_.size(), std::numeric_limits<double>::quiet_NaN());
        numbers_.push_back(value);
        append(text, line);
    }
    // Appends the cell of `row` of `from`, with its line and known number.
    void append_row(const CsvColumn& from, std::size_t row);
    // Appends every cell of `rows`, their lines moved down by `line_shift`.
    void append_rows(const CsvColumn& rows, std::size_t line_shift);
    void reserve(std::size_t cells, std::size_t text_bytes);

private:
    std::string name_;
    std::size_t number_;
    std::string text_;
    std::vector<std::size_t> ends_;  // cell r is text_[ends_[r-1], ends_[r])
    std::vector<std::size_t> lines_;
    std::vector<double> numbers_;  // the known numbers of the first cells, NaN where not known
};

// A whole CSV file: every column has one cell per data row.
struct CsvTable {
    std::string source;  // the file name used in messages ("data.csv", "<stdin>")
    char delimiter = ',';
    std::vector<CsvColumn> columns;

    std::size_t rows() const noexcept { return columns.empty() ? 0 : columns.front().size(); }
    // Index of the column called `name`; throws DataError listing the names the file has.
    std::size_t column_index(std::string_view name) const;
    const CsvColumn& column(std::string_view name) const { return columns[column_index(name)]; }
    // "data.csv:14:3": where the cell of `row` in `column` starts, for messages.
    std::string where(const CsvColumn& column, std::size_t row) const;
};

struct CsvOptions {
    // ',', ';' or '\t'; 0 detects it from the header line.
    char delimiter = 0;
    // A text is cut into parts of about this many bytes, read on dense's threads (one per part
    // at most); the table is the same whatever the parts and threads.
    std::size_t part_bytes = std::size_t{1} << 20;
};

// Throws DataError "WHAT is not valid UTF-8 (byte N of 'TEXT')" unless `text` is UTF-8.
void check_utf8(std::string_view text, const std::string& what);

// Reads a CSV file; DataError names the file, line and field of anything malformed.
CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
// Reads CSV text from a stream (`-` on the command line); `source` names it in messages.
CsvTable read_csv(std::istream& in, std::string source, const CsvOptions& options = {});
// Parses CSV text already in memory.
CsvTable parse_csv(std::string_view text, std::string source, const CsvOptions& options = {});

}  // namespace dense::io
