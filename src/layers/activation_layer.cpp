#include "dense/layers/activation_layer.hpp"

#include "layers/row_range.hpp"

namespace dense {

template <class T>
BasicActivationLayer<T>::BasicActivationLayer(Activation activation, std::string name) : activation_(activation) {
    this->set_name(std::move(name));
}

template <class T>
void BasicActivationLayer<T>::build(std::size_t input_dim, Rng&) {
    this->input_dim_ = input_dim;
}

// y = f(x)
template <class T>
const Matrix<T>& BasicActivationLayer<T>::forward(const Matrix<T>& x, bool, Rng&) {
    input_ = &x;
    activation_.apply(x, y_);
    return y_;
}

// f works row by row (softmax normalises each row), so any rows can go apart.
template <class T>
std::size_t BasicActivationLayer<T>::rows_apart() const noexcept {
    return 1;
}

template <class T>
const Matrix<T>& BasicActivationLayer<T>::begin_rows(const Matrix<T>& x) {
    input_ = &x;
    y_.resize(x.rows(), x.cols());
    return y_;
}

template <class T>
void BasicActivationLayer<T>::forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count) {
    Matrix<T> rows = detail::row_range(y_, first, count);
    activation_.apply(detail::row_range(x, first, count), rows);
}

// dL/dx = dL/dy ⊙ f'(x)
template <class T>
const Matrix<T>& BasicActivationLayer<T>::backward(const Matrix<T>& dy, bool need_input_gradient) {
    if (!need_input_gradient) {
        dx_.resize(0, 0);
        return dx_;
    }
    activation_.backward(*input_, y_, dy, dx_);
    return dx_;
}

template class BasicActivationLayer<float>;
template class BasicActivationLayer<double>;

}  // namespace dense
