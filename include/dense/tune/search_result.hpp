#pragma once
// SearchResult: what Tuner::search returns — every trial at its deepest evaluation, ranked, the
// best one, the recommended one (the simplest within the tolerance of the best) and its model.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dense/sequential.hpp"
#include "dense/tune/objective.hpp"
#include "dense/tune/search_space.hpp"
#include "dense/tune/trial.hpp"

namespace dense::tune {

struct SearchResult {
    Objective objective;
    SearchSpace space;
    std::size_t inputs = 0;
    std::vector<Trial> trials;          // by trial index: the evaluation with the largest budget
    std::vector<std::size_t> ranking;   // positions in `trials`, best first (diverged last)
    std::size_t best = 0;               // position in `trials`
    std::size_t recommended = 0;        // position in `trials`: the final pick among the trials
    std::size_t searched = 0;           // position in `trials`: the one-standard-error pick of the search
    // With one validation split: why the final check of the search's pick against the references,
    // `dense train`'s candidates (DefaultTraining), by 5-fold cross-validation kept what it kept
    // (ModelChoice::reason); empty with K folds.
    std::string final_check;
    // `dense train`'s own result, which the final check kept when the search's pick did not beat
    // it by more than one standard error: the network it chose (a linear model or
    // default_network(), as DefaultTraining chooses), the epochs it kept (and, with
    // TunerOptions::refit, trained again on every row) and why it chose that network.
    struct DefaultTrainingPick {
        Hyperparameters network;
        int epochs = 0;
        std::string choice;
    };
    // Set when that reference won the final check: `model` is then its model (made by
    // TunerOptions::default_training_model when set), no trial is the pick, and `recommended`
    // stays the search's.
    std::optional<DefaultTrainingPick> default_training;
    std::size_t evaluations = 0;        // evaluations done, read back from the log included
    std::size_t evaluations_resumed = 0;
    // Evaluations each process trained (read back from the log not counted): one entry when
    // the search ran alone, one per process when it was spread over several.
    std::vector<std::size_t> trained_by_process;
    long long total_epochs = 0;         // epochs trained by all evaluations, times folds
    double seconds = 0.0;               // wall time of this search, the final model included
    // The final pick's model (default_training's when set; else the recommended trial's): with a validation split, the very model its metric
    // describes (stopped at its best epoch); with K folds, retrained on every row for the epochs
    // its folds trained (Trial::epochs).
    Sequential model;

    const Trial& best_trial() const { return trials.at(best); }
    const Trial& recommended_trial() const { return trials.at(recommended); }
    // The final table: rank, trial, architecture, training, parameters, metric, epochs, time;
    // the recommended row is marked with '*' (none when default_training won). max_rows = 0 shows
    // every trial.
    std::string table(std::size_t max_rows = 0) const;
};

// `dense train`'s model of every row, as TunerOptions::default_training_model makes it when the
// final check keeps it: the network it chose, its epochs and why, and the model itself.
struct DefaultTrainingModel {
    SearchResult::DefaultTrainingPick pick;
    Sequential model;
};

}  // namespace dense::tune
