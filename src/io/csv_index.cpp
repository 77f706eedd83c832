// Indexing a CSV file chunk by chunk (through CsvBlockReader), reading its chunks again, and the
// hashed validation split.
#include "dense/io/csv_index.hpp"

#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/printable.hpp"

namespace dense::io {

CsvIndex index_csv(const std::string& path, const CsvIndexOptions& options, const ChunkVisitor& visit) {
    if (path == "-")
        throw UsageError("streaming reads the data more than once, which standard input cannot give; save it to a file");
    CsvBlockReader reader(path, {.csv = {.delimiter = options.delimiter}, .names = {}, .block_bytes = options.chunk_bytes});
    CsvIndex index{.path = path, .header = std::make_shared<const CsvTable>(reader.header()), .chunks = {}, .rows = 0};
    while (const auto block = reader.next()) {
        const CsvTable records = block->table();
        index.chunks.push_back({block->offset, block->text.size(), block->first_line, index.rows, records.rows()});
        if (visit) visit(records, index.rows);
        index.rows += records.rows();
    }
    return index;
}

CsvChunkReader::CsvChunkReader(const CsvIndex& index) : index_(index), file_(index.path, std::ios::binary) {
    if (!file_) throw DataError(printable(index.path) + ": cannot open the file again; was it moved or deleted?");
}

CsvTable CsvChunkReader::read(const CsvChunk& chunk) {
    text_.resize(chunk.bytes);
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(chunk.offset));
    file_.read(text_.data(), static_cast<std::streamsize>(chunk.bytes));
    if (static_cast<std::size_t>(file_.gcount()) != chunk.bytes)
        throw DataError(printable(index_.path) + ": the file is shorter than when it was first read (" +
                        std::to_string(chunk.offset + chunk.bytes) + " bytes expected); do not change it while training");
    CsvBlock block{.text = std::move(text_), .first_line = chunk.first_line, .offset = chunk.offset, .header = index_.header};
    CsvTable records = block.table();
    text_ = std::move(block.text);
    if (records.rows() != chunk.rows)
        throw DataError(index_.header->source + ":" + std::to_string(chunk.first_line) +
                        ": the file changed since it was first read; do not change it while training");
    return records;
}

void CsvChunkReader::for_each(const ChunkVisitor& visit) {
    for (const auto& chunk : index_.chunks) visit(read(chunk), chunk.first_row);
}

bool RowSplit::validates(std::size_t row) const noexcept {
    if (validation_split <= 0.0) return false;
    // splitmix64's finaliser of seed + (r + 1)·φ·2^64: z ^= z >> 30; z *= c1; z ^= z >> 27; z *= c2; z ^= z >> 31.
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (std::uint64_t(row) + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-53 < validation_split;  // the top 53 bits as u in [0, 1)
}

}  // namespace dense::io
