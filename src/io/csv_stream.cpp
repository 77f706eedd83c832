// CsvStream: ChunkedRows over the chunks of an indexed CSV file, each encoded by the preprocessing.
#include "dense/io/csv_stream.hpp"

#include "dense/error.hpp"

namespace dense::io {

CsvStream::CsvStream(CsvIndex index, Preprocessing preprocessing, Loss loss, CsvStreamOptions options)
    : index_(std::move(index)),
      preprocessing_(std::move(preprocessing)),
      loss_(loss),
      options_(options),
      reader_(index_),
      rows_(chunked_rows()) {}

// This shard's chunks and the rows of its side of the split in them.
ChunkedRows CsvStream::chunked_rows() {
    if (options_.shards == 0 || options_.shard >= options_.shards)
        throw UsageError("CsvStream: shard " + std::to_string(options_.shard) + " of " + std::to_string(options_.shards) +
                         " does not exist; shard must be below shards");
    std::vector<std::size_t> chunks;
    std::size_t rows = 0;
    for (std::size_t k = options_.shard; k < index_.chunks.size(); k += options_.shards) {
        chunks.push_back(k);
        const CsvChunk& chunk = index_.chunks[k];
        for (std::size_t r = chunk.first_row; r < chunk.first_row + chunk.rows; ++r)
            rows += options_.split.validates(r) == options_.validation ? 1 : 0;
    }
    const ChunkedRowsOptions order{.batch_size = options_.batch_size,
                                   .shuffle = options_.shuffle && !options_.validation,
                                   .buffer_rows = options_.shuffle_buffer,
                                   .seed = options_.seed};
    return ChunkedRows(std::move(chunks), rows, order,
                       [this](std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows_to_give) {
                           load_chunk(chunk, x, y, rows_to_give);
                       });
}

void CsvStream::load_chunk(std::size_t k, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows) {
    const CsvChunk& chunk = index_.chunks[k];
    const CsvTable records = reader_.read(chunk);
    x = encode_features<float>(preprocessing_, records);
    y = encode_targets<float>(preprocessing_, records, loss_);
    rows.clear();
    for (std::size_t r = 0; r < records.rows(); ++r)
        if (options_.split.validates(chunk.first_row + r) == options_.validation) rows.push_back(r);
}

}  // namespace dense::io
