#include "dense/sequential.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <optional>
#include <span>

#include "dense/error.hpp"
#include "dense/layers/dense.hpp"
#include "dense/optimizers/get_optimizer.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "metric.hpp"
#include "progress_bar.hpp"

namespace dense {

// The buffers and caches of training, kept between steps so a step does not allocate.
template <class T>
struct BasicSequential<T>::Trainer {
    std::vector<Parameter<T>> parameters;
    std::vector<detail::Metric> metrics;
    std::vector<std::size_t> base_order;  // the training rows, in data order
    std::vector<std::size_t> order;       // the same, shuffled for the current epoch
    Logs logs;                            // reused each epoch: updating known keys does not allocate
    std::uint64_t fit = 0;                // the id of the fit() running on it (from fits_started)
    double* loss_log = nullptr;           // logs["loss"], found once a fit (map entries stay put)
    std::vector<double*> metric_logs;     // logs[name] of each metric, the same way
    Matrix<T> batch_x, batch_y, loss_gradient;
    Matrix<T> probabilities;              // the output of a fused softmax/sigmoid
    Matrix<T> validation_x, validation_y;
    std::vector<BasicDense<T>*> dense;    // per layer: the layer, if it is a Dense, else null
    std::vector<std::size_t> regularized; // the parameters with an L1 or L2 penalty
    bool only_dense = true;               // no layer draws random numbers (Dense layers never do)
    Rng epoch_rng;                        // the epoch's random stream, seeded only when drawn from
    bool fused_output = false;            // softmax/sigmoid + cross-entropy computed from logits
    Loss fused_loss;
};

namespace {

template <class T>
bool is_relu_dense(const BasicDense<T>* layer) {
    return layer && layer->activation().kind() == ActivationKind::relu;
}

std::string shape_text(std::size_t rows, std::size_t cols) {
    return "[" + std::to_string(rows) + ", " + std::to_string(cols) + "]";
}

// Rows [first, first + count) of m; the error names the first value that is not finite.
template <class T>
void require_finite(const Matrix<T>& m, const char* what, const char* role, std::size_t first = 0,
                    std::size_t count = std::size_t(-1)) {
    count = std::min(count, m.rows() - first);
    if (kernels::all_finite(std::span<const T>(m.row(first).data(), count * m.cols()))) return;
    for (std::size_t r = first; r < first + count; ++r)
        for (std::size_t c = 0; c < m.cols(); ++c)
            if (!std::isfinite(double(m(r, c))))
                throw DataError(std::string(what) + ": " + role + " row " + std::to_string(r) + ", column " +
                                std::to_string(c) + " is " + (std::isnan(double(m(r, c))) ? "NaN" : "infinite") +
                                "; remove or fill missing values before training");
}

// Copies rows [first, first + count) of `order` from x into out.
template <class T>
void gather_rows(const Matrix<T>& x, std::span<const std::size_t> rows, Matrix<T>& out) {
    out.resize(rows.size(), x.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) std::copy_n(x.row(rows[i]).data(), x.cols(), out.row(i).data());
}

// Every fit() gets an id of its own, so that one started by a callback of another is told apart.
std::atomic<std::uint64_t> fits_started{0};

// A callback that compiles, rebuilds or fits the model again leaves the fit that called it on
// buffers that are gone or hold another fit's rows: that fit stops with this error.
template <class Trainer>
void require_same_fit(const std::unique_ptr<Trainer>& trainer, std::uint64_t fit) {
    if (!trainer || trainer->fit != fit)
        throw UsageError("fit: a callback compiled, rebuilt or fitted the model while fit was running; do that after "
                         "fit returns (set model.stop_training to end it early)");
}

// Per-epoch random stream: the same (seed, epoch) always shuffles and drops out the same way,
// which is what makes a resumed run identical to an uninterrupted one.
Rng epoch_rng(std::uint64_t seed, int epoch) { return Rng(seed ^ (0x9e3779b97f4a7c15ULL * std::uint64_t(epoch + 1))); }

// Keras' readable_memory_size: "8.00 B", "1.17 KB", "3.02 MB".
std::string readable_size(double bytes) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1024.0 && unit < 4) bytes /= 1024.0, ++unit;
    char text[32];
    std::snprintf(text, sizeof text, "%.2f %s", bytes, units[unit]);
    return text;
}

std::string with_thousands(std::size_t n) {
    std::string digits = std::to_string(n), text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

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
    if (was_built) layers_.back()->build(layers_[layers_.size() - 2]->output_dim(), rng_);
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
    if (!built() && !layers_.empty() && layers_.front()->declared_input_dim() != 0)
        build(layers_.front()->declared_input_dim());
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
    if (!built()) {
        const std::size_t declared = layers_.empty() ? 0 : layers_.front()->declared_input_dim();
        if (declared != 0 && declared != x.cols())
            throw DataError(std::string(what) + ": the model's first layer expects " + std::to_string(declared) +
                            " features, got input of shape " + shape_text(x.rows(), x.cols()));
        build(x.cols());
    }
    if (x.cols() != input_dim())
        throw DataError(std::string(what) + ": the model expects " + std::to_string(input_dim()) +
                        " features per sample, got input of shape " + shape_text(x.rows(), x.cols()));
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
                                : "the model's " + std::to_string(output_dim()) + " outputs"));
    require_finite(y, what, "target");
}

template <class T>
const Matrix<T>& BasicSequential<T>::forward(const Matrix<T>& x, bool training, Rng& rng) {
    const Matrix<T>* activations = &x;
    for (auto& layer : layers_) activations = &layer->forward(*activations, training, rng);
    return *activations;
}

// The model's output and dL/d(output) of a batch; returns the loss. A softmax or sigmoid output
// under cross-entropy stops at the logits and sets `at_logits`: the gradient is then dL/dz.
template <class T>
double BasicSequential<T>::forward_and_loss(const Matrix<T>& x, const Matrix<T>& y, Rng& rng, const Matrix<T>*& y_pred,
                                            bool& at_logits) {
    Trainer& t = *trainer_;
    at_logits = t.fused_output;
    if (!t.fused_output) {
        y_pred = &forward(x, true, rng);
        return loss_.value_and_gradient(y, *y_pred, t.loss_gradient);
    }
    const Matrix<T>* activations = &x;
    for (std::size_t i = 0; i + 1 < layers_.size(); ++i) activations = &layers_[i]->forward(*activations, true, rng);
    const Matrix<T>& logits = t.dense.back()->forward_logits(*activations);
    y_pred = &t.probabilities;
    if (t.fused_loss.kind() != LossKind::binary_crossentropy)
        return t.fused_loss.softmax_value_and_gradient(y, logits, t.probabilities, t.loss_gradient);
    t.dense.back()->activation().apply(logits, t.probabilities);
    t.fused_loss.gradient(y, logits, t.loss_gradient);
    return t.fused_loss.value(y, logits);
}

// forward → loss → backward → regularization → optimizer step. The backward pass hands a Dense
// layer below a ReLU Dense its dL/dz directly: the product making dL/dx gates it by [x > 0].
template <class T>
double BasicSequential<T>::train_step(const Matrix<T>& x, const Matrix<T>& y, Rng& rng) {
    Trainer& t = *trainer_;
    const Matrix<T>* y_pred = nullptr;
    bool at_preactivation = false;  // the gradient is dL/dz of layer i rather than dL/d(output)
    double loss = forward_and_loss(x, y, rng, y_pred, at_preactivation);
    const Matrix<T>* gradient = &t.loss_gradient;
    for (std::size_t i = layers_.size(); i-- > 0;) {
        BasicDense<T>* dense = t.dense[i];
        const bool gated = i > 0 && dense && is_relu_dense(t.dense[i - 1]);
        if (!dense) {
            gradient = &layers_[i]->backward(*gradient, i > 0);
        } else {
            const InputGradient wanted = i == 0 ? InputGradient::none : gated ? InputGradient::relu_gated : InputGradient::plain;
            gradient = at_preactivation ? &dense->backward_from_preactivation(*gradient, wanted)
                                        : &dense->backward(*gradient, wanted);
        }
        at_preactivation = gated;
    }
    // penalty = l1·Σ|w| + l2·Σw²;  ∂penalty/∂w = l1·sign(w) + 2·l2·w
    for (const std::size_t index : t.regularized) {
        const Parameter<T>& p = t.parameters[index];
        const T l1 = T(p.regularizer.l1), l2 = T(p.regularizer.l2);
        for (std::size_t i = 0; i < p.value.size(); ++i) {
            const T w = p.value[i];
            loss += p.regularizer.l1 * std::abs(double(w)) + p.regularizer.l2 * double(w) * double(w);
            p.gradient[i] += l1 * T((w > 0) - (w < 0)) + T(2) * l2 * w;
        }
    }
    optimizer_->apply(t.parameters);
    for (auto& m : t.metrics) m.update(y, *y_pred);
    return loss;
}

template <class T>
double BasicSequential<T>::train_on_batch(const Matrix<T>& x, const Matrix<T>& y) {
    require_compiled("train_on_batch");
    prepare_inputs(x, "train_on_batch");
    check_targets(x, y, "train_on_batch");
    ensure_trainer();
    return train_step(x, y, rng_);
}

template <class T>
const Logs& BasicSequential<T>::run_epoch(const Matrix<T>& x, const Matrix<T>& y, const FitOptions<T>& options, int epoch,
                                   std::uint64_t seed) {
    Trainer& t = *trainer_;
    const std::uint64_t fit = t.fit;
    const std::size_t rows = t.base_order.size();
    const std::size_t steps = (rows + options.batch_size - 1) / options.batch_size;
    // One batch of all rows gives the same sums in any order, so only several batches are shuffled.
    const bool shuffled = options.shuffle && steps > 1;
    // Shuffling and Dropout draw from the epoch's stream; seeding it (four rounds of splitmix64)
    // is skipped when nothing will.
    Rng& rng = t.epoch_rng;
    if (shuffled || !t.only_dense) rng = epoch_rng(seed, epoch);
    if (shuffled) {
        t.order = t.base_order;  // each epoch shuffles from data order, so epochs do not depend on earlier ones
        for (std::size_t i = rows; i > 1; --i) std::swap(t.order[i - 1], t.order[rng.below(i)]);
    }
    const std::span<const std::size_t> order = shuffled ? t.order : t.base_order;
    for (auto& m : t.metrics) m.reset();
    const bool interactive = options.verbose == 1 && isatty(fileno(stdout));
    detail::ProgressBar progress(std::cout, options.verbose, interactive);
    progress.begin_epoch(epoch, options.epochs, steps);
    double loss_sum = 0.0;
    std::size_t seen = 0;
    Logs& logs = t.logs;
    auto current_logs = [&] {
        *t.loss_log = loss_sum / double(seen);
        for (std::size_t i = 0; i < t.metrics.size(); ++i) *t.metric_logs[i] = t.metrics[i].result();
    };
    for (std::size_t step = 0; step < steps; ++step) {
        const std::size_t first = step * options.batch_size;
        const std::size_t count = std::min(options.batch_size, rows - first);
        // One batch of every row, in data order, is the data itself: no copy.
        const bool whole_data = steps == 1 && count == x.rows();
        if (!whole_data) {
            gather_rows(x, order.subspan(first, count), t.batch_x);
            gather_rows(y, order.subspan(first, count), t.batch_y);
        }
        const double loss = whole_data ? train_step(x, y, rng) : train_step(t.batch_x, t.batch_y, rng);
        loss_sum += loss * double(count);  // Keras weights by batch size
        seen += count;
        if (!options.callbacks.empty() || interactive) {
            current_logs();
            for (auto& cb : options.callbacks) {
                cb->on_train_batch_end(*this, step, logs);
                require_same_fit(trainer_, fit);  // before t or logs is touched again
            }
            progress.step(step + 1, logs);
        }
        if (stop_training) break;
    }
    current_logs();
    if (!t.validation_x.empty()) {
        const Logs val = evaluate(t.validation_x, t.validation_y, {.batch_size = options.batch_size});
        for (const auto& [key, value] : val) logs["val_" + key] = value;
    }
    progress.end_epoch(logs);
    return logs;
}

template <class T>
History BasicSequential<T>::fit(const Matrix<T>& x, const Matrix<T>& y, FitOptions<T> options) {
    require_compiled("fit");
    if (options.epochs < 0) throw UsageError("fit: epochs must be >= 0, got " + std::to_string(options.epochs));
    if (options.batch_size == 0) throw UsageError("fit: batch_size must be at least 1");
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw UsageError("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));
    if (options.initial_epoch < 0) throw UsageError("fit: initial_epoch must be >= 0");
    prepare_inputs(x, "fit");
    check_targets(x, y, "fit");
    ensure_trainer();
    Trainer& t = *trainer_;
    t.logs.clear();  // keys of an earlier fit (its val_*) must not show up in this one
    const std::uint64_t this_fit = t.fit = ++fits_started;
    t.loss_log = &t.logs["loss"];
    t.metric_logs.clear();
    for (const auto& m : t.metrics) t.metric_logs.push_back(&t.logs[m.name()]);
    const std::uint64_t seed = options.seed.value_or(options_.seed);
    split_validation(x, y, options, seed);
    History history;
    // Every epoch logs into the same map, which only gains keys (val_* after the first epoch), so
    // each key's value and its history column are found once and appended through from then on.
    std::vector<std::pair<const double*, std::vector<double>*>> columns;
    stop_training = false;
    for (auto& cb : options.callbacks) {
        cb->on_train_begin(*this);
        require_same_fit(trainer_, this_fit);
    }
    for (int epoch = options.initial_epoch; epoch < options.epochs && !stop_training; ++epoch) {
        for (auto& cb : options.callbacks) {
            cb->on_epoch_begin(*this, epoch);
            require_same_fit(trainer_, this_fit);
        }
        const Logs& logs = run_epoch(x, y, options, epoch, seed);
        if (columns.size() == logs.size()) {
            history.epoch.push_back(epoch);
            for (const auto& [value, column] : columns) column->push_back(*value);
        } else {
            history.record(epoch, logs);
            columns.clear();
            for (const auto& [key, value] : logs) columns.emplace_back(&value, &history.history[key]);
        }
        for (auto& cb : options.callbacks) {
            cb->on_epoch_end(*this, epoch, logs);
            require_same_fit(trainer_, this_fit);  // before logs goes to the next callback
        }
    }
    for (auto& cb : options.callbacks) cb->on_train_end(*this);
    return history;
}

// Keras' validation_split takes the last rows before any shuffling; shuffle_validation_split
// draws them at random (seeded) instead.
template <class T>
void BasicSequential<T>::split_validation(const Matrix<T>& x, const Matrix<T>& y, const FitOptions<T>& options,
                                          std::uint64_t seed) {
    Trainer& t = *trainer_;
    std::vector<std::size_t> rows(x.rows());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    t.validation_x = {};
    t.validation_y = {};
    if (options.validation_data) {
        const auto& [vx, vy] = *options.validation_data;
        prepare_inputs(vx, "fit (validation_data)");
        check_targets(vx, vy, "fit (validation_data)");
        t.validation_x = vx;
        t.validation_y = vy;
    } else if (options.validation_split > 0.0) {
        if (options.shuffle_validation_split) {
            Rng rng(seed ^ 0x5851f42d4c957f2dULL);
            for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);
        }
        const auto split_at = static_cast<std::size_t>(std::floor(double(x.rows()) * (1.0 - options.validation_split)));
        if (split_at == 0 || split_at == x.rows())
            throw DataError("fit: validation_split " + std::to_string(options.validation_split) + " of " +
                            std::to_string(x.rows()) + " rows leaves " +
                            (split_at == 0 ? "no training rows" : "no validation rows") +
                            "; use more data or another split");
        const auto held_out = std::span<const std::size_t>(rows).subspan(split_at);
        gather_rows(x, held_out, t.validation_x);
        gather_rows(y, held_out, t.validation_y);
        rows.resize(split_at);
    }
    t.base_order = std::move(rows);
}

template <class T>
void BasicSequential<T>::ensure_trainer() {
    if (trainer_) return;
    trainer_ = std::make_unique<Trainer>();
    for (auto& layer : layers_)
        for (auto& p : layer->parameters()) trainer_->parameters.push_back(std::move(p));
    for (const auto& name : metric_names_) trainer_->metrics.emplace_back(name);
    for (auto& layer : layers_) trainer_->dense.push_back(dynamic_cast<BasicDense<T>*>(layer.get()));
    for (std::size_t i = 0; i < trainer_->parameters.size(); ++i)
        if (trainer_->parameters[i].regularizer.active()) trainer_->regularized.push_back(i);
    trainer_->only_dense =
        std::all_of(trainer_->dense.begin(), trainer_->dense.end(), [](const auto* d) { return d != nullptr; });
    auto* output = trainer_->dense.back();
    const auto act = output ? output->activation().kind() : ActivationKind::linear;
    const auto kind = loss_.kind();
    const bool softmax_ce = act == ActivationKind::softmax && (kind == LossKind::categorical_crossentropy ||
                                                               kind == LossKind::sparse_categorical_crossentropy);
    const bool sigmoid_ce = act == ActivationKind::sigmoid && kind == LossKind::binary_crossentropy;
    trainer_->fused_output = !loss_.from_logits() && (softmax_ce || sigmoid_ce);
    trainer_->fused_loss = Loss(kind, true);
}

template <class T>
Logs BasicSequential<T>::evaluate(const Matrix<T>& x, const Matrix<T>& y, EvaluateOptions options) {
    require_compiled("evaluate");
    prepare_inputs(x, "evaluate");
    check_targets(x, y, "evaluate");
    if (options.batch_size == 0) throw UsageError("evaluate: batch_size must be at least 1");
    std::vector<detail::Metric> metrics;
    for (const auto& name : metric_names_) metrics.emplace_back(name);
    Matrix<T> batch_x, batch_y;
    std::vector<std::size_t> rows(x.rows());
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    double loss_sum = 0.0;
    std::optional<kernels::StableB> fixed_weights;  // several batches: the weights are packed once for all
    if (x.rows() > options.batch_size) fixed_weights.emplace();
    for (std::size_t first = 0; first < x.rows(); first += options.batch_size) {
        const std::size_t count = std::min(options.batch_size, x.rows() - first);
        const auto chunk = std::span<const std::size_t>(rows).subspan(first, count);
        gather_rows(x, chunk, batch_x);
        gather_rows(y, chunk, batch_y);
        const Matrix<T>& y_pred = forward(batch_x, false, rng_);
        loss_sum += loss_.value(batch_y, y_pred) * double(count);
        for (auto& m : metrics) m.update(batch_y, y_pred);
    }
    double penalty = 0.0;  // l1·Σ|w| + l2·Σw², as in the training loss
    for (auto& layer : layers_)
        for (const auto& p : layer->parameters())
            for (T w : p.value) penalty += p.regularizer.l1 * std::abs(double(w)) + p.regularizer.l2 * double(w) * double(w);
    Logs logs{{"loss", loss_sum / double(x.rows()) + penalty}};
    for (const auto& m : metrics) logs[m.name()] = m.result();
    return logs;
}

template <class T>
Matrix<T> BasicSequential<T>::predict(const Matrix<T>& x, PredictOptions options) {
    Matrix<T> out;
    predict_into(x, out, options.batch_size);
    return out;
}

template <class T>
void BasicSequential<T>::predict_into(const Matrix<T>& x, Matrix<T>& out, std::size_t batch_size) {
    if (batch_size == 0) throw UsageError("predict: batch_size must be at least 1");
    prepare_inputs(x, "predict", false);
    out.resize(x.rows(), output_dim());
    std::optional<kernels::StableB> fixed_weights;  // several batches: the weights are packed once for all
    if (x.rows() > batch_size) fixed_weights.emplace();
    for (std::size_t first = 0; first < x.rows(); first += batch_size) {
        const std::size_t count = std::min(batch_size, x.rows() - first);
        const Matrix<T>* batch = &x;
        if (count != x.rows()) {  // a slice of the rows, copied and checked in one pass
            predict_batch_.resize(count, x.cols());
            const std::span<const T> rows(x.row(first).data(), count * x.cols());
            if (!kernels::copy_all_finite(rows, predict_batch_.data())) require_finite(x, "predict", "input", first, count);
            batch = &predict_batch_;
        } else {  // the whole input goes through as it is
            require_finite(x, "predict", "input");
        }
        const Matrix<T>& y = forward(*batch, false, rng_);
        std::copy_n(y.data(), y.size(), out.row(first).data());
    }
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
    // Keras' order: kernel and bias of each Dense layer; other layers hold none.
    auto arrays_of = [](const Layer<T>& layer) -> std::size_t {
        const auto* dense = dynamic_cast<const BasicDense<T>*>(&layer);
        return dense ? (dense->use_bias() ? 2 : 1) : 0;
    };
    std::size_t expected = 0;
    for (const auto& layer : layers_) expected += arrays_of(*layer);
    if (weights.size() != expected)  // checked before any layer changes
        throw DataError("model '" + name() + "' has " + std::to_string(expected) + " weight arrays (kernel and bias " +
                        "per Dense layer, in order), got " + std::to_string(weights.size()));
    std::size_t next = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        auto& layer = layers_[i];
        // A layer after a built one takes its width first, so its kernel is checked against it.
        if (!layer->built() && i > 0 && layers_[i - 1]->built()) layer->build(layers_[i - 1]->output_dim(), rng_);
        const std::size_t count = arrays_of(*layer);
        layer->set_weights({weights.begin() + std::ptrdiff_t(next), weights.begin() + std::ptrdiff_t(next + count)});
        next += count;
    }
}

template <class T>
std::string BasicSequential<T>::summary() const {
    // Keras 3's table: ┏━┳━┓ heading, ┡━╇━┩ under it, │ rows separated by ├─┼─┤, └─┴─┘ at the end.
    constexpr std::size_t widths[] = {33, 24, 15};
    auto rule = [&](const char* left, const char* fill, const char* join, const char* right) {
        std::string line = left;
        for (std::size_t c = 0; c < 3; ++c) {
            for (std::size_t i = 0; i < widths[c]; ++i) line += fill;
            line += c < 2 ? join : right;
        }
        return line + "\n";
    };
    auto cell = [](std::string text, std::size_t width, bool right_align) {
        if (text.size() > width - 2) text = text.substr(0, width - 3) + "…";
        const std::string pad(width - 2 - std::min(text.size(), width - 2), ' ');
        return " " + (right_align ? pad + text : text + pad) + " ";
    };
    auto row = [&](const char* bar, const std::string& a, const std::string& b, const std::string& c) {
        return bar + cell(a, widths[0], false) + bar + cell(b, widths[1], false) + bar + cell(c, widths[2], true) + bar +
               "\n";
    };
    std::string text = "Model: \"" + name() + "\"\n";
    text += rule("┏", "━", "┳", "┓");
    text += row("┃", "Layer (type)", "Output Shape", "Param #");
    text += rule("┡", "━", "╇", "┩");
    std::size_t total = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const auto& layer = *layers_[i];
        const std::size_t width = layer.built() ? layer.output_dim() : 0;
        const std::size_t params = layer.built() ? layer.parameter_count() : 0;
        total += params;
        if (i) text += rule("├", "─", "┼", "┤");
        text += row("│", layer.name() + " (" + std::string(layer.type()) + ")",
                    width ? "(None, " + std::to_string(width) + ")" : "?", layer.built() ? with_thousands(params) : "0 (unbuilt)");
    }
    text += rule("└", "─", "┴", "┘");
    const double bytes = double(sizeof(T));
    text += " Total params: " + with_thousands(total) + " (" + readable_size(double(total) * bytes) + ")\n";
    text += " Trainable params: " + with_thousands(total) + " (" + readable_size(double(total) * bytes) + ")\n";
    text += " Non-trainable params: 0 (0.00 B)\n";
    if (optimizer_) {
        std::size_t slots = 0;
        for (const auto& s : optimizer_->state().slots) slots += s.size();
        if (slots) text += " Optimizer params: " + with_thousands(slots) + " (" + readable_size(double(slots) * bytes) + ")\n";
    }
    return text;
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
