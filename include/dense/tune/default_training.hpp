#pragma once
// DefaultTraining: how `dense train DATA.csv --target y` trains when given no other flag, as a
// library procedure, so that `dense tune` can weigh its pick against exactly what `dense train`
// would have given:
//   1. each candidate network (a linear model, and default_network()'s 64 relu units) trains on the
//      training rows with early stopping on the validation loss (patience 50, cap 1000 epochs),
//      its best epoch's weights restored (fit_until_stopped) — `ensemble` times (dense train:
//      default_ensemble, 5), from different seeds (with `folds`, dense train's for classification,
//      each copy validated on a fold of its own: ensemble_folds, copy 0 on the validation rows, the
//      others on as many training rows), the copies averaged into one network (average_networks);
//   2. the simplest candidate is kept unless another's validation loss (its average's; with folds,
//      each fold predicted by the copies that validated on it) is lower by more than one standard
//      error of the per-row differences (choose_model);
//   3. each copy of the kept network trains again on every row for its kept number of epochs, each
//      epoch at the learning rate its validated run used for it (replay_epochs), and the copies
//      are averaged again.
//
//   dense::tune::DefaultTraining training{.seed = 7};
//   auto trained = dense::tune::train_by_default(candidates, x_train, y_train, x_val, y_val, training, true);
//   trained.model.predict(x_new);
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dense/callback.hpp"
#include "dense/matrix.hpp"
#include "dense/sequential.hpp"

namespace dense::tune {

// The copies `dense train` averages by default (--ensemble): 5 steadied the seed-to-seed noise of
// small data most on the quality sets (goal met on 11, 11, 10 of 14 with seeds 42, 1, 2, against
// 10, 9, 7 with one network and 10, 9, 10 with 3; docs/QUALITY.md) for 2.5–4.6× the CPU time.
// DefaultTraining's own default stays 1, so that a caller with a time budget (dense tune's final
// check) opts in knowingly.
inline constexpr std::size_t default_ensemble = 5;

// Above this many rows `dense train` trains one copy by default, to bound its time, which grows with
// the rows (at 50 000 rows × 20 features, 15 s → 44 s on 2 cores); what the copies buy on large data
// is a few percent (randhie's 20 190 rows: 0.2–1.1 % RMSE; that 50 000-row file: 2.5 %; docs/QUALITY.md).
inline constexpr std::size_t ensemble_rows_limit = 50'000;

// The copies `dense train` averages by default for a data set of `rows` rows.
constexpr std::size_t default_ensemble_for(std::size_t rows) { return rows <= ensemble_rows_limit ? default_ensemble : 1; }

// dense train's epoch cap when --epochs is not given: default_max_epochs, or on small data enough
// epochs for default_min_steps optimizer steps. 7 rows in batches of 32 take one step an epoch, and
// Adam at 1e-3 moves a weight by about 1e-3 a step: 1000 steps left the linear model of y = 2x + 3
// far from it (R² −1.4); it converges after about 6000.
inline constexpr int default_max_epochs = 1000;
inline constexpr std::size_t default_min_steps = 10'000;

// The epochs `default_min_steps` steps take on `training_rows` rows in batches of `batch_size`,
// at least default_max_epochs.
constexpr int default_epoch_cap(std::size_t training_rows, std::size_t batch_size) {
    const std::size_t batch = batch_size == 0 ? 1 : batch_size;
    const std::size_t steps_per_epoch = training_rows == 0 ? 1 : (training_rows + batch - 1) / batch;
    const std::size_t epochs = (default_min_steps + steps_per_epoch - 1) / steps_per_epoch;
    return epochs > static_cast<std::size_t>(default_max_epochs) ? static_cast<int>(epochs) : default_max_epochs;
}

// Without validation rows early stopping watches the training loss, which keeps falling by ever
// smaller steps, to the epoch cap, while a network fits its rows ever closer (their noise, or
// classes it separates): an epoch counts as better only when it lowers the best training loss by
// more than this (scikit-learn's MLP `tol`). The loss is that of standardised targets (or a
// crossentropy), so the tolerance does not depend on the target's units.
inline constexpr double training_loss_tolerance = 1e-4;

struct DefaultTraining {
    int max_epochs = default_max_epochs;  // a cap: early stopping ends most runs well before it
    int patience = 50;      // epochs without a lower monitored loss before stopping; 0: no early stopping
    int reduce_lr = 0;      // halve the learning rate after this many epochs without improvement; 0: off
    std::size_t batch_size = 32;
    std::uint64_t seed = 42;  // of the shuffling (the initial weights come with the model)
    int verbose = 0;
    // Copies of each candidate trained and averaged into one network (average_networks): copy 0
    // is the candidate itself, shuffled by `seed`; copy k has initial weights and shuffling drawn
    // from derive_seed(seed, k). 1: the candidate alone; `dense train` passes default_ensemble.
    std::size_t ensemble = 1;
    // Copies trained side by side on this many threads, one kernel thread each (the kernels give
    // the same bits on any thread count); 0: num_threads(). 1 where `fit` must run on one thread
    // at a time (under mpirun its steps are collective).
    std::size_t threads = 0;
    // With ensemble > 1, copy k validates on fold k of ensemble_folds, cross-validation's folds
    // (with a 20 % split and 5 copies every row validates one copy), so that each copy stops at
    // what rows of its own say, not all at the quirks of one split, and the choice weighs every
    // row; false: every copy on the validation rows. dense train does it for classification
    // (not for --split last-rows, where later rows must not train a copy that validates on
    // earlier ones). For regression the choice between a line and the network is often close,
    // and single copies' out-of-fold losses understate what averaging gives the network: on the
    // quality sets folds won modechoice, fashion_mnist_3k and anes96_vote but lost grunfeld to an
    // unconverged linear model (docs/QUALITY.md, *Copies on folds of their own*).
    bool folds = false;
};

// Trains a model on data it holds, as Sequential::fit does with these options (epochs, batch size,
// seed, callbacks): on matrices, on shards of them under mpirun, on a streamed file.
using Fitter = std::function<History(Sequential& model, FitOptions<float> options)>;

// How a run with early stopping ended. Epochs are 0-based and count from the first epoch of all
// (a resumed run starts at first_epoch).
struct StoppedRun {
    History history;
    int first_epoch = 0;
    int epochs_done = 0;        // the first epoch of a run to continue from here
    int stopped_epoch = -1;     // -1: ran to the cap
    int kept_epoch = -1;        // -1: the last epoch's weights
    std::vector<double> learning_rates;  // of every epoch trained, as a refit replays them

    // The epochs a refit replays: up to the kept one, or every epoch trained.
    int refit_epochs() const noexcept { return kept_epoch >= 0 ? kept_epoch + 1 : epochs_done; }
};

// What else a run of fit_until_stopped takes: where it resumes, and more callbacks after the
// stopping ones (given those, for a checkpoint to save their state).
struct StoppingSetup {
    int initial_epoch = 0;
    bool validated = true;  // monitor val_loss; false: the training loss, by training_loss_tolerance
    std::vector<CallbackState> saved_states = {};  // a checkpoint's callbacks, resumed
    std::function<std::vector<std::shared_ptr<Callback>>(const std::vector<std::shared_ptr<const Callback>>& stateful)>
        more_callbacks = nullptr;
};

// Trains `model` by `fit` for at most training.max_epochs epochs (the total, when resuming), with
// ReduceLROnPlateau (halving, down to 1e-5) when training.reduce_lr is set, and EarlyStopping
// restoring the best weights when training.patience is set; records every epoch's learning rate.
StoppedRun fit_until_stopped(Sequential& model, const Fitter& fit, const DefaultTraining& training,
                             const StoppingSetup& setup = {});

// Trains a fresh `model` (the validated run's architecture and initial weights) by `fit` for
// `epochs` epochs, epoch e at learning_rates[e] (the schedule of the validated run replayed).
void replay_epochs(Sequential& model, const Fitter& fit, int epochs, const std::vector<double>& learning_rates,
                   const DefaultTraining& training);

// A fold of fewer rows judges early stopping by too few: on the 7 rows of y = 2x + 3 a copy
// validated on one row kept its first epoch's weights.
inline constexpr std::size_t min_fold_rows = 20;

// The rows each copy of an ensemble of `copies` validates on, as positions among [training rows…,
// validation rows…]: fold 0 is the validation rows; the training rows are dealt into as many
// folds of about as many rows as fit (deal_into_folds, by `training_classes`, one per training
// row, when given; seeded by `seed`), and copy k validates on fold k mod F, F the folds returned:
// at most `copies`; one when fewer training rows than half the validation rows are left, or when
// the validation rows are fewer than min_fold_rows.
std::vector<std::vector<std::size_t>> ensemble_folds(std::size_t training_rows, std::size_t validation_rows,
                                                     std::size_t copies, std::uint64_t seed,
                                                     std::span<const std::size_t> training_classes = {});

// Where the copies of an ensemble train: fold f's `fit` trains on every row outside the fold and
// validates on its rows x_val[f], y_val[f]; copy k trains by fold k mod F. One fold: every copy
// on the same rows.
struct FoldedRows {
    std::vector<Fitter> fit;
    std::vector<Matrix<float>> x_val, y_val;
};

// Trains `model` on x_train, y_train, validated on x_val, y_val: a caller's way to fit given rows
// (under mpirun, each process on its shard of them).
using RowsFitter = std::function<History(Sequential& model, FitOptions<float> options, const Matrix<float>& x_train,
                                         const Matrix<float>& y_train, const Matrix<float>& x_val,
                                         const Matrix<float>& y_val)>;

// The FoldedRows of `folds` (positions among the rows of x, y, each increasing, as ensemble_folds
// gives them): fold f's fitter gathers the rows outside the fold, in order, and the fold's, and
// trains by `fit`. x and y must outlive the result.
FoldedRows folded_rows(const Matrix<float>& x, const Matrix<float>& y, const std::vector<std::vector<std::size_t>>& folds,
                       const RowsFitter& fit);

// A network to weigh: compiled and untrained, with its initial weights.
struct Candidate {
    std::string name;  // "linear model", "64 relu"
    Sequential model;
};

// One copy of a candidate in its ensemble: its untrained network, the seed of its shuffling, and
// how its run with early stopping ended.
struct Member {
    Sequential initial;
    std::uint64_t seed = 0;
    StoppedRun run;
};

// The candidates, each trained by fit_until_stopped training.ensemble times, and the one kept by
// choose_model on the loss of every validation row (x_val, y_val: the rows `fit` validates on).
struct ChosenCandidate {
    std::size_t chosen = 0;
    Sequential model;       // trained, its kept epochs' weights: the members' average
    StoppedRun run;         // member 0's (the candidate itself)
    std::vector<Member> members;  // the chosen candidate's copies, member 0 first
    std::string name;       // averaged_name: "5 × 64 relu averaged into one network of 320 units"
    std::string reason;     // ModelChoice::reason: "linear model (13 parameters): validation loss …"
    // The chosen candidate's predictions of each fold's rows by the average of the copies that
    // validated on it (out of fold; one fold: the model's predictions of the validation rows).
    std::vector<Matrix<float>> fold_predictions;
};
ChosenCandidate fit_and_choose(std::vector<Candidate> candidates, const FoldedRows& rows, const DefaultTraining& training,
                               const StoppingSetup& setup = {});
// Every copy on the same rows: `fit` validates on x_val, y_val.
ChosenCandidate fit_and_choose(std::vector<Candidate> candidates, const Fitter& fit, const Matrix<float>& x_val,
                               const Matrix<float>& y_val, const DefaultTraining& training,
                               const StoppingSetup& setup = {});

// Trains every member again by `fit` (on every row) from its initial weights for its kept number
// of epochs at its run's learning rates (replay_epochs); returns their average.
Sequential refit_members(const std::vector<Member>& members, const Fitter& fit, const DefaultTraining& training);

// The whole procedure on matrices: the candidates train on x_train, y_train, validated on x_val,
// y_val (with training.folds, the copies after the first on folds of the training rows, dealt by
// `training_classes` when given: the class of each training row); with `refit`, the kept network
// then trains again on every row, training rows first (refit_members). Throws UsageError when
// either side has no rows.
struct TrainedByDefault {
    ChosenCandidate choice;
    bool refit = false;
};
TrainedByDefault train_by_default(std::vector<Candidate> candidates, const Matrix<float>& x_train,
                                  const Matrix<float>& y_train, const Matrix<float>& x_val, const Matrix<float>& y_val,
                                  const DefaultTraining& training, bool refit,
                                  std::span<const std::size_t> training_classes = {});

}  // namespace dense::tune
