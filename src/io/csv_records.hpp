#pragma once
// The record reader behind parse_csv and CsvBlockReader: text in, cells appended to columns,
// the text split into parts read in parallel.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dense/io/csv.hpp"

namespace dense::io {

// Where reading stands: the offset of the next record in the text and its 1-based line.
struct CsvPosition {
    std::size_t offset = 0;
    std::size_t line = 1;
};

// What every part of the reading shares: the name for messages, the delimiter, and whether the
// text holds the rest of the input (`final`) or a record cut off at its end continues later.
struct CsvLayout {
    const std::string& source;
    char delimiter;
    bool final;
};

// Where the CSV text of a file starts: after the UTF-8 byte-order mark it may start with. Throws
// DataError naming `source` for a file that is not UTF-8 text: UTF-16 (by its byte-order mark),
// or a model file given where data is read.
std::size_t csv_text_start(std::string_view text, const std::string& source);

// The delimiter that occurs most often in the first line outside quotes; ',' when none does.
char detect_delimiter(std::string_view text);
// Throws UsageError for a delimiter other than ',', ';' or tab.
void check_delimiter(char delimiter);

// Reads the header line at `from` into named columns, or nothing when the text is not final and
// the line may go on. Throws DataError for an empty file, empty or repeated names.
std::optional<CsvPosition> read_header(std::string_view text, CsvPosition from, const CsvLayout& layout,
                                       std::vector<CsvColumn>& columns);

// Appends one cell per column for every record from `from` on, and returns where it stopped:
// the end of the text, or (not final) the start of a record the text cuts off. Parts of about
// `part_bytes` are read on dense's threads; the cells are the same whatever the thread count.
CsvPosition append_records(std::string_view text, CsvPosition from, const CsvLayout& layout,
                           std::vector<CsvColumn>& columns, std::size_t part_bytes);

// The numbers of a text of plain numbers (from `from` on: no quotes, no blank line, every field
// a number std::from_chars reads whole and finite, `fields` fields a record, records ended by
// "\n" or "\r\n"), column by column, and where each record starts. Nothing for any other text:
// append_records then reads it, or says what is wrong. Parts of about `part_bytes` are read on
// dense's threads.
struct PlainNumbers {
    std::vector<std::vector<double>> columns;
    std::vector<std::size_t> starts;  // offsets in the text, one a record and the text's end
};
std::optional<PlainNumbers> read_plain_numbers(std::string_view text, CsvPosition from, char delimiter, std::size_t fields,
                                               std::size_t part_bytes);

}  // namespace dense::io
