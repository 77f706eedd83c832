// ChunkedRows: an epoch's batches from chunks, in a shuffled chunk order and through a shuffle buffer.
#include "dense/io/chunked_rows.hpp"

#include <algorithm>

#include "dense/error.hpp"

namespace dense::io {
namespace {

void copy_row(std::span<const float> from, std::span<float> to) { std::copy(from.begin(), from.end(), to.begin()); }

}  // namespace

ChunkedRows::ChunkedRows(std::vector<std::size_t> chunks, std::size_t rows, ChunkedRowsOptions options, LoadChunk load)
    : chunks_(std::move(chunks)), rows_(rows), options_(options), load_(std::move(load)) {
    if (options_.batch_size == 0) throw UsageError("batch_size must be at least 1");
}

void ChunkedRows::start_epoch(int epoch) {
    std::sort(chunks_.begin(), chunks_.end());  // storage order, whatever the last epoch drew
    // The epoch's own stream: the same (seed, epoch) reads the same batches, resumed or not.
    rng_ = Rng(options_.seed ^ (0xd1b54a32d192ed03ULL * std::uint64_t(epoch + 1)));
    if (shuffles())
        for (std::size_t i = chunks_.size(); i > 1; --i) std::swap(chunks_[i - 1], chunks_[rng_.below(i)]);
    next_chunk_ = 0;
    chunk_rows_.clear();
    next_chunk_row_ = 0;
    buffered_ = 0;
}

bool ChunkedRows::next_batch(Matrix<float>& x, Matrix<float>& y) {
    // The widths come with the first chunk read.
    if (chunk_x_.cols() == 0 && !read_row(std::span<float>(), std::span<float>())) return false;
    const std::size_t inputs = chunk_x_.cols(), targets = chunk_y_.cols();
    x.resize(options_.batch_size, inputs);
    y.resize(options_.batch_size, targets);
    std::size_t count = 0;
    while (count < options_.batch_size && next_row(x.row(count), y.row(count))) ++count;
    if (count == 0) return false;
    x.resize(count, inputs);  // keeps the first rows
    y.resize(count, targets);
    return true;
}

bool ChunkedRows::next_row(std::span<float> x, std::span<float> y) {
    if (!shuffles()) return read_row(x, y);
    const std::size_t capacity = std::min(options_.buffer_rows, rows_);
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

// With empty spans (the widths not known yet) it loads the next chunk and gives no row.
bool ChunkedRows::read_row(std::span<float> x, std::span<float> y) {
    while (next_chunk_row_ == chunk_rows_.size()) {
        if (next_chunk_ == chunks_.size()) return false;
        load_(chunks_[next_chunk_++], chunk_x_, chunk_y_, chunk_rows_);
        next_chunk_row_ = 0;
    }
    if (x.empty() && y.empty()) return true;
    const std::size_t row = chunk_rows_[next_chunk_row_++];
    copy_row(chunk_x_.row(row), x);
    copy_row(chunk_y_.row(row), y);
    return true;
}

}  // namespace dense::io
