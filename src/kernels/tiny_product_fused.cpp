// tiny_product with fused multiply-adds, for CPUs with FMA. Compiled without the vectorizer, as
// tiny_product.cpp, and inside an FMA target region that every header is included before (so that
// nothing shared with other files is compiled for FMA), except tiny_product_loops.hpp, whose
// functions are this file's own.
#if defined(__x86_64__) || defined(__i386__)

#include <cmath>

#include "kernels/product.hpp"
#include "kernels/tiny_product.hpp"

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("fma")
#endif

#include "kernels/tiny_product_loops.hpp"

namespace dense::kernels {

void tiny_product_fused(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k,
                        const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                        std::size_t ldc, Epilogue<float> epilogue) {
    const Product<float> product{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, beta, c, ldc, epilogue};
    tiny_loops(product, [](float sum, float x, float y) { return std::fma(x, y, sum); });  // x·y + sum, rounded once
}

}  // namespace dense::kernels

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif
