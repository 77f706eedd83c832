// BasicSequential<T>::fit on a BatchSource: epochs of batches streamed from a source rather than
// gathered from matrices in memory, validated on a source of their own.
#include "dense/error.hpp"
#include "dense/sequential.hpp"
#include "metric.hpp"
#include "progress_bar.hpp"
#include "trainer.hpp"

namespace dense {
namespace {

// The options of fit on matrices that choose rows, which a source chooses itself.
template <class T>
void refuse_row_options(const FitOptions<T>& options) {
    const char* option = options.validation_split > 0.0     ? "validation_split"
                         : options.validation_data          ? "validation_data"
                         : options.stratify                 ? "stratify"
                         : options.shuffle_validation_split ? "shuffle_validation_split"
                                                            : nullptr;
    if (option)
        throw UsageError(std::string("fit(batch source): ") + option +
                         " chooses rows held in memory; give the validation rows as a batch source of their own "
                         "(fit's validation_data argument)");
}

}  // namespace

template <class T>
History BasicSequential<T>::fit(BasicBatchSource<T>& data, FitOptions<T> options, BasicBatchSource<T>* validation_data) {
    require_compiled("fit");
    if (options.epochs < 0) throw UsageError("fit: epochs must be >= 0, got " + std::to_string(options.epochs));
    if (options.initial_epoch < 0) throw UsageError("fit: initial_epoch must be >= 0");
    refuse_row_options(options);
    if (options.data_parallel && options.data_parallel->rank() != 0) options.verbose = 0;  // process 0 alone prints
    if (!built()) {  // the first batch shows the width of the inputs
        Matrix<T> x, y;
        data.start_epoch(options.initial_epoch);
        if (!data.next_batch(x, y)) throw DataError("fit: the batch source gave no batch; give it at least one row");
        prepare_inputs(x, "fit");
    }
    const std::uint64_t this_fit = start_fit(options);
    trainer_->has_validation = validation_data != nullptr;
    const std::uint64_t seed = options.seed.value_or(options_.seed);
    return run_epochs(options, this_fit, [&](int epoch) -> const Logs& {
        return run_source_epoch(data, validation_data, options, epoch, seed);
    });
}

template <class T>
const Logs& BasicSequential<T>::run_source_epoch(BasicBatchSource<T>& data, BasicBatchSource<T>* validation,
                                                 const FitOptions<T>& options, int epoch, std::uint64_t seed) {
    Trainer& t = *trainer_;
    const std::uint64_t fit = t.fit;
    Rng& rng = t.epoch_rng;
    if (!t.only_dense) rng = detail::epoch_rng(seed, epoch);  // Dropout's masks
    data.start_epoch(epoch);
    for (auto& m : t.metrics) m.reset();
    detail::ProgressBar progress = detail::stdout_progress(options.verbose);
    progress.begin_epoch(epoch, options.epochs, data.batches_per_epoch());
    double loss_sum = 0.0;
    std::size_t seen = 0;
    Logs& logs = t.logs;
    auto current_logs = [&] {
        *t.loss_log = loss_sum / double(seen);
        for (std::size_t i = 0; i < t.metrics.size(); ++i) *t.metric_logs[i] = t.metrics[i].result();
    };
    for (std::size_t step = 0;; ++step) {
        std::size_t rows = data.next_batch(t.batch_x, t.batch_y) ? t.batch_x.rows() : 0;
        if (rows > 0) {
            prepare_inputs(t.batch_x, "fit");
            check_targets(t.batch_x, t.batch_y, "fit");
            for (auto& cb : options.callbacks) {
                cb->on_train_batch_begin(*this, step);
                detail::require_same_fit(trainer_, fit);
            }
        }
        const double loss = t.parallel ? source_parallel_step(rows, rng, rows)
                            : rows > 0 ? train_step(t.batch_x, t.batch_y, rng)
                                       : 0.0;
        if (rows == 0) break;  // every source has ended
        loss_sum += loss * double(rows);  // Keras weights by batch size
        seen += rows;
        if (!options.callbacks.empty() || progress.redraws()) {
            current_logs();
            for (auto& cb : options.callbacks) {
                cb->on_train_batch_end(*this, step, logs);
                detail::require_same_fit(trainer_, fit);
            }
            progress.step(step + 1, logs);
        }
        if (stop_training) break;
    }
    if (seen == 0) throw DataError("fit: the batch source gave no batch in epoch " + std::to_string(epoch + 1));
    if (t.parallel) sum_epoch_metrics();
    current_logs();
    if (validation) {
        const Logs val = evaluate_source(*validation, t.parallel);
        for (const auto& [key, value] : val) logs["val_" + key] = value;
    }
    progress.end(logs);
    return logs;
}

// With b of the step's B rows here, Σ_here ∂lᵢ/∂w = b · (this process's mean gradient); summed
// over the processes and divided by B that is (1/B)·Σ_all ∂lᵢ/∂w, the gradient of the whole
// batch. The loss sums and b travel in the same message. Returns the batch loss.
template <class T>
double BasicSequential<T>::source_parallel_step(std::size_t here, Rng& rng, std::size_t& rows) {
    Trainer& t = *trainer_;
    const double loss_here = here > 0 ? compute_gradients(t.batch_x, t.batch_y, rng) * double(here) : 0.0;
    const auto sums = sum_gradients(T(here), {T(loss_here), T(here)});  // Σ b·ḡ, Σ lᵢ, B
    rows = static_cast<std::size_t>(sums[1]);
    if (rows == 0) return 0.0;
    for (auto& p : t.parameters)
        for (T& g : p.gradient) g /= T(rows);
    return double(sums[0]) / double(rows) + regularize_and_update();
}

template <class T>
Logs BasicSequential<T>::evaluate_source(BasicBatchSource<T>& source, DataParallel* parallel) {
    std::vector<detail::Metric> metrics;
    for (const auto& name : metric_names_) metrics.emplace_back(name);
    Matrix<T> x, y;
    double loss_sum = 0.0, rows = 0.0;
    source.start_epoch(0);
    while (source.next_batch(x, y)) {
        prepare_inputs(x, "fit (validation_data)");
        check_targets(x, y, "fit (validation_data)");
        const Matrix<T>& y_pred = forward(x, false, rng_);
        loss_sum += loss_.value(y, y_pred) * double(x.rows());
        rows += double(x.rows());
        for (auto& m : metrics) m.update(y, y_pred);
    }
    if (rows == 0.0 && !parallel) throw DataError("fit: the validation batch source gave no batch; give it at least one row");
    return evaluation_logs(loss_sum, rows, metrics, parallel);
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace dense
