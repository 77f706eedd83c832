#include "kernels/gemm.hpp"

namespace dense::kernels {

namespace {

template <class T>
T element(const T* x, std::size_t ld, Transpose trans, std::size_t row, std::size_t col) {
    return trans == Transpose::no ? x[row * ld + col] : x[col * ld + row];
}

}  // namespace

// Reference product: for each C[i][j], Σₚ op(A)[i][p] · op(B)[p][j], in a fixed order.
template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
    for (std::size_t i = 0; i < m; ++i) {
        T* c_row = c + i * ldc;
        for (std::size_t j = 0; j < n; ++j) c_row[j] = beta == T(0) ? T(0) : beta * c_row[j];
        for (std::size_t p = 0; p < k; ++p) {
            const T a_ip = element(a, lda, trans_a, i, p);
            for (std::size_t j = 0; j < n; ++j) c_row[j] += a_ip * element(b, ldb, trans_b, p, j);
        }
    }
}

template void gemm<float>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const float*, std::size_t,
                          const float*, std::size_t, float, float*, std::size_t);
template void gemm<double>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const double*,
                           std::size_t, const double*, std::size_t, double, double*, std::size_t);

}  // namespace dense::kernels
