#pragma once
// BasicSequential<T>: a stack of layers trained as one, with Keras' compile / fit / evaluate /
// predict / get_weights / summary. Sequential is the float32 model; f64::Sequential the float64 one.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dense/batch_source.hpp"
#include "dense/callback.hpp"
#include "dense/data_parallel.hpp"
#include "dense/history.hpp"
#include "dense/layer.hpp"
#include "dense/loss.hpp"
#include "dense/matrix.hpp"
#include "dense/optimizers/optimizer.hpp"

namespace dense {

namespace detail {
class Metric;
class ProgressBar;
}

// Holds any layer while a model is being put together: Sequential({Dense(4), Dense(1)}).
template <class T>
class LayerHandle {
public:
    template <class L>
        requires std::derived_from<std::remove_cvref_t<L>, Layer<T>>
    LayerHandle(L&& layer) : layer_(std::make_shared<std::remove_cvref_t<L>>(std::forward<L>(layer))) {}
    std::unique_ptr<Layer<T>> take() const { return layer_->clone(); }

private:
    std::shared_ptr<Layer<T>> layer_;
};

struct SequentialOptions {
    std::string name = "sequential";
    // Seeds the initial weights; fit's shuffling and dropout follow from it unless fit is given
    // a seed of its own.
    std::uint64_t seed = 42;
};

template <class T>
struct FitOptions {
    int epochs = 1;
    std::size_t batch_size = 32;
    bool shuffle = true;
    // Keras: the last fraction of the rows, taken before shuffling.
    double validation_split = 0.0;
    std::optional<std::pair<Matrix<T>, Matrix<T>>> validation_data = std::nullopt;
    int initial_epoch = 0;
    std::vector<std::shared_ptr<BasicCallback<T>>> callbacks = {};
    // 0 silent, 1 progress bar, 2 one line per epoch.
    int verbose = 1;
    std::optional<std::uint64_t> seed = std::nullopt;
    // Takes the validation rows at random (seeded) instead of from the end.
    bool shuffle_validation_split = false;
    // Takes the same share of every class (seeded), the class of a row read from y as
    // row_classes does (validation_split.hpp); for classification targets only.
    bool stratify = false;
    // Data-parallel training (dense/data_parallel.hpp): x and y are then this process's shard,
    // the rows that follow those of the processes of lower rank. fit trains as one process would
    // on all the shards one after another: the same global batches of batch_size rows, the same
    // shuffle, validation split and epoch logs (reduced over the processes). Only process 0
    // prints. Not with stratify (which needs every row's class) or Dropout (its masks differ).
    std::shared_ptr<DataParallel> data_parallel = nullptr;
};

// verbose: 0 silent, 1 Keras' progress bar ("4/4 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.4012"),
// 2 the same line without the bar, on std::cout.
struct EvaluateOptions {
    std::size_t batch_size = 32;
    int verbose = 0;
};

struct PredictOptions {
    std::size_t batch_size = 32;
    int verbose = 0;
};

template <class T>
class BasicSequential {
public:
    explicit BasicSequential(SequentialOptions options = {});
    BasicSequential(std::initializer_list<LayerHandle<T>> layers, SequentialOptions options = {});
    BasicSequential(const BasicSequential& other);
    BasicSequential& operator=(const BasicSequential& other);
    BasicSequential(BasicSequential&&) noexcept;
    BasicSequential& operator=(BasicSequential&&) noexcept;
    ~BasicSequential();

    void add(LayerHandle<T> layer);
    void add(std::unique_ptr<Layer<T>> layer);
    // Creates every layer's weights for inputs of this width. Called by add when the first layer
    // declares input_dim (as Keras builds a model whose input shape is declared), by fit/predict
    // when the data shows it.
    void build(std::size_t input_dim);
    bool built() const noexcept;

    void compile(const BasicOptimizer<T>& optimizer, Loss loss, std::vector<std::string> metrics = {});
    // compile("adam", "mse"): the optimizer by name with Keras' defaults.
    void compile(std::string_view optimizer, Loss loss, std::vector<std::string> metrics = {});
    History fit(const Matrix<T>& x, const Matrix<T>& y, FitOptions<T> options = {});
    // fit on batches streamed from `data` (Keras' fit(dataset)), validated after every epoch on
    // the batches of `validation_data` when given. The source chooses the batches, so options'
    // batch_size, shuffle and validation split do not apply (validation_split, validation_data,
    // stratify and shuffle_validation_split are refused). With options.data_parallel each process
    // streams its own shard: a step sums the gradients of every process's batch, weighted by
    // their rows, and the epoch ends when every source has ended.
    History fit(BasicBatchSource<T>& data, FitOptions<T> options = {}, BasicBatchSource<T>* validation_data = nullptr);
    // {"loss": ..., each metric: ...} over the whole data set.
    Logs evaluate(const Matrix<T>& x, const Matrix<T>& y, EvaluateOptions options = {});
    Matrix<T> predict(const Matrix<T>& x, PredictOptions options = {});
    // The same into a caller's matrix: no allocation once `out` and the layers are sized.
    void predict_into(const Matrix<T>& x, Matrix<T>& out, PredictOptions options);
    void predict_into(const Matrix<T>& x, Matrix<T>& out, std::size_t batch_size = 32);

    // Each built layer's weights in order: empty for a model not yet built, as Keras.
    std::vector<Tensor<T>> get_weights() const;
    void set_weights(const std::vector<Tensor<T>>& weights);

    // Keras' summary table: layer (type), output shape, params; then the totals.
    std::string summary() const;

    std::size_t layer_count() const noexcept { return layers_.size(); }
    Layer<T>& layer(std::size_t index);
    const Layer<T>& layer(std::size_t index) const;
    std::size_t input_dim() const;
    std::size_t output_dim() const;
    std::size_t parameter_count() const;
    const std::string& name() const noexcept { return options_.name; }
    std::uint64_t seed() const noexcept { return options_.seed; }

    bool compiled() const noexcept { return optimizer_ != nullptr; }
    BasicOptimizer<T>& optimizer();
    const BasicOptimizer<T>& optimizer() const;
    const Loss& loss() const noexcept { return loss_; }
    const std::vector<std::string>& metrics() const noexcept { return metric_names_; }

    // Set by a callback to end fit() after the current epoch (or batch).
    bool stop_training = false;

    // One training step on one batch: forward, loss, backward, optimizer update. Returns the
    // batch loss (with regularization). Exposed for custom training loops.
    double train_on_batch(const Matrix<T>& x, const Matrix<T>& y);
    // The same step; returns {"loss": ..., each metric: ...} of this batch alone, computed in the
    // step's forward pass (before the update), as Keras 3's train_on_batch(return_dict=True).
    Logs train_on_batch_logs(const Matrix<T>& x, const Matrix<T>& y);

private:
    struct Trainer;
    const Matrix<T>& forward(const Matrix<T>& x, bool training, Rng& rng);
    // forward(x, false, rng_) for evaluate and predict: x's rows split into parts that run side by
    // side, each through every layer, when the layers allow it (Layer::rows_apart) and x has rows
    // enough; the same bits either way. With `check`, null when a value of x is not finite.
    const Matrix<T>* infer(const Matrix<T>& x, bool check);
    std::size_t row_parts(std::size_t rows) const;
    double forward_and_loss(const Matrix<T>& x, const Matrix<T>& y, Rng& rng, const Matrix<T>*& y_pred, bool& at_logits);
    double train_step(const Matrix<T>& x, const Matrix<T>& y, Rng& rng);
    double compute_gradients(const Matrix<T>& x, const Matrix<T>& y, Rng& rng);
    double regularize_and_update();
    double data_parallel_step(const Matrix<T>& x, const Matrix<T>& y, std::span<const std::size_t> batch, Rng& rng);
    // One allreduce of every process's gradients times `weight` (0 when it is 0) with `extras`
    // after them: the gradients become the sums; returns the extras' sums.
    std::span<const T> sum_gradients(T weight, std::initializer_list<T> extras);
    void sum_epoch_metrics();
    // Loss and metrics of (x, y), summed over the processes of `parallel` when it is set; each
    // batch a step of `progress` when given.
    Logs evaluate_rows(const Matrix<T>& x, const Matrix<T>& y, std::size_t batch_size, DataParallel* parallel,
                       detail::ProgressBar* progress = nullptr);
    Logs evaluate_source(BasicBatchSource<T>& source, DataParallel* parallel);
    // The logs of an evaluation from its sums: loss = Σ lᵢ / rows + penalty, summed over the
    // processes of `parallel` when it is set.
    Logs evaluation_logs(double loss_sum, double rows, std::vector<detail::Metric>& metrics, DataParallel* parallel);
    // What fit does before its first epoch: the trainer, its logs and this fit's id.
    std::uint64_t start_fit(const FitOptions<T>& options);
    // fit's epochs from initial_epoch with the callbacks around each; run_epoch trains one.
    History run_epochs(const FitOptions<T>& options, std::uint64_t fit, const std::function<const Logs&(int)>& run_epoch);
    const Logs& run_source_epoch(BasicBatchSource<T>& data, BasicBatchSource<T>* validation, const FitOptions<T>& options,
                                 int epoch, std::uint64_t seed);
    // One data-parallel step on this process's batch in the trainer (none when `here` is 0);
    // returns the batch loss and sets `rows` to the rows of every process's batch together.
    double source_parallel_step(std::size_t here, Rng& rng, std::size_t& rows);
    const Logs& run_epoch(const Matrix<T>& x, const Matrix<T>& y, const FitOptions<T>& options, int epoch,
                          std::uint64_t seed);
    void split_validation(const Matrix<T>& x, const Matrix<T>& y, const FitOptions<T>& options, std::uint64_t seed);
    void ensure_trainer();
    void require_compiled(const char* what) const;
    // Builds the model on first use and checks x's shape, and its values unless check_values is false.
    void prepare_inputs(const Matrix<T>& x, const char* what, bool check_values = true);
    void check_targets(const Matrix<T>& x, const Matrix<T>& y, const char* what) const;
    std::string unique_layer_name(std::string_view type) const;

    SequentialOptions options_;
    std::vector<std::unique_ptr<Layer<T>>> layers_;
    std::unique_ptr<BasicOptimizer<T>> optimizer_;
    Loss loss_;
    std::vector<std::string> metric_names_;
    Rng rng_;
    std::unique_ptr<Trainer> trainer_;
    std::vector<const Matrix<T>*> layer_inputs_;  // infer's input of each layer
};

using Sequential = BasicSequential<float>;

}  // namespace dense
