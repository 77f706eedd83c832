#pragma once
// Helpers the parts of BasicSequential share (sequential.cpp, trainer.cpp, inference.cpp).
#include <algorithm>
#include <cmath>
#include <span>
#include <string>

#include "dense/error.hpp"
#include "dense/matrix.hpp"
#include "dense/threads.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/parallel.hpp"

namespace dense::detail {

// "[rows, cols]"
inline std::string shape_text(std::size_t rows, std::size_t cols) {
    std::string text = "[";
    text += std::to_string(rows);
    text += ", ";
    text += std::to_string(cols);
    return text += "]";
}

// Rows [first, first + count) of m; the error names the first value that is not finite.
template <class T>
void require_finite(const Matrix<T>& m, const char* what, const char* role, std::size_t first = 0,
                    std::size_t count = std::size_t(-1)) {
    count = std::min(count, m.rows() - first);
    if (kernels::all_finite(std::span<const T>(m.row(first).data(), count * m.cols()))) return;
    for (std::size_t r = first; r < first + count; ++r)
        for (std::size_t c = 0; c < m.cols(); ++c)
            if (!std::isfinite(double(m(r, c))))
                throw DataError(std::string(what) + ": " + role + " row " + std::to_string(r) + ", column " +
                                std::to_string(c) + " is " + (std::isnan(double(m(r, c))) ? "NaN" : "infinite") +
                                "; remove or fill the values that are not finite first");
}

// Values a thread copies at least when gather_rows splits a batch over the pool (W2's batch of
// 128 images is 100 352).
inline constexpr std::size_t min_values_per_gather_part = 32768;

// Copies the given rows of x, in that order, into out: a large batch in parts of rows on the pool,
// so that the other thread does not wait while one copies.
template <class T>
void gather_rows(const Matrix<T>& x, std::span<const std::size_t> rows, Matrix<T>& out) {
    out.resize(rows.size(), x.cols());
    const std::size_t parts =
        std::clamp<std::size_t>(rows.size() * x.cols() / min_values_per_gather_part, 1, num_threads());
    kernels::parallel_for(parts, [&](std::size_t part) {
        const kernels::Range range = kernels::split_evenly(rows.size(), parts, part);
        for (std::size_t i = range.begin; i < range.end; ++i)
            std::copy_n(x.row(rows[i]).data(), x.cols(), out.row(i).data());
    });
}

}  // namespace dense::detail
