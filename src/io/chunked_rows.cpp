// ChunkedRows: an epoch's batches from chunks, in a shuffled chunk order and through a shuffle
// buffer; and RowSplit, which of them validate.
#include "dense/io/chunked_rows.hpp"

#include <algorithm>
#include <string>

#include "dense/error.hpp"

namespace dense::io {
namespace {

void copy_row(std::span<const float> from, std::span<float> to) { std::copy(from.begin(), from.end(), to.begin()); }

}  // namespace

ChunkedRows::ChunkedRows(std::vector<std::size_t> chunks, std::size_t rows, ChunkedRowsOptions options, LoadChunk load)
    : chunks_(std::move(chunks)), rows_(rows), options_(options), load_(std::move(load)) {
    if (options_.batch_size == 0) throw UsageError("batch_size must be at least 1");
}

ChunkedRows ChunkedRows::shard(const StreamOptions& options, std::size_t chunks,
                               const std::function<std::size_t(std::size_t)>& first_row, LoadChunk load) {
    if (options.shards == 0 || options.shard >= options.shards)
        throw UsageError("shard " + std::to_string(options.shard) + " of " + std::to_string(options.shards) +
                         " does not exist; shard must be below shards");
    std::vector<std::size_t> mine;
    std::size_t rows = 0;
    for (std::size_t k = options.shard; k < chunks; k += options.shards) {
        mine.push_back(k);
        for (std::size_t r = first_row(k); r < first_row(k + 1); ++r) rows += options.split.validates(r) == options.validation ? 1 : 0;
    }
    const ChunkedRowsOptions order{.batch_size = options.batch_size,
                                   .shuffle = options.shuffle && !options.validation,
                                   .buffer_rows = options.shuffle_buffer,
                                   .seed = options.seed,
                                   .cache_bytes = options.cache_bytes};
    return ChunkedRows(std::move(mine), rows, order, std::move(load));
}

void ChunkedRows::rows_to_give(const StreamOptions& options, std::size_t first_row, std::size_t count,
                               std::vector<std::size_t>& rows) {
    rows.clear();
    for (std::size_t r = 0; r < count; ++r)
        if (options.split.validates(first_row + r) == options.validation) rows.push_back(r);
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
    served_ = 0;
    caching_ = !shuffles() && !cache_full_ && options_.cache_bytes > 0;
    if (!cache_full_) cached_ = 0;
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

bool ChunkedRows::next_row_in_order(std::span<float> x, std::span<float> y) {
    if (cache_full_) {
        if (served_ == cached_) return false;
        copy_row(cache_x_.row(served_), x);
        copy_row(cache_y_.row(served_++), y);
        return true;
    }
    if (!read_row(x, y)) {
        cache_full_ = caching_ && cached_ == rows_;
        served_ = cached_;  // this epoch has given them all
        return false;
    }
    if (caching_ && cache_x_.rows() != rows_) {
        caching_ = rows_ * (x.size() + y.size()) * sizeof(float) <= options_.cache_bytes;
        if (caching_) {
            cache_x_.resize(rows_, x.size());
            cache_y_.resize(rows_, y.size());
        }
    }
    if (caching_ && cached_ < rows_) {
        copy_row(x, cache_x_.row(cached_));
        copy_row(y, cache_y_.row(cached_++));
    }
    return true;
}

bool ChunkedRows::next_row(std::span<float> x, std::span<float> y) {
    if (!shuffles()) return next_row_in_order(x, y);
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

bool RowSplit::validates(std::size_t row) const noexcept {
    if (validation_split <= 0.0) return false;
    // splitmix64's finaliser of seed + (r + 1)·φ·2^64: z ^= z >> 30; z *= c1; z ^= z >> 27; z *= c2; z ^= z >> 31.
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (std::uint64_t(row) + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-53 < validation_split;  // the top 53 bits as u in [0, 1)
}

}  // namespace dense::io
