#pragma once
// Dropout: during training, zeroes each input with probability `rate` and scales the rest by
// 1 / (1 - rate) (inverted dropout, as Keras); at inference it passes inputs through unchanged.
#include "dense/layer.hpp"

namespace dense {

template <class T>
class BasicDropout final : public Layer<T> {
public:
    explicit BasicDropout(double rate, std::string name = {});

    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<BasicDropout>(*this); }
    std::string_view type() const noexcept override { return "Dropout"; }
    void build(std::size_t input_dim, Rng& rng) override;
    std::size_t output_dim() const noexcept override { return this->input_dim_; }
    const Matrix<T>& forward(const Matrix<T>& x, bool training, Rng& rng) override;
    std::size_t rows_apart() const noexcept override;
    const Matrix<T>& begin_rows(const Matrix<T>& x) override;
    void forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count) override;
    const Matrix<T>& backward(const Matrix<T>& dy, bool need_input_gradient) override;
    double rate() const noexcept { return rate_; }

private:
    double rate_;
    bool last_was_training_ = false;
    Matrix<T> mask_, y_, dx_;
};

using Dropout = BasicDropout<float>;

}  // namespace dense
