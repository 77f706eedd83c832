#pragma once
// Element-wise kernels of the training step, each one pass over memory and, when long enough,
// split over the thread pool in fixed ranges (every element is computed the same way whatever
// the split, so results do not depend on the thread count).
#include <cstddef>
#include <span>

namespace dense::kernels {

// sums[j] = Σᵢ x[i][j] over the rows of a row-major rows × cols block (dL/db = Σ_rows dL/dz).
template <class T>
void column_sums(std::size_t rows, std::size_t cols, const T* x, std::size_t ldx, T* sums);

// dz[i] = gate[i] > 0 ? dy[i] : 0 (the ReLU derivative, from the ReLU's output).
template <class T>
void relu_gate(std::size_t count, const T* gate, const T* dy, T* dz);

// True when no value is NaN or infinite.
template <class T>
bool all_finite(std::span<const T> values);

// The same, copying the values to `copy` in the same pass (a copy left unfinished when a value
// is not finite).
template <class T>
bool copy_all_finite(std::span<const T> values, T* copy);

// One Adam step over a parameter block, in Keras' form:
//   m ← m + (g − m)(1 − β₁);  v ← v + (g² − v)(1 − β₂);  w ← w − α·m / (√v + ε)
// with α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) already folded in by the caller.
template <class T>
void adam_update(std::span<T> w, std::span<const T> g, std::span<T> m, std::span<T> v, T alpha, T beta_1, T beta_2,
                 T epsilon);

// One RMSprop step (not centered) over a parameter block, in Keras' form:
//   v ← ρ·v + (1 − ρ)·g²;  Δ = lr·g / √(v + ε);  w ← w − Δ
// or, with momentum μ > 0 (m not empty):  m ← μ·m + Δ;  w ← w − m.
template <class T>
void rmsprop_update(std::span<T> w, std::span<const T> g, std::span<T> v, std::span<T> m, T rate, T rho, T momentum,
                    T epsilon);

}  // namespace dense::kernels
