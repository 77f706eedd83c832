// gemm: picks the instruction set's compilation of the blocked driver (gemm_driver.hpp), or one
// plain loop for products of a few hundred multiply-adds.
#include "kernels/gemm.hpp"

#include <atomic>
#include <stdexcept>
#include <type_traits>

#include "kernels/gemm_driver.hpp"
#include "kernels/product.hpp"
#include "kernels/tile.hpp"

namespace dense::kernels {

namespace {

// Products up to this many multiply-adds (a one-neuron layer) run in one plain loop.
constexpr std::size_t tiny_threshold = 256;

std::atomic<Isa> active{best_isa()};

// Every StableB scope gets a number of its own, so that blocks packed in one are never taken for
// another's; the calling thread's innermost scope is the one its products carry.
std::atomic<std::uint64_t> stable_b_scopes{0};
thread_local std::uint64_t current_stable_b = 0;

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

// C[i][j] = Σₚ op(A)[i][p]·op(B)[p][j] + β·C[i][j], one dot product per element.
template <class T>
void tiny_dots(const Product<T>& product) {
    // op(X)[i][p] = x[i·row_step + p·column_step]
    const std::size_t a_row = product.a.row_step(), a_column = product.a.column_step();
    const std::size_t b_row = product.b.row_step(), b_column = product.b.column_step();
    for (std::size_t i = 0; i < product.m; ++i)
        for (std::size_t j = 0; j < product.n; ++j) {
            const T* a = product.a.data + i * a_row;
            const T* b = product.b.data + j * b_column;
            T acc = 0;
            for (std::size_t p = 0; p < product.k; ++p) acc += a[p * a_column] * b[p * b_row];
            T& c = product.c[i * product.ldc + j];
            c = product.beta == T(0) ? acc : product.beta * c + acc;
        }
}

// The same sums for β = 0 and one column of C at a time, rows innermost, for products with more
// rows than depth (a one-neuron layer's forward pass over a batch): each step of p adds
// A[i][p]·B[p][j] to a sum that starts at zero, the additions of the dot form in the same order.
template <class T>
void tiny_column_sweeps(const Product<T>& product) {
    const std::size_t a_row = product.a.row_step(), a_column = product.a.column_step();
    const std::size_t b_row = product.b.row_step(), b_column = product.b.column_step();
    const std::size_t ldc = product.ldc;
    for (std::size_t j = 0; j < product.n; ++j) {
        T* c = product.c + j;
        for (std::size_t i = 0; i < product.m; ++i) c[i * ldc] = T(0);
        for (std::size_t p = 0; p < product.k; ++p) {
            const T b = product.b.data[p * b_row + j * b_column];
            const T* a = product.a.data + p * a_column;
            for (std::size_t i = 0; i < product.m; ++i) c[i * ldc] += a[i * a_row] * b;
        }
    }
}

// C ← C + b, then max(C, 0) when relu, then G > 0 ? C : 0 when gated (TileUpdate's last block),
// a column at a time: a one-neuron layer's C is one column.
template <class T>
void tiny_epilogue(const Product<T>& product) {
    const Epilogue<T>& e = product.epilogue;
    const std::size_t ldc = product.ldc;
    for (std::size_t j = 0; j < product.n; ++j) {
        T* c = product.c + j;
        if (e.bias)
            for (std::size_t i = 0; i < product.m; ++i) c[i * ldc] += e.bias[j];
        if (e.relu)
            for (std::size_t i = 0; i < product.m; ++i) c[i * ldc] = c[i * ldc] < T(0) ? T(0) : c[i * ldc];  // NaN stays
        if (e.gate)
            for (std::size_t i = 0; i < product.m; ++i)
                if (!(e.gate[i * e.ld_gate + j] > T(0))) c[i * ldc] = T(0);
    }
}

// A product of a few hundred multiply-adds at most (a one-neuron layer), or none (k = 0, which
// leaves β·C and the epilogue): plain loops, none of which decides per element what to do.
template <class T>
void tiny_product(const Product<T>& product) {
    if (product.beta == T(0) && product.m > product.k) tiny_column_sweeps(product);
    else tiny_dots(product);
    tiny_epilogue(product);
}

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

template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Epilogue<T> epilogue) {
    const Product<T> product{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, beta, c, ldc, epilogue, current_stable_b};
    if (m == 0 || n == 0) return;
    if (m * n * k <= tiny_threshold) return tiny_product(product);
#if defined(__x86_64__) || defined(__i386__)
    if constexpr (std::is_same_v<T, float>)
        if (active.load(std::memory_order_relaxed) == Isa::avx2_fma) return avx2::run_product(product);
#endif
    run_product<T, PortableKernels<T>>(product);
}

template void gemm<float>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const float*, std::size_t,
                          const float*, std::size_t, float, float*, std::size_t, Epilogue<float>);
template void gemm<double>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const double*,
                           std::size_t, const double*, std::size_t, double, double*, std::size_t, Epilogue<double>);

StableB::StableB() : outer_(current_stable_b) {
    current_stable_b = stable_b_scopes.fetch_add(1, std::memory_order_relaxed) + 1;
}

StableB::~StableB() { current_stable_b = outer_; }

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
