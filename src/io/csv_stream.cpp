// CsvStream: ChunkedRows over the chunks of an indexed CSV file, each encoded by the preprocessing.
#include "dense/io/csv_stream.hpp"

namespace dense::io {

CsvStream::CsvStream(CsvIndex index, Preprocessing preprocessing, Loss loss, StreamOptions options)
    : index_(std::move(index)),
      preprocessing_(std::move(preprocessing)),
      loss_(loss),
      options_(options),
      reader_(index_),
      rows_(chunked_rows()) {}

// This shard's chunks and the rows of its side of the split in them.
ChunkedRows CsvStream::chunked_rows() {
    const auto first_row = [this](std::size_t k) { return k < index_.chunks.size() ? index_.chunks[k].first_row : index_.rows; };
    return ChunkedRows::shard(options_, index_.chunks.size(), first_row,
                              [this](std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows) {
                                  const CsvTable records = reader_.read(index_.chunks[chunk]);
                                  x = encode_features<float>(preprocessing_, records);
                                  y = encode_targets<float>(preprocessing_, records, loss_);
                                  ChunkedRows::rows_to_give(options_, index_.chunks[chunk].first_row, records.rows(), rows);
                              });
}

}  // namespace dense::io
