#pragma once
// The matrix product every Dense layer runs on, kept apart from model logic.
//   C[m×n] = op(A)[m×k] · op(B)[k×n] + β·C      (row-major; op(X) = X or Xᵀ)
// Dense uses it three ways: Z = X·W (forward), dW = Xᵀ·dZ and dX = dZ·Wᵀ (backward).
// An epilogue can finish each tile while it is still in registers: C ← relu(C + 1·biasᵀ), and
// C ← C ⊙ [G > 0] for a gate G shaped like C (the ReLU derivative of the layer below, given its
// output G = max(z, 0), applied to dX as it is made).
//
// Work is split over the threads of dense/threads.hpp by whole rows or columns of C (and a
// product of fewer than 6 rows also by the two blocks of k it sums apart when k is that deep),
// and every element is summed over k in the same blocks, each in order of k, whatever the split
// and whatever m: so results are bit-identical for any thread count on a given instruction set,
// and a row of C has the same bits whichever rows are multiplied with it (a prediction does not
// depend on its batch). The blocks depend on k and on op(A)'s layout alone (depth_step).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dense/matrix.hpp"

namespace dense::kernels {

enum class Transpose : bool { no = false, yes = true };

template <class T>
struct Epilogue {
    const T* bias = nullptr;  // n values added to every row of C, or none
    bool relu = false;        // then C ← max(C, 0)
    const T* gate = nullptr;  // m × n values, row stride ld_gate: C ← G > 0 ? C : 0
    std::size_t ld_gate = 0;
};

// All of a B packed as the blocked product reads it, and what it was packed from. Its owner
// keeps it beside B (a Dense layer beside its kernel W) so that products after the first read
// this copy instead of packing B again.
template <class T>
struct PackedB {
    struct Key {
        std::uint64_t version = 0;
        const T* data = nullptr;
        std::size_t ld = 0, k = 0, n = 0, depth_step = 0;
        Transpose trans = Transpose::no;
        bool operator==(const Key&) const = default;
    };
    Key key;
    std::vector<T, AlignedAllocator<T>> values;
};

// A B whose values stay the same as long as `version` does (never 0; a layer's weights_version):
// a product given one packs B whole into `packed` when that holds another version, address,
// shape or blocking, and otherwise reads it as it is. Results are the same bits either way.
template <class T>
struct StableB {
    PackedB<T>* packed = nullptr;
    std::uint64_t version = 0;
};

template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k,
          const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc,
          Epilogue<T> epilogue = {}, StableB<T> stable_b = {});

// For products computed part by part, each part a range of C's rows and A's (inference splits a
// batch's rows over the threads, each running every layer on its own rows): a part's product gives
// its rows of C bit for bit as the product of all rows does when it has at least
// min_rows_apart<T>(n, k) rows (then both go through the blocked scheme, whose sums for an element
// do not depend on the other rows). Parts that start at multiples of row_tile() leave a partial
// register tile to the last part only.
std::size_t row_tile() noexcept;
template <class T>
std::size_t min_rows_apart(std::size_t n, std::size_t k) noexcept;

// Makes `stable_b.packed` hold op(B) packed as gemm with these operands reads it, so that parts
// of one product running side by side only read it; gemm would pack it in each of them.
template <class T>
void keep_packed_b(Transpose trans_a, std::size_t lda, Transpose trans_b, std::size_t n, std::size_t k, const T* b,
                   std::size_t ldb, StableB<T> stable_b);

// Gives the calling thread its packing buffers now rather than in its first large product; the
// pool's threads call it when they start, so that no training step after the first allocates.
void prepare_thread();

// The instruction sets gemm<float> can run on. The best one the CPU has is chosen at start-up;
// tests and benchmarks switch to compare them.
enum class Isa { portable, avx2_fma };
Isa best_isa() noexcept;
Isa active_isa() noexcept;
// Throws std::invalid_argument for an instruction set this CPU lacks.
void use_isa(Isa isa);

}  // namespace dense::kernels
