#pragma once
// CsvIndex: where the records of a CSV file (or of a set of shard files with the same columns)
// start, a chunk of whole records at a time, learnt in one pass that holds a single chunk in memory. Any chunk can then be read again on its own, in
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
#include "dense/io/csv_blocks.hpp"
#include "dense/io/row_split.hpp"

namespace dense::io {

// Whole records of file `file`: bytes [offset, offset + bytes), data rows [first_row, first_row + rows)
// (rows numbered across the files, in order).
struct CsvChunk {
    std::size_t file = 0;
    std::uint64_t offset = 0;
    std::size_t bytes = 0;
    std::size_t first_line = 1;  // the line of the file the first record starts on
    std::size_t first_row = 0;   // 0-based data row of the first record
    std::size_t rows = 0;
};

// One file of the set: its path and header (source, delimiter and column names, without cells).
struct CsvFile {
    std::string path;
    std::shared_ptr<const CsvTable> header;
};

struct CsvIndex {
    std::vector<CsvFile> files;
    std::vector<CsvChunk> chunks;
    std::size_t rows = 0;  // data rows of all the files

    // The columns every file has.
    const CsvTable& header() const { return *files.front().header; }
    // "data.csv", or "part-0.csv and 3 more files", for messages about the whole set.
    std::string name() const;
};

struct CsvIndexOptions {
    char delimiter = 0;  // ',', ';' or '\t'; 0 detects it from the header line
    // About this many bytes per chunk (a record longer than that makes its chunk longer), a "\r\n"
    // counted as one byte (CsvBlockOptions::block_bytes): the same rows are cut into the same
    // chunks, and so trained on in the same order, whether their lines end in LF or CRLF.
    std::size_t chunk_bytes = std::size_t{4} << 20;
};

// What a pass over the chunks sees: a chunk's records as a table and the data row of its first.
using ChunkVisitor = std::function<void(const CsvTable& records, std::size_t first_row)>;

// Reads the file once, giving every chunk to `visit` when there is one. Throws DataError as
// read_csv does (naming file:line:column), and UsageError for "-": a stream is read more than once.
CsvIndex index_csv(const std::string& path, const CsvIndexOptions& options = {}, const ChunkVisitor& visit = {});
// A set of shard files read one after another, as one file: every one must have the columns of
// the first, in the same order (DataError naming the file otherwise).
CsvIndex index_csv(const std::vector<std::string>& paths, const CsvIndexOptions& options = {}, const ChunkVisitor& visit = {});

// Reads chunks of an indexed file again.
class CsvChunkReader {
public:
    explicit CsvChunkReader(const CsvIndex& index);
    const CsvIndex& index() const noexcept { return index_; }
    // The chunk's records parsed. Throws DataError when the file changed since it was indexed.
    CsvTable read(const CsvChunk& chunk);
    // The chunk's records as the file holds them, unparsed (kept until the next read).
    const CsvBlock& read_text(const CsvChunk& chunk);
    // The records read_text read last, parsed as read does.
    CsvTable parse_text(const CsvChunk& chunk) const;
    // Reads every chunk in file order, as index_csv did.
    void for_each(const ChunkVisitor& visit);

private:
    // Opens file `file` of the index unless it is the one open.
    std::ifstream& file(std::size_t file);

    const CsvIndex& index_;
    std::ifstream file_;
    std::size_t open_file_ = static_cast<std::size_t>(-1);
    CsvBlock block_;
};

}  // namespace dense::io
