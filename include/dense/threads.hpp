#pragma once
// The worker threads dense computes with: one persistent pool, sized by default to the cores
// (or the DENSE_NUM_THREADS environment variable). For a given count, results are bit-identical
// from run to run: work is split by fixed ranges, never by who finishes first.
#include <cstddef>

namespace dense {

std::size_t num_threads() noexcept;
// 0 restores the default. Takes effect for the next computation. A count above
// max_num_threads() is capped at it, and so is DENSE_NUM_THREADS.
void set_num_threads(std::size_t count);

// The most threads the pool runs: 4 per core. More only take turns on the cores, and thousands
// of threads may not even start.
std::size_t max_num_threads() noexcept;

}  // namespace dense
