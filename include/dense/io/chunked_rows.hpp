#pragma once
// ChunkedRows: the rows of a data set stored in chunks, handed out as batches an epoch at a time,
// in a seeded shuffled chunk order and through a shuffle buffer (tf.data's shuffle(buffer_size)):
// a row leaves the buffer from a seeded random place and the next row read takes it. What
// CsvStream and IdxStream share; a BatchSource over any chunked storage can be built on it.
// Memory: one chunk's rows, the buffer (buffer_rows × (inputs + targets) floats) and one batch;
// unshuffled rows that fit in cache_bytes are kept after the first epoch instead of read again.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "dense/io/row_split.hpp"
#include "dense/matrix.hpp"
#include "dense/random.hpp"

namespace dense::io {

// What a stream of rows from chunks takes (CsvStream, IdxStream): its batch size, its side of the
// split, the shuffle and, in data-parallel training, the shard of the chunks it reads.
struct StreamOptions {
    std::size_t batch_size = 32;
    // The training rows are those `split` keeps; validation = true streams the others instead.
    RowSplit split;
    bool validation = false;
    // Shuffles the chunk order and the rows (through the buffer) every epoch; validation rows
    // come in storage order whatever this says.
    bool shuffle = true;
    std::size_t shuffle_buffer = 10000;  // rows
    std::uint64_t seed = 42;
    // Unshuffled (validation) rows are kept in memory after the first epoch when they fit in
    // this many bytes, so later epochs do not read them again.
    std::size_t cache_bytes = std::size_t{64} << 20;
    // Data-parallel training: this process streams the chunks k with k % shards == shard.
    std::size_t shard = 0;
    std::size_t shards = 1;
};

struct ChunkedRowsOptions {
    std::size_t batch_size = 32;
    bool shuffle = true;              // the chunk order and, through the buffer, the rows
    std::size_t buffer_rows = 10000;  // 1 or less: no buffer
    std::uint64_t seed = 42;
    std::size_t cache_bytes = 0;  // StreamOptions::cache_bytes
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

    // The rows of options.shard's chunks of `chunks` on its side of the split; chunk k holds the
    // rows [first_row(k), first_row(k + 1)). `load` fills `rows` with rows_to_give.
    static ChunkedRows shard(const StreamOptions& options, std::size_t chunks,
                             const std::function<std::size_t(std::size_t)>& first_row, LoadChunk load);
    // The rows of a chunk of `count` rows from `first_row` on the stream's side of the split.
    static void rows_to_give(const StreamOptions& options, std::size_t first_row, std::size_t count,
                             std::vector<std::size_t>& rows);

private:
    bool shuffles() const noexcept { return options_.shuffle && options_.buffer_rows > 1; }
    // The next row in chunk order; false after the last.
    bool read_row(std::span<float> x, std::span<float> y);
    // The next row of the epoch: read_row's, or one drawn from the buffer.
    bool next_row(std::span<float> x, std::span<float> y);
    // The next row in order, from the cache once it holds every row, kept in it while it fits.
    bool next_row_in_order(std::span<float> x, std::span<float> y);

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
    Matrix<float> cache_x_, cache_y_;
    std::size_t cached_ = 0;   // rows in the cache
    std::size_t served_ = 0;   // rows of the cache given this epoch
    bool caching_ = false;     // this epoch's rows go into the cache
    bool cache_full_ = false;  // the cache holds every row
    Rng rng_;
};

}  // namespace dense::io
