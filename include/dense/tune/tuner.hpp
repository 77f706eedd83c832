#pragma once
// Tuner: the articles' trial and error, automated. It draws networks from a search space,
// trains and scores each on validation data, and recommends the simplest one that is as good
// as the best by the one-standard-error rule (within one standard error of the best score):
//
//   dense::tune::Tuner tuner({.max_trials = 30, .seed = 7});
//   dense::tune::SearchResult result = tuner.search(x, y);
//   std::cout << result.table();   // result.model is trained and ready to predict
//
// Strategies: random search trains every trial up to max_epochs; Hyperband runs brackets of
// successive halving, training many trials for a few epochs and only the best third of each
// rung three times longer, so poor trials stop early. Trials run in parallel on `threads`
// threads — or on several processes (`processes`) — and their numbers do not depend on the
// thread or process count or on which finishes first.
// Trial 0 is the simplest network of the space, trial 1 `dense train`'s default network
// (default_network(), when the space holds it); both train for max_epochs, as references the
// sampled trials must beat. Every search first runs the default search (the brackets of default_search_trials trials), so a
// longer one — more trials or a time budget — evaluates a superset of a shorter one's trials in
// the same order, and its best can only be as good or better.
// With one validation split the search's pick then meets `dense train` itself in a final check:
// both are trained again by 5-fold cross-validation on folds the search never saw — the pick for
// its best number of epochs, dense train by its procedure (DefaultTraining: a linear model or
// default_network(), early stopping, its choice, its refit) — and compared row by row on the
// out-of-fold losses (choose_model). A winner among many trials on the same rows is partly luck
// (of those rows, of its initial weights); the pick replaces dense train's model only when its
// loss is lower by more than one standard error of the per-row differences
// (SearchResult::default_training says when it did not).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dense/matrix.hpp"
#include "dense/messenger.hpp"
#include "dense/tune/objective.hpp"
#include "dense/tune/search_result.hpp"
#include "dense/tune/search_space.hpp"

namespace dense::tune {

enum class Strategy { random, hyperband };

inline constexpr std::size_t default_search_trials = 20;
// "random" | "hyperband"; anything else throws UsageError.
Strategy strategy_from_name(std::string_view name);

struct TunerOptions {
    Strategy strategy = Strategy::hyperband;
    // Trials to draw; 0 means no limit (then time_budget must be set).
    std::size_t max_trials = default_search_trials;
    // Wall time for the whole search, the final check and the final model included; zero means
    // none. The search starts no epoch once the time left would not cover the closing work for
    // the currently recommended trial (estimated from its own evaluation and from dense train's
    // side of the final check, measured first); trials cut short are not counted, except that the
    // first trial to finish is always kept.
    std::chrono::duration<double> time_budget{0};
    // 1: hold out validation_split of the rows (chosen at random); K > 1: K-fold cross-validation.
    std::size_t folds = 1;
    double validation_split = 0.2;
    std::uint64_t seed = 42;
    // Trials trained at once; 0 means dense::num_threads(), and at most dense::max_num_threads().
    std::size_t threads = 0;
    // A JSON-lines file of finished trials; empty for none. See TrialLog.
    std::string log_path = {};
    // Epochs without improvement of the validation metric before a trial stops; 0: max(3, max_epochs / 8).
    int patience = 0;
    // Trials whose score is within this many standard errors (the best trial's) of the best count
    // as equally good; the one with the fewest parameters is recommended (one_standard_error_pick).
    double standard_errors = 1.0;
    // Hyperband's η: each rung keeps the best 1/η of its trials and gives them η times the epochs.
    int reduction_factor = 3;
    // After the search, train the recommended trial again on every row (validation rows included)
    // for its best number of epochs — what the final check measured on fresh folds — as
    // cross-validation always does; false keeps, with one validation split, the very model its
    // score describes. `dense tune` refits unless --no-refit.
    bool refit = false;
    // The space to search; unset: SearchSpace::for_data(rows).
    std::optional<SearchSpace> space = {};
    // The objective; unset: Objective::infer(y).
    std::optional<Objective> objective = {};
    // Makes `dense train`'s model of every row when the final check keeps it, with `seed` and
    // `refit` as set here; unset: its procedure on x and y as given (train_by_default, the
    // validation rows drawn with `seed`). `dense tune` runs `dense train`'s own procedure on the
    // CSV instead, whose preprocessing is learnt from its training rows alone, and saves the file
    // `dense train --seed` writes. Called at most once, on process 0, with the kernel threads of
    // the final model, and only when the space holds both of dense train's networks (the linear
    // model and default_network()): with one, the check's dense train chose among fewer.
    std::function<DefaultTrainingModel()> default_training_model = nullptr;
    // The copies of each network `dense train` trains and averages (its --ensemble,
    // tune::default_ensemble_for): the final check trains dense train's procedure with that many
    // on every fold, so that the search's pick is weighed against the model dense train makes,
    // and the search keeps back time for making it.
    std::size_t default_training_copies = 1;
    // Where the leaderboard goes (nullptr: nowhere) and whether it redraws in place.
    std::ostream* progress = nullptr;
    bool live = false;
    // A search spread over processes (mpirun): process 0 runs search() and hands trials, and the
    // final check's trainings, to the others, which run serve(), one trial at a time each
    // (process 0 trains one too); the trials, scores, log, pick and model are those of one
    // process. A process that throws leaves the others waiting: end the job then (MPI_Abort, as
    // `dense tune` does). Null, or one process: this process alone.
    std::shared_ptr<Messenger> processes = nullptr;
};

// The one-standard-error rule (Breiman et al. 1984; Hastie et al., Elements of Statistical
// Learning §7.10): among the trials whose score is within standard_errors · SE(best) of the best
// one, the one with the fewest parameters, then the better score. `ranked` is best first;
// returns a position in it.
std::size_t one_standard_error_pick(const std::vector<Trial>& ranked, const Objective& objective,
                                    double standard_errors = 1.0);

class Tuner {
public:
    explicit Tuner(TunerOptions options = {});
    // Searches on inputs x (rows × features) and targets y (rows × outputs, or class indices)
    // and returns every trial with the recommended model (SearchResult::model). Throws UsageError
    // for bad options and DataError for data that does not fit.
    SearchResult search(const Matrix<float>& x, const Matrix<float>& y);
    // On every process but 0 of options().processes: evaluates the trials that process 0's
    // search() hands out, until it is done. Give it the same x, y and options as process 0.
    void serve(const Matrix<float>& x, const Matrix<float>& y);

    const TunerOptions& options() const noexcept { return options_; }

private:
    TunerOptions options_;
};

}  // namespace dense::tune
