#pragma once
// ActivationLayer: Keras' Activation layer, y = f(x) with no weights.
#include "dense/activation.hpp"
#include "dense/layer.hpp"

namespace dense {

template <class T>
class BasicActivationLayer final : public Layer<T> {
public:
    explicit BasicActivationLayer(Activation activation, std::string name = {});

    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<BasicActivationLayer>(*this); }
    std::string_view type() const noexcept override { return "Activation"; }
    void build(std::size_t input_dim, Rng& rng) override;
    std::size_t output_dim() const noexcept override { return this->input_dim_; }
    const Matrix<T>& forward(const Matrix<T>& x, bool training, Rng& rng) override;
    std::size_t rows_apart() const noexcept override;
    const Matrix<T>& begin_rows(const Matrix<T>& x) override;
    void forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count) override;
    const Matrix<T>& backward(const Matrix<T>& dy, bool need_input_gradient) override;
    const Activation& activation() const noexcept { return activation_; }

private:
    Activation activation_;
    const Matrix<T>* input_ = nullptr;
    Matrix<T> y_, dx_;
};

using ActivationLayer = BasicActivationLayer<float>;

}  // namespace dense
