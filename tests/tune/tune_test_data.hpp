#pragma once
// Small data sets for the tests of dense::tune, drawn from dense's seeded Rng.
#include <cmath>
#include <cstddef>
#include <utility>

#include "dense/matrix.hpp"
#include "dense/random.hpp"

namespace dense::tune::testing {

using Data = std::pair<Matrix<float>, Matrix<float>>;

// The articles' problem: y = 2x + 3 for x uniform in [-2, 2].
inline Data line_data(std::size_t rows = 200, std::uint64_t seed = 1) {
    Rng rng(seed);
    Matrix<float> x(rows, 1), y(rows, 1);
    for (std::size_t r = 0; r < rows; ++r) {
        x(r, 0) = static_cast<float>(rng.uniform(-2.0, 2.0));
        y(r, 0) = 2.0f * x(r, 0) + 3.0f;
    }
    return {x, y};
}

// `classes` Gaussian blobs in 2-D (σ = 0.3) centred on a circle of radius 2: nearly separable.
inline Data blob_data(std::size_t classes, std::size_t rows = 300, std::uint64_t seed = 2) {
    Rng rng(seed);
    Matrix<float> x(rows, 2), y(rows, 1);
    for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t label = r % classes;
        const double angle = 2.0 * 3.14159265358979 * static_cast<double>(label) / static_cast<double>(classes);
        x(r, 0) = static_cast<float>(2.0 * std::cos(angle) + 0.3 * rng.normal());
        x(r, 1) = static_cast<float>(2.0 * std::sin(angle) + 0.3 * rng.normal());
        y(r, 0) = static_cast<float>(label);
    }
    return {x, y};
}

}  // namespace dense::tune::testing
