#pragma once
// What gemm.cpp's blocked driver hands to a micro-kernel, and the kernels each instruction set
// provides. A micro-kernel multiplies one packed sliver of A (kc × MR, MR values per step of k)
// by one packed sliver of B (kc × NR) and folds the sum into a rows × cols tile of C.
#include <cstddef>

namespace dense::kernels {

// How a product block `acc` (one block of k) lands in C:
//   first block:  C ← acc + β·C   (C is not read when β = 0)
//   later blocks: C ← C + acc
//   last block, then: C ← C + bias;  C ← max(C, 0) when relu;  C ← G > 0 ? C : 0 when gated
template <class T>
struct TileUpdate {
    T beta;
    bool first;
    bool last;
    const T* bias;  // the bias value of the tile's first column, or null
    bool relu;
    const T* gate;  // the gate value of the tile's first row and column, or null
    std::size_t ld_gate;
};

// The update for the tile whose top-left element is C[row][col] of the whole product.
template <class T>
TileUpdate<T> tile_update(T beta, bool first, bool last, const T* bias, bool relu, const T* gate, std::size_t ld_gate,
                          std::size_t row, std::size_t col) {
    return {beta, first, last, bias ? bias + col : nullptr, relu, gate ? gate + row * ld_gate + col : nullptr, ld_gate};
}

// The scalar form of TileUpdate for element [row][col] of the tile, shared by the portable kernels.
template <class T>
T updated(T acc, const T* c, const TileUpdate<T>& update, std::size_t row, std::size_t col) {
    T value = update.first ? (update.beta == T(0) ? acc : update.beta * *c + acc) : *c + acc;
    if (!update.last) return value;
    if (update.bias) value += update.bias[col];
    if (update.relu) value = value < T(0) ? T(0) : value;  // NaN stays NaN
    if (update.gate && !(update.gate[row * update.ld_gate + col] > T(0))) value = T(0);
    return value;
}

inline constexpr std::size_t avx2_mr = 6, avx2_nr = 16;

namespace avx2 {
// Defined only on x86 (gemm_avx2.cpp), called only when the CPU has AVX2 and FMA.
void micro_kernel(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, const TileUpdate<float>& update);
// The same with A's sliver read from its rows a + r·lda instead of packed.
void micro_kernel_rows(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c, std::size_t ldc,
                       std::size_t rows, std::size_t cols, const TileUpdate<float>& update);
// dst[p][j] = source[j·ld + p] for p < depth and j < 16: one packed sliver of a transposed B.
void pack_transposed_sliver(const float* source, std::size_t ld, std::size_t depth, float* dst);
// dst[p][r] = source[r·ld + p] for p < depth and r < 6: one packed sliver of a row-major A.
void pack_rows_sliver(const float* source, std::size_t ld, std::size_t depth, float* dst);
// c[j] ← TileUpdate(Σₚ a[p·a_stride] · b[p·ldb + j]) for j < n: one row of C from unpacked B.
void row_times_matrix(std::size_t k, const float* a, std::size_t a_stride, const float* b, std::size_t ldb, float* c,
                      std::size_t n, const TileUpdate<float>& update);
}  // namespace avx2

}  // namespace dense::kernels
