// BasicSequential<T>'s training: fit's epochs and batches, the validation split, callbacks, and
// one training step (forward, loss, backward, regularization, optimizer update).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <span>

#include "dense/error.hpp"
#include "dense/sequential.hpp"
#include "dense/validation_split.hpp"
#include "dense/printable.hpp"
#include "progress_bar.hpp"
#include "sequential_detail.hpp"
#include "trainer.hpp"
#include "training_memory.hpp"

namespace dense {
namespace {

using detail::epoch_rng;
using detail::gather_rows;
using detail::require_same_fit;

template <class T>
bool is_relu_dense(const BasicDense<T>* layer) {
    return layer && layer->activation().kind() == ActivationKind::relu;
}

// Every fit() gets an id of its own, so that one started by a callback of another is told apart.
std::atomic<std::uint64_t> fits_started{0};

template <class T>
void require_callbacks(const std::vector<std::shared_ptr<BasicCallback<T>>>& callbacks) {
    for (std::size_t i = 0; i < callbacks.size(); ++i)
        if (!callbacks[i])
            throw UsageError("fit: callbacks[" + std::to_string(i) +
                             "] is a null pointer; give each callback as std::make_shared<dense::EarlyStopping>(...) "
                             "or leave it out");
}

}  // namespace

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

// forward → loss → backward: every parameter's gradient of the batch's mean loss (the metrics
// see the batch too). The backward pass hands a Dense layer below a ReLU Dense its dL/dz
// directly: the product making dL/dx gates it by [x > 0].
template <class T>
double BasicSequential<T>::compute_gradients(const Matrix<T>& x, const Matrix<T>& y, Rng& rng) {
    Trainer& t = *trainer_;
    const Matrix<T>* y_pred = nullptr;
    bool at_preactivation = false;  // the gradient is dL/dz of layer i rather than dL/d(output)
    const double loss = forward_and_loss(x, y, rng, y_pred, at_preactivation);
    const Matrix<T>* gradient = &t.loss_gradient;
    // Down to the lowest trainable layer: the frozen layers below it need no gradient.
    for (std::size_t i = layers_.size(); i-- > t.lowest_trainable;) {
        BasicDense<T>* dense = t.dense[i];
        const bool below = i > t.lowest_trainable;  // a layer below wants dL/dx
        const bool gated = below && dense && is_relu_dense(t.dense[i - 1]);
        if (!dense) {
            gradient = &layers_[i]->backward(*gradient, below);
        } else {
            const InputGradient wanted = !below ? InputGradient::none : gated ? InputGradient::relu_gated : InputGradient::plain;
            gradient = at_preactivation ? &dense->backward_from_preactivation(*gradient, wanted)
                                        : &dense->backward(*gradient, wanted);
        }
        at_preactivation = gated;
    }
    for (auto& m : t.metrics) m.update(y, *y_pred);
    return loss;
}

// Adds the regularization penalty's gradient and takes the optimizer step; returns the penalty.
template <class T>
double BasicSequential<T>::regularize_and_update() {
    Trainer& t = *trainer_;
    double penalty = 0.0;
    // penalty = l1·Σ|w| + l2·Σw²;  ∂penalty/∂w = l1·sign(w) + 2·l2·w
    for (const std::size_t index : t.regularized) {
        const Parameter<T>& p = t.parameters[index];
        const T l1 = T(p.regularizer.l1), l2 = T(p.regularizer.l2);
        for (std::size_t i = 0; i < p.value.size(); ++i) {
            const T w = p.value[i];
            penalty += p.regularizer.l1 * std::abs(double(w)) + p.regularizer.l2 * double(w) * double(w);
            p.gradient[i] += l1 * T((w > 0) - (w < 0)) + T(2) * l2 * w;
        }
    }
    optimizer_->apply(t.parameters);
    for (auto& layer : layers_)
        if (layer->trainable()) layer->weights_changed();  // written through t.parameters' spans
    return penalty;
}

template <class T>
double BasicSequential<T>::train_step(const Matrix<T>& x, const Matrix<T>& y, Rng& rng) {
    const double loss = compute_gradients(x, y, rng);
    return loss + regularize_and_update();
}

// One step of data-parallel training on the global batch `batch` (global row numbers). With b
// of its B rows here, this process's gradient of its mean loss g_local = (1/b)·Σ_here ∂lᵢ/∂w is
// scaled by b/B; summed over the processes that is (1/B)·Σ_all ∂lᵢ/∂w, the single-process
// gradient of the whole batch. The loss sums travel in the same message. Returns the batch loss.
template <class T>
double BasicSequential<T>::data_parallel_step(const Matrix<T>& x, const Matrix<T>& y,
                                              std::span<const std::size_t> batch, Rng& rng) {
    Trainer& t = *trainer_;
    t.local_batch.clear();
    for (const std::size_t row : batch)
        if (row >= t.first_row && row - t.first_row < x.rows()) t.local_batch.push_back(row - t.first_row);
    const std::size_t here = t.local_batch.size();
    double loss_here = 0.0;  // Σ_here lᵢ
    T scale = T(0);
    if (here > 0) {
        gather_rows(x, t.local_batch, t.batch_x);
        gather_rows(y, t.local_batch, t.batch_y);
        loss_here = compute_gradients(t.batch_x, t.batch_y, rng) * double(here);
        scale = T(double(here) / double(batch.size()));
    }
    const T loss_sum = sum_gradients(scale, {T(loss_here)})[0];
    return double(loss_sum) / double(batch.size()) + regularize_and_update();
}

template <class T>
std::span<const T> BasicSequential<T>::sum_gradients(T weight, std::initializer_list<T> extras) {
    Trainer& t = *trainer_;
    t.gradient_sums.clear();
    for (const auto& p : t.parameters)
        for (const T g : p.gradient) t.gradient_sums.push_back(weight == T(0) ? T(0) : g * weight);
    t.gradient_sums.insert(t.gradient_sums.end(), extras);
    t.parallel->sum(t.gradient_sums);
    std::size_t next = 0;
    for (auto& p : t.parameters)
        for (T& g : p.gradient) g = t.gradient_sums[next++];
    return std::span<const T>(t.gradient_sums).subspan(next);
}

// The epoch's metrics over every process's rows: their running sums added up.
template <class T>
void BasicSequential<T>::sum_epoch_metrics() {
    Trainer& t = *trainer_;
    std::vector<double> sums;
    for (const auto& m : t.metrics) sums.insert(sums.end(), {m.totals().first, m.totals().second});
    t.parallel->sum(sums);
    for (std::size_t i = 0; i < t.metrics.size(); ++i) t.metrics[i].set_totals(sums[2 * i], sums[2 * i + 1]);
}

template <class T>
double BasicSequential<T>::train_on_batch(const Matrix<T>& x, const Matrix<T>& y) {
    require_compiled("train_on_batch");
    prepare_inputs(x, "train_on_batch");
    check_targets(x, y, "train_on_batch");
    ensure_trainer();
    for (auto& m : trainer_->metrics) m.reset();  // the metrics of this batch alone
    return train_step(x, y, rng_);
}

template <class T>
Logs BasicSequential<T>::train_on_batch_logs(const Matrix<T>& x, const Matrix<T>& y) {
    Logs logs{{"loss", train_on_batch(x, y)}};
    for (const auto& m : trainer_->metrics) logs[m.name()] = m.result();
    return logs;
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
    detail::ProgressBar progress = detail::stdout_progress(options.verbose);
    progress.begin_epoch(epoch, options.epochs, steps);
    double loss_sum = 0.0;
    std::size_t seen = 0;
    Logs& logs = t.logs;
    auto current_logs = [&] {
        *t.loss_log = loss_sum / double(seen);
        for (std::size_t i = 0; i < t.metrics.size(); ++i) *t.metric_logs[i] = t.metrics[i].result();
    };
    for (std::size_t step = 0; step < steps; ++step) {
        for (auto& cb : options.callbacks) {
            cb->on_train_batch_begin(*this, step);
            require_same_fit(trainer_, fit);
        }
        const std::size_t first = step * options.batch_size;
        const std::size_t count = std::min(options.batch_size, rows - first);
        const auto batch = order.subspan(first, count);
        // One batch of every row, in data order, is the data itself: no copy.
        const bool whole_data = !t.parallel && steps == 1 && count == x.rows();
        if (!whole_data && !t.parallel) {
            gather_rows(x, batch, t.batch_x);
            gather_rows(y, batch, t.batch_y);
        }
        const double loss = t.parallel  ? data_parallel_step(x, y, batch, rng)
                            : whole_data ? train_step(x, y, rng)
                                         : train_step(t.batch_x, t.batch_y, rng);
        loss_sum += loss * double(count);  // Keras weights by batch size
        seen += count;
        if (!options.callbacks.empty() || progress.redraws()) {
            current_logs();
            for (auto& cb : options.callbacks) {
                cb->on_train_batch_end(*this, step, logs);
                require_same_fit(trainer_, fit);  // before t or logs is touched again
            }
            progress.step(step + 1, logs);
        }
        if (stop_training) break;
    }
    if (t.parallel) sum_epoch_metrics();
    current_logs();
    if (t.has_validation) {
        const Logs val = evaluate_rows(t.validation_x, t.validation_y, options.batch_size, t.parallel);
        for (const auto& [key, value] : val) logs["val_" + key] = value;
    }
    progress.end(logs);
    return logs;
}

template <class T>
History BasicSequential<T>::fit(const Matrix<T>& x, const Matrix<T>& y, FitOptions<T> options) {
    require_compiled("fit");
    if (options.epochs < 0) throw UsageError("fit: epochs must be >= 0, got " + std::to_string(options.epochs));
    if (options.batch_size == 0) throw UsageError("fit: batch_size must be at least 1");
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw UsageError("fit: validation_split must be in [0, 1), got " + number_text(options.validation_split));
    if (options.initial_epoch < 0) throw UsageError("fit: initial_epoch must be >= 0");
    if (options.data_parallel && options.stratify)
        throw UsageError("fit: stratify needs the class of every row, which data-parallel training spreads over the "
                         "processes; split the rows beforehand and pass each process its validation_data");
    if (options.data_parallel && options.data_parallel->rank() != 0) options.verbose = 0;  // process 0 alone prints
    // A process of a data-parallel fit may hold none of the rows (more processes than rows): it
    // still takes part in every step, and split_validation counts the rows of every process.
    if (options.data_parallel && x.rows() == 0 && !built()) build(x.cols());
    if (!options.data_parallel || x.rows() > 0) prepare_inputs(x, "fit");
    check_targets(x, y, "fit");
    require_memory_for_fit(*this, x.rows(), y.cols(), options);
    const std::uint64_t this_fit = start_fit(options);
    const std::uint64_t seed = options.seed.value_or(options_.seed);
    split_validation(x, y, options, seed);
    return run_epochs(options, this_fit, [&](int epoch) -> const Logs& { return run_epoch(x, y, options, epoch, seed); });
}

template <class T>
std::uint64_t BasicSequential<T>::start_fit(const FitOptions<T>& options) {
    require_callbacks(options.callbacks);
    ensure_trainer();
    Trainer& t = *trainer_;
    t.parallel = options.data_parallel.get();
    t.logs.clear();  // keys of an earlier fit (its val_*) must not show up in this one
    t.fit = ++fits_started;
    t.loss_log = &t.logs["loss"];
    t.metric_logs.clear();
    for (const auto& m : t.metrics) t.metric_logs.push_back(&t.logs[m.name()]);
    return t.fit;
}

template <class T>
History BasicSequential<T>::run_epochs(const FitOptions<T>& options, std::uint64_t this_fit,
                                       const std::function<const Logs&(int)>& run_epoch) {
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
        const Logs& logs = run_epoch(epoch);
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
// draws them at random (seeded) and stratify draws the same share of every class. In
// data-parallel training the rows are numbered across the processes' shards, in rank order, and
// each process keeps the validation rows it holds.
template <class T>
void BasicSequential<T>::split_validation(const Matrix<T>& x, const Matrix<T>& y, const FitOptions<T>& options,
                                          std::uint64_t seed) {
    Trainer& t = *trainer_;
    t.validation_x = {};
    t.validation_y = {};
    t.first_row = 0;
    std::size_t all_rows = x.rows();
    if (t.parallel) {
        std::vector<double> shard_rows(t.parallel->size(), 0.0);  // how many rows each process holds
        shard_rows[t.parallel->rank()] = double(x.rows());
        t.parallel->sum(shard_rows);
        for (std::size_t r = 0; r < t.parallel->rank(); ++r) t.first_row += std::size_t(shard_rows[r]);
        all_rows = std::size_t(std::accumulate(shard_rows.begin(), shard_rows.end(), 0.0));
        if (all_rows == 0) throw DataError("fit: no process holds any rows; give at least one sample");
    }
    std::vector<std::size_t> rows(all_rows);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    std::size_t validation_rows = 0;
    if (options.validation_data) {
        const auto& [vx, vy] = *options.validation_data;
        if (!t.parallel || vx.rows() > 0) {  // a process may hold none of the validation rows
            prepare_inputs(vx, "fit (validation_data)");
            check_targets(vx, vy, "fit (validation_data)");
        }
        t.validation_x = vx;
        t.validation_y = vy;
        validation_rows = vx.rows();
    } else if (options.validation_split > 0.0) {
        const ValidationSplit kind = options.stratify                   ? ValidationSplit::stratified
                                     : options.shuffle_validation_split ? ValidationSplit::shuffled
                                                                        : ValidationSplit::last_rows;
        try {
            auto split = split_rows(all_rows, options.validation_split, kind, seed,
                                    options.stratify ? row_classes(y) : std::vector<std::size_t>{});
            validation_rows = split.validation.size();
            std::vector<std::size_t> held;  // the validation rows this process holds, as its own row numbers
            for (const std::size_t row : split.validation)
                if (row >= t.first_row && row - t.first_row < x.rows()) held.push_back(row - t.first_row);
            gather_rows(x, held, t.validation_x);
            gather_rows(y, held, t.validation_y);
            rows = std::move(split.training);
        } catch (const DataError& e) {
            throw DataError(std::string("fit: ") + e.what());
        }
    }
    if (t.parallel && options.validation_data) {
        std::vector<double> count{double(validation_rows)};
        t.parallel->sum(count);
        validation_rows = std::size_t(count.front());
    }
    t.has_validation = validation_rows > 0;
    t.base_order = std::move(rows);
}

// The trainer holds the parameters of the layers trainable when it was made. A layer frozen or
// unfrozen since makes a new one, and the optimizer's state, kept per trainable parameter, starts
// afresh (Keras asks for compile() again after changing trainable).
template <class T>
void BasicSequential<T>::ensure_trainer() {
    const auto trainable = [](const auto& layer) { return layer->trainable(); };
    if (trainer_ && std::ranges::equal(trainer_->trainable, layers_, {}, {}, trainable)) return;  // allocates nothing
    if (trainer_ && optimizer_) optimizer_->reset();
    trainer_ = std::make_unique<Trainer>();
    for (const auto& layer : layers_) trainer_->trainable.push_back(layer->trainable());
    trainer_->lowest_trainable = std::size_t(std::ranges::find(trainer_->trainable, true) - trainer_->trainable.begin());
    for (auto& layer : layers_)
        if (layer->trainable())
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

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace dense
