// gemm: picks the instruction set's compilation of the blocked driver (gemm_driver.hpp), or
// tiny_product for products of a few hundred multiply-adds (fused where the blocked kernels are).
#include "kernels/gemm.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <type_traits>

#include "kernels/gemm_driver.hpp"
#include "kernels/product.hpp"
#include "kernels/tile.hpp"
#include "kernels/tiny_product.hpp"

namespace dense::kernels {

namespace {

// Products up to this many multiply-adds (a one-neuron layer) run in one plain loop.
constexpr std::size_t tiny_threshold = 256;

std::atomic<Isa> active{best_isa()};

// The driver's kernels in plain C++, for CPUs without AVX2 and for double.
template <class T>
struct PortableKernels {
    // acc[r][j] = Σₚ a[p][r] · b[p][j] over the packed slivers.
    static void micro(std::size_t kc, const T* a, const T* b, T* c, std::size_t ldc, std::size_t rows,
                      std::size_t cols, const TileUpdate<T>& update) {
        constexpr std::size_t mr = Blocking<T>::mr, nr = Blocking<T>::nr;
        T acc[mr][nr] = {};
        for (std::size_t r = 0; r < mr; ++r)  // one row at a time: its NR sums fit in SSE registers
            for (std::size_t p = 0; p < kc; ++p)
                for (std::size_t j = 0; j < nr; ++j) acc[r][j] += a[p * mr + r] * b[p * nr + j];
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < cols; ++j) c[r * ldc + j] = updated(acc[r][j], &c[r * ldc + j], update, r, j);
    }
    static constexpr bool reads_rows_of_a = false, transposes_in_registers = false;
    static void row(const Product<T>& product, std::size_t i, std::size_t depth_begin, std::size_t depth,
                    Range columns, T* c, const TileUpdate<T>& update) {
        portable_row(product, i, depth_begin, depth, columns, c, update);
    }
};

bool cpu_has_avx2_fma() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();  // may run before the runtime's own initialisation
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

}  // namespace

template <class T>
PackingBuffers<T>& packing_buffers() {
    thread_local PackingBuffers<T> buffers;
    return buffers;
}
template PackingBuffers<float>& packing_buffers<float>();
template PackingBuffers<double>& packing_buffers<double>();

// The blocked driver of the instruction set in use, for every product past the tiny ones. It and
// tiny_product are functions of their own, which gemm calls last: gemm itself then sets up no frame.
template <class T>
[[gnu::noinline]] void blocked_product(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n,
                                       std::size_t k, const T* a, std::size_t lda, const T* b, std::size_t ldb,
                                       T beta, T* c, std::size_t ldc, Epilogue<T> epilogue, StableB<T> stable_b) {
    const Product<T> product{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, beta, c, ldc, epilogue, stable_b};
#if defined(__x86_64__) || defined(__i386__)
    if constexpr (std::is_same_v<T, float>)
        if (active.load(std::memory_order_relaxed) == Isa::avx2_fma) return avx2::run_product(product);
#endif
    run_product<T, PortableKernels<T>>(product);
}

template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Epilogue<T> epilogue,
          StableB<T> stable_b) {
    if (m == 0 || n == 0) return;
    if (m * n * k <= tiny_threshold) {
#if defined(__x86_64__) || defined(__i386__)
        if constexpr (std::is_same_v<T, float>)
            if (active.load(std::memory_order_relaxed) == Isa::avx2_fma)
                return tiny_product_fused(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc, epilogue);
#endif
        return tiny_product(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc, epilogue);
    }
    blocked_product(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc, epilogue, stable_b);
}

template void gemm<float>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const float*, std::size_t,
                          const float*, std::size_t, float, float*, std::size_t, Epilogue<float>, StableB<float>);
template void gemm<double>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const double*,
                           std::size_t, const double*, std::size_t, double, double*, std::size_t, Epilogue<double>,
                           StableB<double>);

std::size_t row_tile() noexcept {
    static_assert(Blocking<float>::mr == Blocking<double>::mr);
    return Blocking<float>::mr;
}

// Parts of at least MR rows and of packing_threshold multiply-adds go through the blocked scheme,
// as the whole product then does too.
template <class T>
std::size_t min_rows_apart(std::size_t n, std::size_t k) noexcept {
    const std::size_t per_row = std::max<std::size_t>(n * k, 1);
    return std::max(Blocking<T>::mr, (packing_threshold + per_row - 1) / per_row);
}
template std::size_t min_rows_apart<float>(std::size_t, std::size_t) noexcept;
template std::size_t min_rows_apart<double>(std::size_t, std::size_t) noexcept;

template <class T>
void keep_packed_b(Transpose trans_a, std::size_t lda, Transpose trans_b, std::size_t n, std::size_t k, const T* b,
                   std::size_t ldb, StableB<T> stable_b) {
    const Product<T> product{{nullptr, lda, trans_a}, {b, ldb, trans_b}, 0, n, k, T(0), nullptr, 0, {}, stable_b};
#if defined(__x86_64__) || defined(__i386__)
    if constexpr (std::is_same_v<T, float>)
        if (active.load(std::memory_order_relaxed) == Isa::avx2_fma) return avx2::keep_packed_b(product);
#endif
    kept_packed_b<T, PortableKernels<T>>(product);
}
template void keep_packed_b<float>(Transpose, std::size_t, Transpose, std::size_t, std::size_t, const float*,
                                   std::size_t, StableB<float>);
template void keep_packed_b<double>(Transpose, std::size_t, Transpose, std::size_t, std::size_t, const double*,
                                    std::size_t, StableB<double>);

void prepare_thread() {
    packing_buffers<float>();
    packing_buffers<double>();
}

Isa best_isa() noexcept { return cpu_has_avx2_fma() ? Isa::avx2_fma : Isa::portable; }

Isa active_isa() noexcept { return active.load(std::memory_order_relaxed); }

void use_isa(Isa isa) {
    if (isa == Isa::avx2_fma && best_isa() != Isa::avx2_fma)
        throw std::invalid_argument("dense::kernels::use_isa: this CPU has no AVX2/FMA");
    active.store(isa, std::memory_order_relaxed);
}

}  // namespace dense::kernels
