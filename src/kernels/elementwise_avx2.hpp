#pragma once
// AVX2 forms of elementwise.hpp's kernels (defined only on x86; call them only when
// kernels::active_isa() is avx2_fma). Arguments as in adam_update, with 1 − β already taken.
#include <cstddef>

namespace dense::kernels::avx2 {

void adam_update(std::size_t count, float* w, const float* g, float* m, float* v, float alpha, float keep_1,
                 float keep_2, float epsilon);

// Arguments as in rmsprop_update; m is null without momentum.
void rmsprop_update(std::size_t count, float* w, const float* g, float* v, float* m, float rate, float rho,
                    float momentum, float epsilon);

}  // namespace dense::kernels::avx2
