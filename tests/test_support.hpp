#pragma once
// Helpers shared by the core tests: central finite differences, relative error, small data sets.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include <dense/dense.hpp>

namespace dense::testing {

// ∂f/∂vᵢ ≈ (f(v + h·eᵢ) − f(v − h·eᵢ)) / 2h for every element of `values`, which f reads.
inline std::vector<double> central_differences(std::span<double> values, const std::function<double()>& f,
                                               double h = 1e-6) {
    std::vector<double> gradient(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double kept = values[i];
        values[i] = kept + h;
        const double up = f();
        values[i] = kept - h;
        const double down = f();
        values[i] = kept;
        gradient[i] = (up - down) / (2 * h);
    }
    return gradient;
}

// |a − n| / max(|a|, |n|, floor): relative for gradients of ordinary size; the floor keeps
// components that are zero in both from dividing by nothing (it is then an absolute 1e-9).
inline double relative_error(double analytic, double numeric, double floor = 1e-3) {
    return std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), floor});
}

inline void expect_gradients_match(std::span<const double> analytic, std::span<const double> numeric,
                                   const char* what, double tolerance = 1e-6) {
    ASSERT_EQ(analytic.size(), numeric.size()) << what;
    for (std::size_t i = 0; i < analytic.size(); ++i)
        EXPECT_LT(relative_error(analytic[i], numeric[i]), tolerance)
            << what << "[" << i << "]: analytic " << analytic[i] << ", finite differences " << numeric[i];
}

// A rows × cols matrix of uniform values in [low, high), reproducible from the seed.
template <class T = double>
Matrix<T> uniform_matrix(std::size_t rows, std::size_t cols, double low, double high, std::uint64_t seed) {
    Rng rng(seed);
    Matrix<T> m(rows, cols);
    for (auto& v : m.values()) v = T(rng.uniform(low, high));
    return m;
}

// Rows [first, first + count) of m.
template <class T>
Matrix<T> take_rows(const Matrix<T>& m, std::size_t first, std::size_t count) {
    Matrix<T> out(count, m.cols());
    for (std::size_t r = 0; r < count; ++r)
        for (std::size_t c = 0; c < m.cols(); ++c) out(r, c) = m(first + r, c);
    return out;
}

}  // namespace dense::testing
