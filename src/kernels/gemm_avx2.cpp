// AVX2/FMA kernels for gemm<float>. Compiled for every x86 build through target attributes, and
// called only after gemm.cpp has checked that the CPU has AVX2 and FMA.
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include "kernels/tile.hpp"

#define DENSE_AVX2 __attribute__((target("avx2,fma")))

namespace dense::kernels::avx2 {

namespace {

// All-ones in lanes [0, count), for the columns of a tile that exist.
DENSE_AVX2 __m256i first_lanes(std::size_t count) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), lane);
}

DENSE_AVX2 __m256 load(const float* p, std::size_t count, __m256i mask) {
    return count >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mask);
}

// Up to eight values of one row of C, updated as TileUpdate says.
DENSE_AVX2 void store(__m256 acc, float* c, std::size_t cols, const TileUpdate<float>& update,
                      const float* bias) {
    const __m256i mask = first_lanes(cols);
    __m256 value = acc;
    if (!update.first) value = _mm256_add_ps(load(c, cols, mask), acc);
    else if (update.beta != 0.0f) value = _mm256_fmadd_ps(_mm256_set1_ps(update.beta), load(c, cols, mask), acc);
    if (update.last) {
        if (bias) value = _mm256_add_ps(value, load(bias, cols, mask));
        if (update.relu) value = _mm256_max_ps(_mm256_setzero_ps(), value);  // NaN stays NaN
    }
    if (cols >= 8) _mm256_storeu_ps(c, value);
    else _mm256_maskstore_ps(c, mask, value);
}

// One row of the register tile: its first eight columns, then the next eight.
DENSE_AVX2 void store_row(__m256 left, __m256 right, float* c, std::size_t cols, const TileUpdate<float>& update) {
    store(left, c, cols, update, update.bias);
    if (cols > 8) store(right, c + 8, cols - 8, update, update.bias ? update.bias + 8 : nullptr);
}

}  // namespace

// acc[r][j] = Σₚ a[p][r] · b[p][j] over the packed slivers, 6 × 16 accumulators in registers
// (named one by one: GCC keeps an array of them in memory).
DENSE_AVX2 void micro_kernel(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc,
                             std::size_t rows, std::size_t cols, const TileUpdate<float>& update) {
    static_assert(avx2_mr == 6 && avx2_nr == 16, "the register tile below is 6 × (2 × 8)");
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (std::size_t r = 0; r < rows; ++r) {  // C arrives from memory while the sums are made
        _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 15), _MM_HINT_T0);
    }
    for (std::size_t p = 0; p < kc; ++p, a += 6, b += 16) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        __m256 a_r = _mm256_broadcast_ss(a);
        c00 = _mm256_fmadd_ps(a_r, b0, c00);
        c01 = _mm256_fmadd_ps(a_r, b1, c01);
        a_r = _mm256_broadcast_ss(a + 1);
        c10 = _mm256_fmadd_ps(a_r, b0, c10);
        c11 = _mm256_fmadd_ps(a_r, b1, c11);
        a_r = _mm256_broadcast_ss(a + 2);
        c20 = _mm256_fmadd_ps(a_r, b0, c20);
        c21 = _mm256_fmadd_ps(a_r, b1, c21);
        a_r = _mm256_broadcast_ss(a + 3);
        c30 = _mm256_fmadd_ps(a_r, b0, c30);
        c31 = _mm256_fmadd_ps(a_r, b1, c31);
        a_r = _mm256_broadcast_ss(a + 4);
        c40 = _mm256_fmadd_ps(a_r, b0, c40);
        c41 = _mm256_fmadd_ps(a_r, b1, c41);
        a_r = _mm256_broadcast_ss(a + 5);
        c50 = _mm256_fmadd_ps(a_r, b0, c50);
        c51 = _mm256_fmadd_ps(a_r, b1, c51);
    }
    store_row(c00, c01, c, cols, update);
    if (rows > 1) store_row(c10, c11, c + ldc, cols, update);
    if (rows > 2) store_row(c20, c21, c + 2 * ldc, cols, update);
    if (rows > 3) store_row(c30, c31, c + 3 * ldc, cols, update);
    if (rows > 4) store_row(c40, c41, c + 4 * ldc, cols, update);
    if (rows > 5) store_row(c50, c51, c + 5 * ldc, cols, update);
}

// 32 columns at a time from the rows of B, then eight at a time, the last ones masked.
DENSE_AVX2 void row_times_matrix(std::size_t k, const float* a, std::size_t a_stride, const float* b,
                                 std::size_t ldb, float* c, std::size_t n, const TileUpdate<float>& update) {
    const auto bias_at = [&](std::size_t j) { return update.bias ? update.bias + j : nullptr; };
    std::size_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
        for (std::size_t p = 0; p < k; ++p) {
            const __m256 a_p = _mm256_set1_ps(a[p * a_stride]);
            const float* b_row = b + p * ldb + j;
            for (int q = 0; q < 4; ++q) acc[q] = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b_row + 8 * q), acc[q]);
        }
        for (std::size_t q = 0; q < 4; ++q) store(acc[q], c + j + 8 * q, 8, update, bias_at(j + 8 * q));
    }
    for (; j < n; j += 8) {
        const std::size_t cols = n - j < 8 ? n - j : 8;
        const __m256i mask = first_lanes(cols);
        __m256 acc = _mm256_setzero_ps();
        for (std::size_t p = 0; p < k; ++p)
            acc = _mm256_fmadd_ps(_mm256_set1_ps(a[p * a_stride]), load(b + p * ldb + j, cols, mask), acc);
        store(acc, c + j, cols, update, bias_at(j));
    }
}

}  // namespace dense::kernels::avx2

#endif
