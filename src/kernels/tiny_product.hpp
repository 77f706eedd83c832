#pragma once
// Products of a few hundred multiply-adds at most (a one-neuron layer), in plain loops.
#include <cstddef>

#include "kernels/gemm.hpp"

namespace dense::kernels {

// gemm's product, C = f(op(A)·op(B) + β·C) with f the epilogue, each element summed over p in
// order, without the blocked driver's packing or threads.
template <class T>
void tiny_product(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
                  std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Epilogue<T> epilogue);

// The same with each product added to its sum in one rounding (an FMA), as the AVX2 kernels add
// them: a product then has the same bits whether it is tiny or blocked. Defined only on x86
// (tiny_product_fused.cpp), called only when the CPU has FMA.
void tiny_product_fused(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k,
                        const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                        std::size_t ldc, Epilogue<float> epilogue);

}  // namespace dense::kernels
