#pragma once
// CsvStream: the batches of a CSV file larger than memory, for fit(BatchSource&) (batch_source.hpp).
// The file is indexed in chunks of whole records (csv_index.hpp) and its preprocessing learnt in
// passes over them (stream_preprocessing.hpp); each epoch then reads the chunks in a seeded
// shuffled order and draws the rows through a shuffle buffer (tf.data's shuffle(buffer_size)):
// a row leaves the buffer at a seeded random place and the next row read takes it.
//
// Memory: one chunk's text, its cells and its encoded rows (about 4× CsvIndexOptions::chunk_bytes
// together), the shuffle buffer (shuffle_buffer rows of inputs and targets, 4 bytes a value) and
// one batch, whatever the size of the file.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dense/batch_source.hpp"
#include "dense/io/csv_index.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/loss.hpp"
#include "dense/random.hpp"

namespace dense::io {

struct CsvStreamOptions {
    std::size_t batch_size = 32;
    // The training rows are those `split` keeps; validation = true streams the others instead.
    RowSplit split;
    bool validation = false;
    // Shuffles the chunk order and the rows (through the buffer) every epoch; validation rows
    // come in file order whatever this says.
    bool shuffle = true;
    std::size_t shuffle_buffer = 10000;  // rows
    std::uint64_t seed = 42;
    // Data-parallel training: this process streams the chunks k with k % shards == shard.
    std::size_t shard = 0;
    std::size_t shards = 1;
};

class CsvStream : public BatchSource {
public:
    // `loss` says how targets are encoded (encode_targets). The index is copied.
    CsvStream(CsvIndex index, Preprocessing preprocessing, Loss loss, CsvStreamOptions options);
    CsvStream(const CsvStream&) = delete;  // its reader reads through its own index
    CsvStream& operator=(const CsvStream&) = delete;

    void start_epoch(int epoch) override;
    bool next_batch(Matrix<float>& x, Matrix<float>& y) override;
    std::size_t batches_per_epoch() const override;
    // The rows this stream gives each epoch.
    std::size_t rows() const noexcept { return rows_; }

private:
    bool shuffles() const noexcept { return options_.shuffle && !options_.validation && options_.shuffle_buffer > 1; }
    // Copies the next row read, in chunk order, into the given rows; false after the last.
    bool read_row(std::span<float> x, std::span<float> y);
    // The next row of the epoch: read_row's, or one drawn from the shuffle buffer.
    bool next_row(std::span<float> x, std::span<float> y);
    void load_chunk(const CsvChunk& chunk);

    CsvIndex index_;
    Preprocessing preprocessing_;
    Loss loss_;
    CsvStreamOptions options_;
    CsvChunkReader reader_;
    std::vector<std::size_t> chunks_;  // this shard's chunks, in the epoch's order
    std::size_t next_chunk_ = 0;
    std::size_t rows_ = 0;
    Matrix<float> chunk_x_, chunk_y_;       // the current chunk, encoded
    std::vector<std::size_t> chunk_rows_;   // its rows this stream gives
    std::size_t next_chunk_row_ = 0;
    Matrix<float> buffer_x_, buffer_y_;     // the shuffle buffer
    std::size_t buffered_ = 0;
    Rng rng_;
};

}  // namespace dense::io
