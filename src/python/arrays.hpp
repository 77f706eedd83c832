#pragma once
// numpy arrays ↔ dense's Matrix and Tensor without copies. An input array's buffer is borrowed
// for the length of the call (the Python side hands over float32/float64 C-contiguous arrays,
// converting others once); a result moves into a capsule that the returned array keeps alive.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <utility>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/tensor.hpp"

namespace dense::python {

namespace nb = nanobind;

// What fit, evaluate and predict read: rows × features.
template <class T>
using InputArray = nb::ndarray<const T, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
// What predict writes into when given `out`.
template <class T>
using OutputArray = nb::ndarray<T, nb::ndim<2>, nb::c_contig, nb::device::cpu>;
// A weight array of any rank, as set_weights receives it.
template <class T>
using WeightArray = nb::ndarray<const T, nb::c_contig, nb::device::cpu>;
template <class T>
using NumpyArray = nb::ndarray<nb::numpy, T>;

// dense never writes into its inputs (fit, evaluate and predict take a const Matrix&), so a
// read-only array may be borrowed.
template <class T>
Matrix<T> borrow(const InputArray<T>& array) {
    return Matrix<T>::borrow(const_cast<T*>(array.data()), array.shape(0), array.shape(1));
}

template <class T>
Matrix<T> borrow(OutputArray<T>& array) {
    return Matrix<T>::borrow(array.data(), array.shape(0), array.shape(1));
}

template <class T>
NumpyArray<T> to_numpy(Matrix<T>&& matrix) {
    auto* owned = new Matrix<T>(std::move(matrix));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<Matrix<T>*>(p); });
    const std::size_t shape[2] = {owned->rows(), owned->cols()};
    return NumpyArray<T>(owned->data(), 2, shape, owner);
}

template <class T>
NumpyArray<T> to_numpy(Tensor<T>&& tensor) {
    auto* owned = new Tensor<T>(std::move(tensor));
    nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<Tensor<T>*>(p); });
    return NumpyArray<T>(owned->values.data(), owned->shape.size(), owned->shape.data(), owner);
}

template <class T>
nb::list to_numpy(std::vector<Tensor<T>>&& tensors) {
    nb::list arrays;
    for (auto& tensor : tensors) arrays.append(to_numpy(std::move(tensor)));
    return arrays;
}

template <class T>
Tensor<T> to_tensor(const WeightArray<T>& array) {
    std::vector<std::size_t> shape(array.ndim());
    for (std::size_t i = 0; i < shape.size(); ++i) shape[i] = array.shape(i);
    const T* values = array.data();
    return Tensor<T>(std::move(shape), std::vector<T>(values, values + array.size()));
}

}  // namespace dense::python
