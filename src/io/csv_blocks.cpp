// Reading a CSV file a block of whole records at a time, and plain numeric blocks straight into floats.
#include "dense/io/csv_blocks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>

#include "dense/error.hpp"
#include "dense/printable.hpp"
#include "dense/threads.hpp"

#include "../kernels/parallel.hpp"
#include "csv_records.hpp"
#include "csv_scan.hpp"
#include "plain_records.hpp"

namespace dense::io {
namespace {

// The fields of the first line when `delimiter` separates them (a quoted field may hold anything).
std::size_t fields_in_first_line(std::string_view text, char delimiter) {
    std::size_t fields = 1;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        if (c == delimiter) ++fields;
    }
    return fields;
}

char delimiter_of_headerless(std::string_view text, const std::vector<std::string>& names, const std::string& source) {
    for (char delimiter : {',', ';', '\t'})
        if (fields_in_first_line(text, delimiter) == names.size()) return delimiter;
    throw DataError(source + ": without a header (--no-header) the columns must be the model's " +
                    std::to_string(names.size()) + " inputs in order (" + quoted_list(names) + "), but the first line has " +
                    std::to_string(fields_in_first_line(text, ',')) + " comma-separated fields");
}

// Line breaks in whole records: "\n", "\r\n" and a lone "\r" count one each.
std::size_t count_line_breaks(std::string_view text) {
    std::size_t breaks = count_char(text, '\n');
    for (std::size_t p = text.find('\r'); p != std::string_view::npos; p = text.find('\r', p + 1))
        breaks += p + 1 == text.size() || text[p + 1] != '\n' ? 1 : 0;
    return breaks;
}

// The size of `text` with each "\r\n" counted as one byte, as its copy with LF line endings has:
// what blocks are sized by, so that both copies are cut after the same records.
std::size_t size_with_lf_line_ends(std::string_view text) {
    std::size_t crlf = 0;
    for (std::size_t p = text.find("\r\n"); p != std::string_view::npos; p = text.find("\r\n", p + 2)) ++crlf;
    return text.size() - crlf;
}

// Just after the last line break of a text without quotes, or 0 when it has none: the last '\n',
// else the last '\r' but for a final one (whose '\n' may be yet to come).
std::size_t last_record_end(std::string_view text) {
    const std::size_t newline = text.rfind('\n');
    if (newline != std::string_view::npos) return newline + 1;
    return text.size() < 2 ? 0 : text.rfind('\r', text.size() - 2) + 1;  // npos + 1 is 0
}

std::vector<CsvColumn> empty_columns(const CsvTable& header) {
    std::vector<CsvColumn> columns;
    for (const auto& column : header.columns) columns.emplace_back(column.name(), column.number());
    return columns;
}

// Records of plain numbers, read field by field into rows of T (network inputs).
template <class T>
struct PlainRows {
    T* out;
    std::size_t width;
    const char* end;
    const std::vector<NumericInput>& fields;
    char delimiter;

    // Where field f of record r ends, its standardised value stored; nullptr when it is not a number.
    template <bool short_decimals>
    [[gnu::always_inline]] const char* read_field(std::size_t r, std::size_t f, const char* at) const {
        const NumericInput& field = fields[f];
        if (field.input == NumericInput::unused) return find_field_end(at, end, delimiter);
        double value = 0;
        const char* stop = read_number<short_decimals>(at, end, value);
        if (stop == nullptr || !(std::abs(value) <= field.largest)) return nullptr;
        const auto standardised = static_cast<T>((value - field.mean) / field.stddev);  // x' = (x − mean) / std
        if (!std::isfinite(standardised)) return nullptr;
        out[r * width + field.input] = standardised;
        return stop;
    }
};

}  // namespace

CsvTable CsvBlock::table(const CsvOptions& options) const {
    CsvTable table{.source = header->source, .delimiter = header->delimiter, .columns = empty_columns(*header)};
    const CsvLayout layout{table.source, table.delimiter, true};
    append_records(text, {0, first_line}, layout, table.columns, options.part_bytes);
    return table;
}

CsvBlockReader::CsvBlockReader(const std::string& path, CsvBlockOptions options)
    : in_(&std::cin), options_(std::move(options)), header_(std::make_shared<CsvTable>()) {
    header_->source = path == "-" ? "<stdin>" : path;
    if (path != "-") {
        std::error_code error;
        file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*file_ || std::filesystem::is_directory(path, error))
            throw DataError(printable(path) + ": cannot open the file; check the path (it must name a file, not a folder)");
        in_ = file_.get();
    }
    if (options_.csv.delimiter != 0) check_delimiter(options_.csv.delimiter);
}

bool CsvBlockReader::fill(std::size_t bytes) {
    constexpr std::size_t step = std::size_t{16} << 20;  // the buffer grows by what was read, never more
    for (; bytes > 0; bytes -= std::min(bytes, step)) {
        const std::size_t old_size = buffer_.size(), wanted = std::min(bytes, step);
        buffer_.resize(old_size + wanted);
        in_->read(buffer_.data() + old_size, static_cast<std::streamsize>(wanted));
        const auto got = static_cast<std::size_t>(in_->gcount());
        buffer_.resize(old_size + got);
        if (in_->bad()) throw DataError(header_->source + ": reading failed after " + std::to_string(old_size + got) + " bytes");
        if (got < wanted) return false;
    }
    return true;
}

void CsvBlockReader::read_header() {
    while (!input_ended_ && buffer_.find_first_of("\r\n") == std::string::npos) input_ended_ = !fill(options_.block_bytes);
    consumed_ = csv_text_start(buffer_, header_->source);
    buffer_.erase(0, consumed_);
    CsvTable& header = *header_;
    if (!options_.names.empty()) {
        header.delimiter = options_.csv.delimiter != 0 ? options_.csv.delimiter
                                                       : delimiter_of_headerless(buffer_, options_.names, header.source);
        for (std::size_t i = 0; i < options_.names.size(); ++i) header.columns.emplace_back(options_.names[i], i + 1);
        return;
    }
    header.delimiter = options_.csv.delimiter != 0 ? options_.csv.delimiter : detect_delimiter(buffer_);
    while (true) {
        const CsvLayout layout{header.source, header.delimiter, input_ended_};
        if (const auto body = io::read_header(buffer_, {}, layout, header.columns)) {
            buffer_.erase(0, body->offset);
            consumed_ += body->offset;
            next_line_ = body->line;
            return;
        }
        input_ended_ = !fill(options_.block_bytes);
    }
}

void CsvBlockReader::fill_block() {
    std::size_t size = size_with_lf_line_ends(buffer_);
    while (!input_ended_ && size < options_.block_bytes) {
        const std::size_t before = buffer_.size();
        input_ended_ = !fill(options_.block_bytes - size);
        // Only the bytes just read are counted, from the byte before them: a "\r\n" may straddle.
        const std::size_t from = before == 0 ? 0 : before - 1;
        size += size_with_lf_line_ends(std::string_view(buffer_).substr(from)) - (before - from);
    }
    // A final '\r' may be the first half of a "\r\n": the byte after it says whether the record
    // it ends is whole, as the '\n' that stands for both in the LF copy does.
    if (!input_ended_ && buffer_.ends_with('\r')) input_ended_ = !fill(1);
}

const CsvTable& CsvBlockReader::header() {
    if (header_->columns.empty()) read_header();
    return *header_;
}

std::optional<CsvBlock> CsvBlockReader::next() {
    header();
    while (true) {
        fill_block();
        CsvPosition end{buffer_.size(), 0};
        if (!input_ended_) {
            const CsvLayout layout{header_->source, header_->delimiter, false};
            std::vector<CsvColumn> scratch = empty_columns(*header_);
            const bool quoted = buffer_.find('"') != std::string::npos;
            end.offset = quoted ? append_records(buffer_, {0, next_line_}, layout, scratch, options_.csv.part_bytes).offset
                                : last_record_end(buffer_);
            if (end.offset == 0) {  // one record longer than a block
                input_ended_ = !fill(buffer_.size());
                continue;
            }
        }
        if (buffer_.empty()) return std::nullopt;
        CsvBlock block{.text = buffer_.substr(0, end.offset), .first_line = next_line_, .offset = consumed_, .header = header_};
        buffer_.erase(0, end.offset);
        consumed_ += end.offset;
        next_line_ += count_line_breaks(block.text);
        return block;
    }
}

namespace {

template <class T>
std::optional<Matrix<T>> plain_values(const CsvBlock& block, const std::vector<NumericInput>& fields, std::size_t width) {
    const std::string_view text = block.text;
    if (text.empty() || text.find('"') != std::string_view::npos) return std::nullopt;
    const RecordParts parts(text, std::clamp<std::size_t>(text.size() >> 20, 1, num_threads()));
    const std::size_t count = parts.count();
    Matrix<T> x(parts.first_row[count], width);
    std::vector<char> plain(count, 0);
    kernels::parallel_for(count, [&](std::size_t k) {
        const char* part_end = text.data() + parts.cuts[k + 1];
        const PlainRows<T> rows{x.data() + parts.first_row[k] * width, width, part_end, fields, block.header->delimiter};
        plain[k] = read_plain_records(rows, text.data() + parts.cuts[k], part_end, block.header->delimiter, parts.rows(k),
                                      fields.size()) ? 1 : 0;
    });
    if (std::find(plain.begin(), plain.end(), 0) != plain.end()) return std::nullopt;
    return x;
}

}  // namespace

std::optional<Matrix<float>> plain_numbers(const CsvBlock& block, const std::vector<NumericInput>& fields,
                                           std::size_t width) {
    return plain_values<float>(block, fields, width);
}

std::optional<Matrix<double>> plain_doubles(const CsvBlock& block, const std::vector<NumericInput>& fields,
                                            std::size_t width) {
    return plain_values<double>(block, fields, width);
}

}  // namespace dense::io
