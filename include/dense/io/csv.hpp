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
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dense::io {

struct CsvTable;

// The records of a file of plain numbers (see parse_csv), which the cells of its columns point
// into: such a column keeps each cell's number and no copy of its text.
struct CsvPlainRecords {
    std::string text;                 // holds the records from starts.front() on
    std::vector<std::size_t> starts;  // record r is text[starts[r], starts[r + 1]), its line break included
    std::size_t first_line = 1;       // the line of record 0: one record a line, no blank line
    std::size_t fields = 0;
    char delimiter = ',';

    // Field `index` (0-based) of `record`, found from whichever end of the record is nearer.
    std::string_view field(std::size_t record, std::size_t index) const noexcept;
};

// One column of a CSV file: its name, field number and the text of each cell, and the number of
// each cell the reader found to be a plain number (see known_number).
// The cells are stored end to end in one string, so a large file costs few allocations; the
// cells of a file of plain numbers stay in the file's text (CsvPlainRecords).
class CsvColumn {
public:
    CsvColumn(std::string name, std::size_t number) : name_(std::move(name)), number_(number) {}
    // Field `number` of every one of `records`, whose numbers are `numbers`.
    CsvColumn(std::string name, std::size_t number, std::shared_ptr<const CsvPlainRecords> records, std::vector<double> numbers);

    const std::string& name() const noexcept { return name_; }
    // 1-based position of the column in the header: the `column` in file:line:column.
    std::size_t number() const noexcept { return number_; }
    std::size_t size() const noexcept { return plain_ ? numbers_.size() : ends_.size(); }

    std::string_view cell(std::size_t row) const noexcept;
    // The 1-based line of the file where the cell of `row` starts.
    std::size_t line(std::size_t row) const noexcept { return plain_ ? plain_->first_line + record(row) : lines_[row]; }

    // The number parse_cell reads from the cell of `row` when the reader already read it (a file
    // of plain numbers), else NaN: then the cell's text tells.
    double known_number(std::size_t row) const noexcept {
        return row < numbers_.size() ? numbers_[row] : std::numeric_limits<double>::quiet_NaN();
    }

    void append(std::string_view text, std::size_t line) {
        if (plain_) copy_text_out();
        text_.append(text);
        ends_.push_back(text_.size());
        lines_.push_back(line);
    }
    // Appends a cell whose number is known: `value` is what parse_cell reads from `text`.
    void append_number(std::string_view text, std::size_t line, double value) {
        if (plain_) copy_text_out();
        if (numbers_.size() < ends_.size()) numbers_.resize(ends_.size(), std::numeric_limits<double>::quiet_NaN());
        numbers_.push_back(value);
        append(text, line);
    }
    // Appends the cell of `row` of `from`, with its line and known number (a cell of plain
    // records as a reference to them, when this column is empty or refers to the same records).
    void append_row(const CsvColumn& from, std::size_t row);
    // Appends every cell of `rows`, their lines moved down by `line_shift`.
    void append_rows(const CsvColumn& rows, std::size_t line_shift);
    void reserve(std::size_t cells, std::size_t text_bytes);

private:
    friend CsvTable rows_in_order(CsvTable table, std::span<const std::size_t> rows);
    friend CsvTable with_own_text(CsvTable table);

    std::size_t record(std::size_t row) const noexcept { return records_ ? (*records_)[row] : row; }
    // Makes a column of plain records one of text cells, which any cell can be appended to.
    void copy_text_out();
    // Appends the text, line (moved down by `line_shift`) and known number of a cell of `from`.
    void append_text_of(const CsvColumn& from, std::size_t row, std::size_t line_shift);

    std::string name_;
    std::size_t number_;
    std::string text_;
    std::vector<std::size_t> ends_;  // cell r is text_[ends_[r-1], ends_[r])
    std::vector<std::size_t> lines_;
    std::vector<double> numbers_;  // the known numbers of the first cells, NaN where not known
    // A column of plain records: row r is field plain_field_ of record records_[r] (of record r
    // without records_); every number is known, text_, ends_ and lines_ stay empty. records_ may
    // be shared by the columns of a table, and is copied before it is changed.
    std::shared_ptr<const CsvPlainRecords> plain_;
    std::shared_ptr<std::vector<std::size_t>> records_;
    std::size_t plain_field_ = 0;
};

// A whole CSV file: every column has one cell per data row.
struct CsvTable {
    std::string source;  // the file name used in messages ("data.csv", "<stdin>")
    char delimiter = ',';
    std::vector<CsvColumn> columns;

    std::size_t rows() const noexcept { return columns.empty() ? 0 : columns.front().size(); }
    // The columns' names, in file order.
    std::vector<std::string> names() const;
    // Index of the column called `name`; throws DataError listing the names the file has.
    std::size_t column_index(std::string_view name) const;
    // The same for a column an option names (--keep, --drop): the DataError says "OPTION names the
    // column 'NAME', which SOURCE lacks (did you mean ...?)" and lists the names the file has.
    std::size_t named_column_index(std::string_view name, std::string_view option) const;
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

// Throws DataError "WHAT is not valid UTF-8 (byte N of 'TEXT')" unless `text` is UTF-8, and
// "WHAT holds a NUL byte" for a byte 0 (valid UTF-8, but in a CSV file a sign of binary data).
void check_utf8(std::string_view text, const std::string& what);

// The table with the rows `rows` lists, in that order (rows may repeat or be left out). Column by
// column, each column's old cells let go before the next is copied, so that the table is not
// held twice; the columns of plain records share the new order of their records.
CsvTable rows_in_order(CsvTable table, std::span<const std::size_t> rows);

// The table with its cells' text copied out of the file's text (CsvPlainRecords), which is let go
// when no other table points into it: for a few columns kept long after the rest of the file.
CsvTable with_own_text(CsvTable table);

// Reads a CSV file; DataError names the file, line and field of anything malformed.
CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options = {});
// Reads CSV text from a stream (`-` on the command line); `source` names it in messages.
CsvTable read_csv(std::istream& in, std::string source, const CsvOptions& options = {});
// Parses CSV text already in memory. The records of a text of plain numbers (no quotes, no blank
// line, every field a number std::from_chars reads whole and finite, records ended by "\n" or
// "\r\n") are copied into the table, whose columns point into them (read_csv keeps the text it read).
CsvTable parse_csv(std::string_view text, std::string source, const CsvOptions& options = {});

}  // namespace dense::io
