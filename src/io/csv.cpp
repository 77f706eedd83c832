// The CSV reader: one pass over the text with a small state machine per field.
#include "dense/io/csv.hpp"

#include <array>
#include <unordered_map>

#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"

#include "entire_file.hpp"

namespace dense::io {

std::string_view CsvColumn::cell(std::size_t row) const noexcept {
    const std::size_t begin = row == 0 ? 0 : ends_[row - 1];
    return std::string_view(text_).substr(begin, ends_[row] - begin);
}

void CsvColumn::append(std::string_view text, std::size_t line) {
    text_.append(text);
    ends_.push_back(text_.size());
    lines_.push_back(line);
}

std::size_t CsvTable::column_index(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name() == name) return i;
    std::string names;
    for (const auto& c : columns) names += (names.empty() ? "'" : ", '") + c.name() + "'";
    throw DataError(source + ": no column named '" + std::string(name) + "'; the header has " + names);
}

std::string CsvTable::where(const CsvColumn& column, std::size_t row) const {
    return source + ":" + std::to_string(column.line(row)) + ":" + std::to_string(column.number());
}

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr std::array<char, 3> supported_delimiters = {',', ';', '\t'};

std::string fields_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " field" : " fields"); }

std::string delimiter_name(char delimiter) {
    return delimiter == '\t' ? "tab" : std::string("'") + delimiter + "'";
}

// The delimiter that occurs most often in the first line outside quotes; ',' when none does.
char detect_delimiter(std::string_view text) {
    std::array<std::size_t, supported_delimiters.size()> counts{};
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        for (std::size_t i = 0; i < supported_delimiters.size(); ++i)
            if (c == supported_delimiters[i]) ++counts[i];
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < counts.size(); ++i)
        if (counts[i] > counts[best]) best = i;
    return supported_delimiters[best];
}

// A field of the record being read: its unquoted text and the line it starts on.
struct Field {
    std::string text;
    std::size_t line = 0;
};

// Splits the text into records of fields. Holds the position and the current line number.
class RecordReader {
public:
    RecordReader(std::string_view text, const std::string& source, char delimiter)
        : text_(text), source_(source), delimiter_(delimiter) {}

    // Reads the next non-blank record into `fields` (reusing their storage) and returns its
    // field count; 0 at the end of the text.
    std::size_t next(std::vector<Field>& fields);

private:
    bool at_end() const noexcept { return pos_ == text_.size(); }
    bool at_line_break() const noexcept { return text_[pos_] == '\n' || text_[pos_] == '\r'; }
    // Steps over "\n", "\r\n" or "\r" and counts the line.
    void skip_line_break() noexcept;
    void read_unquoted(std::string& out);
    void read_quoted(std::string& out, std::size_t field_number);

    std::string_view text_;
    const std::string& source_;
    char delimiter_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

void RecordReader::skip_line_break() noexcept {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
}

void RecordReader::read_unquoted(std::string& out) {
    const std::size_t begin = pos_;
    while (!at_end() && text_[pos_] != delimiter_ && !at_line_break()) ++pos_;
    out.assign(text_.substr(begin, pos_ - begin));
}

// A quoted field: everything up to the closing quote, with "" standing for one quote.
void RecordReader::read_quoted(std::string& out, std::size_t field_number) {
    const std::size_t open_line = line_;
    ++pos_;  // the opening quote
    out.clear();
    while (true) {
        const std::size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos)
            throw DataError(source_ + ":" + std::to_string(open_line) + ":" + std::to_string(field_number) +
                            ": the quote that opens this field is never closed; end the field with \" "
                            "(a quote inside a quoted field is written \"\")");
        for (std::size_t i = pos_; i < quote; ++i)
            if (text_[i] == '\n' || (text_[i] == '\r' && text_[i + 1] != '\n')) ++line_;  // i + 1 <= quote
        out.append(text_.substr(pos_, quote - pos_));
        pos_ = quote + 1;
        if (at_end() || text_[pos_] != '"') break;
        out.push_back('"');
        ++pos_;
    }
    if (!at_end() && text_[pos_] != delimiter_ && !at_line_break())
        throw DataError(source_ + ":" + std::to_string(line_) + ":" + std::to_string(field_number) +
                        ": text follows the closing quote of this field; quote the whole field and write a "
                        "quote inside it as \"\"");
}

std::size_t RecordReader::next(std::vector<Field>& fields) {
    while (!at_end() && at_line_break()) skip_line_break();
    if (at_end()) return 0;
    std::size_t count = 0;
    while (true) {
        if (count == fields.size()) fields.emplace_back();
        Field& field = fields[count++];
        field.line = line_;
        if (!at_end() && text_[pos_] == '"')
            read_quoted(field.text, count);
        else
            read_unquoted(field.text);
        if (at_end()) return count;
        if (at_line_break()) {
            skip_line_break();
            return count;
        }
        ++pos_;  // the delimiter
    }
}

std::vector<CsvColumn> header_columns(const std::vector<Field>& fields, std::size_t count, const std::string& source) {
    std::vector<CsvColumn> columns;
    columns.reserve(count);
    std::unordered_map<std::string_view, std::size_t> numbers;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& name = fields[i].text;
        const std::string where = source + ":" + std::to_string(fields[i].line) + ":" + std::to_string(i + 1);
        if (name.empty()) throw DataError(where + ": header field " + std::to_string(i + 1) + " is empty; every column needs a name");
        const auto [it, inserted] = numbers.emplace(name, i + 1);
        if (!inserted)
            throw DataError(where + ": the header names column '" + name + "' twice (fields " + std::to_string(it->second) +
                            " and " + std::to_string(i + 1) + "); rename one of them" +
                            (is_number(name) ? " (a first line of numbers is data, not names: dense predict and evaluate "
                                               "read a file without a header with --no-header)"
                                             : ""));
        columns.emplace_back(name, i + 1);
    }
    return columns;
}

void check_delimiter(char delimiter) {
    for (char d : supported_delimiters)
        if (d == delimiter) return;
    throw UsageError("CSV delimiter " + delimiter_name(delimiter) + " is not supported; use ',', ';' or tab");
}

}  // namespace

CsvTable parse_csv(std::string_view text, std::string source, const CsvOptions& options) {
    if (text.starts_with(utf8_bom)) text.remove_prefix(utf8_bom.size());
    CsvTable table;
    table.source = std::move(source);
    if (options.delimiter != 0) check_delimiter(options.delimiter);
    table.delimiter = options.delimiter != 0 ? options.delimiter : detect_delimiter(text);

    RecordReader reader(text, table.source, table.delimiter);
    std::vector<Field> fields;
    std::size_t count = reader.next(fields);
    if (count == 0)
        throw DataError(table.source + ": the file is empty; a CSV file needs a header row and at least one data row");
    table.columns = header_columns(fields, count, table.source);

    while ((count = reader.next(fields)) != 0) {
        if (count != table.columns.size())
            throw DataError(table.source + ":" + std::to_string(fields.front().line) + ": this row has " + fields_count(count) +
                            " but the header has " + fields_count(table.columns.size()) + " (separated by " +
                            delimiter_name(table.delimiter) +
                            "); give every row one field per column, and quote fields that contain the delimiter");
        for (std::size_t i = 0; i < count; ++i) table.columns[i].append(fields[i].text, fields[i].line);
    }
    if (table.rows() == 0)
        throw DataError(table.source + ": the file has a header but no data rows; add at least one row of values");
    return table;
}

CsvTable read_csv(std::istream& in, std::string source, const CsvOptions& options) {
    const std::string text = read_entire_stream(in, source);
    return parse_csv(text, std::move(source), options);
}

CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options) {
    return parse_csv(read_entire_file(path), path.string(), options);
}

}  // namespace dense::io
