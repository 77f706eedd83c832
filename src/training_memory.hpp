#pragma once
// Refusing a fit that cannot fit in memory before it allocates, instead of allocating until
// the system kills the process.
#include <cstddef>

#include "dense/sequential.hpp"

namespace dense {

// Throws UsageError, with the bytes needed and those available, when what fit() is about to
// allocate for `rows` rows does not fit in available_memory(): the optimizer's slots (unless a
// step has made them already), every layer's output and gradients for one batch, and the copy
// of the validation rows.
template <class T>
void require_memory_for_fit(const BasicSequential<T>& model, std::size_t rows, std::size_t target_width,
                            const FitOptions<T>& options);

}  // namespace dense
