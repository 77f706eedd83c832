#include "dense/layers/dense.hpp"

#include "dense/error.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "layers/row_range.hpp"
#include "option_range.hpp"

namespace dense {

using kernels::Transpose;

namespace detail {

template <class T>
PackedKernel<T>::PackedKernel() noexcept = default;
template <class T>
PackedKernel<T>::PackedKernel(const PackedKernel&) noexcept {}
template <class T>
PackedKernel<T>& PackedKernel<T>::operator=(const PackedKernel&) noexcept {
    packed_.reset();
    return *this;
}
template <class T>
PackedKernel<T>::PackedKernel(PackedKernel&&) noexcept = default;
template <class T>
PackedKernel<T>& PackedKernel<T>::operator=(PackedKernel&&) noexcept = default;
template <class T>
PackedKernel<T>::~PackedKernel() = default;

template <class T>
kernels::PackedB<T>& PackedKernel<T>::get() {
    if (!packed_) packed_ = std::make_unique<kernels::PackedB<T>>();
    return *packed_;
}

template class PackedKernel<float>;
template class PackedKernel<double>;

}  // namespace detail

namespace {

// Keras' L1L2 factors: l1, l2 ≥ 0.
void check_regularizer(const std::string& which, const Regularizer& regularizer) {
    detail::require_in_range("Dense", which + ".l1", regularizer.l1, detail::OptionRange::non_negative);
    detail::require_in_range("Dense", which + ".l2", regularizer.l2, detail::OptionRange::non_negative);
}

// Dense(4, "relu", {.activation = "tanh"}) names two activations: one would be dropped unseen.
DenseOptions with_activation(const Activation& activation, DenseOptions options) {
    if (options.activation != Activation{} && options.activation != activation)
        throw UsageError("Dense: two activations given, '" + std::string(activation.name()) +
                         "' as the second argument and '" + std::string(options.activation.name()) +
                         "' in options.activation; give one of them");
    options.activation = activation;
    return options;
}

}  // namespace

template <class T>
BasicDense<T>::BasicDense(std::size_t units, DenseOptions options) : units_(units), options_(std::move(options)) {
    if (units == 0) throw UsageError("Dense: units must be at least 1");
    check_regularizer("kernel_regularizer", options_.kernel_regularizer);
    check_regularizer("bias_regularizer", options_.bias_regularizer);
    this->set_name(options_.name);
}

template <class T>
BasicDense<T>::BasicDense(std::size_t units, Activation activation, DenseOptions options)
    : BasicDense(units, with_activation(activation, std::move(options))) {}

template <class T>
void BasicDense<T>::build(std::size_t input_dim, Rng& rng) {
    if (options_.input_dim != 0 && options_.input_dim != input_dim)
        throw DataError("layer '" + this->name() + "' was declared with input_dim " + std::to_string(options_.input_dim) +
                        " but receives " + std::to_string(input_dim) + " features");
    this->input_dim_ = input_dim;
    this->weights_changed();
    kernel_.resize(input_dim, units_);
    kernel_grad_.resize(input_dim, units_);
    options_.kernel_initializer.fill(kernel_.values(), input_dim, units_, rng);
    if (!options_.use_bias) return;
    bias_.resize(1, units_);
    bias_grad_.resize(1, units_);
    options_.bias_initializer.fill(bias_.values(), units_, units_, rng);
}

template <class T>
void BasicDense<T>::check_input(const Matrix<T>& x) const {
    if (x.cols() != this->input_dim_)
        throw DataError("layer '" + this->name() + "' expects " + std::to_string(this->input_dim_) +
                        " input features, got a batch of shape [" + std::to_string(x.rows()) + ", " +
                        std::to_string(x.cols()) + "]");
}

// W as inference reads it: packed once per weights version.
template <class T>
kernels::StableB<T> BasicDense<T>::kept_kernel() {
    return {&packed_kernel_.get(), this->weights_version()};
}

// out = x·W + b, or max(x·W + b, 0) when relu: the product adds b (and applies the ReLU) while
// each tile is still in registers. Inference reads W packed once per weights version; training,
// which changes W every step, packs it in each product, in parallel.
template <class T>
const Matrix<T>& BasicDense<T>::affine(const Matrix<T>& x, Matrix<T>& out, bool relu, bool keep_packed) {
    check_input(x);
    input_ = &x;
    out.resize(x.rows(), units_);
    const kernels::StableB<T> stable_kernel = keep_packed ? kept_kernel() : kernels::StableB<T>{};
    kernels::gemm<T>(Transpose::no, Transpose::no, x.rows(), units_, this->input_dim_, x.data(), x.cols(),
                     kernel_.data(), units_, T(0), out.data(), units_, {options_.use_bias ? bias_.data() : nullptr, relu},
                     stable_kernel);
    return out;
}

// z = x·W + b;  a = f(z). A ReLU keeps only a: its backward pass needs no z (z > 0 exactly where
// a > 0).
template <class T>
const Matrix<T>& BasicDense<T>::forward(const Matrix<T>& x, bool training, Rng&) {
    switch (options_.activation.kind()) {
        case ActivationKind::relu: return affine(x, a_, true, !training);
        case ActivationKind::linear: return affine(x, z_, false, !training);
        default: options_.activation.apply(affine(x, z_, false, !training), a_); return a_;
    }
}

// Parts of the batch go through the same blocked products as the whole batch (gemm's
// min_rows_apart), reading W packed once for all of them by begin_rows.
template <class T>
std::size_t BasicDense<T>::rows_apart() const noexcept {
    return kernels::min_rows_apart<T>(units_, this->input_dim_);
}

template <class T>
const Matrix<T>& BasicDense<T>::begin_rows(const Matrix<T>& x) {
    check_input(x);
    input_ = &x;
    const ActivationKind kind = options_.activation.kind();
    if (kind != ActivationKind::relu) z_.resize(x.rows(), units_);
    if (kind != ActivationKind::linear) a_.resize(x.rows(), units_);
    kernels::keep_packed_b<T>(Transpose::no, x.cols(), Transpose::no, units_, this->input_dim_, kernel_.data(), units_,
                              kept_kernel());
    return kind == ActivationKind::linear ? z_ : a_;
}

// Rows of forward(x, false): z = x·W + b, a = f(z).
template <class T>
void BasicDense<T>::forward_rows(const Matrix<T>& x, std::size_t first, std::size_t count) {
    const ActivationKind kind = options_.activation.kind();
    Matrix<T>& out = kind == ActivationKind::relu ? a_ : z_;
    kernels::gemm<T>(Transpose::no, Transpose::no, count, units_, this->input_dim_, x.row(first).data(), x.cols(),
                     kernel_.data(), units_, T(0), out.row(first).data(), units_,
                     {options_.use_bias ? bias_.data() : nullptr, kind == ActivationKind::relu}, kept_kernel());
    if (kind == ActivationKind::relu || kind == ActivationKind::linear) return;
    Matrix<T> activated = detail::row_range(a_, first, count);
    options_.activation.apply(detail::row_range(z_, first, count), activated);
}

template <class T>
const Matrix<T>& BasicDense<T>::forward_logits(const Matrix<T>& x) {
    return affine(x, z_, false, false);
}

template <class T>
const Matrix<T>& BasicDense<T>::backward(const Matrix<T>& dy, bool need_input_gradient) {
    return backward(dy, need_input_gradient ? InputGradient::plain : InputGradient::none);
}

// dL/dz = dL/da ⊙ f'(z) (for a ReLU: dL/da ⊙ [a > 0]), then the linear part below.
template <class T>
const Matrix<T>& BasicDense<T>::backward(const Matrix<T>& dy, InputGradient input_gradient) {
    switch (options_.activation.kind()) {
        case ActivationKind::linear: return backward_from_preactivation(dy, input_gradient);
        case ActivationKind::relu:
            dz_.resize(dy.rows(), dy.cols());
            kernels::relu_gate(dy.size(), a_.data(), dy.data(), dz_.data());
            break;
        default: options_.activation.backward(z_, a_, dy, dz_);
    }
    return backward_from_preactivation(dz_, input_gradient);
}

// dL/dW = xᵀ·dz;  dL/db = Σ_rows dz;  dL/dx = dz·Wᵀ, gated by [x > 0] as the product finishes
// each tile when the layer below is a ReLU. A frozen layer (not trainable) leaves dL/dW and dL/db
// as they were: fit does not update its weights.
template <class T>
const Matrix<T>& BasicDense<T>::backward_from_preactivation(const Matrix<T>& dz, InputGradient input_gradient) {
    const Matrix<T>& x = *input_;
    if (this->trainable()) {
        kernels::gemm<T>(Transpose::yes, Transpose::no, this->input_dim_, units_, x.rows(), x.data(), x.cols(), dz.data(),
                         units_, T(0), kernel_grad_.data(), units_);
        if (options_.use_bias) kernels::column_sums(dz.rows(), units_, dz.data(), units_, bias_grad_.data());
    }
    if (input_gradient == InputGradient::none) {
        dx_.resize(0, 0);
        return dx_;
    }
    dx_.resize(dz.rows(), this->input_dim_);
    const kernels::Epilogue<T> gate{.gate = input_gradient == InputGradient::relu_gated ? x.data() : nullptr,
                                    .ld_gate = x.cols()};
    kernels::gemm<T>(Transpose::no, Transpose::yes, dz.rows(), this->input_dim_, units_, dz.data(), units_,
                     kernel_.data(), units_, T(0), dx_.data(), this->input_dim_, gate);
    return dx_;
}

template <class T>
std::vector<Parameter<T>> BasicDense<T>::parameters() {
    this->weights_changed();  // the caller may write into the weights
    std::vector<Parameter<T>> params{{this->name() + "/kernel", kernel_.values(), kernel_grad_.values(),
                                      options_.kernel_regularizer}};
    if (options_.use_bias)
        params.push_back({this->name() + "/bias", bias_.values(), bias_grad_.values(), options_.bias_regularizer});
    return params;
}

template <class T>
std::vector<Tensor<T>> BasicDense<T>::get_weights() const {
    if (!this->built()) return {};  // no weights before build, as Keras' layer.get_weights() == []
    std::vector<Tensor<T>> weights;
    weights.emplace_back(std::vector<std::size_t>{this->input_dim_, units_},
                         std::vector<T>(kernel_.values().begin(), kernel_.values().end()));
    if (options_.use_bias)
        weights.emplace_back(std::vector<std::size_t>{units_}, std::vector<T>(bias_.values().begin(), bias_.values().end()));
    return weights;
}

namespace {

// "[2, 1]", or "[2, 1] holding 3 values" when the values do not fill the shape.
template <class T>
std::string described_tensor(const Tensor<T>& tensor) {
    const std::string shape = shape_string(tensor.shape);
    if (tensor.values.size() == Tensor<T>::element_count(tensor.shape)) return shape;
    return shape + " holding " + std::to_string(tensor.values.size()) + " values";
}

}  // namespace

template <class T>
void BasicDense<T>::set_weights(const std::vector<Tensor<T>>& weights) {
    // Unbuilt: the declared input_dim, else whatever width the given kernel has.
    const std::size_t given = weights.empty() || weights[0].shape.empty() ? 0 : weights[0].shape[0];
    const std::size_t inputs = this->built() ? this->input_dim_ : options_.input_dim ? options_.input_dim : given;
    std::vector<std::vector<std::size_t>> expected{{inputs, units_}};
    if (options_.use_bias) expected.push_back({units_});
    bool ok = weights.size() == expected.size();
    for (std::size_t i = 0; ok && i < weights.size(); ++i)
        ok = weights[i].shape == expected[i] && weights[i].values.size() == Tensor<T>::element_count(expected[i]);
    if (!ok) {
        std::string given, wanted;
        for (const auto& w : weights) given += (given.empty() ? "" : ", ") + described_tensor(w);
        for (const auto& s : expected) wanted += (wanted.empty() ? "" : ", ") + shape_string(s);
        throw DataError("layer '" + this->name() + "' (Dense, " + std::to_string(units_) + " units) expects weights {" +
                        wanted + "} (kernel [inputs, units]" + (options_.use_bias ? ", bias [units]" : "") +
                        "), got {" + given + "}");
    }
    if (!this->built()) {
        this->input_dim_ = inputs;
        kernel_.resize(inputs, units_);
        kernel_grad_.resize(inputs, units_);
        if (options_.use_bias) bias_.resize(1, units_), bias_grad_.resize(1, units_);
    }
    std::copy(weights[0].values.begin(), weights[0].values.end(), kernel_.data());
    if (options_.use_bias) std::copy(weights[1].values.begin(), weights[1].values.end(), bias_.data());
    this->weights_changed();
}

template class BasicDense<float>;
template class BasicDense<double>;

}  // namespace dense
