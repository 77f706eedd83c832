#include "dense/layers/activation_layer.hpp"

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
