#pragma once
// Activation: the function a Dense layer applies to z = x·W + b, named as in Keras
// (dense::Activation("relu"), or dense::activations::relu). Values are computed by
// apply() and their derivatives by the backward pass of the layer that owns them.
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "dense/matrix.hpp"

namespace dense {

enum class ActivationKind {
    linear, relu, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh, softmax,
    softplus, softsign, swish, exponential, relu6, mish, hard_silu, log_softmax, relu_general
};

// Keras' ReLU layer (and keras.activations.relu) with its options, as Keras 3 computes it:
//   f(x) = min(x, max_value)              for x > threshold
//   f(x) = negative_slope · (x − threshold) otherwise
// Every option is ≥ 0, as Keras requires; max_value infinity is Keras' None.
struct ReluOptions {
    double max_value = std::numeric_limits<double>::infinity();
    double negative_slope = 0.0;
    double threshold = 0.0;
};

class Activation {
public:
    // Defaults to linear, as Keras' Dense(activation=None).
    Activation() = default;
    Activation(ActivationKind kind) : kind_(kind), alpha_(default_alpha(kind)) {}
    Activation(ActivationKind kind, double alpha) : kind_(kind), alpha_(alpha) {}
    // relu_general: Activation(ReluOptions{.max_value = 2, .threshold = 0.5}). Negative or NaN
    // options → UsageError.
    explicit Activation(ReluOptions options);
    // By name: "relu", "leaky_relu", "silu" (= "swish"), "linear" or "" ... Unknown → UsageError
    // listing the names that exist.
    Activation(std::string_view name);
    Activation(const char* name) : Activation(std::string_view(name)) {}
    Activation(const std::string& name) : Activation(std::string_view(name)) {}

    ActivationKind kind() const noexcept { return kind_; }
    // The slope for leaky_relu (Keras default 0.2) and the scale of elu's negative part (1.0).
    double alpha() const noexcept { return alpha_; }
    // relu_general's options (alpha() is its negative_slope); Keras' defaults for other kinds.
    ReluOptions relu_options() const noexcept { return {max_value_, alpha_, threshold_}; }
    std::string_view name() const noexcept;
    bool operator==(const Activation&) const = default;

    // a = f(z), row by row (softmax normalises each row).
    template <class T>
    void apply(const Matrix<T>& z, Matrix<T>& a) const;
    // dL/dz from dL/da, given z and a = f(z): dz = da ⊙ f'(z), or the softmax Jacobian per row.
    template <class T>
    void backward(const Matrix<T>& z, const Matrix<T>& a, const Matrix<T>& da, Matrix<T>& dz) const;

    static double default_alpha(ActivationKind kind) noexcept;
    // The names a user types, for error messages and --help. Activation(name) also takes
    // "relu_general", how a model file names Keras' ReLU with options (Activation(ReluOptions)).
    static std::string_view known_names() noexcept;

private:
    ActivationKind kind_ = ActivationKind::linear;
    double alpha_ = 0.0;
    double max_value_ = std::numeric_limits<double>::infinity();  // relu_general's
    double threshold_ = 0.0;                                      // relu_general's
};

namespace activations {
inline const Activation linear{ActivationKind::linear};
inline const Activation relu{ActivationKind::relu};
inline const Activation leaky_relu{ActivationKind::leaky_relu, 0.2};
inline const Activation elu{ActivationKind::elu, 1.0};
inline const Activation selu{ActivationKind::selu};
inline const Activation gelu{ActivationKind::gelu};
inline const Activation sigmoid{ActivationKind::sigmoid};
inline const Activation hard_sigmoid{ActivationKind::hard_sigmoid};
inline const Activation tanh{ActivationKind::tanh};
inline const Activation softmax{ActivationKind::softmax};
inline const Activation softplus{ActivationKind::softplus};
inline const Activation softsign{ActivationKind::softsign};
inline const Activation swish{ActivationKind::swish};
inline const Activation silu{ActivationKind::swish};
inline const Activation exponential{ActivationKind::exponential};
inline const Activation relu6{ActivationKind::relu6};
inline const Activation mish{ActivationKind::mish};
inline const Activation hard_silu{ActivationKind::hard_silu};
inline const Activation log_softmax{ActivationKind::log_softmax};
}  // namespace activations

}  // namespace dense
