#include "dense/tune/tuner.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <iterator>

#include <nlohmann/json.hpp>

#include "dense/error.hpp"
#include "dense/threads.hpp"
#include "dense/validation_split.hpp"
#include "dense/tune/default_training.hpp"
#include "dense/tune/format.hpp"
#include "dense/tune/leaderboard.hpp"
#include "dense/tune/model_choice.hpp"
#include "dense/tune/trial_log.hpp"
#include "dense/printable.hpp"
#include "evaluation.hpp"
#include "side_by_side.hpp"

namespace dense::tune {

namespace {

using Clock = std::chrono::steady_clock;

// Trial 0 is SearchSpace::baseline(), the simplest network of the space; trial 1 is
// default_network(), what `dense train` trains, when the space holds it.
constexpr std::size_t baseline_index = 0, default_network_index = 1;

// The final check's cross-validation: its folds, and the seed stream apart from the search's.
constexpr std::size_t check_fold_count = 5;
constexpr std::uint64_t check_fold_stream = 0x636865636bull;  // "check"
// The seeds of dense train's candidates in the final check, apart from the trials'.
constexpr std::uint64_t default_training_stream = 0x747261696eull;  // "train"
// `dense train`'s --validation-split: the rows its early stopping watches.
constexpr double default_training_split = 0.2;

// A contender of the final check: a trial of the search, trained for its best number of epochs,
// or `dense train` itself: its candidate networks, each trained by its procedure (DefaultTraining:
// early stopping on its own validation rows), one of them chosen as it chooses, then refit.
struct Contender {
    Trial trial;                    // for dense train: its seed alone
    bool default_training = false;
    std::size_t copies = 1;         // for dense train: the copies of each network it averages
};

// `dense train`'s candidates: a linear model and default_network().
std::vector<Hyperparameters> default_training_networks() {
    Hyperparameters linear = default_network();
    linear.hidden_units.clear();
    return {linear, default_network()};
}

// "linear model", "logistic model", "64 relu".
std::string network_name(const Hyperparameters& network, const Objective& objective) {
    if (!network.hidden_units.empty()) return describe_architecture(network);
    return objective.task == io::Task::regression ? "linear model" : "logistic model";
}

// FNV-1a over bytes, for the fingerprint of a search.
std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ull) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
    return hash;
}

std::uint64_t matrix_hash(const Matrix<float>& m) {
    const std::size_t shape[] = {m.rows(), m.cols()};
    return fnv1a(m.data(), m.size() * sizeof(float), fnv1a(shape, sizeof shape));
}

void check_options(const TunerOptions& options) {
    if (options.max_trials == 0 && options.time_budget.count() <= 0.0)
        throw UsageError("tune: with no trial limit (max_trials 0) give a time budget, or the search never ends");
    if (options.folds == 1 && !(options.validation_split > 0.0 && options.validation_split < 1.0))
        throw UsageError("tune: validation_split must be in (0, 1), not " + number_text(options.validation_split) +
                         "; with 0 nothing would judge the trials (dense tune --folds K validates on every row)");
    if (options.folds == 0) throw UsageError("tune: folds must be at least 1 (1 holds out a validation split)");
    if (options.reduction_factor < 2)
        throw UsageError("tune: Hyperband's reduction factor must be at least 2, not " +
                         std::to_string(options.reduction_factor));
    if (!(options.standard_errors >= 0.0)) throw UsageError("tune: standard_errors must be ≥ 0");
    if (options.patience < 0) throw UsageError("tune: patience must be ≥ 0 (0 picks one from max_epochs)");
}

// The fewest rows a search takes: its final check trains dense train's choice on the training
// rows of each of its folds, which must hold out one of at least two rows (3 rows: 3 folds of 2
// training rows and 1 validation row).
constexpr std::size_t fewest_rows = 3;

void check_data(const Matrix<float>& x, const Matrix<float>& y) {
    if (x.rows() == 0 || x.cols() == 0) throw DataError("tune: the inputs are empty; give at least one row and column");
    if (x.rows() < fewest_rows)
        throw DataError("tune: the data has " + std::to_string(x.rows()) + " rows, but a search needs at least " +
                        std::to_string(fewest_rows) + " (it scores each model on rows it did not train on); give more rows "
                        "(dozens at least for a search to tell its models apart), or train one model on these with dense train");
    if (x.rows() != y.rows())
        throw DataError("tune: " + std::to_string(x.rows()) + " input rows but " + std::to_string(y.rows()) +
                        " target rows; give one target row per input row");
    for (float v : x.values())
        if (!std::isfinite(v)) throw DataError("tune: the inputs hold a NaN or infinite value; clean or fill them first");
    for (float v : y.values())
        if (!std::isfinite(v)) throw DataError("tune: the targets hold a NaN or infinite value; clean them first");
}

// Trials best first: by metric, then by index so ties never depend on timing.
void rank(std::vector<Trial>& trials, const Objective& objective) {
    std::ranges::sort(trials, [&](const Trial& a, const Trial& b) {
        if (objective.better(a.metric, b.metric)) return true;
        if (objective.better(b.metric, a.metric)) return false;
        return a.index < b.index;
    });
}


// One run of Tuner::search: the data, the schedule and everything finished so far.
class Search {
public:
    Search(const TunerOptions& options, const Matrix<float>& x, const Matrix<float>& y)
        : options_(options),
          objective_(options.objective ? *options.objective : Objective::infer(y)),
          space_(options.space ? *options.space : SearchSpace::for_data(x.rows())),
          folds_(make_folds(x, y, options.folds, options.validation_split, options.seed,
                            objective_.task == io::Task::classification ? row_classes(y) : std::vector<std::size_t>{})),
          rows_(x.rows()),
          workers_(options.threads == 0 ? num_threads() : std::min(options.threads, max_num_threads())),
          start_(Clock::now()) {
        space_.validate();
        trained_by_process_.assign(spread() ? options.processes->size() : 1, 0);
        settings_ = {&folds_, objective_, x.cols(),
                     options.patience > 0 ? options.patience : std::max(3, space_.max_epochs / 8),
                     [this] { return out_of_time(); }};
        if (!options.log_path.empty()) log_.emplace(options.log_path, fingerprint(x, y), options.seed);
        if (options.progress) leaderboard_.emplace(*options.progress, options.live, objective_);
    }

    void run(const Matrix<float>& x, const Matrix<float>& y) {
        if (checks_against_default_training()) check_default_training(x, y);
        KernelThreads one_per_trial(1);
        if (options_.strategy == Strategy::random)
            run_random();
        else
            run_hyperband();
        if (leaderboard_) leaderboard_->close();
    }

    SearchResult result(const Matrix<float>& x, const Matrix<float>& y) const;

    // Process 0 of several, after the search: the others may stop serving.
    void stop_serving() const {
        if (!spread()) return;
        for (std::size_t rank = 1; rank < options_.processes->size(); ++rank) options_.processes->send(rank, stop_text);
    }

    // Another process than 0: evaluates the requests process 0 sends, one at a time, until it
    // says stop, and sends back each trial (or that it ran out of time), or its jobs of the final
    // check.
    void serve(const Matrix<float>& x, const Matrix<float>& y) {
        KernelThreads one_per_trial(1);
        Messenger& processes = *options_.processes;
        std::optional<std::vector<Fold>> folds_of_check;
        for (;;) {
            const std::string text = next_message(processes).text;
            if (text == stop_text) return;
            const auto request = nlohmann::json::parse(text);
            if (request.contains("check")) {
                if (!folds_of_check) folds_of_check = check_folds(x, y);
                processes.send(0, check_reply(request.at("check"), *folds_of_check));
                continue;
            }
            EvaluationSettings settings = settings_;
            if (request.contains("seconds_left")) {
                const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                         std::chrono::duration<double>(request.at("seconds_left").get<double>()));
                settings.out_of_time = [deadline] { return Clock::now() >= deadline; };
            }
            const auto done = evaluate(draw(request.at("trial").get<std::size_t>(), request.at("epoch_budget").get<int>()), settings);
            processes.send(0, done ? trial_line(done->trial) : abandoned_text);
        }
    }

private:
    using Request = std::function<std::optional<Trial>()>;

    // Out of time when what is left of the budget no longer covers the closing work (the pick's
    // side of the final check and the final model), once a first trial has finished: a search
    // always has one to give.
    bool out_of_time() const {
        if (options_.time_budget.count() <= 0.0 || !any_finished_.load(std::memory_order_relaxed)) return false;
        return elapsed() + closing_seconds_.load(std::memory_order_relaxed) >= options_.time_budget.count();
    }

    // What the search keeps back from its budget for the work after it, were `pick` its pick: the
    // pick trained on each check fold (its time per epoch, scaled to the folds' training rows,
    // times its best epochs; the folds side by side), then the final model, which is dense
    // train's when the check keeps it.
    double estimated_closing_seconds(const Trial& pick) const {
        const double final_model = estimated_final_training_seconds(pick);
        if (folds_.size() > 1) return final_model;
        const double check_rows = static_cast<double>(rows_) * (check_fold_count - 1) / check_fold_count;
        const double rows_scale = check_rows / static_cast<double>(folds_.front().x_train.rows());
        const double fold_seconds = pick.seconds / std::max(1, pick.epochs) * pick.best_epochs * rows_scale;
        const double check = fold_seconds * rounds_of(check_fold_count);
        return check + (reference_losses_ ? std::max(final_model, default_model_seconds_) : final_model);
    }

    // How many rounds `jobs` side-by-side trainings take on the worker threads, or processes.
    double rounds_of(std::size_t jobs) const {
        const std::size_t side_by_side = spread() ? options_.processes->size() : std::min(jobs, workers_);
        return std::ceil(static_cast<double>(jobs) / static_cast<double>(std::max<std::size_t>(1, side_by_side)));
    }

    static bool same_evaluation(const Trial& a, const Trial& b) {
        return a.index == b.index && a.epoch_budget == b.epoch_budget;
    }
    bool kept(const Trial& trial) const { return kept_ && same_evaluation(kept_->trial, trial); }

    // What making the final model of `trial` takes: nothing when its weights were kept, else its
    // evaluation's time per epoch and fold times the epochs to train, scaled to all rows when
    // the final model is retrained on every row.
    double estimated_final_training_seconds(const Trial& trial) const {
        if (!retrains()) return kept(trial) ? 0.0 : trial.seconds / std::max(1, trial.epochs) * trial.best_epochs;
        const double epochs_run = static_cast<double>(std::max(1, trial.epochs)) * static_cast<double>(folds_.size());
        const double rows_scale = static_cast<double>(rows_) / static_cast<double>(folds_.front().x_train.rows());
        return trial.seconds / epochs_run * rows_scale * retrain_epochs(trial);
    }

    // The final model is trained again on every row: always with cross-validation, with one
    // validation split when asked (refit).
    bool retrains() const { return folds_.size() > 1 || options_.refit; }
    // As many epochs as its folds trained (a best epoch averaged over folds can be an early
    // fluke), or the best epoch of its one validation split.
    int retrain_epochs(const Trial& trial) const { return folds_.size() > 1 ? trial.epochs : trial.best_epochs; }

    // The recommended trial's model. With one fold, the very model its metric describes: the
    // weights kept from its evaluation, or the same training run again (with the single kernel
    // thread the evaluations use, so the numbers match). With K folds, retrained on all rows for
    // as many epochs as its folds trained: a best epoch averaged over folds can be an early fluke.
    // With refit and one fold: retrained on all rows for its best number of epochs.
    Sequential final_model(const Trial& chosen, const Matrix<float>& x, const Matrix<float>& y) const {
        if (!retrains()) return validated_model(chosen);
        KernelThreads all(workers_);
        // A refit starts from the validated run's seed: the same initial weights, every row.
        const std::uint64_t seed = folds_.size() > 1 ? chosen.seed : derive_seed(chosen.seed, 0);
        Sequential model = make_model(chosen.hyperparameters, x.cols(), objective_, seed);
        Rng epoch_seeds(seed);
        train_epochs(model, x, y, chosen.hyperparameters.batch_size, retrain_epochs(chosen), epoch_seeds);
        return model;
    }

    // The model a single-split evaluation of `trial` kept: its saved weights, or the same run again.
    Sequential validated_model(const Trial& trial) const {
        if (!kept(trial)) {
            KernelThreads one(1);
            return train_fold_model(trial, folds_, settings_);
        }
        Sequential model = make_model(trial.hyperparameters, settings_.inputs, objective_, derive_seed(trial.seed, 0));
        model.set_weights(kept_->weights);
        return model;
    }

    // The loss of each validation row of check fold k when predicted by the contender trained on
    // the fold's other rows: a trial for its best number of epochs, dense train's candidate by
    // dense train's procedure.
    std::vector<double> fold_losses(const Contender& contender, const Fold& fold, std::size_t k) const {
        const Trial& trial = contender.trial;
        const std::uint64_t seed = derive_seed(trial.seed, check_fold_stream + k);
        if (contender.default_training) {
            // the fold's job has one thread: its copies train one after the other
            auto model = trained_by_default(fold.x_train, fold.y_train, seed, contender.copies, 1).choice.model;
            return row_losses(objective_.loss(), fold.y_val, model.predict(fold.x_val, {.batch_size = 1024}));
        }
        Sequential model = make_model(trial.hyperparameters, settings_.inputs, objective_, seed);
        Rng epoch_seeds(seed);
        train_epochs(model, fold.x_train, fold.y_train, trial.hyperparameters.batch_size, trial.best_epochs, epoch_seeds);
        return row_losses(objective_.loss(), fold.y_val, model.predict(fold.x_val, {.batch_size = 1024}));
    }

    // `dense train`'s candidates the space holds, by their names.
    std::vector<Candidate> default_training_candidates(std::size_t inputs, std::uint64_t seed) const {
        std::vector<Candidate> candidates;
        for (const auto& network : default_training_networks())
            if (space_.contains(network))
                candidates.push_back({network_name(network, objective_), make_model(network, inputs, objective_, seed)});
        return candidates;
    }

    // What `dense train --seed SEED` makes of x, y: its candidates trained with early stopping on
    // the 20 % of the rows it draws with that seed (stratified for classification), each `copies`
    // times (for classification each copy on a fold of its own) and averaged, the simplest kept unless another is better by more than one standard
    // error, then, when the search refits, trained on every row; the initial weights and the
    // shuffling from the same seed. The copies train side by side on `threads` threads.
    TrainedByDefault trained_by_default(const Matrix<float>& x, const Matrix<float>& y, std::uint64_t seed,
                                        std::size_t copies, std::size_t threads) const {
        const bool classes = objective_.task == io::Task::classification;
        SplitRows split;
        try {
            split = split_rows(x.rows(), default_training_split, classes ? ValidationSplit::stratified : ValidationSplit::shuffled,
                               seed, classes ? row_classes(y) : std::vector<std::size_t>{});
        } catch (const DataError&) {
            const long percent = std::lround(100 * default_training_split);
            throw DataError("tune: dense train's validation split of " + std::to_string(percent) + " % of " +
                            std::to_string(x.rows()) + " rows leaves none to train or none to validate on; give more rows");
        }
        const Fold rows = fold_of(x, y, split);
        return train_by_default(default_training_candidates(x.cols(), seed), rows.x_train, rows.y_train, rows.x_val,
                                rows.y_val,
                                {.max_epochs = default_epoch_cap(rows.x_train.rows(), default_network().batch_size),
                                 .batch_size = default_network().batch_size,
                                 .seed = seed,
                                 .ensemble = copies,
                                 .threads = threads,
                                 .folds = classes},
                                options_.refit, classes ? row_classes(rows.y_train) : std::vector<std::size_t>{});
    }

    // The final check's folds, drawn apart from the search's: rows it never validated on together.
    std::vector<Fold> check_folds(const Matrix<float>& x, const Matrix<float>& y) const {
        return make_folds(x, y, std::min<std::size_t>(check_fold_count, x.rows()), 0.0,
                          derive_seed(options_.seed, check_fold_stream),
                          objective_.task == io::Task::classification ? row_classes(y) : std::vector<std::size_t>{});
    }

    // Each contender's out-of-fold losses, rows in the folds' order. Job j — contender j / K on
    // fold j % K — is trained by process j % N when there are N processes, and on process 0
    // alone by its worker thread j % W, on one kernel thread each as the search's trials (the
    // kernels give the same bits on any thread count, so which one trains it changes nothing).
    std::vector<std::vector<double>> out_of_fold_losses(const std::vector<Contender>& contenders,
                                                        const std::vector<Fold>& folds) const {
        const std::size_t processes = spread() ? options_.processes->size() : 1, jobs = contenders.size() * folds.size();
        for (std::size_t rank = 1; rank < processes; ++rank) {
            nlohmann::json request = {{"check", nlohmann::json::array()}};
            for (std::size_t job = rank; job < jobs; job += processes)
                request["check"].push_back({{"trial", trial_line(contenders[job / folds.size()].trial)},
                                            {"default_training", contenders[job / folds.size()].default_training},
                                            {"copies", contenders[job / folds.size()].copies},
                                            {"fold", job % folds.size()}});
            options_.processes->send(rank, request.dump());
        }
        std::vector<std::vector<double>> losses(jobs);
        {
            KernelThreads one_per_training(1);
            const std::size_t threads = spread() ? 1 : std::clamp<std::size_t>(jobs, 1, workers_);
            on_threads(threads, [&](std::size_t t) {
                for (std::size_t job = t * processes; job < jobs; job += threads * processes)
                    losses[job] = fold_losses(contenders[job / folds.size()], folds[job % folds.size()], job % folds.size());
            });
        }
        for (std::size_t received = 1; received < processes; ++received) {
            const Message reply = next_message(*options_.processes);
            std::size_t job = reply.from;
            for (const auto& bits : nlohmann::json::parse(reply.text)) losses.at(job) = doubles_from_bits(bits), job += processes;
        }
        std::vector<std::vector<double>> by_contender(contenders.size());
        for (std::size_t job = 0; job < jobs; ++job)
            by_contender[job / folds.size()].insert(by_contender[job / folds.size()].end(), losses[job].begin(), losses[job].end());
        return by_contender;
    }

    // The search's pick against its reference, `dense train` itself (its candidates the space
    // holds, trained, chosen and refit by its procedure), re-evaluated by K-fold cross-validation
    // on folds the search never saw: the pick won on its validation rows partly by luck (of those
    // rows, of its initial weights), which fresh folds and fresh weights do not repeat. It must
    // win by more than one standard error of the per-row differences, so it is never worse than
    // what `dense train` gives without that evidence.
    // dense train's side is measured before the search (check_default_training).
    std::pair<Contender, std::string> final_check(const Trial& pick, const Matrix<float>& x, const Matrix<float>& y) const {
        std::vector<Contender> contenders;
        std::vector<std::vector<double>> losses;
        if (reference_losses_) contenders.push_back(default_training_contender(checked_copies_)), losses.push_back(*reference_losses_);
        contenders.push_back({pick, false});
        const auto candidates = default_training_candidates(x.cols(), options_.seed);
        const auto folds = check_folds(x, y);
        losses.push_back(std::move(out_of_fold_losses({contenders.back()}, folds).front()));
        std::vector<ScoredModel> scored;
        for (const auto& [trial, default_training, copies] : contenders)
            scored.push_back({default_training ? default_training_name(candidates, copies)
                                               : "trial " + std::to_string(trial.index) + " (" +
                                                     describe_architecture(trial.hyperparameters) + ", " +
                                                     std::to_string(trial.parameters) + " parameters)",
                              scored.size(), std::move(losses[scored.size()])});
        const auto choice = choose_model(scored);
        return {contenders[choice.chosen], choice.reason(scored) + " (" + std::to_string(folds.size()) + "-fold check)"};
    }

    // The final check weighs the pick against dense train when the search holds out one
    // validation split and its space holds one of dense train's networks.
    bool checks_against_default_training() const {
        return folds_.size() == 1 && std::ranges::any_of(default_training_networks(),
                                                         [&](const auto& network) { return space_.contains(network); });
    }
    Contender default_training_contender(std::size_t copies) const {
        Trial reference;
        reference.seed = derive_seed(options_.seed, default_training_stream);
        return {reference, true, copies};
    }

    // dense train's side of the final check, first: it does not depend on the pick, and its time
    // tells what making dense train's model of every row takes (a fold's training scaled to every
    // row, twice with a refit), which the search keeps back from its budget. dense train averages
    // copies of its networks, and the pick must beat that average: against one copy, a weaker
    // model, a pick could pass that the average beats. Under a time budget one copy is trained
    // first, and the copies only when they would take at most half the budget (else the search
    // would be left no time); the check then weighs the pick against one copy, and says so.
    void check_default_training(const Matrix<float>& x, const Matrix<float>& y) {
        const auto folds = check_folds(x, y);
        const std::size_t copies = default_training_copies();
        if (copies > 1 && options_.time_budget.count() > 0.0) {
            const double one_copy = reference_on(folds, 1);
            if (elapsed() + one_copy * static_cast<double>(copies) > options_.time_budget.count() / 2.0) return;
        }
        reference_on(folds, copies);
    }

    // dense train, with `copies` copies of each network, on the check's folds: its out-of-fold
    // losses, and what making its model of every row will take. Returns the seconds it took.
    double reference_on(const std::vector<Fold>& folds, std::size_t copies) {
        const auto started = Clock::now();
        const std::string copies_note = copies_text(copies);
        const std::string what =
            "dense train on " + std::to_string(folds.size()) + " folds" + (copies_note.empty() ? "" : " (" + copies_note + ")");
        if (leaderboard_) leaderboard_->note(what + " first: the model the search's pick must beat…");
        reference_losses_ = std::move(out_of_fold_losses({default_training_contender(copies)}, folds).front());
        checked_copies_ = copies;
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (leaderboard_) leaderboard_->note(what + ": " + format_duration(seconds));
        // a fold trains its copies one after the other; dense train's model, side by side on the workers
        const double copy_seconds = seconds / rounds_of(folds.size()) / static_cast<double>(copies);
        const double copy_rounds = std::ceil(static_cast<double>(default_training_copies()) /
                                             static_cast<double>(std::max<std::size_t>(workers_, 1)));
        default_model_seconds_ = copy_seconds * static_cast<double>(folds.size()) / static_cast<double>(folds.size() - 1) *
                                 (options_.refit ? 2.0 : 1.0) * copy_rounds;
        return seconds;
    }

    std::size_t default_training_copies() const { return std::max<std::size_t>(options_.default_training_copies, 1); }

    // "5 copies averaged" when the check trained dense train's copies; "one of its 5 copies" when
    // dense train averages copies but the budget left room for one; else nothing.
    std::string copies_text(std::size_t copies) const {
        if (copies > 1) return std::to_string(copies) + " copies averaged";
        const std::size_t averaged = default_training_copies();
        return averaged > 1 ? "one of its " + std::to_string(averaged) + " copies" : "";
    }

    // "dense train (linear model or 64 relu, 5 copies averaged)".
    std::string default_training_name(const std::vector<Candidate>& candidates, std::size_t copies) const {
        const std::string copies_note = copies_text(copies);
        return "dense train (" + candidate_names(candidates) + (copies_note.empty() ? "" : ", " + copies_note) + ")";
    }

    // "linear model or 64 relu".
    static std::string candidate_names(const std::vector<Candidate>& candidates) {
        std::string names;
        for (const auto& candidate : candidates) names += (names.empty() ? "" : " or ") + candidate.name;
        return names;
    }

    // What `dense train` makes of every row, as the final check measured it: the network it chose
    // and its model, with the epochs it kept — by options_.default_training_model when it is set
    // and the space holds both of dense train's networks (else the check's dense train is not
    // quite dense train: it chose among the networks the space holds).
    DefaultTrainingModel default_training_pick(const Matrix<float>& x, const Matrix<float>& y) const {
        KernelThreads all(workers_);
        const auto networks = default_training_networks();
        std::vector<Hyperparameters> held;
        std::ranges::copy_if(networks, std::back_inserter(held), [&](const auto& n) { return space_.contains(n); });
        if (options_.default_training_model && held.size() == networks.size()) return options_.default_training_model();
        auto trained = trained_by_default(x, y, options_.seed, default_training_copies(), workers_);  // as `dense train --seed` would
        return {{held.at(trained.choice.chosen), trained.choice.run.refit_epochs(), trained.choice.reason},
                std::move(trained.choice.model)};
    }

    bool trials_left(std::size_t next_index) const {
        return options_.max_trials == 0 || next_index < options_.max_trials;
    }

    std::string fingerprint(const Matrix<float>& x, const Matrix<float>& y) const {
        const nlohmann::json identity = {
            {"x", matrix_hash(x)},          {"y", matrix_hash(y)},
            {"space", space_.to_json()},    {"seed", options_.seed},
            {"folds", options_.folds},      {"validation_split", options_.validation_split},
            {"patience", settings_.patience}, {"task", io::task_name(objective_.task)},
            {"outputs", objective_.outputs}, {"trial_1", "default_network"}};
        const std::string text = identity.dump();
        return std::to_string(fnv1a(text.data(), text.size()));
    }

    bool is_default_network(std::size_t index) const {
        return index == default_network_index && space_.contains(default_network());
    }
    // The references every search trains in full: the baseline and the default network.
    bool is_reference(std::size_t index) const { return index == baseline_index || is_default_network(index); }

    // Trial `index` before evaluation: its seed, its hyperparameters (trial 0 is the baseline).
    Trial draw(std::size_t index, int epoch_budget) const {
        Trial trial;
        trial.index = index;
        trial.seed = derive_seed(options_.seed, index);
        Rng rng(trial.seed);
        trial.hyperparameters = index == baseline_index ? space_.baseline()
                                : is_default_network(index) ? default_network()
                                                            : space_.sample(rng);
        trial.epoch_budget = epoch_budget;
        return trial;
    }

    // What the threads of one evaluate_all share, under `mutex`.
    struct Batch {
        const Request& next;
        std::mutex mutex;
        std::vector<Trial> finished;
        std::exception_ptr failure;
    };

    // Runs requests on the worker threads (and, with several processes, on the other processes)
    // until `next` has none left or time runs out; returns what finished, by trial index.
    std::vector<Trial> evaluate_all(const Request& next) {
        Batch batch{next, {}, {}, {}};
        std::vector<std::jthread> threads;
        if (spread()) {
            threads.emplace_back([&] { work(batch); });  // this process's one trial at a time
            try {
                dispatch(batch);
            } catch (...) {
                failed(batch);
            }
        } else {
            for (std::size_t i = 1; i < workers_; ++i) threads.emplace_back([&] { work(batch); });
            work(batch);
        }
        for (auto& thread : threads) thread.join();
        if (batch.failure) std::rethrow_exception(batch.failure);
        std::ranges::sort(batch.finished, {}, &Trial::index);
        return std::move(batch.finished);
    }

    // The next request, or nullopt when there is none or no time left; under batch.mutex. With
    // `logged`: its evaluation as the log holds it, to read back instead of training again.
    std::optional<Trial> take(Batch& batch, std::optional<Trial>& logged) {
        if (batch.failure || out_of_time()) return std::nullopt;
        auto request = batch.next();
        logged = request && log_ ? log_->find(request->index, request->epoch_budget) : std::nullopt;
        return request;
    }

    // Records an evaluation that `process` trained, or read back from the log (`resumed`).
    void finish(Batch& batch, Evaluation done, bool resumed, std::size_t process = 0) {
        if (!resumed) ++trained_by_process_[process];
        batch.finished.push_back(done.trial);
        record(std::move(done), resumed);
    }

    // In a catch block: keeps the first failure, which stops the other threads of the batch.
    static void failed(Batch& batch) {
        std::lock_guard lock(batch.mutex);
        if (!batch.failure) batch.failure = std::current_exception();
    }

    // One worker thread: takes requests and evaluates them until there are none left.
    void work(Batch& batch) {
        for (;;) {
            std::optional<Trial> request, logged;
            {
                std::lock_guard lock(batch.mutex);
                request = take(batch, logged);
            }
            if (!request) return;
            try {
                auto done = logged ? Evaluation{*logged, {}} : evaluate(*request, settings_);
                if (!done) return;
                std::lock_guard lock(batch.mutex);
                finish(batch, std::move(*done), logged.has_value());
            } catch (...) {
                return failed(batch);
            }
        }
    }

    bool spread() const { return options_.processes && options_.processes->size() > 1; }

    // Process 0 of several: hands a request to each other process that is free, records what
    // they send back, and returns when none is left to hand out and none is busy. Which process
    // evaluates which trial depends on timing; the evaluations do not (they depend on the seed,
    // the index and the budget alone), nor the order of `finished`.
    void dispatch(Batch& batch) {
        Messenger& processes = *options_.processes;
        std::vector<bool> busy(processes.size(), false);
        bool drained = false;
        for (;;) {
            {
                std::lock_guard lock(batch.mutex);
                if (batch.failure) return;
                for (std::size_t rank = 1; rank < busy.size() && !drained; ++rank)
                    while (!busy[rank] && !drained) {
                        std::optional<Trial> logged;
                        const auto request = take(batch, logged);
                        if (!request)
                            drained = true;
                        else if (logged)
                            finish(batch, {*logged, {}}, true);
                        else
                            busy[rank] = true, processes.send(rank, request_text(*request));
                    }
            }
            const auto reply = processes.try_receive();
            if (reply) {
                busy.at(reply->from) = false;
                std::lock_guard lock(batch.mutex);
                if (reply->text != abandoned_text) finish(batch, {trial_from_line(reply->text), {}}, false, reply->from);
            } else if (drained && std::ranges::none_of(busy, std::identity{})) {
                return;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    }

    // A request to another process: the trial, its budget and how long it may take (out of time
    // then, as process 0 would be).
    std::string request_text(const Trial& trial) const {
        nlohmann::json request = {{"trial", trial.index}, {"epoch_budget", trial.epoch_budget}};
        if (options_.time_budget.count() > 0.0)
            request["seconds_left"] = options_.time_budget.count() - elapsed() -
                                      closing_seconds_.load(std::memory_order_relaxed);
        return request.dump();
    }
    static constexpr const char* abandoned_text = "abandoned";
    static constexpr const char* stop_text = "stop";

    // The losses of the final check's jobs in `jobs` ({"trial": log line, "fold": k}), as the bits
    // of the doubles: exact, NaN and infinity included.
    std::string check_reply(const nlohmann::json& jobs, const std::vector<Fold>& folds) const {
        nlohmann::json reply = nlohmann::json::array();
        for (const auto& job : jobs) {
            const std::size_t k = job.at("fold").get<std::size_t>();
            std::vector<std::uint64_t> bits;
            const Contender contender{trial_from_line(job.at("trial").get<std::string>()),
                                      job.at("default_training").get<bool>(), job.at("copies").get<std::size_t>()};
            for (double loss : fold_losses(contender, folds.at(k), k))
                bits.push_back(std::bit_cast<std::uint64_t>(loss));
            reply.push_back(bits);
        }
        return reply.dump();
    }
    static std::vector<double> doubles_from_bits(const nlohmann::json& bits) {
        std::vector<double> values;
        for (const auto& b : bits) values.push_back(std::bit_cast<double>(b.get<std::uint64_t>()));
        return values;
    }

    // Waits for the next message, looking every millisecond rather than spinning a core.
    static Message next_message(Messenger& processes) {
        for (;;) {
            if (auto message = processes.try_receive()) return std::move(*message);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    void record(Evaluation evaluation, bool resumed) {
        const Trial& trial = evaluation.trial;
        if (log_ && !resumed) log_->append(trial);
        ++evaluations_;
        evaluations_resumed_ += resumed ? 1 : 0;
        total_epochs_ += static_cast<long long>(trial.epochs) * static_cast<long long>(folds_.size());
        auto& deepest = deepest_[trial.index];
        const double seconds = deepest.seconds + trial.seconds;  // every evaluation of the trial
        if (trial.epoch_budget >= deepest.epoch_budget) deepest = trial;
        deepest.seconds = seconds;
        const auto ranked = ranked_trials();
        const Trial& recommended = ranked[one_standard_error_pick(ranked, objective_, options_.standard_errors)];
        if (!evaluation.best_weights.empty() && same_evaluation(recommended, trial))
            kept_ = KeptModel{trial, std::move(evaluation.best_weights)};
        closing_seconds_.store(estimated_closing_seconds(recommended), std::memory_order_relaxed);
        any_finished_.store(true, std::memory_order_relaxed);
        if (leaderboard_) leaderboard_->update(trial, ranked, {evaluations_, total_epochs_, elapsed()});
    }

    double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    std::vector<Trial> ranked_trials() const {
        std::vector<Trial> trials;
        for (const auto& [index, trial] : deepest_) trials.push_back(trial);
        rank(trials, objective_);
        return trials;
    }

    // Every trial trained up to max_epochs, drawn in index order.
    void run_random() {
        std::size_t next_index = 0;
        evaluate_all([&]() -> std::optional<Trial> {
            if (!trials_left(next_index)) return std::nullopt;
            return draw(next_index++, space_.max_epochs);
        });
    }

    // Hyperband (Li et al. 2018): brackets s = s_max … 0, repeated. Bracket s starts
    // n = ⌈(s_max + 1)/(s + 1) · ηˢ⌉ trials at R·η⁻ˢ epochs; each rung keeps the best ⌊n/η⌋ and
    // gives them η times the epochs, up to R = max_epochs. The baseline (trial 0) is cheap and is
    // the reference every other trial must beat, so it always trains for R epochs.
    // The brackets of the default search come first, then more brackets for a longer search, so a
    // longer search evaluates what a shorter one did, in the same order, before anything else.
    void run_hyperband() {
        std::size_t next_index = 0;
        const std::size_t limit = options_.max_trials;
        run_brackets(next_index, limit == 0 ? default_search_trials : std::min(limit, default_search_trials));
        if (limit == 0 || limit > default_search_trials) run_brackets(next_index, limit);
    }

    // Brackets from s_max down, repeated, until trial `last_index` (0: no limit) or the time is up.
    void run_brackets(std::size_t& next_index, std::size_t last_index) {
        const int eta = options_.reduction_factor, max_epochs = space_.max_epochs;
        const int s_max = static_cast<int>(std::floor(std::log(max_epochs) / std::log(eta) + 1e-9));
        for (int bracket = 0; (last_index == 0 || next_index < last_index) && !out_of_time(); ++bracket) {
            const int s = s_max - bracket % (s_max + 1);
            auto n = static_cast<std::size_t>(std::ceil((s_max + 1.0) / (s + 1.0) * std::pow(eta, s)));
            if (last_index != 0) n = std::min(n, last_index - next_index);
            std::vector<std::size_t> indices(n);
            for (auto& index : indices) index = next_index++;
            run_bracket(std::move(indices), std::min(s, rungs_above_first(n)));
        }
    }

    // A bracket cut short by the trial limit halves only as often as its trials allow: ⌊log_η n⌋.
    int rungs_above_first(std::size_t trials) const {
        int rungs = 0;
        for (std::size_t n = trials; n >= static_cast<std::size_t>(options_.reduction_factor); n /= options_.reduction_factor)
            ++rungs;
        return rungs;
    }

    void run_bracket(std::vector<std::size_t> indices, int s) {
        const int eta = options_.reduction_factor, max_epochs = space_.max_epochs;
        for (int rung = 0; !indices.empty(); ++rung) {
            const bool last = rung >= s || indices.size() == 1;
            const int budget = last ? max_epochs
                                    : std::max(1, static_cast<int>(std::lround(max_epochs * std::pow(eta, rung - s))));
            std::size_t position = 0;
            auto results = evaluate_all([&]() -> std::optional<Trial> {
                if (position == indices.size()) return std::nullopt;
                const std::size_t index = indices[position++];
                return draw(index, is_reference(index) ? max_epochs : budget);
            });
            if (last || out_of_time()) return;
            rank(results, objective_);
            std::erase_if(results, [&](const Trial& t) { return t.diverged() || is_reference(t.index); });
            results.resize(std::min(results.size(), std::max<std::size_t>(1, indices.size() / eta)));
            indices.clear();
            for (const auto& t : results) indices.push_back(t.index);
            std::ranges::sort(indices);
        }
    }

    const TunerOptions& options_;
    Objective objective_;
    SearchSpace space_;
    std::vector<Fold> folds_;
    std::size_t rows_;
    std::size_t workers_;
    Clock::time_point start_;
    EvaluationSettings settings_;
    std::optional<TrialLog> log_;
    std::optional<Leaderboard> leaderboard_;
    std::map<std::size_t, Trial> deepest_;
    std::size_t evaluations_ = 0, evaluations_resumed_ = 0;
    std::vector<std::size_t> trained_by_process_;
    long long total_epochs_ = 0;
    std::atomic<double> closing_seconds_{0.0};
    std::atomic<bool> any_finished_{false};
    std::optional<std::vector<double>> reference_losses_;  // dense train's out-of-fold losses
    std::size_t checked_copies_ = 0;                        // the copies of each network they averaged
    double default_model_seconds_ = 0.0;                    // making dense train's model of every row
    struct KeptModel {
        Trial trial;
        std::vector<Tensor<float>> weights;
    };
    std::optional<KeptModel> kept_;  // the best weights of the recommended trial's evaluation

};

SearchResult Search::result(const Matrix<float>& x, const Matrix<float>& y) const {
    if (deepest_.empty())
        throw Error("tune: no trial finished within the time budget; give the search more time or smaller models");
    SearchResult result;
    result.objective = objective_;
    result.space = space_;
    result.inputs = x.cols();
    for (const auto& [index, trial] : deepest_) result.trials.push_back(trial);
    const auto ranked = ranked_trials();
    const auto position_of = [&](const Trial& t) {
        return static_cast<std::size_t>(std::ranges::find(result.trials, t.index, &Trial::index) - result.trials.begin());
    };
    for (const auto& t : ranked) result.ranking.push_back(position_of(t));
    result.best = result.ranking.front();
    if (result.best_trial().diverged())
        throw DataError("tune: every trial diverged (the loss became NaN or infinite); scale the data or lower the "
                        "learning rates of the search space");
    result.searched = position_of(ranked[one_standard_error_pick(ranked, objective_, options_.standard_errors)]);
    result.recommended = result.searched;
    std::optional<Contender> checked;
    if (folds_.size() == 1) {
        auto [chosen, reason] = final_check(result.trials[result.searched], x, y);
        result.final_check = std::move(reason);
        checked = std::move(chosen);
    }
    result.evaluations = evaluations_;
    result.evaluations_resumed = evaluations_resumed_;
    result.trained_by_process = trained_by_process_;
    result.total_epochs = total_epochs_;

    if (checked && checked->default_training) {
        auto made = default_training_pick(x, y);
        result.default_training = std::move(made.pick);
        result.model = std::move(made.model);
    } else {
        result.model = final_model(result.recommended_trial(), x, y);
    }
    result.seconds = elapsed();
    return result;
}

}  // namespace

std::size_t one_standard_error_pick(const std::vector<Trial>& ranked, const Objective& objective,
                                    double standard_errors) {
    if (ranked.empty()) throw UsageError("tune: no trial to pick from");
    const Trial& best = ranked.front();
    const double margin = standard_errors * best.metric_se;
    std::size_t chosen = 0;
    for (std::size_t position = 1; position < ranked.size(); ++position) {
        const Trial& t = ranked[position];
        if (objective.as_good_as(t.metric, best.metric, margin) && t.parameters < ranked[chosen].parameters)
            chosen = position;
    }
    return chosen;
}

Strategy strategy_from_name(std::string_view name) {
    if (name == "random") return Strategy::random;
    if (name == "hyperband") return Strategy::hyperband;
    throw UsageError("tune: unknown strategy '" + std::string(name) + "'; use random or hyperband");
}

Tuner::Tuner(TunerOptions options) : options_(std::move(options)) { check_options(options_); }

SearchResult Tuner::search(const Matrix<float>& x, const Matrix<float>& y) {
    check_data(x, y);
    Search search(options_, x, y);
    try {
        search.run(x, y);
        auto result = search.result(x, y);  // the final check is spread over the processes too
        search.stop_serving();
        return result;
    } catch (...) {
        search.stop_serving();
        throw;
    }
}

void Tuner::serve(const Matrix<float>& x, const Matrix<float>& y) {
    if (!options_.processes || options_.processes->rank() == 0)
        throw UsageError("tune: serve() is for the processes other than 0 of a search spread over processes; "
                         "process 0 runs search()");
    check_data(x, y);
    TunerOptions options = options_;  // process 0 alone writes the log and shows the leaderboard
    options.log_path.clear();
    options.progress = nullptr;
    Search(options, x, y).serve(x, y);
}

}  // namespace dense::tune
