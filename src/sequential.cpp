// BasicSequential<T>: the model itself — its layers, build, compile, weights. Training is in
// trainer.cpp, evaluate/predict in inference.cpp, the summary table in summary.cpp.
#include "dense/sequential.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "dense/error.hpp"
#include "dense/layers/dense.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "sequential_detail.hpp"
#include "trainer.hpp"

namespace dense {
namespace {

using detail::require_finite;
using detail::shape_text;

std::string snake_case(std::string_view type) {
    std::string name;
    for (std::size_t i = 0; i < type.size(); ++i) {
        const char c = type[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            if (i) name += '_';
            name += char(std::tolower(static_cast<unsigned char>(c)));
        } else {
            name += c;
        }
    }
    return name;
}

// "1 unit", "3 units".
std::string count_of(std::size_t count, const std::string& noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// What to do when y has `given` columns where a model of `outputs` outputs trained with `loss` wants
// another number: the common case is class indices and one-hot targets given to the other loss.
std::string target_width_advice(const Loss& loss, std::size_t outputs, std::size_t given) {
    if (loss.kind() == LossKind::sparse_categorical_crossentropy)
        return "for one-hot targets use the loss categorical_crossentropy";
    if (loss.kind() == LossKind::categorical_crossentropy && given == 1)
        return "for class indices 0.." + std::to_string(outputs - 1) +
               " use the loss sparse_categorical_crossentropy, or one-hot encode y";
    return "give " + count_of(outputs, "target column") + ", or make the last Dense layer " +
           count_of(given, "unit") + " wide";
}

// Keras' order: kernel and bias of each Dense layer; other layers hold none.
template <class T>
std::size_t weight_arrays_of(const Layer<T>& layer) {
    const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer);
    return dense ? (dense->use_bias() ? 2 : 1) : 0;
}

// set_weights on an unbuilt model starting with a layer without weights (Dropout, Activation): that
// layer passes its input width on, so it is built with the first kernel's rows, and the layers
// after it take the given weights as after a Dense first layer (instead of staying unbuilt, to
// be drawn afresh by the next predict or fit).
template <class T>
void build_weightless_front(Layer<T>& front, const std::vector<Tensor<T>>& weights, Rng& rng) {
    if (front.built() || weight_arrays_of(front) != 0) return;
    const std::size_t declared = front.declared_input_dim();
    const std::size_t kernel_rows = weights.empty() || weights.front().shape.empty() ? 0 : weights.front().shape.front();
    if (const std::size_t width = declared ? declared : kernel_rows) front.build(width, rng);
}

}  // namespace

template <class T>
BasicSequential<T>::BasicSequential(SequentialOptions options) : options_(std::move(options)), rng_(options_.seed) {}

template <class T>
BasicSequential<T>::BasicSequential(std::initializer_list<LayerHandle<T>> layers, SequentialOptions options)
    : BasicSequential(std::move(options)) {
    for (const auto& layer : layers) add(layer.take());
}

template <class T>
BasicSequential<T>::BasicSequential(const BasicSequential& other)
    : stop_training(false),
      options_(other.options_),
      optimizer_(other.optimizer_ ? other.optimizer_->clone() : nullptr),
      loss_(other.loss_),
      metric_names_(other.metric_names_),
      rng_(other.rng_) {
    for (const auto& layer : other.layers_) layers_.push_back(layer->clone());
}

template <class T>
BasicSequential<T>& BasicSequential<T>::operator=(const BasicSequential& other) {
    if (this != &other) *this = BasicSequential(other);
    return *this;
}

template <class T>
BasicSequential<T>::BasicSequential(BasicSequential&&) noexcept = default;
template <class T>
BasicSequential<T>& BasicSequential<T>::operator=(BasicSequential&&) noexcept = default;
template <class T>
BasicSequential<T>::~BasicSequential() = default;

template <class T>
std::string BasicSequential<T>::unique_layer_name(std::string_view type) const {
    const std::string base = snake_case(type);
    auto taken = [&](const std::string& name) {
        return std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->name() == name; });
    };
    if (!taken(base)) return base;
    for (std::size_t i = 1;; ++i)
        if (!taken(base + "_" + std::to_string(i))) return base + "_" + std::to_string(i);
}

template <class T>
void BasicSequential<T>::add(LayerHandle<T> layer) {
    add(layer.take());
}

template <class T>
void BasicSequential<T>::add(std::unique_ptr<Layer<T>> layer) {
    if (layer->name().empty()) layer->set_name(unique_layer_name(layer->type()));
    else if (std::any_of(layers_.begin(), layers_.end(), [&](const auto& l) { return l->name() == layer->name(); }))
        throw UsageError("model '" + name() + "' already has a layer named '" + layer->name() +
                         "'; give each layer a unique name");
    const bool was_built = built();
    layers_.push_back(std::move(layer));
    trainer_.reset();
    // A declared input width builds the model at once, as Keras does; each later layer is built as
    // it is added, drawing its initial weights where one build() of all the layers would.
    if (was_built) layers_.back()->build(layers_[layers_.size() - 2]->output_dim(), rng_);
    else if (layers_.size() == 1 && layers_.front()->declared_input_dim() != 0) build(layers_.front()->declared_input_dim());
}

template <class T>
bool BasicSequential<T>::built() const noexcept {
    return !layers_.empty() && std::all_of(layers_.begin(), layers_.end(), [](const auto& l) { return l->built(); });
}

template <class T>
void BasicSequential<T>::build(std::size_t input_dim) {
    if (layers_.empty()) throw UsageError("model '" + name() + "' has no layers; add at least one Dense layer");
    if (input_dim == 0) throw DataError("model '" + name() + "' cannot be built for inputs with 0 features");
    rng_ = Rng(options_.seed);
    std::size_t width = input_dim;
    for (auto& layer : layers_) {
        layer->build(width, rng_);
        width = layer->output_dim();
    }
    trainer_.reset();
}

template <class T>
void BasicSequential<T>::compile(const BasicOptimizer<T>& optimizer, Loss loss, std::vector<std::string> metrics) {
    for (const auto& metric : metrics) detail::Metric::check_name(metric);
    optimizer_ = optimizer.clone();
    loss_ = loss;
    metric_names_ = std::move(metrics);
    trainer_.reset();
}

template <class T>
void BasicSequential<T>::compile(std::string_view optimizer, Loss loss, std::vector<std::string> metrics) {
    compile(*get_optimizer<T>(optimizer), loss, std::move(metrics));
}

template <class T>
void BasicSequential<T>::require_compiled(const char* what) const {
    if (!optimizer_)
        throw UsageError(std::string(what) + " needs a compiled model: call compile(optimizer, loss) first");
}

template <class T>
void BasicSequential<T>::prepare_inputs(const Matrix<T>& x, const char* what, bool check_values) {
    if (x.rows() == 0) throw DataError(std::string(what) + ": the input has no rows; give at least one sample");
    if (!built()) build(x.cols());  // a first layer declaring its input width is built from add on
    if (x.cols() != input_dim())
        throw DataError(std::string(what) + ": the model expects " + std::to_string(input_dim()) +
                        " features per sample, got input of shape " + shape_text(x.rows(), x.cols()) + "; give " +
                        std::to_string(input_dim()) + " feature columns, those the model was built for");
    if (check_values) require_finite(x, what, "input");
}

template <class T>
void BasicSequential<T>::check_targets(const Matrix<T>& x, const Matrix<T>& y, const char* what) const {
    if (y.rows() != x.rows())
        throw DataError(std::string(what) + ": x has " + std::to_string(x.rows()) + " rows but y has " +
                        std::to_string(y.rows()) + "; give one target row per sample");
    const bool sparse = loss_.kind() == LossKind::sparse_categorical_crossentropy;
    const std::size_t wanted = sparse ? 1 : output_dim();
    if (y.cols() != wanted)
        throw DataError(std::string(what) + ": targets of shape " + shape_text(y.rows(), y.cols()) + " do not fit " +
                        (sparse ? "sparse_categorical_crossentropy, which takes one column of class indices"
                                : "the model's " + count_of(output_dim(), "output")) +
                        "; " + target_width_advice(loss_, output_dim(), y.cols()));
    require_finite(y, what, "target");
}

template <class T>
const Matrix<T>& BasicSequential<T>::forward(const Matrix<T>& x, bool training, Rng& rng) {
    const Matrix<T>* activations = &x;
    for (auto& layer : layers_) activations = &layer->forward(*activations, training, rng);
    return *activations;
}

template <class T>
std::vector<Tensor<T>> BasicSequential<T>::get_weights() const {
    std::vector<Tensor<T>> weights;
    for (const auto& layer : layers_)
        for (auto& w : layer->get_weights()) weights.push_back(std::move(w));
    return weights;
}

template <class T>
void BasicSequential<T>::set_weights(const std::vector<Tensor<T>>& weights) {
    std::size_t expected = 0;
    for (const auto& layer : layers_) expected += weight_arrays_of(*layer);
    if (weights.size() != expected)  // checked before any layer changes
        throw DataError("model '" + name() + "' has " + std::to_string(expected) + " weight arrays (kernel and bias " +
                        "per Dense layer, in order), got " + std::to_string(weights.size()));
    if (!layers_.empty()) build_weightless_front(*layers_.front(), weights, rng_);
    std::size_t next = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        auto& layer = layers_[i];
        // A layer after a built one takes its width first, so its kernel is checked against it.
        if (!layer->built() && i > 0 && layers_[i - 1]->built()) layer->build(layers_[i - 1]->output_dim(), rng_);
        const std::size_t count = weight_arrays_of(*layer);
        layer->set_weights({weights.begin() + std::ptrdiff_t(next), weights.begin() + std::ptrdiff_t(next + count)});
        next += count;
    }
}

template <class T>
Layer<T>& BasicSequential<T>::layer(std::size_t index) {
    if (index >= layers_.size())
        throw UsageError("model '" + name() + "' has " + std::to_string(layers_.size()) + " layers; index " +
                         std::to_string(index) + " is out of range");
    return *layers_[index];
}

template <class T>
const Layer<T>& BasicSequential<T>::layer(std::size_t index) const {
    return const_cast<BasicSequential&>(*this).layer(index);
}

template <class T>
std::size_t BasicSequential<T>::input_dim() const {
    if (layers_.empty()) return 0;
    return layers_.front()->built() ? layers_.front()->input_dim() : layers_.front()->declared_input_dim();
}

template <class T>
std::size_t BasicSequential<T>::output_dim() const {
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
        if ((*it)->output_dim() != 0) return (*it)->output_dim();
    return 0;
}

template <class T>
std::size_t BasicSequential<T>::parameter_count() const {
    std::size_t total = 0;
    for (const auto& layer : layers_) total += layer->parameter_count();
    return total;
}

template <class T>
BasicOptimizer<T>& BasicSequential<T>::optimizer() {
    require_compiled("optimizer()");
    return *optimizer_;
}

template <class T>
const BasicOptimizer<T>& BasicSequential<T>::optimizer() const {
    require_compiled("optimizer()");
    return *optimizer_;
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace dense
