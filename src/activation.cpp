#include "dense/activation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>
#include <type_traits>
#include <utility>

#include "dense/error.hpp"

namespace dense {

namespace {

struct NamedActivation {
    std::string_view name;
    ActivationKind kind;
};

constexpr std::array kActivationNames{
    NamedActivation{"linear", ActivationKind::linear},       NamedActivation{"relu", ActivationKind::relu},
    NamedActivation{"leaky_relu", ActivationKind::leaky_relu}, NamedActivation{"elu", ActivationKind::elu},
    NamedActivation{"selu", ActivationKind::selu},           NamedActivation{"gelu", ActivationKind::gelu},
    NamedActivation{"sigmoid", ActivationKind::sigmoid},     NamedActivation{"hard_sigmoid", ActivationKind::hard_sigmoid},
    NamedActivation{"tanh", ActivationKind::tanh},           NamedActivation{"softmax", ActivationKind::softmax},
    NamedActivation{"softplus", ActivationKind::softplus},   NamedActivation{"softsign", ActivationKind::softsign},
    NamedActivation{"swish", ActivationKind::swish},         NamedActivation{"silu", ActivationKind::swish},
    NamedActivation{"exponential", ActivationKind::exponential}, NamedActivation{"relu6", ActivationKind::relu6},
    NamedActivation{"mish", ActivationKind::mish},           NamedActivation{"hard_silu", ActivationKind::hard_silu},
    NamedActivation{"hard_swish", ActivationKind::hard_silu}, NamedActivation{"log_softmax", ActivationKind::log_softmax},
    NamedActivation{"relu_general", ActivationKind::relu_general},
};

// SELU's constants (Klambauer et al. 2017, as in Keras).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

template <class T>
T sigmoid(T z) {
    return T(1) / (T(1) + std::exp(-z));
}

// Standard normal CDF Φ(z) = ½(1 + erf(z/√2)) and density φ(z) = e^(−z²/2)/√(2π).
template <class T>
T normal_cdf(T z) {
    return T(0.5) * (T(1) + std::erf(z / T(std::numbers::sqrt2)));
}
template <class T>
T normal_pdf(T z) {
    return std::exp(T(-0.5) * z * z) / T(std::sqrt(2.0 * std::numbers::pi));
}

template <class T, class F>
void map(const Matrix<T>& in, Matrix<T>& out, F f) {
    out.resize(in.rows(), in.cols());
    const T* x = in.data();
    T* y = out.data();
    for (std::size_t i = 0, n = in.size(); i < n; ++i) y[i] = f(x[i]);
}

// dz = da ⊙ g(z, a), element by element.
template <class T, class G>
void chain(const Matrix<T>& z, const Matrix<T>& a, const Matrix<T>& da, Matrix<T>& dz, G g) {
    dz.resize(z.rows(), z.cols());
    for (std::size_t i = 0, n = z.size(); i < n; ++i) dz.data()[i] = da.data()[i] * g(z.data()[i], a.data()[i]);
}

// One row's max m and Σⱼ e^(zⱼ − m), the shift that keeps e^z finite.
template <class Row>
auto max_and_shifted_exp_sum(const Row& in) {
    const auto top = *std::max_element(in.begin(), in.end());
    std::remove_const_t<decltype(top)> sum = 0;
    for (const auto v : in) sum += std::exp(v - top);
    return std::pair{top, sum};
}

// softmax(z)ᵢ = e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z), per row.
template <class T>
void softmax_rows(const Matrix<T>& z, Matrix<T>& a) {
    a.resize(z.rows(), z.cols());
    for (std::size_t r = 0; r < z.rows(); ++r) {
        const auto in = z.row(r);
        const auto out = a.row(r);
        const auto [top, sum] = max_and_shifted_exp_sum(in);
        for (std::size_t c = 0; c < in.size(); ++c) out[c] = std::exp(in[c] - top) / sum;
    }
}

// log_softmax(z)ᵢ = zᵢ − max z − log Σⱼ e^(zⱼ − max z), per row.
template <class T>
void log_softmax_rows(const Matrix<T>& z, Matrix<T>& a) {
    a.resize(z.rows(), z.cols());
    for (std::size_t r = 0; r < z.rows(); ++r) {
        const auto in = z.row(r);
        const auto out = a.row(r);
        const auto [top, sum] = max_and_shifted_exp_sum(in);
        for (std::size_t c = 0; c < in.size(); ++c) out[c] = in[c] - top - std::log(sum);
    }
}

// dzᵢ = daᵢ − e^(aᵢ)·Σⱼ daⱼ (e^a is the softmax), per row.
template <class T>
void log_softmax_backward(const Matrix<T>& a, const Matrix<T>& da, Matrix<T>& dz) {
    dz.resize(a.rows(), a.cols());
    for (std::size_t r = 0; r < a.rows(); ++r) {
        const auto ar = a.row(r), dar = da.row(r);
        const auto dzr = dz.row(r);
        T total = 0;
        for (const T v : dar) total += v;
        for (std::size_t c = 0; c < ar.size(); ++c) dzr[c] = dar[c] - std::exp(ar[c]) * total;
    }
}

template <class T>
T softplus(T z) {
    return std::max(z, T(0)) + std::log1p(std::exp(-std::abs(z)));
}

// dzᵢ = aᵢ · (daᵢ − Σⱼ daⱼ·aⱼ): the softmax Jacobian applied to da, per row.
template <class T>
void softmax_backward(const Matrix<T>& a, const Matrix<T>& da, Matrix<T>& dz) {
    dz.resize(a.rows(), a.cols());
    for (std::size_t r = 0; r < a.rows(); ++r) {
        const auto ar = a.row(r), dar = da.row(r);
        const auto dzr = dz.row(r);
        T dot = 0;
        for (std::size_t c = 0; c < ar.size(); ++c) dot += dar[c] * ar[c];
        for (std::size_t c = 0; c < ar.size(); ++c) dzr[c] = ar[c] * (dar[c] - dot);
    }
}

}  // namespace

Activation::Activation(std::string_view name) {
    if (name.empty() || name == "none" || name == "None") return;
    for (const auto& entry : kActivationNames) {
        if (entry.name == name) {
            kind_ = entry.kind;
            alpha_ = default_alpha(kind_);
            return;
        }
    }
    throw UsageError("unknown activation '" + std::string(name) + "'; use one of: " + std::string(known_names()));
}

Activation::Activation(ReluOptions options)
    : kind_(ActivationKind::relu_general),
      alpha_(options.negative_slope),
      max_value_(options.max_value),
      threshold_(options.threshold) {
    // !(v >= 0) also catches NaN.
    if (!(options.max_value >= 0) || !(options.negative_slope >= 0) || !(options.threshold >= 0) ||
        !std::isfinite(options.negative_slope) || !std::isfinite(options.threshold))
        throw UsageError("relu: max_value (" + std::to_string(options.max_value) + "), negative_slope (" +
                         std::to_string(options.negative_slope) + ") and threshold (" + std::to_string(options.threshold) +
                         ") must be numbers >= 0, as in Keras (max_value may be infinite: no maximum)");
}

double Activation::default_alpha(ActivationKind kind) noexcept {
    switch (kind) {
        case ActivationKind::leaky_relu: return 0.2;
        case ActivationKind::elu: return 1.0;
        default: return 0.0;
    }
}

std::string_view Activation::name() const noexcept {
    for (const auto& entry : kActivationNames)
        if (entry.kind == kind_) return entry.name;
    return "linear";
}

std::string_view Activation::known_names() noexcept {
    return "linear, relu, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, tanh, softmax, softplus, softsign, "
           "swish (silu), exponential, relu6, mish, hard_silu (hard_swish), log_softmax";
}

template <class T>
void Activation::apply(const Matrix<T>& z, Matrix<T>& a) const {
    const T alpha = T(alpha_);
    switch (kind_) {
        case ActivationKind::linear: return map(z, a, [](T v) { return v; });
        case ActivationKind::relu: return map(z, a, [](T v) { return v > T(0) ? v : T(0); });
        case ActivationKind::leaky_relu: return map(z, a, [=](T v) { return v > T(0) ? v : alpha * v; });
        // elu: z, or α(e^z − 1) for z ≤ 0
        case ActivationKind::elu: return map(z, a, [=](T v) { return v > T(0) ? v : alpha * std::expm1(v); });
        // selu: λ·z, or λ·α(e^z − 1) for z ≤ 0
        case ActivationKind::selu:
            return map(z, a, [](T v) { return T(kSeluScale) * (v > T(0) ? v : T(kSeluAlpha) * std::expm1(v)); });
        // gelu (exact, Keras' default): z·Φ(z)
        case ActivationKind::gelu: return map(z, a, [](T v) { return v * normal_cdf(v); });
        case ActivationKind::sigmoid: return map(z, a, [](T v) { return sigmoid(v); });
        // hard_sigmoid (Keras 3): relu6(z + 3) / 6
        case ActivationKind::hard_sigmoid:
            return map(z, a, [](T v) { return std::clamp(v / T(6) + T(0.5), T(0), T(1)); });
        case ActivationKind::tanh: return map(z, a, [](T v) { return std::tanh(v); });
        case ActivationKind::softmax: return softmax_rows(z, a);
        // softplus: log(1 + e^z) = max(z, 0) + log1p(e^(−|z|))
        case ActivationKind::softplus: return map(z, a, [](T v) { return softplus(v); });
        case ActivationKind::softsign: return map(z, a, [](T v) { return v / (T(1) + std::abs(v)); });
        // swish: z·σ(z)
        case ActivationKind::swish: return map(z, a, [](T v) { return v * sigmoid(v); });
        case ActivationKind::exponential: return map(z, a, [](T v) { return std::exp(v); });
        // relu6: min(max(z, 0), 6)
        case ActivationKind::relu6: return map(z, a, [](T v) { return std::clamp(v, T(0), T(6)); });
        // mish: z·tanh(softplus(z))
        case ActivationKind::mish: return map(z, a, [](T v) { return v * std::tanh(softplus(v)); });
        // hard_silu (Keras 3): z·relu6(z + 3)/6
        case ActivationKind::hard_silu: return map(z, a, [](T v) { return v * std::clamp(v / T(6) + T(0.5), T(0), T(1)); });
        case ActivationKind::log_softmax: return log_softmax_rows(z, a);
        // relu_general: min(z, max_value) for z > threshold, negative_slope·(z − threshold) otherwise
        case ActivationKind::relu_general: {
            const T top = T(max_value_), threshold = T(threshold_);
            return map(z, a, [=](T v) { return v > threshold ? std::min(v, top) : alpha * (v - threshold); });
        }
    }
}

template <class T>
void Activation::backward(const Matrix<T>& z, const Matrix<T>& a, const Matrix<T>& da, Matrix<T>& dz) const {
    const T alpha = T(alpha_);
    switch (kind_) {
        case ActivationKind::linear: return chain(z, a, da, dz, [](T, T) { return T(1); });
        case ActivationKind::relu: return chain(z, a, da, dz, [](T v, T) { return v > T(0) ? T(1) : T(0); });
        case ActivationKind::leaky_relu: return chain(z, a, da, dz, [=](T v, T) { return v > T(0) ? T(1) : alpha; });
        // elu': 1, or α·e^z = a + α for z ≤ 0
        case ActivationKind::elu: return chain(z, a, da, dz, [=](T v, T y) { return v > T(0) ? T(1) : y + alpha; });
        case ActivationKind::selu:
            return chain(z, a, da, dz, [](T v, T) { return T(kSeluScale) * (v > T(0) ? T(1) : T(kSeluAlpha) * std::exp(v)); });
        // gelu': Φ(z) + z·φ(z)
        case ActivationKind::gelu: return chain(z, a, da, dz, [](T v, T) { return normal_cdf(v) + v * normal_pdf(v); });
        // σ' = σ(1 − σ)
        case ActivationKind::sigmoid: return chain(z, a, da, dz, [](T, T y) { return y * (T(1) - y); });
        case ActivationKind::hard_sigmoid:
            return chain(z, a, da, dz, [](T v, T) { return v > T(-3) && v < T(3) ? T(1) / T(6) : T(0); });
        // tanh' = 1 − tanh²
        case ActivationKind::tanh: return chain(z, a, da, dz, [](T, T y) { return T(1) - y * y; });
        case ActivationKind::softmax: return softmax_backward(a, da, dz);
        // softplus' = σ(z)
        case ActivationKind::softplus: return chain(z, a, da, dz, [](T v, T) { return sigmoid(v); });
        // softsign' = 1 / (1 + |z|)²
        case ActivationKind::softsign:
            return chain(z, a, da, dz, [](T v, T) { return T(1) / ((T(1) + std::abs(v)) * (T(1) + std::abs(v))); });
        // swish' = σ(z) + z·σ(z)(1 − σ(z))
        case ActivationKind::swish:
            return chain(z, a, da, dz, [](T v, T) {
                const T s = sigmoid(v);
                return s + v * s * (T(1) - s);
            });
        case ActivationKind::exponential: return chain(z, a, da, dz, [](T, T y) { return y; });
        case ActivationKind::relu6: return chain(z, a, da, dz, [](T v, T) { return v > T(0) && v < T(6) ? T(1) : T(0); });
        // mish' = tanh(sp) + z·(1 − tanh²(sp))·σ(z), sp = softplus(z)
        case ActivationKind::mish:
            return chain(z, a, da, dz, [](T v, T) {
                const T t = std::tanh(softplus(v));
                return t + v * (T(1) - t * t) * sigmoid(v);
            });
        // hard_silu' = 0 below −3, 1 above 3, (2z + 3)/6 between
        case ActivationKind::hard_silu:
            return chain(z, a, da, dz, [](T v, T) { return v <= T(-3) ? T(0) : v >= T(3) ? T(1) : (T(2) * v + T(3)) / T(6); });
        case ActivationKind::log_softmax: return log_softmax_backward(a, da, dz);
        // relu_general': 1 between threshold and max_value, 0 above max_value, negative_slope below threshold
        case ActivationKind::relu_general: {
            const T top = T(max_value_), threshold = T(threshold_);
            return chain(z, a, da, dz, [=](T v, T) { return v > threshold ? (v < top ? T(1) : T(0)) : alpha; });
        }
    }
}

template void Activation::apply<float>(const Matrix<float>&, Matrix<float>&) const;
template void Activation::apply<double>(const Matrix<double>&, Matrix<double>&) const;
template void Activation::backward<float>(const Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                                          Matrix<float>&) const;
template void Activation::backward<double>(const Matrix<double>&, const Matrix<double>&, const Matrix<double>&,
                                           Matrix<double>&) const;

}  // namespace dense
