#pragma once
// parallel_for: runs part(0) … part(parts − 1) on the persistent pool of dense/threads.hpp,
// the calling thread included, and returns when all have finished. Threads take parts as they
// come free, so a kernel must make part i's work depend on i alone (a fixed range of rows or
// columns): then it computes the same numbers whoever runs which part. A call made from inside
// a part, or while another thread is using the pool, runs its parts in order on the caller.
#include <cstddef>

namespace dense::kernels {

void run_parts(std::size_t parts, void (*part)(const void* context, std::size_t index), const void* context);

template <class Part>
void parallel_for(std::size_t parts, const Part& part) {
    if (parts <= 1) {  // the common case of small products: no pool, no indirection
        if (parts == 1) part(0);
        return;
    }
    run_parts(parts, [](const void* context, std::size_t index) { (*static_cast<const Part*>(context))(index); },
              &part);
}

// [begin, end) of part `index` when `units` units are dealt out to `parts` parts as evenly as
// possible, the first ones getting one more.
struct Range {
    std::size_t begin, end;
};
inline Range split_evenly(std::size_t units, std::size_t parts, std::size_t index) {
    const std::size_t base = units / parts, extra = units % parts;
    const std::size_t begin = index * base + (index < extra ? index : extra);
    return {begin, begin + base + (index < extra ? 1 : 0)};
}

}  // namespace dense::kernels
