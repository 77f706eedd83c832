// AVX2 forms of the element-wise kernels whose compiled scalar loops stay scalar (the
// compiler does not vectorize std::sqrt while it may set errno). Each lane computes exactly
// what the scalar loop of elementwise.cpp computes, without fused multiply-adds, so the result
// is the same bit for bit whichever form runs.
#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <cmath>

#include "kernels/elementwise_avx2.hpp"

namespace dense::kernels::avx2 {

__attribute__((target("avx2"))) void adam_update(std::size_t count, float* w, const float* g, float* m, float* v,
                                                 float alpha, float keep_1, float keep_2, float epsilon) {
    const __m256 k1 = _mm256_set1_ps(keep_1), k2 = _mm256_set1_ps(keep_2);
    const __m256 a = _mm256_set1_ps(alpha), e = _mm256_set1_ps(epsilon);
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 gi = _mm256_loadu_ps(g + i);
        __m256 mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
        mi = _mm256_add_ps(mi, _mm256_mul_ps(_mm256_sub_ps(gi, mi), k1));                     // m ← m + (g − m)(1 − β₁)
        vi = _mm256_add_ps(vi, _mm256_mul_ps(_mm256_sub_ps(_mm256_mul_ps(gi, gi), vi), k2));  // v ← v + (g² − v)(1 − β₂)
        const __m256 step = _mm256_div_ps(_mm256_mul_ps(a, mi), _mm256_add_ps(_mm256_sqrt_ps(vi), e));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));  // w ← w − α·m / (√v + ε)
    }
    for (; i < count; ++i) {
        m[i] += (g[i] - m[i]) * keep_1;
        v[i] += (g[i] * g[i] - v[i]) * keep_2;
        w[i] -= alpha * m[i] / (std::sqrt(v[i]) + epsilon);
    }
}

__attribute__((target("avx2"))) void rmsprop_update(std::size_t count, float* w, const float* g, float* v, float* m,
                                                    float rate, float rho, float momentum, float epsilon) {
    const __m256 r = _mm256_set1_ps(rho), keep = _mm256_set1_ps(1.0f - rho), lr = _mm256_set1_ps(rate);
    const __m256 e = _mm256_set1_ps(epsilon), mu = _mm256_set1_ps(momentum);
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 gi = _mm256_loadu_ps(g + i);
        const __m256 vi = _mm256_add_ps(_mm256_mul_ps(r, _mm256_loadu_ps(v + i)),
                                        _mm256_mul_ps(_mm256_mul_ps(keep, gi), gi));  // v ← ρ·v + (1 − ρ)·g²
        _mm256_storeu_ps(v + i, vi);
        __m256 step = _mm256_div_ps(_mm256_mul_ps(lr, gi), _mm256_sqrt_ps(_mm256_add_ps(vi, e)));  // Δ = lr·g / √(v + ε)
        if (m != nullptr) {
            step = _mm256_add_ps(_mm256_mul_ps(mu, _mm256_loadu_ps(m + i)), step);  // m ← μ·m + Δ
            _mm256_storeu_ps(m + i, step);
        }
        _mm256_storeu_ps(w + i, _mm256_sub_ps(_mm256_loadu_ps(w + i), step));  // w ← w − Δ (or − m)
    }
    for (; i < count; ++i) {
        v[i] = rho * v[i] + (1.0f - rho) * g[i] * g[i];
        float step = rate * g[i] / std::sqrt(v[i] + epsilon);
        if (m != nullptr) step = m[i] = momentum * m[i] + step;
        w[i] -= step;
    }
}

}  // namespace dense::kernels::avx2

#endif
