#pragma once
// Dense: the fully-connected layer of the articles. Each of its `units` neurons computes
// y = f(Σ w·x + b); for a batch, Y = f(X·W + b) with the kernel W shaped [inputs, units].
#include <cstddef>
#include <memory>
#include <string>

#include "dense/activation.hpp"
#include "dense/initializer.hpp"
#include "dense/layer.hpp"
#include "dense/regularizer.hpp"

namespace dense {

// What a Dense layer's backward pass returns besides its parameter gradients.
enum class InputGradient {
    none,        // nothing (the first layer)
    plain,       // dL/dx
    relu_gated,  // dL/dx ⊙ [x > 0]: the dL/dz of the ReLU layer below, whose output x is
};

struct DenseOptions {
    std::size_t input_dim = 0;  // only needed on the first layer
    Activation activation = {};
    bool use_bias = true;
    Initializer kernel_initializer = InitializerKind::glorot_uniform;
    Initializer bias_initializer = InitializerKind::zeros;
    Regularizer kernel_regularizer = {};
    Regularizer bias_regularizer = {};
    std::string name = {};
};

namespace kernels {
template <class T>
struct PackedB;
template <class T>
struct StableB;
}  // namespace kernels

namespace detail {
// A Dense kernel packed for the products of inference, made on first use. A copy starts
// without one and packs its own: copies of a model may then predict on different threads.
template <class T>
class PackedKernel {
public:
    PackedKernel() noexcept;
    PackedKernel(const PackedKernel&) noexcept;
    PackedKernel& operator=(const PackedKernel&) noexcept;
    PackedKernel(PackedKernel&&) noexcept;
    PackedKernel& operator=(PackedKernel&&) noexcept;
    ~PackedKernel();
    kernels::PackedB<T>& get();

private:
    std::unique_ptr<kernels::PackedB<T>> packed_;
};
}  // namespace detail

template <class T>
class BasicDense final : public Layer<T> {
public:
    explicit BasicDense(std::size_t units, DenseOptions options = {});
    // Dense(4, "relu", {.input_dim = 1}), as Keras' Dense(4, activation="relu").
    BasicDense(std::size_t units, Activation activation, DenseOptions options = {});

    std::unique_ptr<Layer<T>> clone() const override { return std::make_unique<BasicDense>(*this); }
    std::string_view type() const noexcept override { return "Dense"; }
    std::size_t declared_input_dim() const noexcept override { return options_.input_dim; }
    void build(std::size_t input_dim, Rng& rng) override;
    std::size_t output_dim() const noexcept override { return units_; }

    const Matrix<T>& forward(const Matrix<T>& x, bool training, Rng& rng) override;
    std::size_t rows_apart() const noexcept override;
    const Matrix<T>& begin_rows(const Matrix<T>& x) override;
    void forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count) override;
    const Matrix<T>& backward(const Matrix<T>& dy, bool need_input_gradient) override;
    const Matrix<T>& backward(const Matrix<T>& dy, InputGradient input_gradient);
    // The same, when the caller already has dL/dz (softmax or sigmoid fused with cross-entropy,
    // or a gated gradient from the layer above).
    const Matrix<T>& backward_from_preactivation(const Matrix<T>& dz, InputGradient input_gradient);
    // z = x·W + b of a training step, without the activation: the logits of a loss that starts
    // from them. Its backward pass is backward_from_preactivation.
    const Matrix<T>& forward_logits(const Matrix<T>& x);

    std::vector<Parameter<T>> parameters() override;
    std::vector<Tensor<T>> get_weights() const override;
    void set_weights(const std::vector<Tensor<T>>& weights) override;

    std::size_t units() const noexcept { return units_; }
    const Activation& activation() const noexcept { return options_.activation; }
    bool use_bias() const noexcept { return options_.use_bias; }
    const DenseOptions& options() const noexcept { return options_; }
    // Kernel [inputs, units] and bias [units] as stored.
    const Matrix<T>& kernel() const noexcept { return kernel_; }
    std::span<const T> bias() const noexcept { return bias_.values(); }
    // z = x·W + b of the last forward, before the activation. A ReLU layer keeps only its output
    // max(z, 0), made in the same pass as z, and has no preactivation to show (empty).
    const Matrix<T>& preactivation() const noexcept { return z_; }

private:
    void check_input(const Matrix<T>& x) const;
    // Inference (keep_packed) reads W from packed_kernel_, packed again when weights_version() changes.
    const Matrix<T>& affine(const Matrix<T>& x, Matrix<T>& out, bool relu, bool keep_packed);
    kernels::StableB<T> kept_kernel();
    std::size_t units_;
    DenseOptions options_;
    Matrix<T> kernel_, bias_;                    // bias_ is 1 × units
    Matrix<T> kernel_grad_, bias_grad_;
    const Matrix<T>* input_ = nullptr;           // x of the last forward
    Matrix<T> z_, a_, dz_, dx_;
    detail::PackedKernel<T> packed_kernel_;
};

using Dense = BasicDense<float>;

}  // namespace dense
