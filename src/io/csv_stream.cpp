// CsvStream: ChunkedRows over the chunks of an indexed CSV file, each encoded by the preprocessing.
#include "dense/io/csv_stream.hpp"

#include "plain_chunk.hpp"

namespace dense::io {

CsvStream::CsvStream(CsvIndex index, Preprocessing preprocessing, Loss loss, StreamOptions options)
    : index_(std::move(index)),
      preprocessing_(std::move(preprocessing)),
      loss_(loss),
      options_(options),
      reader_(index_),
      rows_(chunked_rows()) {}

// This shard's chunks and the rows of its side of the split in them. A chunk of plain numbers
// is encoded straight from its text; any other goes through its cells (fills, labels, errors).
ChunkedRows CsvStream::chunked_rows() {
    const auto first_row = [this](std::size_t k) { return k < index_.chunks.size() ? index_.chunks[k].first_row : index_.rows; };
    auto plain = std::make_shared<const PlainChunkEncoder>(preprocessing_, index_.header());
    return ChunkedRows::shard(options_, index_.chunks.size(), first_row,
                              [this, plain](std::size_t chunk, Matrix<float>& x, Matrix<float>& y, std::vector<std::size_t>& rows) {
                                  const CsvChunk& where = index_.chunks[chunk];
                                  auto encoded = plain->encode(reader_.read_text(where));
                                  if (encoded && encoded->x.rows() == where.rows) {
                                      x = std::move(encoded->x);
                                      y = std::move(encoded->y);
                                  } else {
                                      const CsvTable records = reader_.parse_text(where);
                                      x = encode_features<float>(preprocessing_, records);
                                      y = encode_targets<float>(preprocessing_, records, loss_);
                                  }
                                  ChunkedRows::rows_to_give(options_, where.first_row, x.rows(), rows);
                              });
}

}  // namespace dense::io
