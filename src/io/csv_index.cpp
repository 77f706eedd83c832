// Indexing CSV files chunk by chunk (through CsvBlockReader), reading their chunks again, and the
// hashed validation split.
#include "dense/io/csv_index.hpp"

#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/printable.hpp"

namespace dense::io {
namespace {

std::vector<std::string> column_names(const CsvTable& header) {
    std::vector<std::string> names;
    for (const auto& column : header.columns) names.push_back(column.name());
    return names;
}

// Every shard has the first file's columns, in its order.
void check_same_columns(const CsvIndex& index, const CsvTable& header) {
    const auto expected = column_names(index.header()), found = column_names(header);
    if (found != expected)
        throw DataError(header.source + ": the columns " + quoted_list(found) + " differ from those of " +
                        index.files.front().header->source + " (" + quoted_list(expected) +
                        "); every shard file needs the same header");
}

}  // namespace

std::string CsvIndex::name() const {
    const std::string& first = files.front().header->source;
    return files.size() == 1 ? first : first + " and " + std::to_string(files.size() - 1) + " more files";
}

CsvIndex index_csv(const std::vector<std::string>& paths, const CsvIndexOptions& options, const ChunkVisitor& visit) {
    if (paths.empty()) throw UsageError("no CSV file to read; give a file or a folder holding .csv files");
    CsvIndex index;
    for (const auto& path : paths) {
        if (path == "-")
            throw UsageError("streaming reads the data more than once, which standard input cannot give; save it to a file");
        CsvBlockReader reader(path, {.csv = {.delimiter = options.delimiter}, .names = {}, .block_bytes = options.chunk_bytes});
        index.files.push_back({path, std::make_shared<const CsvTable>(reader.header())});
        if (index.files.size() > 1) check_same_columns(index, *index.files.back().header);
        while (const auto block = reader.next()) {
            const CsvTable records = block->table();
            index.chunks.push_back({index.files.size() - 1, block->offset, block->text.size(), block->first_line, index.rows,
                                    records.rows()});
            if (visit) visit(records, index.rows);
            index.rows += records.rows();
        }
    }
    return index;
}

CsvIndex index_csv(const std::string& path, const CsvIndexOptions& options, const ChunkVisitor& visit) {
    return index_csv(std::vector<std::string>{path}, options, visit);
}

CsvChunkReader::CsvChunkReader(const CsvIndex& index) : index_(index) {}

std::ifstream& CsvChunkReader::file(std::size_t file) {
    if (open_file_ == file) return file_;
    const std::string& path = index_.files[file].path;
    file_ = std::ifstream(path, std::ios::binary);
    if (!file_) throw DataError(printable(path) + ": cannot open the file again; was it moved or deleted?");
    open_file_ = file;
    return file_;
}

CsvTable CsvChunkReader::read(const CsvChunk& chunk) {
    std::ifstream& in = file(chunk.file);
    const CsvFile& source = index_.files[chunk.file];
    text_.resize(chunk.bytes);
    in.clear();
    in.seekg(static_cast<std::streamoff>(chunk.offset));
    in.read(text_.data(), static_cast<std::streamsize>(chunk.bytes));
    if (static_cast<std::size_t>(in.gcount()) != chunk.bytes)
        throw DataError(printable(source.path) + ": the file is shorter than when it was first read (" +
                        std::to_string(chunk.offset + chunk.bytes) + " bytes expected); do not change it while training");
    CsvBlock block{.text = std::move(text_), .first_line = chunk.first_line, .offset = chunk.offset, .header = source.header};
    CsvTable records = block.table();
    text_ = std::move(block.text);
    if (records.rows() != chunk.rows)
        throw DataError(source.header->source + ":" + std::to_string(chunk.first_line) +
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
