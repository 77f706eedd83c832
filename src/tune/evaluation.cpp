#include "evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dense/error.hpp"
#include "dense/printable.hpp"
#include "dense/validation_split.hpp"

namespace dense::tune {

namespace {

using Clock = std::chrono::steady_clock;

// Every row of `order` outside [begin, end).
std::vector<std::size_t> without_range(const std::vector<std::size_t>& order, std::size_t begin, std::size_t end) {
    std::vector<std::size_t> rest(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(begin));
    rest.insert(rest.end(), order.begin() + static_cast<std::ptrdiff_t>(end), order.end());
    return rest;
}

Fold make_fold(const Matrix<float>& x, const Matrix<float>& y, const std::vector<std::size_t>& order,
               std::size_t val_begin, std::size_t val_end) {
    const auto train = without_range(order, val_begin, val_end);
    return {gather_rows(x, train, 0, train.size()), gather_rows(y, train, 0, train.size()),
            gather_rows(x, order, val_begin, val_end), gather_rows(y, order, val_begin, val_end)};
}

// Fisher–Yates with dense's Rng, so the split is the same on every platform.
std::vector<std::size_t> shuffled_rows(std::size_t rows, std::uint64_t seed) {
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    Rng rng(seed);
    for (std::size_t i = rows; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    return order;
}

// The rows of each fold: the shuffled rows cut in K runs, or, with classes, the shuffled rows
// sorted by class and dealt to the folds in turn, so every fold holds about n_c / K of class c.
std::vector<std::vector<std::size_t>> fold_rows(std::size_t rows, std::size_t folds, std::uint64_t seed,
                                                std::span<const std::size_t> classes) {
    auto order = shuffled_rows(rows, seed);
    std::vector<std::vector<std::size_t>> result(folds);
    if (classes.empty()) {
        for (std::size_t k = 0; k < folds; ++k)
            result[k].assign(order.begin() + static_cast<std::ptrdiff_t>(k * rows / folds),
                             order.begin() + static_cast<std::ptrdiff_t>((k + 1) * rows / folds));
        return result;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return classes[a] < classes[b]; });
    for (std::size_t i = 0; i < order.size(); ++i) result[i % folds].push_back(order[i]);
    return result;
}

struct FoldOutcome {
    int epochs = 0;
    int best_epochs = 0;
    double metric = std::numeric_limits<double>::quiet_NaN();
    double metric_se = 0.0;
    std::vector<Tensor<float>> best_weights;
};

// The untrained model of a trial's fold and the stream of its epochs' seeds.
struct FoldTraining {
    Sequential model;
    Rng epoch_seeds;
};

FoldTraining start_fold(const Trial& trial, std::size_t fold_index, const EvaluationSettings& settings) {
    const std::uint64_t seed = derive_seed(trial.seed, fold_index);
    return {make_model(trial.hyperparameters, settings.inputs, settings.objective, seed), Rng(seed)};
}

// Trains one model on one fold, scoring it after every epoch; stops after `patience` epochs
// without a better score, at the first non-finite score, or when out of time (nullopt).
std::optional<FoldOutcome> run_fold(const Trial& trial, const Fold& fold, std::size_t fold_index,
                                    const EvaluationSettings& settings, bool keep_best_weights) {
    auto [model, epoch_seeds] = start_fold(trial, fold_index, settings);
    FoldOutcome outcome;
    int waited = 0;
    while (outcome.epochs < trial.epoch_budget && waited < settings.patience) {
        if (settings.out_of_time()) return std::nullopt;
        train_epochs(model, fold.x_train, fold.y_train, trial.hyperparameters.batch_size, 1, epoch_seeds);
        ++outcome.epochs;
        const auto predictions = model.predict(fold.x_val, {.batch_size = 1024});
        const double metric = settings.objective.score(fold.y_val, predictions);
        if (std::isnan(metric)) return FoldOutcome{outcome.epochs, outcome.best_epochs, metric, 0.0, {}};
        const bool improved = settings.objective.better(metric, outcome.metric);
        // A tie (accuracy is a count) moves the best epoch on, to the better-trained model, but
        // does not reset the patience.
        if (improved || metric == outcome.metric) {
            outcome.metric = metric;
            outcome.metric_se = settings.objective.standard_error(fold.y_val, predictions);
            outcome.best_epochs = outcome.epochs;
            if (keep_best_weights) outcome.best_weights = model.get_weights();
        }
        waited = improved ? 0 : waited + 1;
    }
    return outcome;
}

}  // namespace

Matrix<float> gather_rows(const Matrix<float>& m, const std::vector<std::size_t>& order, std::size_t begin,
                          std::size_t end) {
    Matrix<float> out(end - begin, m.cols());
    for (std::size_t r = begin; r < end; ++r) std::ranges::copy(m.row(order[r]), out.row(r - begin).begin());
    return out;
}

Fold fold_of(const Matrix<float>& x, const Matrix<float>& y, const SplitRows& split) {
    auto order = split.validation;
    order.insert(order.end(), split.training.begin(), split.training.end());
    return make_fold(x, y, order, 0, split.validation.size());
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) noexcept {
    return Rng(seed ^ (index * 0x9E3779B97F4A7C15ull)).next_u64();
}

std::vector<Fold> make_folds(const Matrix<float>& x, const Matrix<float>& y, std::size_t folds,
                             double validation_split, std::uint64_t seed, std::span<const std::size_t> classes) {
    const std::size_t rows = x.rows();
    if (folds <= 1) {
        SplitRows split;
        try {
            split = split_rows(rows, validation_split, classes.empty() ? ValidationSplit::shuffled : ValidationSplit::stratified,
                               derive_seed(seed, rows), classes);
        } catch (const DataError&) {
            throw DataError("tune: a validation split of " + number_text(validation_split) + " of " + std::to_string(rows) +
                            " rows leaves no training or no validation rows; use a split in (0, 1) that holds out at "
                            "least one row and keeps one, or give more rows");
        }
        return {fold_of(x, y, split)};
    }
    if (folds > rows)
        throw DataError("tune: " + std::to_string(folds) + " folds need at least as many rows, one to validate on in each, "
                        "but the data has " + std::to_string(rows) + "; ask for at most " + std::to_string(rows) +
                        " folds (dense tune --folds) or give more rows");
    std::vector<std::size_t> order;  // fold by fold
    std::vector<std::size_t> starts;
    for (const auto& rows_of_fold : fold_rows(rows, folds, derive_seed(seed, rows), classes)) {
        starts.push_back(order.size());
        order.insert(order.end(), rows_of_fold.begin(), rows_of_fold.end());
    }
    starts.push_back(rows);
    std::vector<Fold> result;
    for (std::size_t k = 0; k < folds; ++k) result.push_back(make_fold(x, y, order, starts[k], starts[k + 1]));
    return result;
}

void train_epochs(Sequential& model, const Matrix<float>& x, const Matrix<float>& y, std::size_t batch_size,
                  int epochs, Rng& epoch_seeds) {
    for (int epoch = 0; epoch < epochs; ++epoch)
        model.fit(x, y, {.epochs = 1, .batch_size = batch_size, .verbose = 0, .seed = epoch_seeds.next_u64()});
}

Sequential train_fold_model(const Trial& trial, const std::vector<Fold>& folds, const EvaluationSettings& settings) {
    auto [model, epoch_seeds] = start_fold(trial, 0, settings);
    train_epochs(model, folds.front().x_train, folds.front().y_train, trial.hyperparameters.batch_size,
                 trial.best_epochs, epoch_seeds);
    return std::move(model);
}

std::optional<Evaluation> evaluate(Trial trial, const EvaluationSettings& settings) {
    const auto start = Clock::now();
    const auto& folds = *settings.folds;
    Evaluation evaluation;
    double metric_sum = 0.0, best_epochs_sum = 0.0;
    std::vector<double> fold_metrics;
    trial.epochs = 0;
    for (std::size_t k = 0; k < folds.size(); ++k) {
        auto outcome = run_fold(trial, folds[k], k, settings, folds.size() == 1);
        if (!outcome) return std::nullopt;
        metric_sum += outcome->metric;
        fold_metrics.push_back(outcome->metric);
        trial.metric_se = outcome->metric_se;
        best_epochs_sum += outcome->best_epochs;
        trial.epochs = std::max(trial.epochs, outcome->epochs);
        evaluation.best_weights = std::move(outcome->best_weights);
    }
    const double fold_count = static_cast<double>(folds.size());
    trial.metric = metric_sum / fold_count;
    if (folds.size() > 1) trial.metric_se = sample_deviation(fold_metrics) / std::sqrt(fold_count);  // s / √K
    trial.best_epochs = std::max(1, static_cast<int>(std::lround(best_epochs_sum / fold_count)));
    trial.parameters = parameter_count(trial.hyperparameters, settings.inputs, settings.objective.output_units());
    trial.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    evaluation.trial = std::move(trial);
    return evaluation;
}

}  // namespace dense::tune
