#pragma once
// CsvIndex: where the records of a CSV file start, a chunk of whole records at a time, learnt in
// one pass that holds a single chunk in memory. Any chunk can then be read again on its own, in
// any order: what CsvStream (csv_stream.hpp) and the streamed preprocessing
// (stream_preprocessing.hpp) read a file larger than memory with. Chunks are parsed by every rule
// of csv.hpp (quotes, line breaks in quotes, CRLF), their lines counted from the file's start.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dense/io/csv.hpp"

namespace dense::io {

// Whole records of the file: bytes [offset, offset + bytes), data rows [first_row, first_row + rows).
struct CsvChunk {
    std::uint64_t offset = 0;
    std::size_t bytes = 0;
    std::size_t first_line = 1;  // the line of the file the first record starts on
    std::size_t first_row = 0;   // 0-based data row of the first record
    std::size_t rows = 0;
};

struct CsvIndex {
    std::string path;
    std::shared_ptr<const CsvTable> header;  // the source, delimiter and column names, without cells
    std::vector<CsvChunk> chunks;
    std::size_t rows = 0;  // data rows of the whole file
};

struct CsvIndexOptions {
    char delimiter = 0;  // ',', ';' or '\t'; 0 detects it from the header line
    // About this many bytes per chunk (a record longer than that makes its chunk longer).
    std::size_t chunk_bytes = std::size_t{4} << 20;
};

// What a pass over the chunks sees: a chunk's records as a table and the data row of its first.
using ChunkVisitor = std::function<void(const CsvTable& records, std::size_t first_row)>;

// Reads the file once, giving every chunk to `visit` when there is one. Throws DataError as
// read_csv does (naming file:line:column), and UsageError for "-": a stream is read more than once.
CsvIndex index_csv(const std::string& path, const CsvIndexOptions& options = {}, const ChunkVisitor& visit = {});

// Reads chunks of an indexed file again.
class CsvChunkReader {
public:
    explicit CsvChunkReader(const CsvIndex& index);
    CsvTable read(const CsvChunk& chunk);
    // Reads every chunk in file order, as index_csv did.
    void for_each(const ChunkVisitor& visit);

private:
    const CsvIndex& index_;
    std::ifstream file_;
    std::string text_;
};

// Which data rows validate, chosen by row number alone (so it needs no pass and no memory):
// row r when u(r) < validation_split, u uniform in [0, 1) from a hash of r and the seed. About
// validation_split of the rows validate, not exactly that share.
struct RowSplit {
    double validation_split = 0.0;
    std::uint64_t seed = 42;

    bool validates(std::size_t row) const noexcept;
};

}  // namespace dense::io
