#pragma once
// One matrix product as the blocked driver of gemm_driver.hpp sees it, and the blocking it
// uses. Kept apart from the driver so that these types are compiled once, for every CPU.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dense/matrix.hpp"
#include "kernels/gemm.hpp"
#include "kernels/tile.hpp"

namespace dense::kernels {

// MR × NR: the register tile; KC × NR floats of B stay in L1, MC × KC of A in L2. With A read
// in place there is no packed sliver of A beside B's in L1, and B's may be deeper: KC_IN_PLACE.
template <class T>
struct Blocking;
template <>
struct Blocking<float> {
    static constexpr std::size_t mr = avx2_mr, nr = avx2_nr, kc = 256, kc_in_place = 400, mc = 144, nc = 1024;
};
template <>
struct Blocking<double> {
    static constexpr std::size_t mr = 6, nr = 8, kc = 256, kc_in_place = 256, mc = 72, nc = 512;
};

// op(X)[row][col] of a row-major X.
template <class T>
struct Operand {
    const T* data;
    std::size_t ld;
    Transpose trans;
    T at(std::size_t row, std::size_t col) const {
        return trans == Transpose::no ? data[row * ld + col] : data[col * ld + row];
    }
    // Step between op(X)[row][col] and op(X)[row][col + 1].
    std::size_t column_step() const { return trans == Transpose::no ? 1 : ld; }
    // Step between op(X)[row][col] and op(X)[row + 1][col].
    std::size_t row_step() const { return trans == Transpose::no ? ld : 1; }
};

template <class T>
struct Product {
    Operand<T> a, b;
    std::size_t m, n, k;
    T beta;
    T* c;
    std::size_t ldc;
    Epilogue<T> epilogue;
    StableB<T> stable_b = {};  // where B is kept packed from one product to the next, if anywhere
};

// The part of C one thread computes.
struct Block {
    std::size_t row_begin, row_end, col_begin, col_end;
};

// The calling thread's buffers for packed blocks of A (MC × KC) and B (KC × NC).
template <class T>
struct PackingBuffers {
    std::vector<T, AlignedAllocator<T>> a = std::vector<T, AlignedAllocator<T>>(Blocking<T>::mc * Blocking<T>::kc);
    std::vector<T, AlignedAllocator<T>> b =
        std::vector<T, AlignedAllocator<T>>(std::max(Blocking<T>::kc, Blocking<T>::kc_in_place) * Blocking<T>::nc);
};
template <class T>
PackingBuffers<T>& packing_buffers();

namespace avx2 {
// gemm_driver.hpp's run_product with the AVX2 kernels, the whole driver compiled for AVX2.
void run_product(const Product<float>& product);
// gemm_driver.hpp's kept_packed_b with the AVX2 packing.
void keep_packed_b(const Product<float>& product);
}  // namespace avx2

}  // namespace dense::kernels
