// `dense tune DATA.csv --target COL`: search for the best network for a data set (dense::tune),
// show the leaderboard as it goes, then the top trials and why one was picked, and save the
// picked model — the simplest within one standard error of the best — with its preprocessing.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>

#include "command.hpp"
#include "dense_train.hpp"
#include "epoch_list.hpp"
#include "dense/error.hpp"
#include "dense/io/model_file.hpp"
#include "dense/io/numeric_column.hpp"
#include "dense/io/preprocessing.hpp"
#include "dense/io/write_file_atomically.hpp"
#include "dense/threads.hpp"
#include "dense/tune/default_training.hpp"
#include "dense/tune/hyperparameters.hpp"
#include "dense/tune/tuner.hpp"
#include "dense/tune/format.hpp"
#include "inputs.hpp"
#include "model_reader.hpp"
#include "column_options.hpp"
#include "option_checks.hpp"
#include "parallel.hpp"

namespace dense::cli {
namespace {

constexpr std::size_t shown_trials = 10;

struct TuneArgs {
    std::string data;
    std::vector<std::string> targets;
    std::vector<std::string> dropped;  // --drop: columns left out of the model
    std::string task;  // empty: inferred
    std::string fill = "none";
    std::size_t trials = 0;  // 0: default_trials, or no limit with a time budget
    std::string time_budget;
    std::string space;
    std::string strategy = "hyperband";
    std::size_t folds = 1;
    double validation_split = 0.2;
    int max_epochs = 0;  // 0: the space's
    bool all = false;
    bool no_refit = false;
    std::uint64_t seed = 42;
    std::size_t threads = 0;
    std::string log;
    std::string out = "best.dense";
    bool quiet = false;
};

// "10m", "90s", "1h30m", "1.5h" or plain seconds ("600") → seconds.
double parse_duration(const std::string& text) {
    const auto bad = [&] {
        return UsageError("--time-budget '" + text + "' is not a duration; write e.g. 90s, 10m, 1h30m or 600");
    };
    double seconds = 0.0;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t used = 0;
        double value = 0.0;
        try {
            value = std::stod(text.substr(at), &used);
        } catch (const std::exception&) {
            throw bad();
        }
        at += used;
        const char unit = at < text.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(text[at++]))) : 's';
        if (unit != 's' && unit != 'm' && unit != 'h') throw bad();
        seconds += value * (unit == 'h' ? 3600.0 : unit == 'm' ? 60.0 : 1.0);
    }
    if (text.empty()) throw bad();
    if (!(seconds > 0.0)) throw UsageError("--time-budget '" + text + "' gives the search no time; give more than 0, e.g. 90s");
    return seconds;
}

tune::TunerOptions tuner_options(const TuneArgs& args, std::size_t rows) {
    tune::TunerOptions options;
    options.strategy = tune::strategy_from_name(args.strategy);
    if (!args.time_budget.empty()) options.time_budget = std::chrono::duration<double>(parse_duration(args.time_budget));
    options.max_trials = args.trials != 0 ? args.trials : args.time_budget.empty() ? tune::default_search_trials : 0;
    options.folds = args.folds;
    options.validation_split = args.validation_split;
    options.refit = !args.no_refit;
    options.seed = args.seed;
    options.threads = args.threads;
    if (args.threads > max_num_threads() && !args.quiet && is_main_process())
        std::cerr << "dense tune: note: --threads " << args.threads << " is more than " << max_num_threads()
                  << " (4 per core); using " << max_num_threads() << '\n';
    options.log_path = args.log;
    auto space = tune::SearchSpace::for_data(rows);
    if (!args.space.empty()) space = space.with_json_file(args.space);
    if (args.max_epochs > 0) space.max_epochs = args.max_epochs;
    options.space = space;
    if (!args.quiet) {
        options.progress = &std::cerr;
        options.live = ::isatty(STDERR_FILENO) != 0;
    }
    return options;
}

// "val_rmse 53.1 ± 2.4" or "val_accuracy 95.00% ± 1.20%".
std::string score_text(const tune::Objective& objective, const tune::Trial& trial) {
    const double se = objective.task == io::Task::regression && trial.metric > 0.0
                          ? trial.metric_se / (2.0 * std::sqrt(trial.metric)) * objective.display_scale  // SE of √MSE
                          : trial.metric_se;
    std::ostringstream text;
    text << objective.display_name() << ' ' << tune::format_metric(objective, trial.metric) << " ± ";
    if (objective.task == io::Task::classification)
        text << std::setprecision(3) << 100.0 * se << '%';
    else
        text << std::setprecision(3) << se;
    return text.str();
}

std::size_t within_one_standard_error(const tune::SearchResult& result) {
    std::size_t count = 0;
    const auto& best = result.best_trial();
    for (const auto& t : result.trials) count += result.objective.as_good_as(t.metric, best.metric, best.metric_se) ? 1 : 0;
    return count;
}

// " on 2 processes (7 + 6 evaluations trained)"; nothing for one.
std::string processes_text(const std::vector<std::size_t>& trained) {
    if (trained.size() < 2) return "";
    std::string text = " on " + std::to_string(trained.size()) + " processes (";
    for (std::size_t rank = 0; rank < trained.size(); ++rank) text += (rank ? " + " : "") + std::to_string(trained[rank]);
    return text + " evaluations trained)";
}

// "Picked trial 7: 32 relu (…), val_rmse 53.1 ± 2.4", or dense train's candidate that the final check kept.
std::string pick_text(const tune::SearchResult& result) {
    if (const auto& pick = result.default_training)
        return "Picked what dense train gives: " + pick->choice;
    const auto& chosen = result.recommended_trial();
    return "Picked trial " + std::to_string(chosen.index) + ": " + tune::describe_architecture(chosen.hyperparameters) +
           " (" + std::to_string(chosen.parameters) + " parameters; " + tune::describe_training(chosen.hyperparameters) +
           "), " + score_text(result.objective, chosen);
}

// The saved file when the final check kept dense train's model: dense train's own, rows and all.
void print_dense_train_saved(const tune::SearchResult::DefaultTrainingPick& pick, const TuneArgs& args,
                             const io::ModelFileExtras& saved) {
    std::cout << "\nSaved to " << args.out << " as `dense train --seed " << args.seed << (args.no_refit ? " --no-refit" : "")
              << "` saves it: ";
    const std::size_t rows = saved.progress->training_rows;
    const auto& copies = saved.progress->member_epochs;
    const std::string epochs = epoch_list(copies.size() > 1 ? copies : std::vector<int>{pick.epochs});
    const std::string averaged = copies.size() > 1 ? " (" + std::to_string(copies.size()) + " copies, averaged)" : "";
    if (args.no_refit)
        std::cout << "its model" << averaged << " at its best epoch (" << epochs << "), its weights and preprocessing learnt "
                  << "from its " << rows << " training rows\n";
    else
        std::cout << "retrained on all " << rows << " rows for " << epochs << " epochs" << averaged
                  << ", its preprocessing learnt from its training rows\n";
}

// `saved`: what the model file holds beside the model (dense train's training progress when it is
// dense train's file).
void print_summary(const tune::SearchResult& result, const TuneArgs& args, std::size_t rows,
                   const io::ModelFileExtras& saved) {
    const auto& chosen = result.recommended_trial();
    const auto& best = result.best_trial();
    std::cout << result.table(args.all ? 0 : shown_trials) << '\n'
              << "Searched " << result.trials.size() << (result.trials.size() == 1 ? " trial (" : " trials (")
              << result.evaluations << (result.evaluations == 1 ? " evaluation, " : " evaluations, ")
              << result.evaluations_resumed << " read back from the log; " << result.total_epochs << " epochs) in "
              << tune::format_duration(result.seconds) << processes_text(result.trained_by_process) << '\n'
              << pick_text(result) << '\n';
    if (!result.final_check.empty())
        std::cout << "Why: " << result.final_check << '\n';
    else if (chosen.index == best.index)
        std::cout << "Why: the best score, and no trial with fewer parameters is within one standard error of it\n";
    else
        std::cout << "Why: the fewest parameters of the " << within_one_standard_error(result)
                  << " trials within one standard error of the best (trial " << best.index << ", " << best.parameters
                  << " parameters, " << score_text(result.objective, best)
                  << "): their differences are within the noise of the validation data\n";
    const auto& pick = result.default_training;
    if (pick && saved.progress) return print_dense_train_saved(*pick, args, saved);
    const int epochs = pick ? pick->epochs : args.folds > 1 ? chosen.epochs : chosen.best_epochs;
    if (args.folds > 1 || !args.no_refit)
        std::cout << "\nRetrained on all " << rows << " rows for " << epochs << " epochs and";
    else
        std::cout << "\nIts model, stopped at its best epoch (" << epochs << "),";
    std::cout << " saved to " << args.out << " with its preprocessing\n";
}

// dense train's network as the search space names it: default_network(), or no hidden layer.
tune::Hyperparameters network_of(const std::vector<std::size_t>& layers) {
    auto network = tune::default_network();
    network.hidden_units = layers;
    std::erase(network.hidden_units, 0);
    return network;
}

// `dense train DATA --target … --seed S`, with tune's --task, --fill, --drop and --no-refit, on the table
// tune read: its model for the search's result, and its file's preprocessing and progress
// (learnt from its own training rows) in `extras`, so that tune saves the very file it writes.
tune::DefaultTrainingModel train_as_dense_train(io::CsvTable table, const TuneArgs& args, io::ModelFileExtras& extras) {
    auto trained = dense_train(std::move(table), {args.targets, args.dropped, args.task, args.fill, args.seed, !args.no_refit});
    extras = std::move(trained.file.extras);
    return {{network_of(trained.layers), trained.epochs, std::move(trained.choice)}, std::move(trained.file.model)};
}

// `args` with --target and --drop as the columns of `table` they name (named_columns).
TuneArgs with_columns_named(TuneArgs args, const io::CsvTable& table) {
    args.targets = named_columns(args.targets, table.names(), "--target");
    args.dropped = named_columns(args.dropped, table.names(), "--drop");
    require_distinct(args.targets, "--target");
    require_distinct(args.dropped, "--drop");
    return args;
}

void run_tune(const TuneArgs& given) {
    if (given.targets.empty()) throw UsageError("--target is required: name the column(s) to predict, e.g. --target price");
    require_dense_model_name(given.out, "tune");
    require_different_files(
        {{"the data", given.data, false}, {"--space", given.space, false}, {"--out", given.out, true}, {"--log", given.log, true}});
    if (is_main_process()) io::check_writable(given.out);  // before the search, not after it
    auto table = read_table(given.data);
    const TuneArgs args = with_columns_named(given, table);
    const std::size_t rows = table.rows();
    io::PreprocessingOptions preprocessing_options;
    preprocessing_options.targets = args.targets;
    if (!args.task.empty()) preprocessing_options.task = io::task_from_name(args.task);
    preprocessing_options.fill = io::fill_policy_from_name(args.fill);
    preprocessing_options.dropped_columns = args.dropped;
    auto preprocessing = io::fit_preprocessing(table, preprocessing_options);
    require_the_same_data_everywhere(args.data, std::to_string(rows) + io::to_json(preprocessing).dump());

    const auto x = io::encode_features<float>(preprocessing, table);
    // Values for regression; the class index for classification (0/1 with two classes, as
    // binary crossentropy wants).
    const auto y = io::encode_targets<float>(preprocessing, table,
                                             preprocessing.task == io::Task::regression
                                                 ? losses::mean_squared_error()
                                                 : losses::sparse_categorical_crossentropy());
    auto options = tuner_options(args, table.rows());
    options.objective = tune::Objective::for_task(preprocessing.task, y);
    if (preprocessing.target_scaling.size() == 1) options.objective->display_scale = preprocessing.target_scaling[0].stddev;
    // Under mpirun every process reads the data; process 0 searches, handing trials to the others.
    options.processes = parallel_messenger();
    options.default_training_copies = tune::default_ensemble_for(rows);
    if (!is_main_process()) return tune::Tuner(options).serve(x, y);
    std::optional<io::ModelFileExtras> train_extras;
    options.default_training_model = [&] {  // at most once, after the search: the table is done with
        return train_as_dense_train(std::move(table), args, train_extras.emplace());
    };
    const auto result = tune::Tuner(options).search(x, y);

    io::ModelFileExtras extras;
    if (train_extras) {  // dense train's model, which the final check kept
        extras = std::move(*train_extras);
    } else {
        extras.preprocessing = std::move(preprocessing);
        extras.include_optimizer_state = false;
    }
    io::save_model(result.model, args.out, extras);
    if (!args.quiet) print_summary(result, args, rows, extras);
}

void add_tune(CLI::App& app) {
    auto args = std::make_shared<TuneArgs>();
    auto* cmd = app.add_subcommand("tune", "Search for the best network for a CSV file and save the simplest good one");
    cmd->add_option("data", args->data, "CSV file with a header row ('-' reads stdin)")->required();
    cmd->add_option("--target,-t", args->targets, "Column(s) to predict, comma-separated or the option repeated");
    cmd->add_option("--task", args->task, "regression or classification (default: inferred from the target)");
    cmd->add_option("--drop", args->dropped,
                    "Column(s) to leave out of the model, comma-separated or the option repeated (an identifier, a date)");
    cmd->add_option("--fill", args->fill, training_fill_option_help)->capture_default_str();
    cmd->add_option("--trials", args->trials, "Networks to try (default: 20, or no limit with --time-budget)")
        ->check(whole_number(1));
    cmd->add_option("--time-budget", args->time_budget, "Stop searching after this long: 90s, 10m, 1h30m");
    cmd->add_option("--space", args->space, "JSON file overriding the search space (see docs/TUNING.md)");
    cmd->add_option("--strategy", args->strategy, "hyperband (stops poor trials early) or random")->capture_default_str();
    cmd->add_option("--folds", args->folds, "K > 1: K-fold cross-validation instead of one validation split")
        ->capture_default_str()
        ->check(whole_number(1));
    cmd->add_option("--validation-split", args->validation_split, "Share of rows (drawn at random) to validate on")
        ->capture_default_str();
    cmd->add_option("--max-epochs", args->max_epochs, "The most epochs one trial trains (default: by data size)")
        ->check(whole_number(1, std::numeric_limits<int>::max()));
    cmd->add_flag("--all", args->all, "Print every trial in the final table, not the top 10");
    cmd->add_flag("--no-refit", args->no_refit,
                  "With one validation split, save the picked trial's validated model (trained on the training rows "
                  "only) instead of training it again on every row for its best number of epochs");
    cmd->add_option("--seed", args->seed, "Seed of the trials, the split, the weights and the shuffling")
        ->capture_default_str();
    cmd->add_option("--threads", args->threads,
                    "Trials trained at once (default: all cores); under mpirun one per process, and the "
                    "kernel threads of the final check and refit");
    cmd->add_option("--log", args->log, "JSON-lines log of finished trials; rerunning with it resumes the search");
    cmd->add_option("--out,-o", args->out, "Model file to write")->capture_default_str();
    cmd->add_flag("--quiet,-q", args->quiet, "Print nothing but errors");
    cmd->footer(
        "Examples:\n"
        "  dense tune houses.csv --target price\n"
        "  dense tune data.csv --target y --time-budget 10m --log trials.jsonl --out best.dense\n"
        "  dense tune iris.csv --target species --strategy random --trials 30 --folds 5\n"
        "  mpirun -np 4 dense tune data.csv --target y --trials 60   (trials spread over 4 processes)\n"
        "Trial 0 is the simplest network of the space and trial 1 the one `dense train` trains by default.\n"
        "Rerunning the same command with the same --log continues where it stopped. The pick is the simplest\n"
        "trial within one standard error of the best score (over the folds, or over the validation rows);\n"
        "the table shows the top 10 (--all, or the --log file, has every trial). A longer search first runs\n"
        "the shorter one's trials, so more time never ends with a worse best score.");
    cmd->callback([args] { run_tune(*args); });
}

const CommandRegistration registration{add_tune};

}  // namespace
}  // namespace dense::cli
