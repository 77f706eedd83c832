// BasicSequential<T>'s inference: evaluate (loss and metrics over a data set) and batched predict.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <span>

#include "dense/error.hpp"
#include "dense/layers/dense.hpp"
#include "dense/sequential.hpp"
#include "dense/threads.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"
#include "kernels/parallel.hpp"
#include "layers/row_range.hpp"
#include "metric.hpp"
#include "progress_bar.hpp"
#include "sequential_detail.hpp"

namespace dense {

using detail::require_finite;

namespace {

// l1·Σ|w| + l2·Σw², as in the training loss. Read through the layers' const views: parameters()
// would mark the weights changed and make the next prediction pack them again.
template <class T>
double regularization_penalty(std::span<const T> weights, const Regularizer& regularizer) {
    double penalty = 0.0;
    for (const T w : weights) penalty += regularizer.l1 * std::abs(double(w)) + regularizer.l2 * double(w) * double(w);
    return penalty;
}

// Fewer multiply-adds than this a part do not repay waking the pool.
constexpr std::size_t min_work_per_part = 32768;

// The batches of `batch_size` rows that `rows` make, the last one short.
std::size_t steps_of(std::size_t rows, std::size_t batch_size) { return (rows + batch_size - 1) / batch_size; }

// Rows [begin, end) of part `index` of `parts`: whole row tiles dealt out evenly, the rows past
// the last whole tile going with the last part.
kernels::Range part_rows(std::size_t rows, std::size_t parts, std::size_t index) {
    const std::size_t tile = kernels::row_tile();
    const kernels::Range tiles = kernels::split_evenly(rows / tile, parts, index);
    return {tiles.begin * tile, index + 1 == parts ? rows : tiles.end * tile};
}

}  // namespace

// One part a thread, each of at least every layer's rows_apart rows (in whole row tiles) and
// min_work_per_part multiply-adds, counting in·out a row for each layer (a Dense layer's work,
// an upper bound on the others').
template <class T>
std::size_t BasicSequential<T>::row_parts(std::size_t rows) const {
    std::size_t least_rows = 1, work_per_row = 0;
    for (const auto& layer : layers_) {
        const std::size_t layer_least = layer->rows_apart();
        if (layer_least == 0) return 1;
        least_rows = std::max(least_rows, layer_least);
        work_per_row += layer->input_dim() * layer->output_dim();
    }
    const std::size_t tile = kernels::row_tile(), least_tiles = (least_rows + tile - 1) / tile;
    const std::size_t by_work = rows * work_per_row / min_work_per_part;
    return std::clamp<std::size_t>(std::min(rows / tile / least_tiles, by_work), 1, num_threads());
}

// Each part checks its own rows of x first, so that they are in its core's cache when its first
// layer reads them.
template <class T>
const Matrix<T>* BasicSequential<T>::infer(const Matrix<T>& x, bool check) {
    const std::size_t parts = row_parts(x.rows());
    if (parts == 1) return check && !kernels::all_finite(x.values()) ? nullptr : &forward(x, false, rng_);
    layer_inputs_.resize(layers_.size());
    const Matrix<T>* activations = &x;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        layer_inputs_[l] = activations;
        activations = &layers_[l]->begin_rows(*activations);
    }
    std::atomic<bool> finite{true};
    kernels::parallel_for(parts, [&](std::size_t index) {
        const kernels::Range rows = part_rows(x.rows(), parts, index);
        const std::size_t count = rows.end - rows.begin;
        if (check && !kernels::all_finite(std::span<const T>(x.row(rows.begin).data(), count * x.cols())))
            return finite.store(false, std::memory_order_relaxed);
        for (std::size_t l = 0; l < layers_.size(); ++l) layers_[l]->forward_rows(*layer_inputs_[l], rows.begin, count);
    });
    return finite.load(std::memory_order_relaxed) ? activations : nullptr;
}

template <class T>
Logs BasicSequential<T>::evaluate(const Matrix<T>& x, const Matrix<T>& y, EvaluateOptions options) {
    require_compiled("evaluate");
    prepare_inputs(x, "evaluate");
    check_targets(x, y, "evaluate");
    if (options.batch_size == 0) throw UsageError("evaluate: batch_size must be at least 1");
    detail::ProgressBar progress = detail::stdout_progress(options.verbose);
    progress.begin(steps_of(x.rows(), options.batch_size));
    const Logs logs = evaluate_rows(x, y, options.batch_size, nullptr, &progress);
    progress.end(logs);
    return logs;
}

// loss = Σ lᵢ / rows + penalty, the sums over every process's rows when `parallel` is set.
template <class T>
Logs BasicSequential<T>::evaluate_rows(const Matrix<T>& x, const Matrix<T>& y, std::size_t batch_size,
                                       DataParallel* parallel, detail::ProgressBar* progress) {
    std::vector<detail::Metric> metrics;
    for (const auto& name : metric_names_) metrics.emplace_back(name);
    double loss_sum = 0.0;
    for (std::size_t first = 0; first < x.rows(); first += batch_size) {
        const std::size_t count = std::min(batch_size, x.rows() - first);
        // The batch's rows where they are (a Dropout's output may be batch_x itself).
        const Matrix<T> batch_x = detail::row_range(x, first, count), batch_y = detail::row_range(y, first, count);
        const Matrix<T>& y_pred = *infer(batch_x, false);
        loss_sum += loss_.value(batch_y, y_pred) * double(count);
        for (auto& m : metrics) m.update(batch_y, y_pred);
        if (progress && progress->redraws())
            progress->step(first / batch_size + 1, evaluation_logs(loss_sum, double(first + count), metrics, nullptr));
    }
    return evaluation_logs(loss_sum, double(x.rows()), metrics, parallel);
}

template <class T>
Logs BasicSequential<T>::evaluation_logs(double loss_sum, double all_rows, std::vector<detail::Metric>& metrics,
                                         DataParallel* parallel) {
    if (parallel) {
        std::vector<double> sums{loss_sum, all_rows};
        for (const auto& m : metrics) sums.insert(sums.end(), {m.totals().first, m.totals().second});
        parallel->sum(sums);
        loss_sum = sums[0], all_rows = sums[1];
        for (std::size_t i = 0; i < metrics.size(); ++i) metrics[i].set_totals(sums[2 + 2 * i], sums[3 + 2 * i]);
    }
    double penalty = 0.0;  // of the trainable layers: Keras leaves frozen layers' regularizers out of the loss
    for (const auto& layer : layers_)
        if (const auto* dense = dynamic_cast<const BasicDense<T>*>(layer.get()); dense && dense->trainable())
            penalty += regularization_penalty(dense->kernel().values(), dense->options().kernel_regularizer) +
                       regularization_penalty(dense->bias(), dense->options().bias_regularizer);
    Logs logs{{"loss", loss_sum / all_rows + penalty}};
    for (const auto& m : metrics) logs[m.name()] = m.result();
    return logs;
}

template <class T>
Matrix<T> BasicSequential<T>::predict(const Matrix<T>& x, PredictOptions options) {
    Matrix<T> out;
    predict_into(x, out, options);
    return out;
}

template <class T>
void BasicSequential<T>::predict_into(const Matrix<T>& x, Matrix<T>& out, std::size_t batch_size) {
    predict_into(x, out, {.batch_size = batch_size});
}

template <class T>
void BasicSequential<T>::predict_into(const Matrix<T>& x, Matrix<T>& out, PredictOptions options) {
    const std::size_t batch_size = options.batch_size;
    if (batch_size == 0) throw UsageError("predict: batch_size must be at least 1");
    prepare_inputs(x, "predict", false);
    // Each batch's outputs replace its own rows of x only after they are made, so x may take them
    // in place when they are as wide; resizing it would reshape the inputs still to be read.
    if (&out == &x && x.cols() != output_dim())
        throw UsageError("predict_into: out is x itself, which holds " + std::to_string(x.cols()) +
                         " features per row but would receive " + std::to_string(output_dim()) +
                         " outputs; give out a matrix of its own");
    out.resize(x.rows(), output_dim());
    detail::ProgressBar progress = detail::stdout_progress(options.verbose);
    progress.begin(steps_of(x.rows(), batch_size));
    for (std::size_t first = 0; first < x.rows(); first += batch_size) {
        const std::size_t count = std::min(batch_size, x.rows() - first);
        const Matrix<T> batch = detail::row_range(x, first, count);  // y may be batch itself (a Dropout)
        const Matrix<T>* y = infer(batch, true);
        if (!y) require_finite(x, "predict", "input", first, count);
        std::copy_n(y->data(), y->size(), out.row(first).data());
        progress.step(first / batch_size + 1, {});
    }
    progress.end({});
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace dense
