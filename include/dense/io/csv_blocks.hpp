#pragma once
// Reading a CSV file of any size a block of whole records at a time, in bounded memory: what
// `dense predict` streams through. A block is parsed into a CsvTable (every rule of csv.hpp,
// lines counted from the file's start), or, when it is plain numbers, straight into floats.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dense/io/csv.hpp"
#include "dense/matrix.hpp"

namespace dense::io {

// Whole records of a CSV file, the lines they start on, and the file's header.
struct CsvBlock {
    std::string text;
    std::size_t first_line = 1;
    std::uint64_t offset = 0;  // where `text` starts in the input, in bytes
    std::shared_ptr<const CsvTable> header;  // the source, delimiter and columns, without cells

    // The block's records as a table. Throws DataError as parse_csv does, naming the file's lines.
    CsvTable table(const CsvOptions& options = {}) const;
};

struct CsvBlockOptions {
    CsvOptions csv;
    // Empty: the first line is the header. Otherwise the file has no header and these are its
    // columns; the delimiter (unless given) is the one that splits the first line into that many.
    std::vector<std::string> names;
    // About this many bytes per block (a record longer than that makes its block longer), a "\r\n"
    // counted as one byte: a file is cut after the same records whether its lines end in LF or
    // CRLF (a block of CRLF lines holds up to twice as many bytes, blank lines all).
    std::size_t block_bytes = std::size_t{8} << 20;
};

class CsvBlockReader {
public:
    // Reads the file at `path`, or standard input for "-". `source` names it in messages.
    explicit CsvBlockReader(const std::string& path, CsvBlockOptions options = {});

    // The header (source, delimiter, named columns without cells); reads the first line.
    const CsvTable& header();
    // The next block of at least one record; nothing after the last. The first call throws
    // DataError for a file without data rows.
    std::optional<CsvBlock> next();

private:
    // Appends up to `bytes` more of the input to the buffer; false when the input ended first.
    bool fill(std::size_t bytes);
    // Fills the buffer up to block_bytes, "\r\n" counted as one byte, unless the input ends first.
    void fill_block();
    void read_header();

    std::unique_ptr<std::ifstream> file_;
    std::istream* in_;
    CsvBlockOptions options_;
    std::shared_ptr<CsvTable> header_;
    std::string buffer_;
    std::size_t next_line_ = 1;
    std::uint64_t consumed_ = 0;  // the bytes of input before buffer_
    bool input_ended_ = false;
    bool any_rows_ = false;
};

// Where each field of a record goes when a block is plain numbers: the input column it fills
// (or none, for a column the network does not read) and the standardisation x' = (x − mean) / std.
struct NumericInput {
    static constexpr std::size_t unused = static_cast<std::size_t>(-1);
    std::size_t input = unused;
    double mean = 0;
    double stddev = 1;
    // A field whose |x| is above this is not plain (a target beyond the model's float range,
    // which the table's rules refuse at its cell).
    double largest = std::numeric_limits<double>::infinity();
};

// The block's network inputs (`width` per row), when every field it reads is a
// number std::from_chars takes whole and finite, no field is quoted, no line is blank, and every
// record has one field per entry of `fields`; otherwise nothing (parse the table instead, whose
// rules then give the error or the fill). The values equal encode_features' to the bit.
// Large blocks are read in parts on dense's threads.
std::optional<Matrix<float>> plain_numbers(const CsvBlock& block, const std::vector<NumericInput>& fields, std::size_t width);
// The same in double (x' = (x − mean) / std not rounded to float): with mean 0 and std 1, the
// numbers numeric_column reads from the cells, to the bit.
std::optional<Matrix<double>> plain_doubles(const CsvBlock& block, const std::vector<NumericInput>& fields, std::size_t width);

}  // namespace dense::io
