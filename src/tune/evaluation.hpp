#pragma once
// How one trial is trained and scored: the validation folds, the epoch loop with early stopping,
// and the seeds that make every evaluation a function of (search seed, trial index, budget) only.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/sequential.hpp"
#include "dense/tensor.hpp"
#include "dense/tune/objective.hpp"
#include "dense/tune/trial.hpp"
#include "dense/validation_split.hpp"

namespace dense::tune {

// One split of the rows into training and validation data.
struct Fold {
    Matrix<float> x_train, y_train, x_val, y_val;
};

// folds = 1: one fold holding out validation_split of the rows; K > 1: K folds of
// cross-validation. Rows are drawn at random from `seed`; with `classes` (one per row, for
// classification) every fold holds the same share of each class.
std::vector<Fold> make_folds(const Matrix<float>& x, const Matrix<float>& y, std::size_t folds,
                             double validation_split, std::uint64_t seed, std::span<const std::size_t> classes = {});

// Rows `order[begin, end)` of m, as a new matrix.
Matrix<float> gather_rows(const Matrix<float>& m, const std::vector<std::size_t>& order, std::size_t begin,
                          std::size_t end);

// The fold of `split`: its training rows and its validation rows, each in the order split holds them.
Fold fold_of(const Matrix<float>& x, const Matrix<float>& y, const SplitRows& split);

// An independent seed for item `index` of the stream `seed` (a trial, a fold).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t index) noexcept;

// Trains `model` for `epochs` epochs, each shuffled with the next seed drawn from `epoch_seeds`.
void train_epochs(Sequential& model, const Matrix<float>& x, const Matrix<float>& y, std::size_t batch_size,
                  int epochs, Rng& epoch_seeds);

struct EvaluationSettings {
    const std::vector<Fold>* folds = nullptr;
    Objective objective;
    std::size_t inputs = 0;
    int patience = 1;
    // Asked before every epoch; true abandons the evaluation (the time budget ran out).
    std::function<bool()> out_of_time = [] { return false; };
};

struct Evaluation {
    Trial trial;
    // With one fold: the weights at the best epoch, the very model trial.metric describes.
    std::vector<Tensor<float>> best_weights;
};

// Fills epochs, best_epochs, metric, parameters and seconds of `trial`, trained for at most
// trial.epoch_budget epochs on every fold. Returns nullopt when it ran out of time first.
std::optional<Evaluation> evaluate(Trial trial, const EvaluationSettings& settings);

// The model evaluate() trained on the first fold, stopped at trial.best_epochs: the same numbers
// when run with the same kernel thread count.
Sequential train_fold_model(const Trial& trial, const std::vector<Fold>& folds, const EvaluationSettings& settings);

}  // namespace dense::tune
