// AVX2/FMA kernels for gemm<float>, and the blocked driver compiled around them for AVX2.
// Compiled for every x86 build inside a target region (every header is included before it, so
// that nothing shared with other files is compiled for AVX2), and called only after gemm.cpp has
// checked that the CPU has AVX2 and FMA.
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "dense/threads.hpp"
#include "kernels/parallel.hpp"
#include "kernels/product.hpp"
#include "kernels/tile.hpp"

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

// Every function below is compiled for AVX2/FMA by the region above; the small helpers of the
// tile write-back are inlined into the kernels that use them.
#define DENSE_INLINE __attribute__((always_inline)) inline

namespace dense::kernels::avx2 {

namespace {

// All-ones in lanes [0, count), for the columns of a tile that exist.
DENSE_INLINE __m256i first_lanes(std::size_t count) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), lane);
}

DENSE_INLINE __m256 load(const float* p, std::size_t count, __m256i mask) {
    return count >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mask);
}

// Up to eight values of one row of C, at [row][col] of the tile, updated as TileUpdate says.
DENSE_INLINE void store(__m256 acc, float* c, std::size_t cols, const TileUpdate<float>& update, std::size_t row,
                      std::size_t col) {
    const __m256i mask = first_lanes(cols);
    __m256 value = acc;
    if (!update.first) value = _mm256_add_ps(load(c, cols, mask), acc);
    else if (update.beta != 0.0f) value = _mm256_fmadd_ps(_mm256_set1_ps(update.beta), load(c, cols, mask), acc);
    if (update.last) {
        if (update.bias) value = _mm256_add_ps(value, load(update.bias + col, cols, mask));
        if (update.relu) value = _mm256_max_ps(_mm256_setzero_ps(), value);  // NaN stays NaN
        if (update.gate) {  // C ← G > 0 ? C : 0
            const __m256 gate = load(update.gate + row * update.ld_gate + col, cols, mask);
            value = _mm256_and_ps(value, _mm256_cmp_ps(gate, _mm256_setzero_ps(), _CMP_GT_OQ));
        }
    }
    if (cols >= 8) _mm256_storeu_ps(c, value);
    else _mm256_maskstore_ps(c, mask, value);
}

// Row r of the register tile: its first eight columns, then the next eight.
DENSE_INLINE void store_row(__m256 left, __m256 right, float* c, std::size_t cols, const TileUpdate<float>& update,
                          std::size_t r) {
    store(left, c, cols, update, r, 0);
    if (cols > 8) store(right, c + 8, cols - 8, update, r, 8);
}

// Where the micro-kernel finds A[r][p] of its sliver: packed (p·6 + r), or still in the rows of
// a row-major op(A), which then needs no packing.
struct PackedSliver {
    const float* a;
    DENSE_INLINE const float* at(std::size_t p, std::size_t r) const { return a + p * 6 + r; }
};
struct RowSliver {
    const float* rows[6];
    DENSE_INLINE const float* at(std::size_t p, std::size_t r) const { return rows[r] + p; }
};

// acc[r][j] = Σₚ A[r][p] · b[p][j] over a sliver of A and a packed sliver of B, 6 × 16
// accumulators in registers (named one by one: GCC keeps an array of them in memory).
template <class Sliver>
DENSE_INLINE void tile_product(std::size_t kc, const Sliver& a, const float* b, float* c, std::size_t ldc,
                               std::size_t rows, std::size_t cols, const TileUpdate<float>& update) {
    static_assert(avx2_mr == 6 && avx2_nr == 16, "the register tile below is 6 × (2 × 8)");
    for (std::size_t r = 0; r < rows; ++r) {  // the tile of C, on its way while the sums are made
        _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc + 15), _MM_HINT_T0);
    }
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (std::size_t p = 0; p < kc; ++p, b += 16) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        __m256 a_r = _mm256_broadcast_ss(a.at(p, 0));
        c00 = _mm256_fmadd_ps(a_r, b0, c00);
        c01 = _mm256_fmadd_ps(a_r, b1, c01);
        a_r = _mm256_broadcast_ss(a.at(p, 1));
        c10 = _mm256_fmadd_ps(a_r, b0, c10);
        c11 = _mm256_fmadd_ps(a_r, b1, c11);
        a_r = _mm256_broadcast_ss(a.at(p, 2));
        c20 = _mm256_fmadd_ps(a_r, b0, c20);
        c21 = _mm256_fmadd_ps(a_r, b1, c21);
        a_r = _mm256_broadcast_ss(a.at(p, 3));
        c30 = _mm256_fmadd_ps(a_r, b0, c30);
        c31 = _mm256_fmadd_ps(a_r, b1, c31);
        a_r = _mm256_broadcast_ss(a.at(p, 4));
        c40 = _mm256_fmadd_ps(a_r, b0, c40);
        c41 = _mm256_fmadd_ps(a_r, b1, c41);
        a_r = _mm256_broadcast_ss(a.at(p, 5));
        c50 = _mm256_fmadd_ps(a_r, b0, c50);
        c51 = _mm256_fmadd_ps(a_r, b1, c51);
    }
    store_row(c00, c01, c, cols, update, 0);
    if (rows > 1) store_row(c10, c11, c + ldc, cols, update, 1);
    if (rows > 2) store_row(c20, c21, c + 2 * ldc, cols, update, 2);
    if (rows > 3) store_row(c30, c31, c + 3 * ldc, cols, update, 3);
    if (rows > 4) store_row(c40, c41, c + 4 * ldc, cols, update, 4);
    if (rows > 5) store_row(c50, c51, c + 5 * ldc, cols, update, 5);
}

}  // namespace

[[gnu::aligned(64)]] void micro_kernel(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, std::size_t rows,
                  std::size_t cols, const TileUpdate<float>& update) {
    tile_product(kc, PackedSliver{a}, b, c, ldc, rows, cols, update);
}

// The same with the sliver's rows read where they are: a + r·lda for r < rows (the missing ones
// read row 0 again, and their sums are not stored).
[[gnu::aligned(64)]] void micro_kernel_rows(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c, std::size_t ldc,
                       std::size_t rows, std::size_t cols, const TileUpdate<float>& update) {
    RowSliver sliver{};
    for (std::size_t r = 0; r < 6; ++r) sliver.rows[r] = a + (r < rows ? r : 0) * lda;
    tile_product(kc, sliver, b, c, ldc, rows, cols, update);
}

namespace {

// rows[j] ← column j of the 8 × 8 block whose row i is rows[i].
DENSE_INLINE void transpose_8x8(__m256 rows[8]) {
    __m256 pairs[8], quads[8];
    for (int i = 0; i < 8; i += 2) {  // interleave rows 2i and 2i + 1
        pairs[i] = _mm256_unpacklo_ps(rows[i], rows[i + 1]);
        pairs[i + 1] = _mm256_unpackhi_ps(rows[i], rows[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {  // then pairs of pairs
        quads[i] = _mm256_shuffle_ps(pairs[i], pairs[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        quads[i + 1] = _mm256_shuffle_ps(pairs[i], pairs[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        quads[i + 2] = _mm256_shuffle_ps(pairs[i + 1], pairs[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        quads[i + 3] = _mm256_shuffle_ps(pairs[i + 1], pairs[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; ++i) {  // and the 128-bit halves of rows 0–3 with those of rows 4–7
        rows[i] = _mm256_permute2f128_ps(quads[i], quads[i + 4], 0x20);
        rows[i + 4] = _mm256_permute2f128_ps(quads[i], quads[i + 4], 0x31);
    }
}

}  // namespace

// dst[p][j] = source[j·ld + p] for p < depth, j < 16: a full sliver of a transposed B, eight
// steps of k at a time through two 8 × 8 transposes in registers.
void pack_transposed_sliver(const float* source, std::size_t ld, std::size_t depth, float* dst) {
    std::size_t p = 0;
    for (; p + 8 <= depth; p += 8)
        for (std::size_t half = 0; half < 16; half += 8) {
            __m256 block[8];
            for (std::size_t j = 0; j < 8; ++j) block[j] = _mm256_loadu_ps(source + (half + j) * ld + p);
            transpose_8x8(block);
            for (std::size_t q = 0; q < 8; ++q) _mm256_store_ps(dst + (p + q) * 16 + half, block[q]);
        }
    for (; p < depth; ++p)
        for (std::size_t j = 0; j < 16; ++j) dst[p * 16 + j] = source[j * ld + p];
}

// dst[p][r] = source[r·ld + p] for p < depth, r < 6: a full sliver of a row-major A, eight steps
// of k at a time through one 8 × 8 transpose in registers (its rows 6 and 7 zero). Each step's
// store writes eight floats, the last two into the next step's place, which its own store then
// overwrites; the last step of a group of eight stores only its six.
void pack_rows_sliver(const float* source, std::size_t ld, std::size_t depth, float* dst) {
    constexpr std::size_t mr = avx2_mr;
    const __m256i six_lanes = first_lanes(mr);
    std::size_t p = 0;
    for (; p + 8 <= depth; p += 8) {
        __m256 block[8];
        for (std::size_t r = 0; r < mr; ++r) block[r] = _mm256_loadu_ps(source + r * ld + p);
        block[6] = block[7] = _mm256_setzero_ps();
        transpose_8x8(block);
        for (std::size_t q = 0; q < 7; ++q) _mm256_storeu_ps(dst + (p + q) * mr, block[q]);
        _mm256_maskstore_ps(dst + (p + 7) * mr, six_lanes, block[7]);
    }
    for (; p < depth; ++p)
        for (std::size_t r = 0; r < mr; ++r) dst[p * mr + r] = source[r * ld + p];
}

namespace {

// sums[j] += Σ over the `depth` rows p from a and b of a[p·a_stride] · b[p·ldb + j], for 64
// columns: eight independent sums keep both FMA units busy.
DENSE_INLINE void add_products_64(std::size_t depth, const float* a, std::size_t a_stride, const float* b,
                                  std::size_t ldb, float* sums) {
    __m256 acc0 = _mm256_load_ps(sums), acc1 = _mm256_load_ps(sums + 8), acc2 = _mm256_load_ps(sums + 16);
    __m256 acc3 = _mm256_load_ps(sums + 24), acc4 = _mm256_load_ps(sums + 32), acc5 = _mm256_load_ps(sums + 40);
    __m256 acc6 = _mm256_load_ps(sums + 48), acc7 = _mm256_load_ps(sums + 56);
    for (std::size_t p = 0; p < depth; ++p, b += ldb) {
        const __m256 a_p = _mm256_set1_ps(a[p * a_stride]);
        acc0 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b), acc0);
        acc1 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 8), acc1);
        acc2 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 16), acc2);
        acc3 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 24), acc3);
        acc4 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 32), acc4);
        acc5 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 40), acc5);
        acc6 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 48), acc6);
        acc7 = _mm256_fmadd_ps(a_p, _mm256_loadu_ps(b + 56), acc7);
    }
    const __m256 results[8] = {acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7};
    for (std::size_t q = 0; q < 8; ++q) _mm256_store_ps(sums + 8 * q, results[q]);
}

// The same for up to eight columns, the missing ones masked.
DENSE_INLINE void add_products_8(std::size_t depth, const float* a, std::size_t a_stride, const float* b,
                                 std::size_t ldb, float* sums, std::size_t cols) {
    const __m256i mask = first_lanes(cols);
    __m256 acc = _mm256_load_ps(sums);
    for (std::size_t p = 0; p < depth; ++p, b += ldb)
        acc = _mm256_fmadd_ps(_mm256_set1_ps(a[p * a_stride]), load(b, cols, mask), acc);
    _mm256_store_ps(sums, acc);
}

}  // namespace

// Columns go in strips of 256 whose sums wait in L1; B is read 16 rows at a time across the whole
// strip, so that it streams through the caches in address order. Each sum still adds its
// products in order of p, as one chain of FMAs.
[[gnu::aligned(64)]] void row_times_matrix(std::size_t k, const float* a, std::size_t a_stride, const float* b, std::size_t ldb, float* c,
                      std::size_t n, const TileUpdate<float>& update) {
    constexpr std::size_t strip = 256, rows_per_pass = 16;
    alignas(32) float sums[strip];
    for (std::size_t j0 = 0; j0 < n; j0 += strip) {
        const std::size_t cols = std::min(strip, n - j0);
        std::fill_n(sums, strip, 0.0f);
        for (std::size_t p0 = 0; p0 < k; p0 += rows_per_pass) {
            const std::size_t depth = std::min(rows_per_pass, k - p0);
            const float* a_p = a + p0 * a_stride;
            const float* b_p = b + p0 * ldb + j0;
            std::size_t j = 0;
            for (; j + 64 <= cols; j += 64) add_products_64(depth, a_p, a_stride, b_p + j, ldb, sums + j);
            for (; j < cols; j += 8)
                add_products_8(depth, a_p, a_stride, b_p + j, ldb, sums + j, std::min<std::size_t>(8, cols - j));
        }
        for (std::size_t j = 0; j < cols; j += 8)
            store(_mm256_load_ps(sums + j), c + j0 + j, std::min<std::size_t>(8, cols - j), update, 0, j0 + j);
    }
}

}  // namespace dense::kernels::avx2

#include "kernels/gemm_driver.hpp"

namespace dense::kernels::avx2 {

namespace {

struct Kernels {
    static void micro(std::size_t kc, const float* a, const float* b, float* c, std::size_t ldc, std::size_t rows,
                      std::size_t cols, const TileUpdate<float>& update) {
        micro_kernel(kc, a, b, c, ldc, rows, cols, update);
    }
    static constexpr bool reads_rows_of_a = true, transposes_in_registers = true;
    static void pack_transposed(const float* source, std::size_t ld, std::size_t depth, float* dst) {
        pack_transposed_sliver(source, ld, depth, dst);
    }
    static void pack_rows(const float* source, std::size_t ld, std::size_t depth, float* dst) {
        pack_rows_sliver(source, ld, depth, dst);
    }
    static void micro_rows(std::size_t kc, const float* a, std::size_t lda, const float* b, float* c, std::size_t ldc,
                           std::size_t rows, std::size_t cols, const TileUpdate<float>& update) {
        micro_kernel_rows(kc, a, lda, b, c, ldc, rows, cols, update);
    }
    // Part of one row of C from unpacked B (a batch of one): row_times_matrix when B's rows are contiguous.
    static void row(const Product<float>& product, std::size_t i, std::size_t depth_begin, std::size_t depth,
                    Range columns, float* c, const TileUpdate<float>& update) {
        if (product.b.trans == Transpose::yes) return portable_row(product, i, depth_begin, depth, columns, c, update);
        const std::size_t a_step = product.a.column_step();
        const float* a_row = product.a.data + i * product.a.row_step();
        const float* b_rows = product.b.data + depth_begin * product.b.ld + columns.begin;
        row_times_matrix(depth, a_row + depth_begin * a_step, a_step, b_rows, product.b.ld, c,
                         columns.end - columns.begin, update);
    }
};

}  // namespace

void run_product(const Product<float>& product) { kernels::run_product<float, Kernels>(product); }

void keep_packed_b(const Product<float>& product) { kept_packed_b<float, Kernels>(product); }

}  // namespace dense::kernels::avx2

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif
