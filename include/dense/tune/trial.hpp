#pragma once
// Trial: one evaluation of one point of the search space — a model built from the trial's
// hyperparameters and seed, trained for at most `epoch_budget` epochs with early stopping, and
// scored on validation data (the mean over folds with cross-validation). An evaluation depends
// only on (search seed, trial index, epoch budget), never on what else ran, so a search can be
// resumed, or run in parallel, and give the same numbers.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "dense/tune/hyperparameters.hpp"

namespace dense::tune {

struct Trial {
    std::size_t index = 0;           // 0, 1, 2 … in the order the search draws them
    std::uint64_t seed = 0;          // drew the hyperparameters; seeds weights and shuffling
    Hyperparameters hyperparameters = {};
    int epoch_budget = 0;            // the most epochs this evaluation could train
    int epochs = 0;                  // epochs trained before early stopping (the most over folds)
    int best_epochs = 0;             // epochs at the best validation metric (mean over folds)
    double metric = std::numeric_limits<double>::quiet_NaN();  // at best_epochs; NaN: diverged
    // The standard error of metric: over the folds (s / √K) with cross-validation; with one
    // validation split, of the mean over its rows (√(p(1 − p)/n) for accuracy, s / √n for MSE).
    double metric_se = 0.0;
    std::size_t parameters = 0;
    double seconds = 0.0;            // the wall time of every evaluation of this trial so far

    bool diverged() const noexcept { return !std::isfinite(metric); }
};

}  // namespace dense::tune
