#pragma once
// ChunkedRows: the rows of a data set stored in chunks, handed out as batches an epoch at a time,
// in a seeded shuffled chunk order and through a shuffle buffer (tf.data's shuffle(buffer_size)):
// a row leaves the buffer from a seeded random place and the next row read takes it. What
// CsvStream and IdxStream share; a BatchSource over any chunked storage can be built on it.
// Memory: one chunk's rows, the buffer (buffer_rows × (inputs + targets) floats) and one batch.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/random.hpp"

namespace dense::io {

struct ChunkedRowsOptions {
    std::size_t batch_size = 32;
    bool shuffle = true;              // the chunk order and, through the buffer, the rows
    std::size_t buffer_rows = 10000;  // 1 or less: no buffer
    std::uint64_t seed = 42;
};

class ChunkedRows {
public:
    // Fills x and y with the rows of chunk `chunk`, one row each, and `rows` with those to give
    // (in order); the matrices are reused from one chunk to the next.
    using LoadChunk = std::function<void(std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows)>;

    // `chunks`: the chunk numbers to read, in storage order; `rows`: how many rows they give in all.
    ChunkedRows(std::vector<std::size_t> chunks, std::size_t rows, ChunkedRowsOptions options, LoadChunk load);

    void start_epoch(int epoch);
    bool next_batch(Matrix<float>& x, Matrix<float>& y);
    std::size_t batches_per_epoch() const noexcept { return (rows_ + options_.batch_size - 1) / options_.batch_size; }
    std::size_t rows() const noexcept { return rows_; }

private:
    bool shuffles() const noexcept { return options_.shuffle && options_.buffer_rows > 1; }
    // The next row in chunk order; false after the last.
    bool read_row(std::span<float> x, std::span<float> y);
    // The next row of the epoch: read_row's, or one drawn from the buffer.
    bool next_row(std::span<float> x, std::span<float> y);

    std::vector<std::size_t> chunks_;  // in the epoch's order
    std::size_t rows_;
    ChunkedRowsOptions options_;
    LoadChunk load_;
    std::size_t next_chunk_ = 0;
    Matrix<float> chunk_x_, chunk_y_;
    std::vector<std::size_t> chunk_rows_;
    std::size_t next_chunk_row_ = 0;
    Matrix<float> buffer_x_, buffer_y_;
    std::size_t buffered_ = 0;
    Rng rng_;
};

}  // namespace dense::io
