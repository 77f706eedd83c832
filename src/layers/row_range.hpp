#pragma once
// Rows [first, first + count) of a matrix as a matrix of their own, borrowing its memory: what a
// layer's forward_rows hands to code that takes whole matrices (an activation's apply).
#include <cstddef>

#include "dense/matrix.hpp"

namespace dense::detail {

template <class T>
Matrix<T> row_range(Matrix<T>& m, std::size_t first, std::size_t count) {
    return Matrix<T>::borrow(m.row(first).data(), count, m.cols());
}

// The same read-only: the view is const, so nothing writes through it.
template <class T>
const Matrix<T> row_range(const Matrix<T>& m, std::size_t first, std::size_t count) {
    return Matrix<T>::borrow(const_cast<T*>(m.row(first).data()), count, m.cols());
}

}  // namespace dense::detail
