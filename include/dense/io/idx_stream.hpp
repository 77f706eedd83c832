#pragma once
// IdxStream: the batches of an IDX image file and its label file (MNIST's layout, uncompressed)
// too large for memory, for fit(BatchSource&) (batch_source.hpp). Images are read chunk_rows at a
// time at their offset and converted by the IDX reader's own rules (idx.hpp: pixels scaled to
// [0, 1], labels as class indices), then drawn through ChunkedRows' shuffled chunk order and
// shuffle buffer (chunked_rows.hpp). The validation rows are chosen by row number (RowSplit).
// Memory: one chunk of images (as bytes and as floats), the shuffle buffer and one batch.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dense/batch_source.hpp"
#include "dense/io/chunked_rows.hpp"
#include "dense/io/idx.hpp"

namespace dense::io {

// An uncompressed IDX file read a record (the elements of one first index) at a time.
class IdxRecordFile {
public:
    // Checks the header (with the IDX reader's rules) and that the file holds exactly the
    // declared records; DataError otherwise, and for a gzip file, which cannot be read at offsets.
    explicit IdxRecordFile(const std::filesystem::path& path);
    std::size_t records() const noexcept { return records_; }
    // Records [first, first + count) as an IdxArray of `count` records.
    IdxArray read(std::size_t first, std::size_t count);
    const std::string& source() const noexcept { return source_; }

private:
    std::string source_;
    std::ifstream file_;
    std::vector<std::byte> header_;  // the magic and the sizes; the first size is rewritten per read
    std::size_t records_ = 0, record_bytes_ = 0;
    std::vector<std::byte> bytes_;
};

class IdxStream : public BatchSource {
public:
    // `chunk_rows` images are read at a time.
    IdxStream(const std::filesystem::path& images, const std::filesystem::path& labels, StreamOptions options,
              std::size_t chunk_rows = 4096);
    IdxStream(const IdxStream&) = delete;  // its chunk loader refers to it
    IdxStream& operator=(const IdxStream&) = delete;

    void start_epoch(int epoch) override { rows_.start_epoch(epoch); }
    bool next_batch(Matrix<float>& x, Matrix<float>& y) override { return rows_.next_batch(x, y); }
    std::size_t batches_per_epoch() const override { return rows_.batches_per_epoch(); }
    std::size_t rows() const noexcept { return rows_.rows(); }

private:
    ChunkedRows chunked_rows();

    IdxRecordFile images_, labels_;
    StreamOptions options_;
    std::size_t chunk_rows_;
    ChunkedRows rows_;
};

}  // namespace dense::io
