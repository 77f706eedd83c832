// Indexing CSV files chunk by chunk (through CsvBlockReader) and reading their chunks again.
#include "dense/io/csv_index.hpp"

#include "dense/error.hpp"
#include "dense/io/csv_blocks.hpp"
#include "dense/printable.hpp"

namespace dense::io {
namespace {

// Every shard has the first file's columns, in its order.
void check_same_columns(const CsvIndex& index, const CsvTable& header) {
    const auto expected = index.header().names(), found = header.names();
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

const CsvBlock& CsvChunkReader::read_text(const CsvChunk& chunk) {
    std::ifstream& in = file(chunk.file);
    const CsvFile& source = index_.files[chunk.file];
    block_.text.resize(chunk.bytes);
    in.clear();
    in.seekg(static_cast<std::streamoff>(chunk.offset));
    in.read(block_.text.data(), static_cast<std::streamsize>(chunk.bytes));
    if (static_cast<std::size_t>(in.gcount()) != chunk.bytes)
        throw DataError(printable(source.path) + ": the file is shorter than when it was first read (" +
                        std::to_string(chunk.offset + chunk.bytes) + " bytes expected); do not change it while training");
    block_.first_line = chunk.first_line;
    block_.offset = chunk.offset;
    block_.header = source.header;
    return block_;
}

CsvTable CsvChunkReader::parse_text(const CsvChunk& chunk) const {
    CsvTable records = block_.table();
    if (records.rows() != chunk.rows)
        throw DataError(block_.header->source + ":" + std::to_string(chunk.first_line) +
                        ": the file changed since it was first read; do not change it while training");
    return records;
}

CsvTable CsvChunkReader::read(const CsvChunk& chunk) {
    read_text(chunk);
    return parse_text(chunk);
}

void CsvChunkReader::for_each(const ChunkVisitor& visit) {
    for (const auto& chunk : index_.chunks) visit(read(chunk), chunk.first_row);
}
}  // namespace dense::io
