#pragma once
// The blocked matrix product (Goto/BLIS scheme): C is cut into column panels of NC, k into
// blocks of KC and rows into blocks of MC; each block of op(A) and op(B) is copied ("packed")
// into slivers of MR rows / NR columns laid out in the order the micro-kernel reads them, and
// the micro-kernel keeps an MR × NR tile of C in registers for a whole block of k.
// Products with fewer than MR rows, or too small to repay the copies, skip packing.
//
// This driver is compiled once per instruction set, with the kernels of that set as `Kernels`:
// gemm.cpp builds the portable one, gemm_avx2.cpp an AVX2 one whose packing and tile loops are
// AVX code too, because some CPUs stall on every switch between SSE and AVX code, which a
// product made of small tiles does thousands of times. Everything here has internal linkage,
// so the two compilations never stand in for each other.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "dense/threads.hpp"
#include "kernels/parallel.hpp"
#include "kernels/product.hpp"
#include "kernels/tile.hpp"

namespace dense::kernels {
namespace {

// Products of at least this many multiply-adds are packed; one part of a split gets at least
// min_work_per_part (unpacked: min_work_per_unpacked_part). An unpacked part's hand-off to another
// thread costs more than 32 768 multiply-adds save: W3's 256 × 128 layer at batch 1 on one thread
// took W3's batch-1 prediction from 10.2–11.5 to 9.2–9.9 µs when the cores are slow to hand over,
// and from 6.5–6.6 to 6.4–6.5 when they are quick.
constexpr std::size_t packing_threshold = 4096, min_work_per_part = 32768, min_work_per_unpacked_part = 65536;

// dst[s][p][r] = op(A)[row + s·MR + r][depth_begin + p], zero below the last row. Sliver s
// starts at dst + s·MR·depth.
template <class T, class Kernels>
void pack_a(const Operand<T>& a, std::size_t row, std::size_t rows, std::size_t depth_begin, std::size_t depth,
            T* dst) {
    constexpr std::size_t mr = Blocking<T>::mr;
    const std::size_t full = rows / mr * mr;  // rows in whole slivers
    if (a.trans == Transpose::no) {
        for (std::size_t s = 0; s < full; s += mr) {
            const T* source = a.data + (row + s) * a.ld + depth_begin;
            if constexpr (Kernels::transposes_in_registers) {
                Kernels::pack_rows(source, a.ld, depth, dst + s * depth);
            } else {
                for (std::size_t r = 0; r < mr; ++r)
                    for (std::size_t p = 0; p < depth; ++p) dst[s * depth + p * mr + r] = source[r * a.ld + p];
            }
        }
    } else {
        // op(A)[i][p] = A[p][i]: step p of every sliver comes from one run of A's row p, read
        // whole so that the prefetcher streams it (sliver by sliver, each 4 KiB-apart row would
        // be a fresh cache miss).
        for (std::size_t p = 0; p < depth; ++p) {
            const T* source = a.data + (depth_begin + p) * a.ld + row;
            for (std::size_t s = 0; s < full; s += mr) std::memcpy(dst + s * depth + p * mr, source + s, mr * sizeof(T));
        }
    }
    if (full == rows) return;
    T* last = dst + full * depth;
    for (std::size_t p = 0; p < depth; ++p)
        for (std::size_t r = 0; r < mr; ++r)
            last[p * mr + r] = full + r < rows ? a.at(row + full + r, depth_begin + p) : T(0);
}

// dst[s][p][j] = op(B)[depth_begin + p][col + s·NR + j], zero right of the last column. Sliver
// s starts at dst + s·NR·depth.
template <class T, class Kernels>
void pack_b(const Operand<T>& b, std::size_t depth_begin, std::size_t depth, std::size_t col, std::size_t cols,
            T* dst) {
    constexpr std::size_t nr = Blocking<T>::nr;
    const std::size_t full = cols / nr * nr;  // columns in whole slivers
    if (b.trans == Transpose::no) {
        // Step p of every sliver from one run of B's row p, read whole so that the prefetcher
        // streams B (sliver by sliver, each row would be a fresh cache miss).
        for (std::size_t p = 0; p < depth; ++p) {
            const T* source = b.data + (depth_begin + p) * b.ld + col;
            for (std::size_t s = 0; s < full; s += nr) std::memcpy(dst + s * depth + p * nr, source + s, nr * sizeof(T));
        }
    } else {
        for (std::size_t s = 0; s < full; s += nr) {
            if constexpr (Kernels::transposes_in_registers) {
                Kernels::pack_transposed(b.data + (col + s) * b.ld + depth_begin, b.ld, depth, dst + s * depth);
            } else {
                for (std::size_t j = 0; j < nr; ++j) {
                    const T* source = b.data + (col + s + j) * b.ld + depth_begin;
                    for (std::size_t p = 0; p < depth; ++p) dst[s * depth + p * nr + j] = source[p];
                }
            }
        }
    }
    if (full == cols) return;
    T* last = dst + full * depth;
    for (std::size_t p = 0; p < depth; ++p)
        for (std::size_t j = 0; j < nr; ++j)
            last[p * nr + j] = full + j < cols ? b.at(depth_begin + p, col + full + j) : T(0);
}

// Kernels whose micro-kernel can read A's sliver from the rows of a row-major op(A) (AVX2: six
// broadcasts a step from six rows cost no more than from a packed sliver) skip packing A, unless
// A's rows lie a multiple of 4 KiB apart: every 4 KiB maps to the same L1 set, and six rows there
// evict each other and B's sliver. Rows 1 or 2 KiB apart spread over four or two sets, and read
// in place they were faster than packed (W3's 256-wide layer at batch 256, 2 threads: 1.04×).
template <class T, class Kernels>
bool reads_a_in_place(const Product<T>& product) {
    constexpr std::size_t aliasing_stride = 4096;  // bytes
    if constexpr (Kernels::reads_rows_of_a)
        return product.a.trans == Transpose::no && product.a.ld * sizeof(T) % aliasing_stride != 0;
    return false;
}

// k in blocks of at most KC (KC_IN_PLACE when A is read in place), all of about the same depth
// (784 = 4 × 196 packed, 2 × 392 in place; not 3 × 256 + 16): a shallow last block would pay a
// whole tile's loads and stores for a few steps of k. Fewer, deeper blocks load and store each
// tile of C fewer times: W3 at batch 256 (784 deep), 10 alternating pairs, 1.10× with 2 × 392.
template <class T>
std::size_t depth_step(std::size_t k, bool a_in_place) {
    const std::size_t most = a_in_place ? Blocking<T>::kc_in_place : Blocking<T>::kc;
    const std::size_t blocks = (k + most - 1) / most;
    return (k + blocks - 1) / blocks;
}

// Slivers of NR columns that hold n columns.
template <class T>
std::size_t padded_columns(std::size_t n) {
    return (n + Blocking<T>::nr - 1) / Blocking<T>::nr * Blocking<T>::nr;
}

// Slivers of MR rows that hold m rows.
template <class T>
std::size_t padded_rows(std::size_t m) {
    return (m + Blocking<T>::mr - 1) / Blocking<T>::mr * Blocking<T>::mr;
}

// A B larger than this is packed by each product, as every B without a StableB is.
constexpr std::size_t max_kept_values = std::size_t(1) << 24;

// op(B) packed whole into the product's StableB, by the calling thread, unless it holds this B
// (the same version, address, shape and blocking) already: block (pc, jc) of depth kc starts at
// pc·padded_columns(n) + jc·kc. Null without a StableB or for a B too large to keep.
template <class T, class Kernels>
const T* kept_packed_b(const Product<T>& product) {
    PackedB<T>* kept = product.stable_b.packed;
    const std::size_t columns = padded_columns<T>(product.n), size = product.k * columns;
    if (!kept || product.stable_b.version == 0 || size > max_kept_values) return nullptr;
    const std::size_t step = depth_step<T>(product.k, reads_a_in_place<T, Kernels>(product));
    const typename PackedB<T>::Key key{product.stable_b.version, product.b.data, product.b.ld, product.k,
                                       product.n, step, product.b.trans};
    if (kept->key == key) return kept->values.data();
    kept->key = {};  // until the packing is whole
    kept->values.resize(size);
    for (std::size_t pc = 0; pc < product.k; pc += step) {
        const std::size_t kc = std::min(step, product.k - pc);
        for (std::size_t jc = 0; jc < product.n; jc += Blocking<T>::nc)
            pack_b<T, Kernels>(product.b, pc, kc, jc, std::min(Blocking<T>::nc, product.n - jc),
                               kept->values.data() + pc * columns + jc * kc);
    }
    kept->key = key;
    return kept->values.data();
}

// All of op(A) packed once, `parts` threads each packing a range of slivers, for a product that
// is then split into blocks of columns: without it each block packs every row of A again. Block
// pc of k (of depth kc) starts at pc·padded_rows(m), and its rows from ic at + ic·kc, each block
// laid out as pack_a lays out its own. Kept by the calling thread and grown, never shrunk.
constexpr std::size_t max_shared_a_values = std::size_t(1) << 22;

template <class T, class Kernels>
const T* shared_packed_a(const Product<T>& product, std::size_t parts) {
    thread_local std::vector<T, AlignedAllocator<T>> packed;
    const std::size_t rows = padded_rows<T>(product.m), step = depth_step<T>(product.k, false);
    if (packed.size() < rows * product.k) packed.resize(rows * product.k);
    T* const destination = packed.data();  // in a part, `packed` would name the worker's own
    parallel_for(parts, [&](std::size_t index) {
        const Range slivers = split_evenly(rows / Blocking<T>::mr, parts, index);
        const std::size_t first = slivers.begin * Blocking<T>::mr;
        const std::size_t count = std::min(slivers.end * Blocking<T>::mr, product.m) - first;
        for (std::size_t pc = 0; slivers.begin < slivers.end && pc < product.k; pc += step) {
            const std::size_t kc = std::min(step, product.k - pc);
            pack_a<T, Kernels>(product.a, first, count, pc, kc, destination + pc * rows + first * kc);
        }
    });
    return destination;
}

// The TileUpdate of the tile whose top-left element is C[row][col].
template <class T>
TileUpdate<T> update_at(const Product<T>& product, bool first, bool last, std::size_t row, std::size_t col) {
    const Epilogue<T>& e = product.epilogue;
    return tile_update(product.beta, first, last, e.bias, e.relu, e.gate, e.ld_gate, row, col);
}

template <class T, class Kernels>
void micro_in_place(const Product<T>& product, std::size_t row, std::size_t depth_begin, std::size_t kc,
                    const T* b_sliver, T* c, std::size_t rows, std::size_t cols, const TileUpdate<T>& update) {
    if constexpr (Kernels::reads_rows_of_a)
        Kernels::micro_rows(kc, product.a.data + row * product.a.ld + depth_begin, product.a.ld, b_sliver, c,
                            product.ldc, rows, cols, update);
}

// One thread's block of C by the blocked scheme. `kept_b`, when not null, is all of op(B) packed
// as kept_packed_b lays it out; `shared_a`, all of op(A) packed as shared_packed_a lays it out.
template <class T, class Kernels>
void packed_product(const Product<T>& product, const Block& block, const T* kept_b, const T* shared_a) {
    using B = Blocking<T>;
    PackingBuffers<T>& buffers = packing_buffers<T>();
    const bool in_place = reads_a_in_place<T, Kernels>(product);
    const std::size_t step = depth_step<T>(product.k, in_place), columns = padded_columns<T>(product.n);
    const std::size_t rows_of_shared_a = padded_rows<T>(product.m);
    for (std::size_t jc = block.col_begin; jc < block.col_end; jc += B::nc) {
        const std::size_t nc = std::min(B::nc, block.col_end - jc);
        for (std::size_t pc = 0; pc < product.k; pc += step) {
            const std::size_t kc = std::min(step, product.k - pc);
            const T* packed_b = kept_b ? kept_b + pc * columns + jc * kc : buffers.b.data();
            if (!kept_b) pack_b<T, Kernels>(product.b, pc, kc, jc, nc, buffers.b.data());
            for (std::size_t ic = block.row_begin; ic < block.row_end; ic += B::mc) {
                const std::size_t mc = std::min(B::mc, block.row_end - ic);
                const T* packed_a = shared_a ? shared_a + pc * rows_of_shared_a + ic * kc : buffers.a.data();
                if (!in_place && !shared_a) pack_a<T, Kernels>(product.a, ic, mc, pc, kc, buffers.a.data());
                for (std::size_t jr = 0; jr < nc; jr += B::nr)
                    for (std::size_t ir = 0; ir < mc; ir += B::mr) {
                        T* c = product.c + (ic + ir) * product.ldc + jc + jr;
                        const std::size_t rows = std::min(B::mr, mc - ir), cols = std::min(B::nr, nc - jr);
                        const TileUpdate<T> update =
                            update_at(product, pc == 0, pc + kc == product.k, ic + ir, jc + jr);
                        const T* b_sliver = packed_b + jr * kc;
                        if (!in_place) Kernels::micro(kc, packed_a + ir * kc, b_sliver, c, product.ldc, rows, cols, update);
                        else micro_in_place<T, Kernels>(product, ic + ir, pc, kc, b_sliver, c, rows, cols, update);
                    }
            }
        }
    }
}

// c[j] ← TileUpdate(Σ over p in [depth_begin, depth_begin + depth) of op(A)[i][p] · op(B)[p][j])
// for columns j in [col_begin, col_end) of row i, unpacked; `c` and `update` start at col_begin.
template <class T>
void portable_row(const Product<T>& product, std::size_t i, std::size_t depth_begin, std::size_t depth,
                  Range columns, T* c, const TileUpdate<T>& update) {
    constexpr std::size_t chunk = 64;
    for (std::size_t j0 = columns.begin; j0 < columns.end; j0 += chunk) {
        const std::size_t cols = std::min(chunk, columns.end - j0);
        T acc[chunk] = {};
        for (std::size_t p = depth_begin; p < depth_begin + depth; ++p) {
            const T a_ip = product.a.at(i, p);
            for (std::size_t j = 0; j < cols; ++j) acc[j] += a_ip * product.b.at(p, j0 + j);
        }
        const std::size_t offset = j0 - columns.begin;
        for (std::size_t j = 0; j < cols; ++j) c[offset + j] = updated(acc[j], &c[offset + j], update, 0, offset + j);
    }
}

// Unpacked products (fewer than MR rows, or too small to pack): each row of C straight from op(A)
// and op(B), k in the blocks the packed scheme would take for the same op(A) (depth_step), each
// summed from zero and added in order: a row's sums then have the same bits whatever the number
// of rows, unpacked, packed or tiny (k ≤ KC is one block everywhere). With two blocks (784 deep:
// 2 × 392) and more than one part, each thread can take one block and reads a contiguous half of
// B, which stays in its core's L2 cache from one call to the next (a batch-1 prediction reads all
// of B for only k·n multiply-adds; at 784 × 256 a whole B does not fit one core's L2, half of it
// does). Otherwise the parts split the columns.
constexpr std::size_t row_unit = 8;  // columns: one AVX vector

// The calling thread's room for the second block's sums when the blocks run on different threads.
template <class T>
T* second_half_sums(std::size_t count) {
    thread_local std::vector<T> sums;
    if (sums.size() < count) sums.resize(count);
    return sums.data();
}

template <class T, class Kernels>
void unpacked_product(const Product<T>& product, std::size_t parts) {
    const std::size_t m = product.m, n = product.n;
    const std::size_t step = depth_step<T>(product.k, reads_a_in_place<T, Kernels>(product));
    const std::size_t blocks = (product.k + step - 1) / step;
    const bool halves_apart = blocks == 2 && parts > 1;
    // The second block's sums wait in `apart` and are added after, when it runs on other threads.
    T* apart = halves_apart ? second_half_sums<T>(m * n) : nullptr;
    const TileUpdate<T> kept{T(0), true, false, nullptr, false, nullptr, 0};  // C ← acc
    auto run_blocks = [&](std::size_t first, std::size_t end, Range columns, bool set_apart) {
        for (std::size_t block = first; block < end; ++block)
            for (std::size_t i = 0; i < m; ++i) {
                T* c = set_apart ? apart + i * n : product.c + i * product.ldc;
                const TileUpdate<T> update =
                    set_apart ? kept : update_at(product, block == 0, block + 1 == blocks, i, columns.begin);
                const std::size_t depth_begin = block * step;
                Kernels::row(product, i, depth_begin, std::min(step, product.k - depth_begin), columns, c + columns.begin,
                             update);
            }
    };
    const std::size_t units = (n + row_unit - 1) / row_unit;
    auto columns_of = [&](std::size_t part, std::size_t of) {
        const Range range = split_evenly(units, of, part);
        return Range{std::min(range.begin * row_unit, n), std::min(range.end * row_unit, n)};
    };
    if (parts == 1) return run_blocks(0, blocks, {0, n}, false);
    if (!halves_apart)
        return parallel_for(parts, [&](std::size_t index) { run_blocks(0, blocks, columns_of(index, parts), false); });
    // The first parts take the first block, the others the second, each a range of columns.
    const std::size_t first_half_parts = (parts + 1) / 2;
    parallel_for(parts, [&](std::size_t index) {
        if (index < first_half_parts) run_blocks(0, 1, columns_of(index, first_half_parts), false);
        else run_blocks(1, 2, columns_of(index - first_half_parts, parts - first_half_parts), true);
    });
    for (std::size_t i = 0; i < m; ++i) {  // C ← C + the second block's sums, then the epilogue
        const TileUpdate<T> update = update_at(product, false, true, i, 0);
        T* c = product.c + i * product.ldc;
        for (std::size_t j = 0; j < n; ++j) c[j] = updated(apart[i * n + j], &c[j], update, 0, j);
    }
}

// Splits C into `parts` blocks of whole tiles along its rows or its columns.
template <class T>
Block block_of(const Product<T>& product, bool split_rows, std::size_t parts, std::size_t index) {
    const std::size_t unit = split_rows ? Blocking<T>::mr : Blocking<T>::nr;
    const std::size_t extent = split_rows ? product.m : product.n;
    const Range units = split_evenly((extent + unit - 1) / unit, parts, index);
    const std::size_t begin = std::min(units.begin * unit, extent), end = std::min(units.end * unit, extent);
    return split_rows ? Block{begin, end, 0, product.n} : Block{0, product.m, begin, end};
}

// A product whose B is kept packed can be split into blocks of rows that pack nothing but their
// own rows of A; one whose A is read in place, into blocks of columns that pack only their own
// columns of B; one whose A is packed once for all (shared_packed_a), the same. Then several
// parts per thread cost next to nothing, and threads that take them as they come free even out
// a core slowed by another process, and an uneven last tile. (Eight a thread beat four and two:
// W3 batch 256, 2 threads, six alternating runs, median 281 k samples per second against 269 k
// with four; W2 at batch 128, 0.56–0.66 s an epoch against 0.67–0.75.) Blocks of columns that
// share a packed A pack their own columns of B from rows 4 KiB apart, in shorter runs the finer
// the blocks: four a thread there (W4, 12 alternating runs: median step 0.97 of one block a
// thread, eight 0.95 with more time in packing B).
constexpr std::size_t parts_per_thread_when_free = 8, parts_per_thread_sharing_a = 4;

// The whole product, split over the pool when it is large enough to repay waking it: finely
// along a side that costs no extra packing (A packed once and shared, for a split into blocks of
// columns, unless it is too large to keep), else one block a thread along the longer side of C.
template <class T, class Kernels>
void run_product(const Product<T>& product) {
    const std::size_t work = product.m * product.n * product.k;
    const bool packed = product.m >= Blocking<T>::mr && work >= packing_threshold;
    const std::size_t longest = std::max(product.m, product.n);
    if (!packed) {  // two blocks of k, each read from its own core's cache, repay a split sooner
        const std::size_t parts = std::clamp<std::size_t>(work / min_work_per_unpacked_part, 1, num_threads());
        return unpacked_product<T, Kernels>(product, parts);
    }
    std::size_t parts = std::clamp<std::size_t>(
        std::min(work / min_work_per_part, longest / Blocking<T>::nr), 1, num_threads());
    const T* kept_b = kept_packed_b<T, Kernels>(product);
    const T* shared_a = nullptr;
    const std::size_t row_tiles = (product.m + Blocking<T>::mr - 1) / Blocking<T>::mr;
    const std::size_t column_slivers = (product.n + Blocking<T>::nr - 1) / Blocking<T>::nr;
    const bool in_place = reads_a_in_place<T, Kernels>(product);
    const bool shares_a = !in_place && padded_rows<T>(product.m) * product.k <= max_shared_a_values;
    bool split_rows = product.m > product.n;
    if (parts > 1 && kept_b && row_tiles >= parts) {
        parts = std::min(row_tiles, parts * parts_per_thread_when_free);
        split_rows = true;
    } else if (parts > 1 && (in_place || shares_a) && column_slivers >= parts) {
        if (shares_a) shared_a = shared_packed_a<T, Kernels>(product, parts);
        parts = std::min(column_slivers, parts * (shares_a ? parts_per_thread_sharing_a : parts_per_thread_when_free));
        split_rows = false;
    }
    parallel_for(parts, [&](std::size_t index) {
        packed_product<T, Kernels>(product, block_of(product, split_rows, parts, index), kept_b, shared_a);
    });
}

}  // namespace
}  // namespace dense::kernels
