#pragma once
// CsvStream: the batches of a CSV file larger than memory, for fit(BatchSource&) (batch_source.hpp).
// The file is indexed in chunks of whole records (csv_index.hpp) and its preprocessing learnt in
// passes over them (stream_preprocessing.hpp); each epoch then reads the chunks in a seeded
// shuffled order and draws the rows through a shuffle buffer (chunked_rows.hpp).
//
// Memory: one chunk's text, its cells and its encoded rows (about 4× CsvIndexOptions::chunk_bytes
// together), the shuffle buffer (shuffle_buffer rows of inputs and targets, 4 bytes a value) and
// one batch, whatever the size of the file.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dense/batch_source.hpp"
#include "dense/io/chunked_rows.hpp"
#include "dense/io/csv_index.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/loss.hpp"

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

    void start_epoch(int epoch) override { rows_.start_epoch(epoch); }
    bool next_batch(Matrix<float>& x, Matrix<float>& y) override { return rows_.next_batch(x, y); }
    std::size_t batches_per_epoch() const override { return rows_.batches_per_epoch(); }
    // The rows this stream gives each epoch.
    std::size_t rows() const noexcept { return rows_.rows(); }

private:
    ChunkedRows chunked_rows();
    void load_chunk(std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows);

    CsvIndex index_;
    Preprocessing preprocessing_;
    Loss loss_;
    CsvStreamOptions options_;
    CsvChunkReader reader_;
    ChunkedRows rows_;
};

}  // namespace dense::io
