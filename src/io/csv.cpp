// The CSV reader: one pass over the text with a small state machine per field. Large texts are
// cut into parts read on dense's threads; a part that guessed its start wrong (a quoted field
// with line breaks spanning the cut) is read again in order, so the result never depends on the
// thread count.
#include "dense/io/csv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <unordered_map>

#include "dense/did_you_mean.hpp"
#include "dense/error.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/printable.hpp"
#include "dense/threads.hpp"

#include "../kernels/parallel.hpp"
#include "csv_records.hpp"
#include "csv_scan.hpp"
#include "entire_file.hpp"

namespace dense::io {

std::string_view CsvPlainRecords::field(std::size_t record, std::size_t index) const noexcept {
    std::string_view line = std::string_view(text).substr(starts[record], starts[record + 1] - starts[record]);
    if (line.ends_with('\n')) line.remove_suffix(1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (index * 2 < fields) {
        for (std::size_t f = 0; f < index; ++f) line.remove_prefix(line.find(delimiter) + 1);
        return line.substr(0, line.find(delimiter));
    }
    for (std::size_t f = index + 1; f < fields; ++f) line = line.substr(0, line.rfind(delimiter));
    const std::size_t before = line.rfind(delimiter);
    return before == std::string_view::npos ? line : line.substr(before + 1);
}

CsvColumn::CsvColumn(std::string name, std::size_t number, std::shared_ptr<const CsvPlainRecords> records,
                     std::vector<double> numbers)
    : name_(std::move(name)), number_(number), numbers_(std::move(numbers)), plain_(std::move(records)), plain_field_(number - 1) {}

std::string_view CsvColumn::cell(std::size_t row) const noexcept {
    if (plain_) return plain_->field(record(row), plain_field_);
    const std::size_t begin = row == 0 ? 0 : ends_[row - 1];
    return std::string_view(text_).substr(begin, ends_[row] - begin);
}

void CsvColumn::copy_text_out() {
    CsvColumn plain = std::move(*this);
    *this = CsvColumn(std::move(plain.name_), plain.number_);
    append_rows(plain, 0);
}

void CsvColumn::append_row(const CsvColumn& from, std::size_t row) {
    const bool same_field = from.plain_ == plain_ && from.plain_field_ == plain_field_;
    if (from.plain_ && (same_field || (size() == 0 && !plain_))) {
        if (!records_ || records_.use_count() > 1) {
            auto records = std::make_shared<std::vector<std::size_t>>();
            for (std::size_t r = 0; r < size(); ++r) records->push_back(record(r));
            records_ = std::move(records);
        }
        plain_ = from.plain_;
        plain_field_ = from.plain_field_;
        records_->push_back(from.record(row));
        numbers_.push_back(from.numbers_[row]);
        return;
    }
    append_text_of(from, row, 0);
}

void CsvColumn::append_text_of(const CsvColumn& from, std::size_t row, std::size_t line_shift) {
    const double known = from.known_number(row);
    if (!std::isnan(known)) {
        append_number(from.cell(row), from.line(row) + line_shift, known);
    } else {
        append(from.cell(row), from.line(row) + line_shift);
    }
}

void CsvColumn::reserve(std::size_t cells, std::size_t text_bytes) {
    text_.reserve(text_bytes);
    ends_.reserve(cells);
    lines_.reserve(cells);
    numbers_.reserve(cells);
}

void CsvColumn::append_rows(const CsvColumn& rows, std::size_t line_shift) {
    if (plain_ || rows.plain_) {
        for (std::size_t r = 0; r < rows.size(); ++r) append_text_of(rows, r, line_shift);
        return;
    }
    if (!rows.numbers_.empty()) {
        numbers_.resize(ends_.size(), std::numeric_limits<double>::quiet_NaN());
        numbers_.insert(numbers_.end(), rows.numbers_.begin(), rows.numbers_.end());
    }
    const std::size_t base = text_.size();
    text_.append(rows.text_);
    ends_.reserve(ends_.size() + rows.ends_.size());
    lines_.reserve(lines_.size() + rows.lines_.size());
    for (std::size_t end : rows.ends_) ends_.push_back(base + end);
    for (std::size_t line : rows.lines_) lines_.push_back(line + line_shift);
}

CsvTable rows_in_order(CsvTable table, std::span<const std::size_t> rows) {
    std::map<const std::vector<std::size_t>*, std::shared_ptr<std::vector<std::size_t>>> reordered;
    for (auto& column : table.columns) {
        if (!column.plain_) {
            CsvColumn copy(column.name(), column.number());
            for (std::size_t r : rows) copy.append_row(column, r);
            column = std::move(copy);
            continue;
        }
        auto& records = reordered[column.records_.get()];
        if (!records) {
            records = std::make_shared<std::vector<std::size_t>>();
            records->reserve(rows.size());
            for (std::size_t r : rows) records->push_back(column.record(r));
        }
        std::vector<double> numbers;
        numbers.reserve(rows.size());
        for (std::size_t r : rows) numbers.push_back(column.numbers_[r]);
        column.numbers_ = std::move(numbers);
        column.records_ = records;
    }
    return table;
}

CsvTable with_own_text(CsvTable table) {
    for (auto& column : table.columns)
        if (column.plain_) column.copy_text_out();
    return table;
}

std::vector<std::string> CsvTable::names() const {
    std::vector<std::string> names;
    for (const auto& column : columns) names.push_back(column.name());
    return names;
}

namespace {

std::optional<std::size_t> position_of(const CsvTable& table, std::string_view name) {
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        if (table.columns[i].name() == name) return i;
    return std::nullopt;
}

// " (did you mean 'NEAR'?)" when a name of `names` is near `typed`, else nothing.
std::string suggestion(std::string_view typed, const std::vector<std::string>& names) {
    const auto near = did_you_mean(typed, names);
    return near ? " (did you mean " + in_quotes(*near) + "?)" : "";
}

// When the header was read as one column that holds the name sought, its fields are separated by
// a character dense does not split on ('|', ':', spaces): say so, and what to do.
std::string one_column_note(std::string_view typed, const std::vector<std::string>& names) {
    if (names.size() != 1 || names.front().find(typed) == std::string::npos) return "";
    return ", read as one column: dense separates fields with ',', ';' or a tab, so write the file with one of those";
}

}  // namespace

std::size_t CsvTable::column_index(std::string_view name) const {
    if (const auto found = position_of(*this, name)) return *found;
    const auto all = names();
    throw DataError(source + ": no column named " + in_quotes(name) + suggestion(name, all) + "; the header has " +
                    quoted_list(all) + one_column_note(name, all));
}

std::size_t CsvTable::named_column_index(std::string_view name, std::string_view option) const {
    if (const auto found = position_of(*this, name)) return *found;
    const auto all = names();
    throw DataError(std::string(option) + " names the column " + in_quotes(name) + ", which " + source + " lacks" +
                    suggestion(name, all) + "; its columns: " + quoted_list(all) + one_column_note(name, all));
}

std::string CsvTable::where(const CsvColumn& column, std::size_t row) const {
    return source + ":" + std::to_string(column.line(row)) + ":" + std::to_string(column.number());
}

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// Model files, by their first bytes, that a command may be given where it reads data.
struct ModelSignature {
    std::string_view start;
    const char* kind;
};
constexpr std::array<ModelSignature, 3> model_signatures = {{
    {"\x89" "DNS", "a dense model file"},
    {"\x89" "HDF", "an HDF5 file (a Keras .h5 or .weights.h5 model?)"},
    {"PK\x03\x04", "a zip archive (a Keras .keras model?)"},
}};

constexpr std::array<char, 3> supported_delimiters = {',', ';', '\t'};
constexpr std::size_t to_the_end = std::string_view::npos;

std::string fields_count(std::size_t n) { return std::to_string(n) + (n == 1 ? " field" : " fields"); }

std::string delimiter_name(char delimiter) {
    return delimiter == '\t' ? "tab" : std::string("'") + delimiter + "'";
}

std::string place(const std::string& source, std::size_t line, std::size_t field) {
    return source + ":" + std::to_string(line) + ":" + std::to_string(field);
}

// A field of the record being read and the line it starts on. An unquoted field is a view of
// the text; a quoted one is unquoted into `unquoted`.
struct Field {
    std::string_view raw;
    std::string unquoted;
    bool quoted = false;
    std::size_t line = 0;

    std::string_view text() const noexcept { return quoted ? std::string_view(unquoted) : raw; }
};

// Splits the text into records of fields. Holds the position and the current line number.
class RecordReader {
public:
    RecordReader(std::string_view text, CsvPosition from, const CsvLayout& layout)
        : text_(text), layout_(layout), pos_(from.offset), line_(from.line) {}

    // Reads the next non-blank record into `fields` (reusing their storage) and returns its
    // field count; 0 when the text ends, the next record starts at or after `stop`, or (text
    // not final) the text cuts the record off.
    std::size_t next(std::vector<Field>& fields, std::size_t stop);
    CsvPosition position() const noexcept { return {pos_, line_}; }

private:
    bool at_end() const noexcept { return pos_ == text_.size(); }
    bool at_line_break() const noexcept { return text_[pos_] == '\n' || text_[pos_] == '\r'; }
    // Not final and at the end of the text, or at a '\r' that a '\n' of the next text may follow.
    bool cut_off_here() const noexcept {
        return !layout_.final && (at_end() || (text_[pos_] == '\r' && pos_ + 1 == text_.size()));
    }
    // Steps over "\n", "\r\n" or "\r" and counts the line.
    void skip_line_break() noexcept;
    void skip_blank_lines() noexcept;
    void read_unquoted(Field& field) noexcept;
    // False when the text is not final and ends before the closing quote.
    bool read_quoted(Field& field, std::size_t field_number);

    std::string_view text_;
    const CsvLayout& layout_;
    std::size_t pos_;
    std::size_t line_;
};

void RecordReader::skip_line_break() noexcept {
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
}

void RecordReader::skip_blank_lines() noexcept {
    while (!at_end() && at_line_break() && !cut_off_here()) skip_line_break();
}

void RecordReader::read_unquoted(Field& field) noexcept {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    const char* p = find_field_end(begin, end, layout_.delimiter);
    while (p != end && *p == '"') p = find_field_end(p + 1, end, layout_.delimiter);  // a quote inside is text
    field.quoted = false;
    field.raw = std::string_view(begin, static_cast<std::size_t>(p - begin));
    pos_ += field.raw.size();
}

// A quoted field: everything up to the closing quote, with "" standing for one quote.
bool RecordReader::read_quoted(Field& field, std::size_t field_number) {
    const std::size_t open_line = line_;
    ++pos_;  // the opening quote
    field.quoted = true;
    field.unquoted.clear();
    while (true) {
        const std::size_t quote = text_.find('"', pos_);
        if (quote == std::string_view::npos) {
            if (!layout_.final) return false;
            throw DataError(place(layout_.source, open_line, field_number) +
                            ": the quote that opens this field is never closed; end the field with \" "
                            "(a quote inside a quoted field is written \"\")");
        }
        for (std::size_t i = pos_; i < quote; ++i)
            if (text_[i] == '\n' || (text_[i] == '\r' && text_[i + 1] != '\n')) ++line_;  // i + 1 <= quote
        field.unquoted.append(text_.substr(pos_, quote - pos_));
        pos_ = quote + 1;
        if (at_end() || text_[pos_] != '"') break;
        field.unquoted.push_back('"');
        ++pos_;
    }
    if (!at_end() && text_[pos_] != layout_.delimiter && !at_line_break())
        throw DataError(place(layout_.source, line_, field_number) +
                        ": text follows the closing quote of this field; quote the whole field and write a "
                        "quote inside it as \"\"");
    return true;
}

std::size_t RecordReader::next(std::vector<Field>& fields, std::size_t stop) {
    skip_blank_lines();
    if (at_end() || pos_ >= stop) return 0;
    const CsvPosition start = position();
    std::size_t count = 0;
    while (true) {
        if (count == fields.size()) fields.emplace_back();
        Field& field = fields[count++];
        field.line = line_;
        bool whole = true;
        if (!at_end() && text_[pos_] == '"')
            whole = read_quoted(field, count);
        else
            read_unquoted(field);
        if (!whole || cut_off_here()) {  // the record may go on in the next text
            pos_ = start.offset;
            line_ = start.line;
            return 0;
        }
        if (at_end()) return count;
        if (at_line_break()) {
            skip_line_break();
            return count;
        }
        ++pos_;  // the delimiter
    }
}

// The first bytes of an invalid UTF-8 sequence in `text`, or npos when it is all valid.
std::size_t invalid_utf8_at(std::string_view text) noexcept {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        // A lead byte 110xxxxx, 1110xxxx or 11110xxx (up to U+10FFFF) takes 1, 2 or 3 bytes 10xxxxxx.
        const std::size_t more = lead < 0x80 ? 0 : lead >= 0xC2 && lead < 0xE0 ? 1 : lead >= 0xE0 && lead < 0xF0 ? 2
                                 : lead >= 0xF0 && lead < 0xF5                 ? 3
                                                                               : 4;
        if (more == 4 || more >= text.size() - i) return i;
        for (std::size_t k = 1; k <= more; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return i;
        i += more + 1;
    }
    return std::string_view::npos;
}

// Why header field `field` of `count` without a name is refused; the last one most often comes of
// a delimiter at the end of every line, as spreadsheets write an empty last column.
std::string empty_name_message(const std::string& where, std::size_t field, std::size_t count) {
    const std::string message = where + ": header field " + std::to_string(field) + " is empty; every column needs a name";
    if (field < count || count == 1) return message;
    return message + ": the header ends with a delimiter; if every line does (an empty last column, as spreadsheets "
                     "write), remove it from the end of the lines, else name the column";
}

std::vector<CsvColumn> header_columns(const std::vector<Field>& fields, std::size_t count, const std::string& source) {
    std::vector<CsvColumn> columns;
    columns.reserve(count);
    std::unordered_map<std::string_view, std::size_t> numbers;
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view name = fields[i].text();
        const std::string where = place(source, fields[i].line, i + 1);
        if (name.empty()) throw DataError(empty_name_message(where, i + 1, count));
        check_utf8(name, where + ": the name of column " + std::to_string(i + 1));
        const auto [it, inserted] = numbers.emplace(name, i + 1);
        if (!inserted)
            throw DataError(where + ": the header names column " + in_quotes(name) + " twice (fields " +
                            std::to_string(it->second) + " and " + std::to_string(i + 1) + "); rename one of them" +
                            (is_number(name) ? " (a first line of numbers is data, not names: dense predict and evaluate "
                                               "read a file without a header with --no-header)"
                                             : ""));
        columns.emplace_back(std::string(name), i + 1);
    }
    return columns;
}

[[noreturn]] void throw_field_count(const CsvLayout& layout, std::size_t line, std::size_t count, std::size_t columns) {
    throw DataError(layout.source + ":" + std::to_string(line) + ": this row has " + fields_count(count) +
                    " but the header has " + fields_count(columns) + " (separated by " + delimiter_name(layout.delimiter) +
                    "); give every row one field per column, and quote fields that contain the delimiter");
}

// Reads records from `from` until the next one starts at or after `stop`, appending their cells.
CsvPosition read_part(std::string_view text, CsvPosition from, std::size_t stop, const CsvLayout& layout,
                      std::vector<CsvColumn>& columns) {
    RecordReader reader(text, from, layout);
    std::vector<Field> fields;
    while (const std::size_t count = reader.next(fields, stop)) {
        if (count != columns.size()) throw_field_count(layout, fields.front().line, count, columns.size());
        for (std::size_t i = 0; i < count; ++i) columns[i].append(fields[i].text(), fields[i].line);
    }
    return reader.position();
}

// Where the first record at or after `offset` starts if no quoted field spans `offset`: after
// the first line break, and after any blank lines.
std::size_t guessed_record_start(std::string_view text, std::size_t offset) {
    const auto follows_line_break = [text](std::size_t p) {
        return text[p - 1] == '\n' || (text[p - 1] == '\r' && (p == text.size() || text[p] != '\n'));
    };
    std::size_t p = std::max<std::size_t>(offset, 1);
    while (p < text.size() && !follows_line_break(p)) ++p;
    while (p < text.size() && (text[p] == '\n' || text[p] == '\r')) ++p;
    return p;
}

// A part read on its own from a guessed start, its lines counted from 1.
struct GuessedPart {
    CsvPosition start, end;
    std::vector<CsvColumn> columns;
    bool failed = false;
};

std::vector<CsvColumn> unnamed_columns(std::size_t count) {
    std::vector<CsvColumn> columns;
    for (std::size_t i = 1; i <= count; ++i) columns.emplace_back(std::string(), i);
    return columns;
}

}  // namespace

std::size_t csv_text_start(std::string_view text, const std::string& source) {
    if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
        throw DataError(source + ": the file is UTF-16 text (it starts with UTF-16's byte-order mark, as a spreadsheet's "
                                 "\"Unicode text\" is saved); save it as UTF-8 (\"CSV UTF-8\"), or convert it with "
                                 "iconv -f UTF-16 -t UTF-8");
    for (const auto& [start, kind] : model_signatures)
        if (text.starts_with(start))
            throw DataError(source + " is " + kind + ", not CSV data; give the data as a CSV file (a command that takes "
                                     "both takes the model first: dense predict MODEL DATA.csv)");
    return text.starts_with(utf8_bom) ? utf8_bom.size() : 0;
}

void check_utf8(std::string_view text, const std::string& what) {
    if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos)
        throw DataError(what + " holds a NUL byte (byte " + std::to_string(nul + 1) + " of " + in_quotes(text) +
                        "), which no text has; is the file binary or damaged? Save it as UTF-8 text");
    const std::size_t bad = invalid_utf8_at(text);
    if (bad == std::string_view::npos) return;
    throw DataError(what + " is not valid UTF-8 (byte " + std::to_string(bad + 1) + " of " + in_quotes(text) +
                    "); save the file as UTF-8");
}

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

void check_delimiter(char delimiter) {
    for (char d : supported_delimiters)
        if (d == delimiter) return;
    throw UsageError("CSV delimiter " + delimiter_name(delimiter) + " is not supported; use ',', ';' or tab");
}

std::optional<CsvPosition> read_header(std::string_view text, CsvPosition from, const CsvLayout& layout,
                                       std::vector<CsvColumn>& columns) {
    RecordReader reader(text, from, layout);
    std::vector<Field> fields;
    const std::size_t count = reader.next(fields, to_the_end);
    if (count == 0 && !layout.final) return std::nullopt;
    if (count == 0)
        throw DataError(layout.source + ": the file is empty; a CSV file needs a header row and at least one data row");
    columns = header_columns(fields, count, layout.source);
    return reader.position();
}

CsvPosition append_records(std::string_view text, CsvPosition from, const CsvLayout& layout,
                           std::vector<CsvColumn>& columns, std::size_t part_bytes) {
    const std::size_t bytes = text.size() - from.offset;
    const std::size_t parts = std::clamp<std::size_t>(bytes / std::max<std::size_t>(part_bytes, 1), 1, num_threads());
    if (parts == 1) return read_part(text, from, to_the_end, layout, columns);
    const auto boundary = [&](std::size_t k) {
        return k == parts ? to_the_end : from.offset + kernels::split_evenly(bytes, parts, k).begin;
    };
    std::vector<GuessedPart> guesses(parts);
    kernels::parallel_for(parts, [&](std::size_t k) {
        GuessedPart& part = guesses[k];
        part.start = k == 0 ? from : CsvPosition{guessed_record_start(text, boundary(k)), 1};
        part.columns = unnamed_columns(columns.size());
        try {
            part.end = read_part(text, part.start, boundary(k + 1), layout, part.columns);
        } catch (...) {
            part.failed = true;  // a wrong guess, or a real error: reading in order below tells which
        }
    });
    CsvPosition at = from;
    for (std::size_t k = 0; k < parts; ++k) {
        GuessedPart& part = guesses[k];
        if (part.failed || part.start.offset != at.offset) {
            at = read_part(text, at, boundary(k + 1), layout, columns);
            continue;
        }
        const std::size_t line_shift = at.line - part.start.line;
        for (std::size_t i = 0; i < columns.size(); ++i) columns[i].append_rows(part.columns[i], line_shift);
        at = {part.end.offset, part.end.line + line_shift};
    }
    return at;
}

namespace {

// The columns of the plain records `text` holds from `body` on, which keep their text: the text
// *owned holds when it is not null (`text` is a view of it), else a copy of the records.
bool read_plain_columns(std::string_view text, CsvPosition body, std::string* owned, char delimiter,
                        std::vector<CsvColumn>& columns, std::size_t part_bytes) {
    auto numbers = read_plain_numbers(text, body, delimiter, columns.size(), part_bytes);
    if (!numbers) return false;
    auto records = std::make_shared<CsvPlainRecords>();
    const std::size_t dropped = owned ? 0 : body.offset;  // offset in `text` - offset in records->text
    const std::size_t added = owned ? static_cast<std::size_t>(text.data() - owned->data()) : 0;
    records->text = owned ? std::move(*owned) : std::string(text.substr(body.offset));
    records->starts = std::move(numbers->starts);
    for (auto& start : records->starts) start = start - dropped + added;
    records->first_line = body.line;
    records->fields = columns.size();
    records->delimiter = delimiter;
    const std::shared_ptr<const CsvPlainRecords> shared = std::move(records);
    for (std::size_t c = 0; c < columns.size(); ++c)
        columns[c] = CsvColumn(columns[c].name(), columns[c].number(), shared, std::move(numbers->columns[c]));
    return true;
}

// parse_csv of `text`, which *owned holds when it is not null: a table of plain records takes it.
CsvTable parse_text(std::string_view text, std::string* owned, std::string source, const CsvOptions& options) {
    CsvTable table;
    table.source = std::move(source);
    text.remove_prefix(csv_text_start(text, table.source));
    if (options.delimiter != 0) check_delimiter(options.delimiter);
    table.delimiter = options.delimiter != 0 ? options.delimiter : detect_delimiter(text);
    const CsvLayout layout{table.source, table.delimiter, true};
    const CsvPosition body = *read_header(text, {}, layout, table.columns);
    if (!read_plain_columns(text, body, owned, table.delimiter, table.columns, options.part_bytes))
        append_records(text, body, layout, table.columns, options.part_bytes);
    if (table.rows() == 0)
        throw DataError(table.source + ": the file has a header but no data rows; add at least one row of values");
    return table;
}

}  // namespace

CsvTable parse_csv(std::string_view text, std::string source, const CsvOptions& options) {
    return parse_text(text, nullptr, std::move(source), options);
}

CsvTable read_csv(std::istream& in, std::string source, const CsvOptions& options) {
    std::string text = read_entire_stream(in, source);
    return parse_text(text, &text, std::move(source), options);
}

CsvTable read_csv(const std::filesystem::path& path, const CsvOptions& options) {
    std::string text = read_entire_file(path);
    return parse_text(text, &text, path.string(), options);
}

}  // namespace dense::io
