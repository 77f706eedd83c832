#pragma once
// The matrix product every Dense layer runs on, kept apart from model logic.
//   C[m×n] = op(A)[m×k] · op(B)[k×n] + β·C      (row-major; op(X) = X or Xᵀ)
// Dense uses it three ways: Z = X·W (forward), dW = Xᵀ·dZ and dX = dZ·Wᵀ (backward).
#include <cstddef>

namespace dense::kernels {

enum class Transpose : bool { no = false, yes = true };

template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k,
          const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace dense::kernels
