#include "dense/layers/dropout.hpp"

#include "dense/error.hpp"

namespace dense {

template <class T>
BasicDropout<T>::BasicDropout(double rate, std::string name) : rate_(rate) {
    if (!(rate >= 0.0 && rate < 1.0)) throw UsageError("Dropout: rate must be in [0, 1), got " + std::to_string(rate));
    this->set_name(std::move(name));
}

template <class T>
void BasicDropout<T>::build(std::size_t input_dim, Rng&) {
    this->input_dim_ = input_dim;
}

// Training: y = x ⊙ m / (1 − rate), mᵢ ~ Bernoulli(1 − rate). Inference: y = x.
template <class T>
const Matrix<T>& BasicDropout<T>::forward(const Matrix<T>& x, bool training, Rng& rng) {
    last_was_training_ = training && rate_ > 0.0;
    if (!last_was_training_) return x;
    const T keep_scale = T(1.0 / (1.0 - rate_));
    mask_.resize(x.rows(), x.cols());
    y_.resize(x.rows(), x.cols());
    for (std::size_t i = 0; i < x.size(); ++i) {
        mask_.data()[i] = rng.uniform() < rate_ ? T(0) : keep_scale;
        y_.data()[i] = x.data()[i] * mask_.data()[i];
    }
    return y_;
}

// Inference passes x on as it is, a part of the batch as well as the whole.
template <class T>
std::size_t BasicDropout<T>::rows_apart() const noexcept {
    return 1;
}

template <class T>
const Matrix<T>& BasicDropout<T>::begin_rows(const Matrix<T>& x) {
    last_was_training_ = false;
    return x;
}

template <class T>
void BasicDropout<T>::forward_rows(const Matrix<T>&, std::size_t, std::size_t) {}

// dL/dx = dL/dy ⊙ m / (1 − rate)
template <class T>
const Matrix<T>& BasicDropout<T>::backward(const Matrix<T>& dy, bool need_input_gradient) {
    if (!need_input_gradient) {
        dx_.resize(0, 0);
        return dx_;
    }
    if (!last_was_training_) return dy;
    dx_.resize(dy.rows(), dy.cols());
    for (std::size_t i = 0; i < dy.size(); ++i) dx_.data()[i] = dy.data()[i] * mask_.data()[i];
    return dx_;
}

template class BasicDropout<float>;
template class BasicDropout<double>;

}  // namespace dense
