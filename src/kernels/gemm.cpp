// The blocked matrix product (Goto/BLIS scheme): C is cut into column panels of NC, k into
// blocks of KC and rows into blocks of MC; each block of op(A) and op(B) is copied ("packed")
// into slivers of MR rows / NR columns laid out in the order the micro-kernel reads them, and
// the micro-kernel keeps an MR × NR tile of C in registers for a whole block of k.
// Products with fewer than MR rows, or too small to repay the copies, skip packing.
#include "kernels/gemm.hpp"

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/threads.hpp"
#include "kernels/parallel.hpp"
#include "kernels/tile.hpp"

namespace dense::kernels {

namespace {

// MR × NR: the register tile; KC × NR floats of B stay in L1, MC × KC of A in L2.
template <class T>
struct Blocking;
template <>
struct Blocking<float> {
    static constexpr std::size_t mr = avx2_mr, nr = avx2_nr, kc = 256, mc = 144, nc = 1024;
};
template <>
struct Blocking<double> {
    static constexpr std::size_t mr = 6, nr = 8, kc = 256, mc = 72, nc = 512;
};

// Products up to these sizes (multiply-adds) run in one plain loop / unpacked; one part of a
// split gets at least min_work_per_part.
constexpr std::size_t tiny_threshold = 256, packing_threshold = 4096;
constexpr std::size_t min_work_per_part = 32768;

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
};

template <class T>
struct Product {
    Operand<T> a, b;
    std::size_t m, n, k;
    T beta;
    T* c;
    std::size_t ldc;
    Epilogue<T> epilogue;
};

// The part of C one thread computes.
struct Block {
    std::size_t row_begin, row_end, col_begin, col_end;
};

template <class T>
using MicroKernel = void (*)(std::size_t kc, const T* a, const T* b, T* c, std::size_t ldc, std::size_t rows,
                             std::size_t cols, const TileUpdate<T>& update);

std::atomic<Isa> active{best_isa()};

// acc[r][j] = Σₚ a[p][r] · b[p][j] in plain C++, for CPUs without AVX2 and for double.
template <class T>
void portable_micro_kernel(std::size_t kc, const T* a, const T* b, T* c, std::size_t ldc, std::size_t rows,
                           std::size_t cols, const TileUpdate<T>& update) {
    constexpr std::size_t mr = Blocking<T>::mr, nr = Blocking<T>::nr;
    T acc[mr][nr] = {};
    for (std::size_t r = 0; r < mr; ++r)  // one row at a time: its NR sums fit in SSE registers
        for (std::size_t p = 0; p < kc; ++p)
            for (std::size_t j = 0; j < nr; ++j) acc[r][j] += a[p * mr + r] * b[p * nr + j];
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < cols; ++j) c[r * ldc + j] = updated(acc[r][j], &c[r * ldc + j], update, j);
}

template <class T>
MicroKernel<T> micro_kernel() {
    if constexpr (std::is_same_v<T, float>)
        if (active.load(std::memory_order_relaxed) == Isa::avx2_fma) return avx2::micro_kernel;
    return portable_micro_kernel<T>;
}

// dst[s][p][r] = op(A)[row + s·MR + r][depth_begin + p], zero below the last row.
template <class T>
void pack_a(const Operand<T>& a, std::size_t row, std::size_t rows, std::size_t depth_begin, std::size_t depth,
            T* dst) {
    constexpr std::size_t mr = Blocking<T>::mr;
    for (std::size_t s = 0; s < rows; s += mr, dst += depth * mr) {
        const std::size_t height = std::min(mr, rows - s);
        if (height < mr) {
            for (std::size_t p = 0; p < depth; ++p)
                for (std::size_t r = 0; r < mr; ++r)
                    dst[p * mr + r] = r < height ? a.at(row + s + r, depth_begin + p) : T(0);
        } else if (a.trans == Transpose::no) {
            for (std::size_t r = 0; r < mr; ++r) {
                const T* source = a.data + (row + s + r) * a.ld + depth_begin;
                for (std::size_t p = 0; p < depth; ++p) dst[p * mr + r] = source[p];
            }
        } else {
            for (std::size_t p = 0; p < depth; ++p) {
                const T* source = a.data + (depth_begin + p) * a.ld + row + s;
                for (std::size_t r = 0; r < mr; ++r) dst[p * mr + r] = source[r];
            }
        }
    }
}

// dst[s][p][j] = op(B)[depth_begin + p][col + s·NR + j], zero right of the last column.
template <class T>
void pack_b(const Operand<T>& b, std::size_t depth_begin, std::size_t depth, std::size_t col, std::size_t cols,
            T* dst) {
    constexpr std::size_t nr = Blocking<T>::nr;
    for (std::size_t s = 0; s < cols; s += nr, dst += depth * nr) {
        const std::size_t width = std::min(nr, cols - s);
        if (width < nr) {
            for (std::size_t p = 0; p < depth; ++p)
                for (std::size_t j = 0; j < nr; ++j)
                    dst[p * nr + j] = j < width ? b.at(depth_begin + p, col + s + j) : T(0);
        } else if (b.trans == Transpose::no) {
            for (std::size_t p = 0; p < depth; ++p) {
                const T* source = b.data + (depth_begin + p) * b.ld + col + s;
                for (std::size_t j = 0; j < nr; ++j) dst[p * nr + j] = source[j];
            }
        } else {
            for (std::size_t j = 0; j < nr; ++j) {
                const T* source = b.data + (col + s + j) * b.ld + depth_begin;
                for (std::size_t p = 0; p < depth; ++p) dst[p * nr + j] = source[p];
            }
        }
    }
}

// The packed blocks of A and B, at their largest, one pair per thread and element type.
template <class T>
struct PackingBuffers {
    std::vector<T, AlignedAllocator<T>> a = std::vector<T, AlignedAllocator<T>>(Blocking<T>::mc * Blocking<T>::kc);
    std::vector<T, AlignedAllocator<T>> b = std::vector<T, AlignedAllocator<T>>(Blocking<T>::kc * Blocking<T>::nc);
};

template <class T>
PackingBuffers<T>& packing_buffers() {
    thread_local PackingBuffers<T> buffers;
    return buffers;
}

// One thread's block of C by the blocked scheme.
template <class T>
void packed_product(const Product<T>& product, const Block& block) {
    using B = Blocking<T>;
    PackingBuffers<T>& buffers = packing_buffers<T>();
    const MicroKernel<T> kernel = micro_kernel<T>();
    for (std::size_t jc = block.col_begin; jc < block.col_end; jc += B::nc) {
        const std::size_t nc = std::min(B::nc, block.col_end - jc);
        for (std::size_t pc = 0; pc < product.k; pc += B::kc) {
            const std::size_t kc = std::min(B::kc, product.k - pc);
            T* packed_b = buffers.b.data();
            pack_b(product.b, pc, kc, jc, nc, packed_b);
            for (std::size_t ic = block.row_begin; ic < block.row_end; ic += B::mc) {
                const std::size_t mc = std::min(B::mc, block.row_end - ic);
                T* packed_a = buffers.a.data();
                pack_a(product.a, ic, mc, pc, kc, packed_a);
                for (std::size_t jr = 0; jr < nc; jr += B::nr) {
                    const T* bias = product.epilogue.bias ? product.epilogue.bias + jc + jr : nullptr;
                    const TileUpdate<T> update{product.beta, pc == 0, pc + kc == product.k, bias,
                                               product.epilogue.relu};
                    for (std::size_t ir = 0; ir < mc; ir += B::mr)
                        kernel(kc, packed_a + ir * kc, packed_b + jr * kc, product.c + (ic + ir) * product.ldc + jc + jr,
                               product.ldc, std::min(B::mr, mc - ir), std::min(B::nr, nc - jr), update);
                }
            }
        }
    }
}

// c[j] ← TileUpdate(Σₚ op(A)[i][p] · op(B)[p][j]) for the block's columns of row i, unpacked.
template <class T>
void portable_row(const Product<T>& product, std::size_t i, const Block& block, const TileUpdate<T>& update) {
    constexpr std::size_t chunk = 64;
    T* c = product.c + i * product.ldc;
    for (std::size_t j0 = block.col_begin; j0 < block.col_end; j0 += chunk) {
        const std::size_t cols = std::min(chunk, block.col_end - j0);
        T acc[chunk] = {};
        for (std::size_t p = 0; p < product.k; ++p) {
            const T a_ip = product.a.at(i, p);
            for (std::size_t j = 0; j < cols; ++j) acc[j] += a_ip * product.b.at(p, j0 + j);
        }
        for (std::size_t j = 0; j < cols; ++j) c[j0 + j] = updated(acc[j], &c[j0 + j], update, j0 + j);
    }
}

template <class T>
void unpacked_product(const Product<T>& product, const Block& block) {
    const TileUpdate<T> update{product.beta, true, true, product.epilogue.bias, product.epilogue.relu};
    for (std::size_t i = block.row_begin; i < block.row_end; ++i) {
        if constexpr (std::is_same_v<T, float>) {
            if (active.load(std::memory_order_relaxed) == Isa::avx2_fma && product.b.trans == Transpose::no) {
                const std::size_t j = block.col_begin;
                TileUpdate<T> shifted = update;
                if (shifted.bias) shifted.bias += j;
                avx2::row_times_matrix(product.k, product.a.data + (product.a.trans == Transpose::no ? i * product.a.ld : i),
                                       product.a.column_step(), product.b.data + j, product.b.ld,
                                       product.c + i * product.ldc + j, block.col_end - j, shifted);
                continue;
            }
        }
        portable_row(product, i, block, update);
    }
}

// A product of a few hundred multiply-adds at most (a one-neuron layer), or none (k = 0, which
// leaves β·C and the epilogue): one plain loop.
template <class T>
void tiny_product(const Product<T>& product) {
    const TileUpdate<T> update{product.beta, true, true, product.epilogue.bias, product.epilogue.relu};
    for (std::size_t i = 0; i < product.m; ++i)
        for (std::size_t j = 0; j < product.n; ++j) {
            T acc = 0;
            for (std::size_t p = 0; p < product.k; ++p) acc += product.a.at(i, p) * product.b.at(p, j);
            T* c = product.c + i * product.ldc + j;
            *c = updated(acc, c, update, j);
        }
}

// Splits C into `parts` blocks of whole tiles along its longer side (unpacked: of columns, in
// steps of one AVX vector).
template <class T>
Block block_of(const Product<T>& product, std::size_t parts, std::size_t index, bool packed) {
    constexpr std::size_t vector_width = 8;
    const bool split_rows = packed && product.m > product.n;
    const std::size_t unit = split_rows ? Blocking<T>::mr : (packed ? Blocking<T>::nr : vector_width);
    const std::size_t extent = split_rows ? product.m : product.n;
    const Range units = split_evenly((extent + unit - 1) / unit, parts, index);
    const std::size_t begin = std::min(units.begin * unit, extent), end = std::min(units.end * unit, extent);
    return split_rows ? Block{begin, end, 0, product.n} : Block{0, product.m, begin, end};
}

template <class T>
void run(const Product<T>& product) {
    const std::size_t work = product.m * product.n * product.k;
    const bool packed = product.m >= Blocking<T>::mr && work >= packing_threshold;
    const std::size_t longest = std::max(product.m, product.n);
    const std::size_t parts = std::clamp<std::size_t>(
        std::min(work / min_work_per_part, longest / Blocking<T>::nr), 1, num_threads());
    parallel_for(parts, [&](std::size_t index) {
        const Block block = block_of(product, parts, index, packed);
        if (packed) packed_product(product, block);
        else unpacked_product(product, block);
    });
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
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Epilogue<T> epilogue) {
    const Product<T> product{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, beta, c, ldc, epilogue};
    if (m == 0 || n == 0) return;
    if (m * n * k <= tiny_threshold) tiny_product(product);
    else run(product);
}

template void gemm<float>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const float*, std::size_t,
                          const float*, std::size_t, float, float*, std::size_t, Epilogue<float>);
template void gemm<double>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const double*,
                           std::size_t, const double*, std::size_t, double, double*, std::size_t, Epilogue<double>);

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
