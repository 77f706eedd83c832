// CsvStream: an epoch's batches from an indexed CSV file, in a shuffled chunk order and through a
// shuffle buffer.
#include "dense/io/csv_stream.hpp"

#include <algorithm>

#include "dense/error.hpp"

namespace dense::io {
namespace {

// The columns encode_targets gives: one-hot classes, one class index, or the regression targets.
std::size_t target_width(const Preprocessing& preprocessing, const Loss& loss) {
    if (preprocessing.task == Task::regression) return preprocessing.targets.size();
    return loss.kind() == LossKind::categorical_crossentropy ? preprocessing.classes.size() : 1;
}

void copy_row(std::span<const float> from, std::span<float> to) { std::copy(from.begin(), from.end(), to.begin()); }

}  // namespace

CsvStream::CsvStream(CsvIndex index, Preprocessing preprocessing, Loss loss, CsvStreamOptions options)
    : index_(std::move(index)),
      preprocessing_(std::move(preprocessing)),
      loss_(loss),
      options_(options),
      reader_(index_) {
    if (options_.batch_size == 0) throw UsageError("CsvStream: batch_size must be at least 1");
    if (options_.shards == 0 || options_.shard >= options_.shards)
        throw UsageError("CsvStream: shard " + std::to_string(options_.shard) + " of " + std::to_string(options_.shards) +
                         " does not exist; shard must be below shards");
    for (std::size_t k = options_.shard; k < index_.chunks.size(); k += options_.shards) {
        chunks_.push_back(k);
        const CsvChunk& chunk = index_.chunks[k];
        for (std::size_t r = chunk.first_row; r < chunk.first_row + chunk.rows; ++r)
            rows_ += options_.split.validates(r) == options_.validation ? 1 : 0;
    }
}

void CsvStream::start_epoch(int epoch) {
    std::sort(chunks_.begin(), chunks_.end());  // file order, whatever the last epoch drew
    // The epoch's own stream: the same (seed, epoch) reads the same batches, resumed or not.
    rng_ = Rng(options_.seed ^ (0xd1b54a32d192ed03ULL * std::uint64_t(epoch + 1)));
    if (shuffles())
        for (std::size_t i = chunks_.size(); i > 1; --i) std::swap(chunks_[i - 1], chunks_[rng_.below(i)]);
    next_chunk_ = 0;
    chunk_rows_.clear();
    next_chunk_row_ = 0;
    buffered_ = 0;
}

bool CsvStream::next_batch(Matrix<float>& x, Matrix<float>& y) {
    const std::size_t inputs = preprocessing_.input_width(), targets = target_width(preprocessing_, loss_);
    x.resize(options_.batch_size, inputs);
    y.resize(options_.batch_size, targets);
    std::size_t count = 0;
    while (count < options_.batch_size && next_row(x.row(count), y.row(count))) ++count;
    if (count == 0) return false;
    x.resize(count, inputs);  // keeps the first rows
    y.resize(count, targets);
    return true;
}

std::size_t CsvStream::batches_per_epoch() const { return (rows_ + options_.batch_size - 1) / options_.batch_size; }

bool CsvStream::next_row(std::span<float> x, std::span<float> y) {
    if (!shuffles()) return read_row(x, y);
    const std::size_t capacity = std::min(options_.shuffle_buffer, rows_);
    if (buffer_x_.rows() != capacity) {
        buffer_x_.resize(capacity, x.size());
        buffer_y_.resize(capacity, y.size());
    }
    while (buffered_ < capacity && read_row(buffer_x_.row(buffered_), buffer_y_.row(buffered_))) ++buffered_;
    if (buffered_ == 0) return false;
    // The row at a random place leaves; the last row takes its place, the next row read the last's.
    const std::size_t slot = rng_.below(buffered_);
    copy_row(buffer_x_.row(slot), x);
    copy_row(buffer_y_.row(slot), y);
    --buffered_;
    copy_row(buffer_x_.row(buffered_), buffer_x_.row(slot));
    copy_row(buffer_y_.row(buffered_), buffer_y_.row(slot));
    return true;
}

bool CsvStream::read_row(std::span<float> x, std::span<float> y) {
    while (next_chunk_row_ == chunk_rows_.size()) {
        if (next_chunk_ == chunks_.size()) return false;
        load_chunk(index_.chunks[chunks_[next_chunk_++]]);
    }
    const std::size_t row = chunk_rows_[next_chunk_row_++];
    copy_row(chunk_x_.row(row), x);
    copy_row(chunk_y_.row(row), y);
    return true;
}

void CsvStream::load_chunk(const CsvChunk& chunk) {
    const CsvTable records = reader_.read(chunk);
    chunk_x_ = encode_features<float>(preprocessing_, records);
    chunk_y_ = encode_targets<float>(preprocessing_, records, loss_);
    chunk_rows_.clear();
    for (std::size_t r = 0; r < records.rows(); ++r)
        if (options_.split.validates(chunk.first_row + r) == options_.validation) chunk_rows_.push_back(r);
    next_chunk_row_ = 0;
}

}  // namespace dense::io
