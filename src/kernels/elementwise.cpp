#include "kernels/elementwise.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "dense/threads.hpp"
#include "kernels/elementwise_avx2.hpp"
#include "kernels/gemm.hpp"
#include "kernels/parallel.hpp"

namespace dense::kernels {

namespace {

// Below this many elements a pass is cheaper than waking the pool.
constexpr std::size_t min_elements_per_part = 1 << 15;

// The pool's side of for_ranges, a function of its own that takes its copy of the body: the
// caller's values then stay in registers on the short path.
template <class Body>
[[gnu::noinline]] void for_ranges_on_pool(std::size_t count, const Body body) {
    const std::size_t parts = std::clamp<std::size_t>(count / min_elements_per_part, 1, num_threads());
    parallel_for(parts, [&](std::size_t index) {
        const Range range = split_evenly(count, parts, index);
        body(range.begin, range.end);
    });
}

// Runs body(begin, end) over [0, count) in pieces of at least min_elements_per_part. Fewer than
// two pieces' worth run on the caller at once, without asking the pool how many threads it has:
// the one-neuron network's Adam blocks are one value each, and its whole epoch a few thousand
// instructions.
template <class Body>
void for_ranges(std::size_t count, const Body& body) {
    if (count < 2 * min_elements_per_part) return body(0, count);
    for_ranges_on_pool(count, body);
}

// True when no value's exponent field is all ones (IEEE 754: infinite or NaN); when `copying`,
// also copies the values to `copy`. Counts such words per chunk with whole-word bit tests, which
// the compiler turns into a compare and a subtract per vector; a chunk's count fits the word and
// lets a bad value end the pass early.
template <bool copying, class T>
bool finite_range(const T* values, std::size_t begin, std::size_t end, T* copy) {
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    constexpr Bits exponent = sizeof(T) == 4 ? Bits(0x7F800000u) : Bits(0x7FF0000000000000ull);
    constexpr std::size_t chunk = 4096;
    for (std::size_t first = begin; first < end; first += chunk) {
        const std::size_t last = std::min(end, first + chunk);
        Bits not_finite = 0;
        for (std::size_t i = first; i < last; ++i) {
            if constexpr (copying) copy[i] = values[i];
            not_finite += Bits((std::bit_cast<Bits>(values[i]) & exponent) == exponent);
        }
        if (not_finite != 0) return false;
    }
    return true;
}

template <bool copying, class T>
bool finite_pass(std::span<const T> values, T* copy) {
    std::atomic<bool> finite{true};
    for_ranges(values.size(), [&](std::size_t begin, std::size_t end) {
        if (!finite_range<copying>(values.data(), begin, end, copy)) finite.store(false, std::memory_order_relaxed);
    });
    return finite.load(std::memory_order_relaxed);
}

}  // namespace

template <class T>
bool all_finite(std::span<const T> values) {
    return finite_pass<false>(values, static_cast<T*>(nullptr));
}

template <class T>
bool copy_all_finite(std::span<const T> values, T* copy) {
    return finite_pass<true>(values, copy);
}

template <class T>
void column_sums(std::size_t rows, std::size_t cols, const T* x, std::size_t ldx, T* sums) {
    if (rows == 0) return std::fill(sums, sums + cols, T(0));
    constexpr std::size_t narrow = 8;  // fewer columns than a vector holds: sum each down its column
    if (cols < narrow) {
        for (std::size_t j = 0; j < cols; ++j) {
            T sum = x[j];
            for (std::size_t i = 1; i < rows; ++i) sum += x[i * ldx + j];  // Σᵢ x[i][j], in row order
            sums[j] = sum;
        }
        return;
    }
    std::copy_n(x, cols, sums);
    for (std::size_t i = 1; i < rows; ++i) {
        const T* row = x + i * ldx;
        for (std::size_t j = 0; j < cols; ++j) sums[j] += row[j];
    }
}

template <class T>
void relu_gate(std::size_t count, const T* gate, const T* dy, T* dz) {
    for (std::size_t i = 0; i < count; ++i) dz[i] = gate[i] > T(0) ? dy[i] : T(0);
}

// The scalar loop; the AVX2 form computes the same values eight at a time. w, g, m and v are
// distinct arrays: told so, the compiler does not test them for overlap before a one-value block.
template <class T>
void adam_range(std::size_t begin, std::size_t end, T* __restrict w, const T* __restrict g, T* __restrict m,
                T* __restrict v, T alpha, T keep_1, T keep_2, T epsilon) {
    constexpr std::size_t vector_width = 8;  // the AVX2 form's floats per step; fewer take the scalar loop
    if constexpr (std::is_same_v<T, float>) {
        if (end - begin >= vector_width && active_isa() == Isa::avx2_fma) {
            avx2::adam_update(end - begin, w + begin, g + begin, m + begin, v + begin, alpha, keep_1, keep_2, epsilon);
            return;
        }
    }
    for (std::size_t i = begin; i < end; ++i) {
        m[i] += (g[i] - m[i]) * keep_1;                      // m ← m + (g − m)(1 − β₁)
        v[i] += (g[i] * g[i] - v[i]) * keep_2;               // v ← v + (g² − v)(1 − β₂)
        w[i] -= alpha * m[i] / (std::sqrt(v[i]) + epsilon);  // w ← w − α·m / (√v + ε)
    }
}

template <class T>
void adam_update(std::span<T> w, std::span<const T> g, std::span<T> m, std::span<T> v, T alpha, T beta_1, T beta_2,
                 T epsilon) {
    for_ranges(w.size(), [=](std::size_t begin, std::size_t end) {
        adam_range(begin, end, w.data(), g.data(), m.data(), v.data(), alpha, T(1) - beta_1, T(1) - beta_2, epsilon);
    });
}

// The scalar loop of rmsprop_update; the AVX2 form computes the same values eight at a time.
template <class T>
void rmsprop_range(std::size_t begin, std::size_t end, T* __restrict w, const T* __restrict g, T* __restrict v,
                   T* __restrict m, T rate, T rho, T momentum, T epsilon) {
    constexpr std::size_t vector_width = 8;
    if constexpr (std::is_same_v<T, float>) {
        if (end - begin >= vector_width && active_isa() == Isa::avx2_fma) {
            avx2::rmsprop_update(end - begin, w + begin, g + begin, v + begin, m ? m + begin : nullptr, rate, rho,
                                 momentum, epsilon);
            return;
        }
    }
    for (std::size_t i = begin; i < end; ++i) {
        v[i] = rho * v[i] + (T(1) - rho) * g[i] * g[i];      // v ← ρ·v + (1 − ρ)·g²
        T step = rate * g[i] / std::sqrt(v[i] + epsilon);    // Δ = lr·g / √(v + ε)
        if (m != nullptr) step = m[i] = momentum * m[i] + step;  // m ← μ·m + Δ
        w[i] -= step;                                        // w ← w − Δ (or − m)
    }
}

template <class T>
void rmsprop_update(std::span<T> w, std::span<const T> g, std::span<T> v, std::span<T> m, T rate, T rho, T momentum,
                    T epsilon) {
    T* const momentum_slot = m.empty() ? nullptr : m.data();
    for_ranges(w.size(), [=](std::size_t begin, std::size_t end) {
        rmsprop_range(begin, end, w.data(), g.data(), v.data(), momentum_slot, rate, rho, momentum, epsilon);
    });
}

template bool all_finite<float>(std::span<const float>);
template bool all_finite<double>(std::span<const double>);
template bool copy_all_finite<float>(std::span<const float>, float*);
template bool copy_all_finite<double>(std::span<const double>, double*);
template void column_sums<float>(std::size_t, std::size_t, const float*, std::size_t, float*);
template void column_sums<double>(std::size_t, std::size_t, const double*, std::size_t, double*);
template void relu_gate<float>(std::size_t, const float*, const float*, float*);
template void relu_gate<double>(std::size_t, const double*, const double*, double*);
template void adam_update<float>(std::span<float>, std::span<const float>, std::span<float>, std::span<float>, float,
                                 float, float, float);
template void adam_update<double>(std::span<double>, std::span<const double>, std::span<double>, std::span<double>,
                                  double, double, double, double);
template void rmsprop_update<float>(std::span<float>, std::span<const float>, std::span<float>, std::span<float>, float,
                                    float, float, float);
template void rmsprop_update<double>(std::span<double>, std::span<const double>, std::span<double>,
                                     std::span<double>, double, double, double, double);

}  // namespace dense::kernels
