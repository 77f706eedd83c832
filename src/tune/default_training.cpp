#include "dense/tune/default_training.hpp"

#include <algorithm>
#include <optional>

#include "dense/dense.hpp"
#include "dense/error.hpp"
#include "dense/tune/model_choice.hpp"
#include "dense/tune/network_average.hpp"
#include "evaluation.hpp"
#include "side_by_side.hpp"

namespace dense::tune {

namespace {

// The learning-rate schedule and early stopping of a run, each resumed from its saved state.
struct StoppingCallbacks {
    std::vector<std::shared_ptr<Callback>> list;
    std::shared_ptr<EarlyStopping> early_stopping;
    std::vector<std::shared_ptr<const Callback>> stateful;
};

const CallbackState* saved_state(const std::vector<CallbackState>& states, const std::string& callback) {
    for (const auto& state : states)
        if (state.callback == callback) return &state;
    return nullptr;
}

StoppingCallbacks stopping_callbacks(const DefaultTraining& training, const StoppingSetup& setup) {
    StoppingCallbacks result;
    const std::string monitor = setup.validated ? "val_loss" : "loss";
    if (training.reduce_lr > 0) {
        ReduceLROnPlateauOptions options;
        options.monitor = monitor;
        options.factor = 0.5;
        options.patience = training.reduce_lr;
        options.min_lr = 1e-5;
        auto reduce_lr = std::make_shared<ReduceLROnPlateau>(options);
        if (const auto* state = saved_state(setup.saved_states, "ReduceLROnPlateau")) reduce_lr->restore_state(*state);
        result.list.push_back(reduce_lr);
        result.stateful.push_back(reduce_lr);
    }
    if (training.patience > 0) {
        EarlyStoppingOptions options;
        options.monitor = monitor;
        options.patience = training.patience;
        options.min_delta = setup.validated ? 0.0 : training_loss_tolerance;
        options.restore_best_weights = true;
        result.early_stopping = std::make_shared<EarlyStopping>(options);
        if (const auto* state = saved_state(setup.saved_states, "EarlyStopping")) result.early_stopping->restore_state(*state);
        result.list.push_back(result.early_stopping);
        result.stateful.push_back(result.early_stopping);
    }
    return result;
}

// The rows of a, then those of b.
Matrix<float> stacked(const Matrix<float>& a, const Matrix<float>& b) {
    Matrix<float> out(a.rows() + b.rows(), a.cols());
    std::ranges::copy(a.values(), out.values().begin());
    std::ranges::copy(b.values(), out.values().begin() + static_cast<std::ptrdiff_t>(a.size()));
    return out;
}

// A copy of `model`, untrained, its initial weights drawn afresh from `seed`: the same layers,
// built anew, compiled as `model` is.
Sequential reseeded(const Sequential& model, std::uint64_t seed) {
    Sequential copy(SequentialOptions{model.name(), seed});
    for (std::size_t i = 0; i < model.layer_count(); ++i) copy.add(model.layer(i).clone());
    copy.build(model.input_dim());
    if (model.compiled()) copy.compile(model.optimizer(), model.loss(), model.metrics());
    return copy;
}

DefaultTraining with_seed(DefaultTraining training, std::uint64_t seed) {
    training.seed = seed;
    return training;
}

// The rows of m at `positions`, in that order.
Matrix<float> rows_at(const Matrix<float>& m, const std::vector<std::size_t>& positions) {
    return gather_rows(m, positions, 0, positions.size());
}

// The rows of m but those at `positions` (increasing), in order.
Matrix<float> rows_outside(const Matrix<float>& m, const std::vector<std::size_t>& positions) {
    Matrix<float> out(m.rows() - positions.size(), m.cols());
    std::size_t next = 0, kept = 0;
    for (std::size_t r = 0; r < m.rows(); ++r) {
        if (next < positions.size() && positions[next] == r) {
            ++next;
            continue;
        }
        std::ranges::copy(m.row(r), out.row(kept++).begin());
    }
    return out;
}

// The seed stream of ensemble_folds' dealing, apart from the copies' (derive_seed(seed, k)).
constexpr std::uint64_t fold_stream = 0xF01D5;

// items[first … first + count − 1].
template <class T>
std::vector<T> slice(const std::vector<T>& items, std::size_t first, std::size_t count) {
    const auto begin = items.begin() + static_cast<std::ptrdiff_t>(first);
    return {begin, begin + static_cast<std::ptrdiff_t>(count)};
}

// A candidate's validation rows, fold after fold, as the copies that validated on each fold
// predict them (their average; with one fold, `average`, every copy's), and the loss of each row.
struct OnFolds {
    std::vector<double> losses;
    std::vector<Matrix<float>> predictions;
};

OnFolds scored_on_folds(const std::vector<Sequential>& copies, Sequential& average, const FoldedRows& rows) {
    const std::size_t folds = rows.fit.size();
    OnFolds result;
    for (std::size_t f = 0; f < folds; ++f) {
        std::vector<Sequential> on_fold;
        for (std::size_t k = f; k < copies.size(); k += folds) on_fold.push_back(copies[k]);
        std::optional<Sequential> fold_average;
        if (folds > 1) fold_average = average_networks(on_fold);
        Sequential& predictor = fold_average ? *fold_average : average;
        result.predictions.push_back(predictor.predict(rows.x_val[f], {.batch_size = 1024}));
        const auto losses = row_losses(predictor.loss(), rows.y_val[f], result.predictions.back());
        result.losses.insert(result.losses.end(), losses.begin(), losses.end());
    }
    return result;
}

}  // namespace

StoppedRun fit_until_stopped(Sequential& model, const Fitter& fit, const DefaultTraining& training,
                             const StoppingSetup& setup) {
    FitOptions<float> options;
    options.epochs = training.max_epochs;
    options.batch_size = training.batch_size;
    options.initial_epoch = setup.initial_epoch;
    options.seed = training.seed;
    options.verbose = training.verbose;
    const auto stopping = stopping_callbacks(training, setup);
    options.callbacks = stopping.list;
    if (setup.more_callbacks)
        for (auto& callback : setup.more_callbacks(stopping.stateful)) options.callbacks.push_back(std::move(callback));
    StoppedRun run;
    options.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_epoch_begin = [&](Sequential& m, int) { run.learning_rates.push_back(m.optimizer().learning_rate()); }}));
    run.first_epoch = setup.initial_epoch;
    run.history = fit(model, options);
    run.epochs_done = run.first_epoch + static_cast<int>(run.history.epoch.size());
    if (const auto& es = stopping.early_stopping) {
        run.stopped_epoch = es->stopped_epoch();
        if (es->restored_best_weights()) run.kept_epoch = es->best_epoch();
    }
    return run;
}

void replay_epochs(Sequential& model, const Fitter& fit, int epochs, const std::vector<double>& learning_rates,
                   const DefaultTraining& training) {
    FitOptions<float> options;
    options.epochs = epochs;
    options.batch_size = training.batch_size;
    options.seed = training.seed;
    options.verbose = training.verbose;
    options.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackHooks<float>{
        .on_epoch_begin = [&](Sequential& m, int epoch) {
            if (static_cast<std::size_t>(epoch) < learning_rates.size())
                m.optimizer().set_learning_rate(learning_rates[static_cast<std::size_t>(epoch)]);
        }}));
    fit(model, options);
}

std::vector<std::vector<std::size_t>> ensemble_folds(std::size_t training_rows, std::size_t validation_rows,
                                                     std::size_t copies, std::uint64_t seed,
                                                     std::span<const std::size_t> training_classes) {
    std::vector<std::vector<std::size_t>> folds(1);
    for (std::size_t r = 0; r < validation_rows; ++r) folds.front().push_back(training_rows + r);
    // Folds of about validation_rows rows that the training rows hold, rounded to the nearest.
    const std::size_t more =
        validation_rows < min_fold_rows ? 0 : (training_rows + validation_rows / 2) / validation_rows;
    const std::size_t wanted = std::min(std::max<std::size_t>(copies, 1), 1 + more);
    if (wanted == 1) return folds;
    auto dealt = deal_into_folds(training_rows, more, derive_seed(seed, fold_stream), training_classes);
    for (std::size_t f = 0; f + 1 < wanted; ++f) folds.push_back(std::move(dealt[f]));
    return folds;
}

FoldedRows folded_rows(const Matrix<float>& x, const Matrix<float>& y, const std::vector<std::vector<std::size_t>>& folds,
                       const RowsFitter& fit) {
    FoldedRows rows;
    for (const auto& fold : folds) {
        rows.x_val.push_back(rows_at(x, fold));
        rows.y_val.push_back(rows_at(y, fold));
        rows.fit.push_back([&x, &y, fold, fit](Sequential& model, FitOptions<float> options) {
            return fit(model, std::move(options), rows_outside(x, fold), rows_outside(y, fold), rows_at(x, fold),
                       rows_at(y, fold));
        });
    }
    return rows;
}

ChosenCandidate fit_and_choose(std::vector<Candidate> candidates, const FoldedRows& rows, const DefaultTraining& training,
                               const StoppingSetup& setup) {
    if (candidates.empty()) throw UsageError("fit_and_choose: give at least one candidate network");
    if (rows.fit.empty() || rows.x_val.size() != rows.fit.size() || rows.y_val.size() != rows.fit.size())
        throw UsageError("fit_and_choose: give each fold a fitter and its validation rows");
    const std::size_t copies = std::max<std::size_t>(training.ensemble, 1), folds = rows.fit.size();
    std::vector<Member> members;
    std::vector<Sequential> trained;
    for (const auto& candidate : candidates)
        for (std::size_t k = 0; k < copies; ++k) {
            const std::uint64_t seed = k == 0 ? training.seed : derive_seed(training.seed, k);
            members.push_back({k == 0 ? candidate.model : reseeded(candidate.model, seed), seed, {}});
            trained.push_back(members.back().initial);
        }
    side_by_side(members.size(), training.threads, [&](std::size_t j) {
        members[j].run = fit_until_stopped(trained[j], rows.fit[(j % copies) % folds], with_seed(training, members[j].seed), setup);
    });
    std::vector<Sequential> averages;
    std::vector<ScoredModel> scored;
    std::vector<OnFolds> on_folds;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const auto copies_of_c = slice(trained, c * copies, copies);
        averages.push_back(average_networks(copies_of_c));
        auto& average = averages.back();
        on_folds.push_back(scored_on_folds(copies_of_c, average, rows));
        const std::size_t parameters = average.parameter_count();
        scored.push_back({averaged_name(candidates[c].name, copies, average) + " (" + std::to_string(parameters) + " parameters)",
                          parameters, std::move(on_folds.back().losses)});
    }
    const auto choice = choose_model(scored);
    auto chosen = slice(members, choice.chosen * copies, copies);
    StoppedRun run = chosen.front().run;
    auto name = averaged_name(candidates[choice.chosen].name, copies, averages[choice.chosen]);
    return {choice.chosen, std::move(averages[choice.chosen]), std::move(run), std::move(chosen), std::move(name),
            choice.reason(scored), std::move(on_folds[choice.chosen].predictions)};
}

ChosenCandidate fit_and_choose(std::vector<Candidate> candidates, const Fitter& fit, const Matrix<float>& x_val,
                               const Matrix<float>& y_val, const DefaultTraining& training, const StoppingSetup& setup) {
    return fit_and_choose(std::move(candidates), FoldedRows{{fit}, {x_val}, {y_val}}, training, setup);
}

Sequential refit_members(const std::vector<Member>& members, const Fitter& fit, const DefaultTraining& training) {
    std::vector<Sequential> refit;
    for (const auto& member : members) refit.push_back(member.initial);
    side_by_side(refit.size(), training.threads, [&](std::size_t k) {
        const auto& member = members[k];
        replay_epochs(refit[k], fit, member.run.refit_epochs(), member.run.learning_rates, with_seed(training, member.seed));
    });
    return average_networks(refit);
}

TrainedByDefault train_by_default(std::vector<Candidate> candidates, const Matrix<float>& x_train,
                                  const Matrix<float>& y_train, const Matrix<float>& x_val, const Matrix<float>& y_val,
                                  const DefaultTraining& training, bool refit, std::span<const std::size_t> training_classes) {
    if (x_train.rows() == 0 || x_val.rows() == 0)
        throw UsageError("train_by_default: " + std::to_string(x_train.rows()) + " training and " +
                         std::to_string(x_val.rows()) + " validation rows; give it both");
    const auto x = stacked(x_train, x_val), y = stacked(y_train, y_val);
    const RowsFitter fit_apart = [](Sequential& model, FitOptions<float> options, const Matrix<float>& x_fit,
                                    const Matrix<float>& y_fit, const Matrix<float>& x_check, const Matrix<float>& y_check) {
        options.validation_data = {x_check, y_check};
        return model.fit(x_fit, y_fit, options);
    };
    const auto folds = training.folds ? ensemble_folds(x_train.rows(), x_val.rows(), training.ensemble, training.seed, training_classes)
                                      : ensemble_folds(x_train.rows(), x_val.rows(), 1, training.seed);
    const auto rows = folded_rows(x, y, folds, fit_apart);
    TrainedByDefault result{fit_and_choose(std::move(candidates), rows, training), refit};
    if (!refit) return result;
    const Fitter every_row = [&](Sequential& model, FitOptions<float> options) { return model.fit(x, y, options); };
    result.choice.model = refit_members(result.choice.members, every_row, training);
    return result;
}

}  // namespace dense::tune
