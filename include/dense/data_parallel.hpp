#pragma once
// DataParallel: fit() run by several processes at once, each holding a shard of the rows (Horovod's
// data parallelism). In each global batch every process computes the gradient of the rows it
// holds; the gradients are summed between the processes before the optimizer step, which every
// process then applies alike, so the weights stay identical everywhere. The sums go through this
// interface — dense::distributed implements it over MPI (dense/distributed/communicator.hpp) — so
// the core library needs no MPI.
#include <cstddef>
#include <span>
#include <utility>

namespace dense {

class DataParallel {
public:
    virtual ~DataParallel() = default;
    // This process's number, 0 to size() - 1; process 0 alone prints.
    virtual std::size_t rank() const = 0;
    virtual std::size_t size() const = 0;
    // Replaces `values`, on every process, by their element-wise sum over all processes, added
    // in the same order on every call, so that the result does not depend on timing. Every
    // process calls it at the same point with the same length.
    virtual void sum(std::span<float> values) = 0;
    virtual void sum(std::span<double> values) = 0;
};

// The rows [first, end) of `rows` that process `rank` of `size` holds: contiguous blocks in rank
// order, the first rows % size blocks one row longer than the others.
inline std::pair<std::size_t, std::size_t> shard_of(std::size_t rows, std::size_t rank, std::size_t size) {
    const std::size_t base = rows / size, extra = rows % size;
    const std::size_t first = rank * base + (rank < extra ? rank : extra);
    return {first, first + base + (rank < extra ? 1 : 0)};
}

}  // namespace dense
