#include "dense/tune/default_training.hpp"

#include <algorithm>

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

// items[first … first + count − 1].
template <class T>
std::vector<T> slice(const std::vector<T>& items, std::size_t first, std::size_t count) {
    const auto begin = items.begin() + static_cast<std::ptrdiff_t>(first);
    return {begin, begin + static_cast<std::ptrdiff_t>(count)};
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

ChosenCandidate fit_and_choose(std::vector<Candidate> candidates, const Fitter& fit, const Matrix<float>& x_val,
                               const Matrix<float>& y_val, const DefaultTraining& training, const StoppingSetup& setup) {
    if (candidates.empty()) throw UsageError("fit_and_choose: give at least one candidate network");
    const std::size_t copies = std::max<std::size_t>(training.ensemble, 1);
    std::vector<Member> members;
    std::vector<Sequential> trained;
    for (const auto& candidate : candidates)
        for (std::size_t k = 0; k < copies; ++k) {
            const std::uint64_t seed = k == 0 ? training.seed : derive_seed(training.seed, k);
            members.push_back({k == 0 ? candidate.model : reseeded(candidate.model, seed), seed, {}});
            trained.push_back(members.back().initial);
        }
    side_by_side(members.size(), training.threads, [&](std::size_t j) {
        members[j].run = fit_until_stopped(trained[j], fit, with_seed(training, members[j].seed), setup);
    });
    std::vector<Sequential> averages;
    std::vector<ScoredModel> scored;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        averages.push_back(average_networks(slice(trained, c * copies, copies)));
        auto& average = averages.back();
        const std::size_t parameters = average.parameter_count();
        scored.push_back({averaged_name(candidates[c].name, copies, average) + " (" + std::to_string(parameters) + " parameters)",
                          parameters, row_losses(average.loss(), y_val, average.predict(x_val, {.batch_size = 1024}))});
    }
    const auto choice = choose_model(scored);
    auto chosen = slice(members, choice.chosen * copies, copies);
    StoppedRun run = chosen.front().run;
    auto name = averaged_name(candidates[choice.chosen].name, copies, averages[choice.chosen]);
    return {choice.chosen, std::move(averages[choice.chosen]), std::move(run), std::move(chosen), std::move(name),
            choice.reason(scored)};
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
                                  const DefaultTraining& training, bool refit) {
    if (x_train.rows() == 0 || x_val.rows() == 0)
        throw UsageError("train_by_default: " + std::to_string(x_train.rows()) + " training and " +
                         std::to_string(x_val.rows()) + " validation rows; give it both");
    const Fitter validated = [&](Sequential& model, FitOptions<float> options) {
        options.validation_data = {x_val, y_val};
        return model.fit(x_train, y_train, options);
    };
    TrainedByDefault result{fit_and_choose(std::move(candidates), validated, x_val, y_val, training), refit};
    if (!refit) return result;
    const auto x = stacked(x_train, x_val), y = stacked(y_train, y_val);
    const Fitter every_row = [&](Sequential& model, FitOptions<float> options) { return model.fit(x, y, options); };
    result.choice.model = refit_members(result.choice.members, every_row, training);
    return result;
}

}  // namespace dense::tune
